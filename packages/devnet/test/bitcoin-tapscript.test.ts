import assert from "node:assert/strict";
import { opcodes, type Payment, payments, script, Transaction, toXOnly } from "bitcoinjs-lib";
import { tapleafHash } from "bitcoinjs-lib/src/payments/bip341";
import type { ECPairInterface } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { BitcoinChain, type BitcoinTxRejected } from "../src/bitcoin/index.js";
import { SEQUENCE_LOCKTIME_DISABLE_FLAG, SEQUENCE_LOCKTIME_TYPE_FLAG } from "../src/bitcoin/params.js";
import {
  alice,
  aliceScript,
  bob,
  bobScript,
  coinbaseUtxo,
  ECPair,
  outputOf,
  rejection,
  spendP2wpkh,
  T0,
  type Utxo,
} from "./support/bitcoin.js";

const internal = ECPair.fromPrivateKey(Buffer.alloc(32, 3));
const leafKey = ECPair.fromPrivateKey(Buffer.alloc(32, 4));
const NO_AUX = new Uint8Array(32); // deterministic BIP340 signatures
const TAPSCRIPT = 0xc0;
const FAILED = "mandatory-script-verify-flag-failed";

const xonly = (key: ECPairInterface) => toXOnly(key.publicKey);
const checksigLeaf = (key = leafKey) => script.compile([xonly(key), opcodes.OP_CHECKSIG]);
const csvLeaf = (n: number) =>
  script.compile([script.number.encode(n), opcodes.OP_CHECKSEQUENCEVERIFY, opcodes.OP_DROP, xonly(leafKey), opcodes.OP_CHECKSIG]);
const commitmentLeaf = script.compile([Buffer.alloc(32, 0xab), opcodes.OP_DROP, xonly(leafKey), opcodes.OP_CHECKSIG]);

type Taptree = NonNullable<Payment["scriptTree"]>;

/** A taproot output committing to `leaves`: the first leaf, then a tree of the rest. */
class TapTree {
  readonly tree: Taptree;
  readonly output: Uint8Array;

  constructor(
    leaves: Uint8Array[],
    readonly version = TAPSCRIPT,
  ) {
    const nodes: Taptree[] = leaves.map((output) => ({ output, version }));
    this.tree = nodes.reduceRight((right, left) => [left, right]);
    this.output = payments.p2tr({ internalPubkey: xonly(internal), scriptTree: this.tree }).output!;
  }

  /** The control block proving `leaf` (bitcoinjs-lib computes it). */
  control(leaf: Uint8Array): Uint8Array {
    const p = payments.p2tr({
      internalPubkey: xonly(internal),
      scriptTree: this.tree,
      redeem: { output: leaf, redeemVersion: this.version },
    });
    return p.witness![p.witness!.length - 1];
  }
}

interface SpendOptions {
  sequence?: number;
  version?: number;
  key?: ECPairInterface;
  hashType?: number;
  /** The witness stack before the leaf script (default: the one signature). */
  stack?: (sig: Uint8Array) => Uint8Array[];
}

/** Spends taproot coins by the script path of `leaf`, each input signed over BIP342's sighash. */
function spendLeaf(tree: TapTree, inputs: Utxo[], leaf: Uint8Array, opts: SpendOptions = {}): Transaction {
  const tx = new Transaction();
  tx.version = opts.version ?? 2;
  for (const u of inputs) tx.addInput(Buffer.from(u.txid, "hex").reverse(), u.vout, opts.sequence ?? 0xfffffffd);
  const total = inputs.reduce((sum, u) => sum + u.value, 0n);
  tx.addOutput(bobScript, total - 10_000n);
  const hashType = opts.hashType ?? Transaction.SIGHASH_DEFAULT;
  const leafHash = tapleafHash({ output: leaf, version: tree.version });
  const control = tree.control(leaf);
  inputs.forEach((_u, i) => {
    const hash = tx.hashForWitnessV1(
      i,
      inputs.map((u) => u.script),
      inputs.map((u) => u.value),
      hashType,
      leafHash,
    );
    const sig = ecc.signSchnorr(hash, (opts.key ?? leafKey).privateKey!, NO_AUX);
    const full = hashType === Transaction.SIGHASH_DEFAULT ? sig : Uint8Array.from([...sig, hashType]);
    tx.setWitness(i, [...(opts.stack ? opts.stack(full) : [full]), leaf, control]);
  });
  return tx;
}

