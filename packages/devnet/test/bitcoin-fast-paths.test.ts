// The simulated chain's shortcuts against the straightforward computation: the native serialization
// and remembered hashes of transactions (txid, wtxid) against bitcoinjs-lib's on random transactions,
// the coinbase height push against script.compile, remembered Taproot tweaks against tiny-secp256k1;
// and the signature notes of the devnet's own signer: a note spares exactly one verification of exactly
// that (sighash, key, signature), while anything else (a changed byte, the same signature on another
// transaction, a client's own signature) is verified in full and refused when wrong.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Block, crypto, opcodes, script, Transaction } from "bitcoinjs-lib";
import * as ecc from "tiny-secp256k1";
import { signBip340With, signSchnorr } from "../src/bitcoin/bip340.js";
import { coinbaseScriptSig } from "../src/bitcoin/blocks.js";
import {
  blockHashOf,
  blockIdOf,
  ChainTransaction,
  hash256,
  nonWitnessBytes,
  transactionBytes,
  txidOf,
  weightOf,
  witnessCommitment,
  writeValue,
} from "../src/bitcoin/ids.js";
import { BitcoinChain } from "../src/bitcoin/index.js";
import { medianTimePast } from "../src/bitcoin/locktime.js";
import { COINBASE_MATURITY } from "../src/bitcoin/params.js";
import { taggedHash, taprootSighash } from "../src/bitcoin/sighash.js";
import { xOnlyPointAddTweak } from "../src/bitcoin/taproot-cache.js";
import { native } from "../src/native.js";
import { checksigLeaf, devnetKey, schnorrKey, signKeyPath, signScriptPath, taprootOutput } from "../src/rollup/taproot.js";
import { alice, aliceScript, bobScript, rejection, spendP2wpkh, T0 } from "./support/bitcoin.js";

/** BIP340's signing vectors 0–3: secret key, aux randomness, message, signature. */
const BIP340_VECTORS = [
  [
    "0000000000000000000000000000000000000000000000000000000000000003",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA821525F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0",
  ],
  [
    "B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF",
    "0000000000000000000000000000000000000000000000000000000000000001",
    "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89",
    "6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE33418906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A",
  ],
  [
    "C90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B14E5C9",
    "C87AA53824B4D7AE2EB035A2B5BBBCCC080E76CDC6D1692C4B0B62D798E6D906",
    "7E2D58D8B3BCDF1ABADEC7829054F90DDA9805AAB56C77333024B9D0A508B75C",
    "5831AAEED7B44BB74E5EAB94BA9D4294C49BCF2A60728D8B4C200F50DD313C1BAB745879A5AD954A72C45A91C3A51D3C7ADEA98D82F8481E0E1E03674A6F3FB7",
  ],
  [
    "0B432B2677937381AEF05BB02A66ECD012773062CF3FA2549E44F58ED2401710",
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    "7EB0509757E246F19449885651611CB965ECC1A187DD51B64FDA1EDC9637D5EC97582B9CB13DB3933705B32BA982AF5AF25FD78881EBB32771FC5922EFC66EA3",
  ],
] as const;

