import assert from "node:assert/strict";
import { Block, crypto, Psbt, payments, script, toXOnly } from "bitcoinjs-lib";
import { coinbaseHeight } from "../src/bitcoin/blocks.js";
import { BitcoinChain } from "../src/bitcoin/index.js";
import { blockSubsidy, COIN, REGTEST_BITS } from "../src/bitcoin/params.js";
import { alice, aliceScript, bob, bobScript, coinbaseUtxo, matureChain, rejection, spendP2wpkh, T0, type Utxo } from "./support/bitcoin.js";

function checkBlocks(chain: BitcoinChain): void {
  for (let h = 1; h <= chain.height; h++) {
    const block = chain.getBlock(h)!;
    const reparsed = Block.fromHex(block.toHex());
    assert.equal(reparsed.getId(), block.getId());
    assert.equal(block.toBuffer(true).length, 80);
    assert.equal(block.bits, REGTEST_BITS);
    assert.ok(reparsed.checkProofOfWork(), `block ${h} proof of work`);
    assert.ok(reparsed.checkTxRoots(), `block ${h} merkle root and witness commitment`);
    assert.equal(Buffer.from(block.prevHash!).toString("hex"), Buffer.from(chain.getBlock(h - 1)!.getHash()).toString("hex"));
    assert.equal(coinbaseHeight(block.transactions![0]), h);
    if (reparsed.hasWitness()) {
      assert.ok(reparsed.hasWitnessCommit(), `block ${h} commits to its witnesses`);
      assert.deepEqual(reparsed.getWitnessCommit(), Block.calculateMerkleRoot(reparsed.transactions!, true));
    }
  }
}