/** Refused by acceptToMempool and testAccept alike, with `reason`, and nothing changes. */
function refuses(chain: BitcoinChain, tx: Transaction, reason: string): BitcoinTxRejected {
  const before = chain.capture();
  const err = rejection(() => chain.acceptToMempool(tx));
  assert.equal(err.reason, reason);
  assert.equal(rejection(() => chain.testAccept(tx)).reason, reason);
  assert.deepEqual(chain.capture(), before);
  return err;
}

/**
 * A chain whose block 102 confirms `count` outputs to `output` (50,000,000 sat each) and change, funded
 * by a P2WPKH spend of block 1's coinbase; the tip is 102.
 */
function fundedChain(output: Uint8Array, count: number): { chain: BitcoinChain; coins: Utxo[] } {
  const chain = new BitcoinChain();
  chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 101 });
  const input = coinbaseUtxo(chain, 1);
  const outputs = Array.from({ length: count }, () => ({ script: output, value: 50_000_000n }));
  const change = { script: aliceScript, value: input.value - BigInt(count) * 50_000_000n - 10_000n };
  const funding = spendP2wpkh(alice, [input], [...outputs, change]);
  chain.acceptToMempool(funding);
  chain.mine({ timestamp: T0, payoutScript: aliceScript });
  assert.equal(chain.getTransaction(funding.getId())?.height, 102);
  return { chain, coins: outputs.map((_o, vout) => outputOf(funding, vout)) };
}

/** Mines until a transaction in the next block would spend a coin of block 102 at `depth` (Core: spend height - coin height). */
function mineToDepth(chain: BitcoinChain, depth: number): void {
  const blocks = 102 + depth - 1 - chain.height;
  assert.ok(blocks >= 0);
  chain.mine({ timestamp: T0, payoutScript: aliceScript, count: blocks });
}