/** A deterministic pseudo-random source (xorshift), so that a failure can be reproduced. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

function bytes(rand: (n: number) => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rand(256));
}

/** A random transaction: up to 300 inputs/outputs (varints past 0xfc), scripts up to 300 bytes, witnesses or not. */
function randomTx(rand: (n: number) => number, witness: boolean): Transaction {
  const tx = new Transaction();
  tx.version = rand(3) === 0 ? rand(2 ** 31) * 2 + rand(2) : 1 + rand(3);
  tx.locktime = rand(2) === 0 ? 0 : rand(2 ** 31) * 2 + rand(2);
  const ins = rand(8) === 0 ? 250 + rand(50) : 1 + rand(4);
  const outs = rand(8) === 0 ? 250 + rand(50) : 1 + rand(4);
  const scriptLength = () => (rand(6) === 0 ? 253 + rand(50) : rand(40));
  for (let i = 0; i < ins; i++) tx.addInput(bytes(rand, 32), rand(2 ** 31), rand(2 ** 31) * 2 + rand(2), bytes(rand, scriptLength()));
  for (let i = 0; i < outs; i++) tx.addOutput(bytes(rand, scriptLength()), BigInt(rand(2 ** 31)) * BigInt(rand(2 ** 20) + 1));
  if (witness) tx.setWitness(rand(ins), [bytes(rand, 64), bytes(rand, rand(100))]);
  return tx;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("simulated Bitcoin: fast paths equal bitcoinjs-lib and tiny-secp256k1", () => {
  it("serializes and hashes random transactions as bitcoinjs-lib does (txid, wtxid, remembered or not)", () => {
    const rand = rng(0x5eed);
    for (let i = 0; i < 300; i++) {
      const tx = randomTx(rand, i % 2 === 1);
      const reference = Transaction.fromHex(tx.toHex());
      if (!tx.hasWitnesses()) assert.equal(hex(nonWitnessBytes(tx)), tx.toHex());
      assert.equal(hex(transactionBytes(tx)), tx.toHex());
      assert.deepEqual(weightOf(tx), { weight: tx.weight(), vsize: tx.virtualSize() });
      assert.equal(hex(hash256(nonWitnessBytes(tx))), hex(reference.getHash(false)));
      assert.equal(txidOf(tx), reference.getId());
      const own = ChainTransaction.copyOf(tx);
      assert.ok(own instanceof Transaction);
      assert.equal(own.toHex(), tx.toHex());
      for (let twice = 0; twice < 2; twice++) {
        assert.equal(own.getId(), reference.getId());
        assert.equal(hex(own.getHash(false)), hex(reference.getHash(false)));
        assert.equal(hex(own.getHash(true)), hex(reference.getHash(true)));
      }
      // Callers may reverse what getHash gives in place: the remembered hash is not theirs.
      own.getHash(false).reverse();
      assert.equal(own.getId(), reference.getId());
    }
  });

  it("hashes BIP341/342 signature messages as bitcoinjs-lib's hashForWitnessV1 does, for every hash type, leaf and annex", () => {
    const rand = rng(0x51ea);
    for (let i = 0; i < 200; i++) {
      const tx = randomTx(rand, false);
      const scripts = tx.ins.map(() => bytes(rand, rand(6) === 0 ? 253 + rand(20) : 34));
      const values = tx.ins.map(() => BigInt(rand(2 ** 31)) * BigInt(rand(2 ** 20) + 1));
      const index = rand(tx.ins.length);
      const hashType = [0x00, 0x01, 0x00, 0x01, 0x02, 0x03, 0x81, 0x82, 0x83][rand(9)];
      const leafHash = rand(2) === 0 ? bytes(rand, 32) : undefined;
      const annex = rand(5) === 0 ? Uint8Array.from([0x50, ...bytes(rand, rand(40))]) : undefined;
      const ours = () => taprootSighash(tx, index, scripts, values, hashType, leafHash, annex);
      let expected: Uint8Array;
      try {
        expected = tx.hashForWitnessV1(index, scripts, values, hashType, leafHash, annex);
      } catch (error) {
        // bitcoinjs-lib refuses some odd cases (SIGHASH_SINGLE past the outputs): they stay its to refuse
        assert.throws(ours, { message: (error as Error).message });
        continue;
      }
      assert.equal(hex(ours()), hex(expected), `case ${i}`);
    }
  });

  it("tags hashes as bitcoinjs-lib's taggedHash does", () => {
    for (const tag of ["TapLeaf", "TapBranch", "TapTweak", "TapSighash", "BIP0340/challenge", "BIP0340/aux", "BIP0340/nonce"] as const) {
      const data = randomBytes(1 + (tag.length % 7) * 13);
      assert.equal(hex(taggedHash(tag, data.subarray(0, 5), data.subarray(5))), hex(crypto.taggedHash(tag, data)));
    }
  });

  it("writes output values as Buffer's int64 writer does, past 2^53 and negative too", () => {
    const rand = rng(0x64);
    const values = [
      0n,
      1n,
      0xffffffffn,
      0x100000000n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 63n - 1n,
      -1n,
      -(2n ** 63n),
      21_000_000n * 100_000_000n,
    ];
    for (let i = 0; i < 500; i++) values.push(BigInt(rand(2 ** 31)) * BigInt(rand(2 ** 31)) + BigInt(rand(2 ** 31)));
    for (const v of values) {
      const ours = Buffer.alloc(10);
      const expected = Buffer.alloc(10);
      assert.equal(writeValue(ours, v, 1), expected.writeBigInt64LE(v, 1));
      assert.equal(hex(ours), hex(expected), `${v}`);
    }
  });

  it("double-hashes data of every length as bitcoinjs-lib's hash256 does", () => {
    const rand = rng(0x256);
    for (let n = 0; n < 300; n++) {
      const data = bytes(rand, n);
      assert.equal(hex(hash256(data)), hex(crypto.hash256(data)), `length ${n}`);
    }
  });

  it("mines blocks bitcoinjs-lib reads back with the same hash, valid proof of work (the first nonce meeting it) and roots", () => {
    const c = new BitcoinChain();
    c.mine({ timestamp: T0, payoutScript: aliceScript, count: COINBASE_MATURITY + 3 });
    // a block with a witness transaction (so a witness commitment) and one with a parent and child among empty ones
    const coinbase = (h: number) => c.getBlock(h)!.transactions![0];
    const fund = (h: number) => ({ txid: coinbase(h).getId(), vout: 0, value: coinbase(h).outs[0].value, script: aliceScript });
    const parent = spendP2wpkh(alice, [fund(1)], [{ script: aliceScript, value: fund(1).value - 1_000n }]);
    c.acceptToMempool(parent);
    c.mine({ timestamp: T0 + 600, payoutScript: bobScript });
    const child = spendP2wpkh(
      alice,
      [{ txid: parent.getId(), vout: 0, value: parent.outs[0].value, script: aliceScript }],
      [{ script: bobScript, value: parent.outs[0].value - 2_000n }],
    );
    const sibling = spendP2wpkh(alice, [fund(2)], [{ script: aliceScript, value: fund(2).value - 5_000n }]);
    c.acceptToMempool(child);
    c.acceptToMempool(sibling);
    c.mine({ timestamp: T0 + 1_200, payoutScript: bobScript, count: 20 });
    assert.equal(c.getTransaction(child.getId())?.height, c.getTransaction(sibling.getId())?.height);
    let witnessCommits = 0;
    for (let h = 0; h <= c.height; h++) {
      const block = c.getBlock(h)!;
      const reference = Block.fromBuffer(block.toBuffer());
      assert.equal(blockIdOf(block), reference.getId(), `block ${h}`);
      assert.equal(c.getBlock(reference.getId()), block);
      assert.equal(hex(blockHashOf(block)), hex(reference.getHash()));
      assert.ok(reference.checkProofOfWork() && reference.checkTxRoots(), `block ${h}`);
      assert.equal(hex(block.witnessCommit ?? new Uint8Array()), hex(reference.witnessCommit ?? new Uint8Array()), `block ${h}`);
      if (block.witnessCommit) {
        assert.equal(hex(witnessCommitment(block.transactions!)), hex(Block.calculateMerkleRoot(block.transactions!, true)));
        witnessCommits++;
      }
      if (h > 0) assert.equal(hex(block.prevHash!), hex(c.getBlock(h - 1)!.getHash()));
      // (the genesis block's nonce is Core's, not mined here)
      for (let nonce = 0; h > 0 && nonce < reference.nonce; nonce++) {
        reference.nonce = nonce;
        assert.ok(!reference.checkProofOfWork(), `block ${h}: nonce ${nonce} meets the target too`);
      }
    }
    assert.equal(witnessCommits, 2);
    assert.equal(c.tipHash, c.getBlock(c.height)!.getId());
    // each caller gets its own copy of a remembered hash
    const tip = c.getBlock(c.height)!;
    blockHashOf(tip).fill(0);
    assert.equal(hex(blockHashOf(tip)), hex(tip.getHash()));
  });

  it("takes the median time past of the 11 blocks ending at a height as a sort of their times does", () => {
    const rand = rng(0x113);
    for (let i = 0; i < 200; i++) {
      const blocks = Array.from({ length: 1 + rand(30) }, () => ({ timestamp: i % 2 ? rand(20) : rand(2 ** 31) }));
      for (let h = 0; h < blocks.length; h++) {
        const times = blocks
          .slice(Math.max(0, h - 10), h + 1)
          .map((b) => b.timestamp)
          .sort((a, b) => a - b);
        assert.equal(medianTimePast(blocks, h), times[Math.floor(times.length / 2)]);
      }
    }
  });

  it("a coinbase's wtxid is zero, as bitcoinjs-lib has it", () => {
    const coinbase = new ChainTransaction();
    coinbase.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, coinbaseScriptSig(500));
    coinbase.addOutput(Uint8Array.of(0x51), 5n);
    coinbase.setWitness(0, [new Uint8Array(32)]);
    const reference = Transaction.fromHex(coinbase.toHex());
    assert.equal(hex(coinbase.getHash(true)), hex(reference.getHash(true)));
    assert.equal(coinbase.getId(), reference.getId());
  });

  it("writes the BIP34 height push as script.compile does, at every height a chain reaches", () => {
    const compiled = (h: number) => hex(script.compile([script.number.encode(h), opcodes.OP_0]));
    for (let h = 0; h <= 70_000; h++) assert.equal(hex(coinbaseScriptSig(h)), compiled(h), `height ${h}`);
    const rand = rng(7);
    for (let i = 0; i < 2000; i++) {
      const h = rand(2 ** 31);
      assert.equal(hex(coinbaseScriptSig(h)), compiled(h), `height ${h}`);
    }
  });

  it("remembers Taproot tweaks exactly as tiny-secp256k1 computes them (and gives each caller its own copy)", () => {
    for (let i = 0; i < 50; i++) {
      const internal = (ecc.pointFromScalar(randomBytes(32), true) as Uint8Array).subarray(1);
      const tweak = randomBytes(32);
      const expected = ecc.xOnlyPointAddTweak(internal, tweak);
      for (let twice = 0; twice < 2; twice++) {
        const got = xOnlyPointAddTweak(internal, tweak);
        assert.ok(got && expected);
        assert.equal(got.parity, expected.parity);
        assert.equal(hex(got.xOnlyPubkey), hex(expected.xOnlyPubkey));
        got.xOnlyPubkey.fill(0);
      }
    }
  });
});