describe("simulated Bitcoin chain (bitcoinjs-lib data)", () => {
  it("starts at the regtest genesis block and mines real blocks: PoW, merkle roots, linked headers, BIP34 heights", () => {
    const chain = new BitcoinChain();
    assert.equal(chain.height, 0);
    assert.equal(chain.tipHash, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");
    assert.ok(chain.getBlock(0)!.checkProofOfWork());
    const blocks = chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 20 });
    assert.equal(blocks.length, 20);
    assert.equal(chain.height, 20);
    assert.equal(chain.tipHash, blocks[19].getId());
    assert.equal(chain.heightOf(blocks[4].getId()), 5);
    checkBlocks(chain);
    // header times never go below median time past + 1
    for (let h = 2; h <= 20; h++) assert.ok(chain.getBlock(h)!.timestamp > chain.medianTimePast(h - 1));
    // block 1 pays the full subsidy; the genesis coinbase is not spendable, as in Core
    assert.equal(chain.getCoin(coinbaseUtxo(chain, 1).txid, 0)?.value, 50n * COIN);
    assert.equal(chain.getCoin(chain.getBlock(0)!.transactions![0].getId(), 0), undefined);
    assert.equal(blockSubsidy(150), 25n * COIN);
  });

  it("accepts a signed P2WPKH spend, mines it with a witness commitment, moves the UTXOs and pays the fee to the coinbase", () => {
    const chain = matureChain();
    const input = coinbaseUtxo(chain, 1);
    const fee = 10_000n;
    const tx = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - fee }]);
    const tested = chain.testAccept(tx.toHex());
    assert.equal(chain.mempoolEntries().length, 0, "testAccept changes nothing");
    const accepted = chain.acceptToMempool(tx.toHex());
    assert.deepEqual(accepted, tested);
    assert.equal(accepted.txid, tx.getId());
    assert.equal(accepted.fee, fee);
    assert.equal(chain.getTransaction(tx.getId())?.height, undefined);
    const [block] = chain.mine({ timestamp: T0 + 600, payoutScript: bobScript });
    assert.equal(block.transactions!.length, 2);
    assert.equal(block.transactions![1].getId(), tx.getId());
    assert.equal(block.transactions![0].outs[0].value, 50n * COIN + fee);
    assert.equal(chain.getTransaction(tx.getId())?.height, 102);
    assert.equal(chain.mempoolEntries().length, 0);
    assert.equal(chain.getCoin(input.txid, 0), undefined, "the spent coin is gone");
    assert.equal(chain.getCoin(tx.getId(), 0)?.value, input.value - fee);
    assert.ok(block.hasWitnessCommit());
    checkBlocks(chain);
    // spending it again after it is mined: missing or spent
    const again = spendP2wpkh(alice, [input], [{ script: aliceScript, value: input.value - 20_000n }]);
    assert.equal(rejection(() => chain.acceptToMempool(again)).reason, "bad-txns-inputs-missingorspent");
  });

  it("refuses a double spend of a mempool input with txn-mempool-conflict and changes nothing", () => {
    const chain = matureChain();
    const input = coinbaseUtxo(chain, 1);
    const first = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    chain.acceptToMempool(first);
    const before = chain.capture();
    const second = spendP2wpkh(alice, [input], [{ script: aliceScript, value: input.value - 50_000n }]);
    const err = rejection(() => chain.acceptToMempool(second.toHex()));
    assert.equal(err.reason, "txn-mempool-conflict");
    assert.equal(err.txid, second.getId());
    assert.equal(rejection(() => chain.testAccept(second)).reason, "txn-mempool-conflict");
    assert.equal(rejection(() => chain.acceptToMempool(first)).reason, "txn-already-in-mempool");
    assert.deepEqual(chain.capture(), before);
    const [block] = chain.mine({ timestamp: T0 + 600, payoutScript: aliceScript });
    assert.deepEqual(
      block.transactions!.map((t) => t.getId()),
      [block.transactions![0].getId(), first.getId()],
    );
  });

  it("refuses a premature coinbase spend until it has 100 confirmations", () => {
    const chain = new BitcoinChain();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 99 });
    const input = coinbaseUtxo(chain, 1);
    const tx = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    const err = rejection(() => chain.acceptToMempool(tx));
    assert.equal(err.reason, "bad-txns-premature-spend-of-coinbase");
    assert.equal(err.message, "bad-txns-premature-spend-of-coinbase, tried to spend coinbase at depth 99");
    assert.equal(chain.mempoolEntries().length, 0);
    chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.equal(chain.acceptToMempool(tx).txid, tx.getId());
  });

  it("enforces BIP68 relative locks by height (nSequence, version 2), from the mempool and after mining", () => {
    const chain = matureChain();
    const input = coinbaseUtxo(chain, 1);
    const parent = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    chain.acceptToMempool(parent);
    const parentOut: Utxo = { txid: parent.getId(), vout: 0, value: parent.outs[0].value, script: bobScript };
    const child = spendP2wpkh(bob, [parentOut], [{ script: aliceScript, value: parentOut.value - 10_000n }], { sequence: 5 });
    assert.equal(rejection(() => chain.acceptToMempool(child)).reason, "non-BIP68-final");
    chain.mine({ timestamp: T0, payoutScript: aliceScript }); // parent confirmed at 102
    assert.equal(chain.getTransaction(parent.getId())?.height, 102);
    for (let tip = 102; tip < 106; tip++) {
      assert.equal(rejection(() => chain.testAccept(child)).reason, "non-BIP68-final", `tip ${tip}`);
      chain.mine({ timestamp: T0, payoutScript: aliceScript });
    }
    assert.equal(chain.height, 106);
    assert.equal(chain.acceptToMempool(child).txid, child.getId(), "confirmed at 102 + 5 - 1 < 107");
    // version 1 ignores nSequence locks
    const other = coinbaseUtxo(chain, 2);
    const v1 = spendP2wpkh(alice, [other], [{ script: bobScript, value: other.value - 10_000n }], { version: 1, sequence: 1000 });
    assert.equal(chain.acceptToMempool(v1).txid, v1.getId());
  });

  it("enforces BIP68 time locks (512 s units, against median time past) and nLockTime", () => {
    const chain = new BitcoinChain();
    let t = T0;
    const mineAt = (n = 1) => {
      for (let i = 0; i < n; i++) {
        t += 600;
        chain.mine({ timestamp: t, payoutScript: aliceScript });
      }
    };
    mineAt(101);
    const input = coinbaseUtxo(chain, 1);
    const parent = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    chain.acceptToMempool(parent);
    mineAt();
    const h = chain.getTransaction(parent.getId())!.height!;
    const parentOut: Utxo = { txid: parent.getId(), vout: 0, value: parent.outs[0].value, script: bobScript };
    const child = spendP2wpkh(bob, [parentOut], [{ script: aliceScript, value: parentOut.value - 10_000n }], { sequence: (1 << 22) | 5 });
    const unlocksAt = chain.medianTimePast(h - 1) + 5 * 512;
    let refusals = 0;
    while (chain.medianTimePast() < unlocksAt) {
      assert.equal(rejection(() => chain.testAccept(child)).reason, "non-BIP68-final");
      refusals++;
      mineAt();
    }
    assert.equal(refusals, 4, "MTP moves 600 s a block: 2,560 s past the parent block's MTP is reached 5 blocks later");
    assert.equal(chain.acceptToMempool(child).txid, child.getId());
    // nLockTime by height: final once the next block's height is above it
    const other = coinbaseUtxo(chain, 2);
    const locked = spendP2wpkh(alice, [other], [{ script: bobScript, value: other.value - 10_000n }], {
      sequence: 0xfffffffe,
      locktime: chain.height + 1, // final once a block at a greater height can hold it (Core: locktime < height)
    });
    assert.equal(rejection(() => chain.acceptToMempool(locked)).reason, "non-final");
    mineAt();
    assert.equal(chain.acceptToMempool(locked).txid, locked.getId());
  });

  it("keeps blocks within the weight limit, the rest waiting for the next block", () => {
    const chain = new BitcoinChain({ maxBlockWeight: 4_000 + 1_000 });
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 103 });
    const txs = [1, 2, 3].map((h) => {
      const u = coinbaseUtxo(chain, h);
      return spendP2wpkh(alice, [u], [{ script: bobScript, value: u.value - BigInt(h) * 1_000n }]);
    });
    for (const tx of txs) chain.acceptToMempool(tx);
    assert.ok(txs[0].weight() * 2 <= 1_000 && txs[0].weight() * 3 > 1_000);
    const [first, second] = chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2 });
    assert.deepEqual(
      first.transactions!.slice(1).map((t) => t.getId()),
      [txs[2].getId(), txs[1].getId()],
    );
    assert.deepEqual(
      second.transactions!.slice(1).map((t) => t.getId()),
      [txs[0].getId()],
    );
    assert.throws(() => new BitcoinChain({ maxBlockWeight: 100 }), /maxBlockWeight/);
  });

  it("refuses bad P2WPKH signatures, wrong keys and bad amounts, with Core's reasons", () => {
    const chain = matureChain();
    const input = coinbaseUtxo(chain, 1);
    const good = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    const tampered = good.clone();
    tampered.outs[0].value -= 1n; // the signature no longer covers the outputs
    assert.equal(
      rejection(() => chain.acceptToMempool(tampered)).reason,
      "mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)",
    );
    // A DER signature whose s (then r) is n: well formed, out of range. Core's parser takes it as one that does not
    // verify, not as a malformed request.
    const N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    for (const [r, s] of [
      ["01".repeat(32), N],
      [N, "01".repeat(32)],
    ]) {
      const outOfRange = good.clone();
      outOfRange.setWitness(0, [script.signature.encode(Buffer.from(r + s, "hex"), 1), alice.publicKey]);
      assert.equal(
        rejection(() => chain.acceptToMempool(outOfRange)).reason,
        "mandatory-script-verify-flag-failed (Script evaluated without error but finished with a false/empty top stack element)",
      );
    }
    const wrongKey = good.clone();
    wrongKey.setWitness(0, [good.ins[0].witness[0], bob.publicKey]); // alice's signature, bob's key
    assert.equal(
      rejection(() => chain.acceptToMempool(wrongKey)).reason,
      "mandatory-script-verify-flag-failed (Script failed an OP_EQUALVERIFY operation)",
    );
    // the PSBT is told a larger input value (it refuses to overspend); the chain checks amounts before signatures
    const tooMuch = spendP2wpkh(alice, [{ ...input, value: input.value + 2n }], [{ script: bobScript, value: input.value + 1n }]);
    const belowOut = rejection(() => chain.acceptToMempool(tooMuch));
    assert.equal(belowOut.message, "bad-txns-in-belowout, value in (50.00) < value out (50.00000001)");
    const noFee = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 50n }]);
    assert.equal(rejection(() => chain.acceptToMempool(noFee)).reason, "min relay fee not met");
    const dust = spendP2wpkh(alice, [input], [{ script: bobScript, value: 293n }]);
    assert.equal(rejection(() => chain.acceptToMempool(dust)).reason, "dust");
    const missing = spendP2wpkh(alice, [{ ...input, txid: "11".repeat(32) }], [{ script: bobScript, value: 1000n }]);
    assert.equal(rejection(() => chain.acceptToMempool(missing)).reason, "bad-txns-inputs-missingorspent");
    assert.equal(rejection(() => chain.acceptToMempool("zz")).reason, "TX decode failed");
    assert.equal(chain.mempoolEntries().length, 0);
    chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.equal(chain.getBlock(chain.height)!.transactions!.length, 1, "nothing invalid was mined");
    assert.ok(chain.getCoin(input.txid, 0), "the coin is still unspent");
  });

  it("verifies P2TR key-path spends (BIP341 sighash, Schnorr) and refuses a bad Schnorr signature", () => {
    const chain = new BitcoinChain();
    const internal = toXOnly(alice.publicKey);
    const p2tr = payments.p2tr({ internalPubkey: internal });
    chain.mine({ timestamp: T0, payoutScript: p2tr.output!, count: 101 });
    const input = coinbaseUtxo(chain, 1);
    const psbt = new Psbt();
    psbt.addInput({ hash: input.txid, index: 0, witnessUtxo: { script: input.script, value: input.value }, tapInternalKey: internal });
    psbt.addOutput({ script: bobScript, value: input.value - 10_000n });
    psbt.signInput(0, alice.tweak(crypto.taggedHash("TapTweak", internal)));
    psbt.finalizeAllInputs();
    const tx = psbt.extractTransaction();
    const bad = tx.clone();
    const sig = Uint8Array.from(bad.ins[0].witness[0]);
    sig[10] ^= 1;
    bad.setWitness(0, [sig]);
    assert.equal(rejection(() => chain.acceptToMempool(bad)).reason, "mandatory-script-verify-flag-failed (Invalid Schnorr signature)");
    // r between n and p, or s = n: out of range, a signature that does not verify.
    const N = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    for (const [r, s] of [
      [N, "01".repeat(32)],
      ["01".repeat(32), N],
    ]) {
      const outOfRange = tx.clone();
      outOfRange.setWitness(0, [Buffer.from(r + s, "hex")]);
      assert.equal(
        rejection(() => chain.acceptToMempool(outOfRange)).reason,
        "mandatory-script-verify-flag-failed (Invalid Schnorr signature)",
      );
    }
    assert.equal(chain.acceptToMempool(tx).txid, tx.getId());
    const [block] = chain.mine({ timestamp: T0 + 600, payoutScript: aliceScript });
    assert.equal(block.transactions![1].getId(), tx.getId());
    checkBlocks(chain);
  });

  it("assembles blocks by fee rate, parents before children", () => {
    const chain = matureChain();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2 });
    const [a, b] = [coinbaseUtxo(chain, 1), coinbaseUtxo(chain, 2)];
    const low = spendP2wpkh(alice, [a], [{ script: bobScript, value: a.value - 1_000n }]);
    const high = spendP2wpkh(alice, [b], [{ script: bobScript, value: b.value - 50_000n }]);
    const lowOut: Utxo = { txid: low.getId(), vout: 0, value: low.outs[0].value, script: bobScript };
    const child = spendP2wpkh(bob, [lowOut], [{ script: aliceScript, value: lowOut.value - 90_000n }]);
    chain.acceptToMempool(low);
    chain.acceptToMempool(high);
    chain.acceptToMempool(child);
    const [block] = chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.deepEqual(
      block.transactions!.slice(1).map((t) => t.getId()),
      [high.getId(), low.getId(), child.getId()],
    );
    assert.equal(block.transactions![0].outs[0].value, 50n * COIN + 1_000n + 50_000n + 90_000n);
  });

  it("captures and restores the whole state as plain data, all-or-nothing", () => {
    const chain = matureChain();
    const input = coinbaseUtxo(chain, 1);
    const pending = spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 10_000n }]);
    chain.acceptToMempool(pending);
    const saved = JSON.parse(JSON.stringify(chain.capture()));
    const tip = chain.tipHash;
    const coins = JSON.stringify(chain.capture().utxos);
    chain.mine({ timestamp: T0 + 600, payoutScript: bobScript, count: 3 });
    const other = coinbaseUtxo(chain, 2);
    chain.acceptToMempool(spendP2wpkh(alice, [other], [{ script: bobScript, value: other.value - 10_000n }]));
    assert.notEqual(chain.tipHash, tip);
    const moved = chain.capture();
    assert.throws(() => chain.restore({ ...saved, blocks: [...saved.blocks.slice(0, 5), saved.blocks[7]] }), /does not extend/);
    assert.throws(() => chain.restore({ ...saved, mempool: ["00"] }), /mempool/);
    assert.deepEqual(chain.capture(), moved, "a failed restore changes nothing");
    chain.restore(saved);
    assert.equal(chain.tipHash, tip);
    assert.equal(chain.height, 101);
    assert.equal(JSON.stringify(chain.capture().utxos), coins);
    assert.deepEqual(
      chain.mempoolEntries().map((e) => e.txid),
      [pending.getId()],
    );
    assert.deepEqual(chain.capture(), saved);
    // and it keeps working from there, giving the same blocks as before
    const again = chain.mine({ timestamp: T0 + 600, payoutScript: bobScript, count: 3 });
    assert.equal(again[2].toHex(), moved.blocks[104]);
  });

  it("is deterministic: the same calls give the same block hashes", () => {
    const run = () => {
      const chain = matureChain();
      const input = coinbaseUtxo(chain, 1);
      chain.acceptToMempool(spendP2wpkh(alice, [input], [{ script: bobScript, value: input.value - 12_345n }]));
      chain.mine({ timestamp: T0 + 600, payoutScript: bobScript, count: 2 });
      return Array.from({ length: chain.height + 1 }, (_, h) => chain.getBlock(h)!.getId());
    };
    const first = run();
    assert.deepEqual(run(), first);
    assert.equal(new Set(first).size, first.length);
  });
});