describe("simulated Bitcoin chain: taproot script-path spends (BIP341/342 templates)", () => {
  it("accepts and mines a script-path spend of each template, one signed SIGHASH_ALL, two inputs in one transaction", () => {
    const tree = new TapTree([checksigLeaf(), csvLeaf(3), commitmentLeaf]);
    const { chain, coins } = fundedChain(tree.output, 4);
    const checksig = spendLeaf(tree, [coins[0], coins[1]], checksigLeaf());
    const commitment = spendLeaf(tree, [coins[2]], commitmentLeaf, { hashType: Transaction.SIGHASH_ALL });
    assert.equal(commitment.ins[0].witness[0].length, 65);
    const csv = spendLeaf(tree, [coins[3]], csvLeaf(3), { sequence: 3 });
    assert.equal(chain.acceptToMempool(checksig).txid, checksig.getId());
    assert.equal(chain.acceptToMempool(commitment).txid, commitment.getId());
    refuses(chain, csv, "non-BIP68-final");
    const [block] = chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.deepEqual(new Set(block.transactions!.slice(1).map((t) => t.getId())), new Set([checksig.getId(), commitment.getId()]));
    mineToDepth(chain, 3);
    assert.equal(chain.acceptToMempool(csv).txid, csv.getId());
    const [next] = chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.equal(next.transactions![1].getId(), csv.getId());
    for (const u of coins) assert.equal(chain.getCoin(u.txid, u.vout), undefined, "spent");
    assert.equal(chain.getCoin(csv.getId(), 0)?.value, coins[3].value - 10_000n);
    assert.equal(chain.mempoolEntries().length, 0);
  });

  it("refuses a control block with a bad path, the wrong parity, the wrong internal key or a bad size", () => {
    const tree = new TapTree([checksigLeaf(), csvLeaf(3), commitmentLeaf]);
    const { chain, coins } = fundedChain(tree.output, 1);
    const good = spendLeaf(tree, coins, checksigLeaf());
    const [sig, leaf, control] = good.ins[0].witness;
    assert.equal(control.length, 33 + 32, "a leaf beside a branch: a path of one node");
    const flip = (at: number) => (c: Uint8Array) => Uint8Array.from(c, (byte, i) => (i === at ? byte ^ 1 : byte));
    const withKey = (key: Uint8Array) => (c: Uint8Array) => Uint8Array.from([c[0], ...key, ...c.subarray(33)]);
    const mismatch = `${FAILED} (Witness program hash mismatch)`;
    const wrongSize = `${FAILED} (Invalid Taproot control block size)`;
    const cases: [string, (c: Uint8Array) => Uint8Array, string][] = [
      ["a node of the path changed", flip(40), mismatch],
      ["the output key's parity flipped", flip(0), mismatch],
      ["another internal key", withKey(xonly(bob)), mismatch],
      ["an internal key that is not a point", withKey(new Uint8Array(32).fill(0xff)), mismatch],
      ["another leaf's path", () => tree.control(commitmentLeaf), mismatch],
      ["a byte too many", (c) => Uint8Array.from([...c, 0]), wrongSize],
      ["shorter than 33 bytes", (c) => c.subarray(0, 32), wrongSize],
    ];
    for (const [what, edit, reason] of cases) {
      const tx = good.clone();
      tx.setWitness(0, [sig, leaf, edit(control)]);
      assert.equal(rejection(() => chain.testAccept(tx)).reason, reason, what);
      refuses(chain, tx, reason);
    }
    assert.equal(chain.acceptToMempool(good).txid, good.getId());
  });

  it("refuses bad signatures and bad witness stacks with Core's script errors", () => {
    const tree = new TapTree([checksigLeaf(), commitmentLeaf]);
    const { chain, coins } = fundedChain(tree.output, 1);
    const leaf = checksigLeaf();
    const good = spendLeaf(tree, coins, leaf);
    const flipped = good.clone();
    const sig = Uint8Array.from(good.ins[0].witness[0]);
    sig[5] ^= 1;
    flipped.setWitness(0, [sig, ...good.ins[0].witness.slice(1)]);
    refuses(chain, flipped, `${FAILED} (Invalid Schnorr signature)`);
    refuses(chain, spendLeaf(tree, coins, leaf, { key: bob }), `${FAILED} (Invalid Schnorr signature)`);
    // a signature over another leaf's sighash (BIP342 commits to the leaf)
    const otherLeaf = spendLeaf(tree, coins, commitmentLeaf).ins[0].witness[0];
    refuses(chain, spendLeaf(tree, coins, leaf, { stack: () => [otherLeaf] }), `${FAILED} (Invalid Schnorr signature)`);
    refuses(chain, spendLeaf(tree, coins, leaf, { stack: (s) => [s.subarray(0, 63)] }), `${FAILED} (Invalid Schnorr signature size)`);
    refuses(
      chain,
      spendLeaf(tree, coins, leaf, { stack: (s) => [Uint8Array.from([...s, 0])] }),
      `${FAILED} (Invalid Schnorr signature hash type)`,
    );
    refuses(
      chain,
      spendLeaf(tree, coins, leaf, { stack: () => [new Uint8Array(0)] }),
      `${FAILED} (Script evaluated without error but finished with a false/empty top stack element)`,
    );
    refuses(
      chain,
      spendLeaf(tree, coins, leaf, { stack: (s) => [Uint8Array.of(1), s] }),
      `${FAILED} (Stack size must be exactly one after execution)`,
    );
    refuses(chain, spendLeaf(tree, coins, leaf, { stack: () => [] }), `${FAILED} (Operation not valid with the current stack size)`);
    assert.equal(chain.acceptToMempool(good).txid, good.getId());
  });

  it("enforces OP_CHECKSEQUENCEVERIFY (BIP112) by height: refused at depth 9 for n = 10, accepted and mined at depth 10", () => {
    const tree = new TapTree([csvLeaf(10)]);
    const { chain, coins } = fundedChain(tree.output, 1);
    mineToDepth(chain, 9);
    // Core checks the BIP68 lock the input asks for before running scripts
    const tx = spendLeaf(tree, coins, csvLeaf(10), { sequence: 10 });
    refuses(chain, tx, "non-BIP68-final");
    // an input lock short enough for BIP68 is too short for the script
    refuses(chain, spendLeaf(tree, coins, csvLeaf(10), { sequence: 9 }), `${FAILED} (Locktime requirement not satisfied)`);
    mineToDepth(chain, 10);
    assert.equal(chain.acceptToMempool(tx).txid, tx.getId());
    const [block] = chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.equal(block.transactions![1].getId(), tx.getId());
    assert.equal(chain.getTransaction(tx.getId())?.height, 112);
  });

  it("fails OP_CHECKSEQUENCEVERIFY for a disabled input lock, a version 1 transaction, a lock of the other kind, or a negative n", () => {
    const timeLeaf = csvLeaf(SEQUENCE_LOCKTIME_TYPE_FLAG | 1);
    const negativeLeaf = csvLeaf(-1);
    const tree = new TapTree([csvLeaf(10), timeLeaf, negativeLeaf]);
    const { chain, coins } = fundedChain(tree.output, 1);
    mineToDepth(chain, 12);
    const unsatisfied = `${FAILED} (Locktime requirement not satisfied)`;
    refuses(chain, spendLeaf(tree, coins, csvLeaf(10), { sequence: SEQUENCE_LOCKTIME_DISABLE_FLAG + 10 }), unsatisfied);
    refuses(chain, spendLeaf(tree, coins, csvLeaf(10), { sequence: 10, version: 1 }), unsatisfied);
    refuses(chain, spendLeaf(tree, coins, timeLeaf, { sequence: 10 }), unsatisfied);
    // and the other way round, once median time past is far enough for the input's BIP68 time lock
    chain.mine({ timestamp: T0 + 100_000, payoutScript: aliceScript, count: 11 });
    refuses(chain, spendLeaf(tree, coins, csvLeaf(10), { sequence: SEQUENCE_LOCKTIME_TYPE_FLAG | 1 }), unsatisfied);
    refuses(chain, spendLeaf(tree, coins, negativeLeaf, { sequence: 10 }), `${FAILED} (Negative locktime)`);
    // a longer input lock of the same kind satisfies it
    const longer = spendLeaf(tree, coins, csvLeaf(10), { sequence: 12 });
    assert.equal(chain.acceptToMempool(longer).txid, longer.getId());
  });

  it("treats OP_CHECKSEQUENCEVERIFY with the disable flag in n as a NOP, while BIP68 still applies to the input", () => {
    const n = SEQUENCE_LOCKTIME_DISABLE_FLAG + 50; // five bytes as a script number
    const leaf = csvLeaf(n);
    assert.equal(leaf.length, 6 + 2 + 34);
    const tree = new TapTree([leaf]);
    const { chain, coins } = fundedChain(tree.output, 2);
    const tx = spendLeaf(tree, [coins[0]], leaf, { sequence: 5 }); // masked n (50) > 5: CheckSequence would fail
    mineToDepth(chain, 4);
    refuses(chain, tx, "non-BIP68-final");
    mineToDepth(chain, 5);
    assert.equal(chain.acceptToMempool(tx).txid, tx.getId());
    // no input lock at all, and still fine
    const unlocked = spendLeaf(tree, [coins[1]], leaf, { sequence: 0xffffffff });
    assert.equal(chain.acceptToMempool(unlocked).txid, unlocked.getId());
  });

  it("refuses leaves that are not simulated templates, and non-tapscript leaf versions as Core's policy does", () => {
    const key = xonly(leafKey);
    const checksigVerify = script.compile([key, opcodes.OP_CHECKSIGVERIFY, opcodes.OP_1]);
    // `10 OP_CSV ...` with 10 pushed as data, not as OP_10: not a minimal push
    const nonMinimal = Uint8Array.from([0x01, 0x0a, opcodes.OP_CHECKSEQUENCEVERIFY, opcodes.OP_DROP, 0x20, ...key, opcodes.OP_CHECKSIG]);
    const shortData = script.compile([Buffer.alloc(31, 1), opcodes.OP_DROP, key, opcodes.OP_CHECKSIG]);
    const tree = new TapTree([checksigVerify, nonMinimal, shortData]);
    const { chain, coins } = fundedChain(tree.output, 1);
    for (const leaf of [checksigVerify, nonMinimal, shortData]) {
      const err = refuses(chain, spendLeaf(tree, coins, leaf), "bad-txns-nonstandard-inputs");
      assert.match(err.debug!, /^input 0: tapscript leaf is not one of the simulated templates: <32-byte x-only key> OP_CHECKSIG; /);
    }
    const future = new TapTree([checksigLeaf()], 0xc2);
    const funded = fundedChain(future.output, 1);
    const tx = spendLeaf(future, funded.coins, checksigLeaf());
    assert.equal(tx.ins[0].witness[2][0] & 0xfe, 0xc2);
    refuses(funded.chain, tx, "non-mandatory-script-verify-flag (Taproot version reserved for soft-fork upgrades)");
  });
});