describe("simulated Bitcoin: BIP340 signing over the native binding's point multiplication", () => {
  // The native path when the binding is there; tiny-secp256k1's points otherwise (same steps, same bytes).
  const pointOf = native
    ? (k: Uint8Array) => native!.publicKeyCreate(k, true)
    : (k: Uint8Array) => ecc.pointFromScalar(k, true) as Uint8Array;

  it("gives BIP340's own signing vectors", () => {
    for (const [sk, aux, msg, sig] of BIP340_VECTORS) {
      const h = (s: string) => Buffer.from(s, "hex");
      assert.equal(hex(signBip340With(h(msg), h(sk), h(aux), pointOf)).toUpperCase(), sig);
    }
  });

  it("gives tiny-secp256k1's signature, byte for byte, for random keys, messages and aux (and it verifies)", () => {
    for (let i = 0; i < 300; i++) {
      const sk = randomBytes(32);
      const msg = randomBytes(32);
      const aux = i % 3 === 0 ? new Uint8Array(32) : randomBytes(32);
      const expected = ecc.signSchnorr(msg, sk, aux);
      assert.equal(hex(signBip340With(msg, sk, aux, pointOf)), hex(expected));
      assert.equal(hex(signSchnorr(msg, sk, aux)), hex(expected));
      assert.ok(ecc.verifySchnorr(msg, (ecc.pointFromScalar(sk, true) as Uint8Array).subarray(1), expected));
    }
  });

  it("signs again and again with one key (its zero-aux nonce part remembered) as tiny-secp256k1 does, other aux between", () => {
    for (let i = 0; i < 20; i++) {
      const sk = randomBytes(32);
      for (let j = 0; j < 4; j++) {
        const msg = randomBytes(32);
        const aux = (i + j) % 2 === 0 ? new Uint8Array(32) : randomBytes(32);
        assert.equal(hex(signBip340With(msg, sk, aux, pointOf)), hex(ecc.signSchnorr(msg, sk, aux)));
      }
    }
  });

  it("refuses what tiny-secp256k1 refuses: a zero key, a key past the group order, a message not 32 bytes", () => {
    const msg = randomBytes(32);
    const aux = new Uint8Array(32);
    assert.throws(() => signBip340With(msg, new Uint8Array(32), aux, pointOf));
    assert.throws(() => signBip340With(msg, new Uint8Array(32).fill(0xff), aux, pointOf));
    assert.throws(() => signBip340With(randomBytes(31), randomBytes(32), aux, pointOf));
  });
});

describe("simulated Bitcoin: the devnet's own signatures are taken once; every other signature is verified", () => {
  const key = schnorrKey(devnetKey("fast-paths-test"));
  const keyPath = taprootOutput(key.xOnly);
  const scriptPath = taprootOutput(key.xOnly, [checksigLeaf(key.xOnly)]);

  /** A chain whose first mature coinbases pay `keyPath` (block 1) and `scriptPath` (block 2). */
  function chain(): BitcoinChain {
    const c = new BitcoinChain();
    c.mine({ timestamp: T0, payoutScript: keyPath.script });
    c.mine({ timestamp: T0, payoutScript: scriptPath.script });
    c.mine({ timestamp: T0, payoutScript: Uint8Array.of(0x51), count: COINBASE_MATURITY });
    return c;
  }

  function spend(c: BitcoinChain, height: number, pay: bigint, path: "key" | "script"): Transaction {
    const coinbase = c.getBlock(height)!.transactions![0];
    const tx = new Transaction();
    tx.version = 2;
    tx.addInput(Buffer.from(coinbase.getId(), "hex").reverse(), 0, 0xfffffffd);
    tx.addOutput(Uint8Array.from([0x00, 0x14, ...new Uint8Array(20).fill(9)]), coinbase.outs[0].value - pay);
    const prevouts = { scripts: [coinbase.outs[0].script], values: [coinbase.outs[0].value] };
    if (path === "key") signKeyPath(tx, 0, prevouts, keyPath, key);
    else signScriptPath(tx, 0, prevouts, scriptPath, 0, key);
    return tx;
  }

  function flipped(tx: Transaction): Transaction {
    const bad = tx.clone();
    const witness = bad.ins[0].witness.map((w) => Uint8Array.from(w));
    witness[0][10] ^= 1;
    bad.setWitness(0, witness);
    return bad;
  }

  for (const path of ["key", "script"] as const) {
    const height = path === "key" ? 1 : 2;

    it(`${path} path: a changed signature byte is verified and refused; the devnet's own signature is accepted`, () => {
      const c = chain();
      const tx = spend(c, height, 1_000n, path);
      assert.match(rejection(() => c.acceptToMempool(flipped(tx))).message, /Invalid Schnorr signature/);
      assert.match(rejection(() => c.acceptToMempool(flipped(tx).toHex())).message, /Invalid Schnorr signature/);
      c.acceptToMempool(tx);
      c.mine({ timestamp: T0 + 600, payoutScript: Uint8Array.of(0x51) });
      assert.equal(c.getTransaction(tx.getId())?.height, c.height);
    });

    it(`${path} path: the devnet's signature moved onto another transaction is verified and refused`, () => {
      const c = chain();
      const signed = spend(c, height, 1_000n, path);
      const other = spend(c, height, 2_000n, path);
      other.setWitness(0, signed.ins[0].witness);
      assert.match(rejection(() => c.acceptToMempool(other)).message, /Invalid Schnorr signature/);
    });

    it(`${path} path: a note is used once; the same transaction offered again is verified in full (and still valid)`, () => {
      const c = chain();
      const tx = spend(c, height, 1_000n, path);
      c.testAccept(tx); // takes the note
      const { txid } = c.acceptToMempool(tx.toHex()); // verified for real
      assert.equal(txid, tx.getId());
    });
  }
});
