import assert from "node:assert/strict";
import type { Block } from "bitcoinjs-lib";
import { BitcoinChain, BitcoinChainError } from "../src/bitcoin/index.js";
import {
  alice,
  aliceScript,
  bob,
  bobScript,
  coinbaseUtxo,
  matureChain,
  outputOf,
  rejection,
  spendP2wpkh,
  T0,
  type Utxo,
} from "./support/bitcoin.js";

const pay = (from: Utxo, to = bobScript, fee = 10_000n) => spendP2wpkh(alice, [from], [{ script: to, value: from.value - fee }]);
const mempoolIds = (chain: BitcoinChain) => chain.mempoolEntries().map((e) => e.txid);

/** Refuses `snap` with BitcoinChainError and changes nothing. */
function refusesRollback(chain: BitcoinChain, snap: ReturnType<BitcoinChain["snapshot"]>): void {
  const before = chain.capture();
  assert.equal(chain.canRollback(snap), false);
  assert.throws(() => chain.rollback(snap), BitcoinChainError);
  assert.deepEqual(chain.capture(), before);
}

/** Counts calls of the txid and block hash getters while `fn` runs: what a rollback recomputes. */
/**
 * Which blocks `fn` reads: ids are computed once and remembered, so reading a block's transaction
 * list is what scanning it takes. Counts those reads per block height.
 */
function blocksRead(chain: BitcoinChain, fn: () => void): number[] {
  const read = new Set<number>();
  const restore: (() => void)[] = [];
  for (let h = 0; h <= chain.height; h++) {
    const block = chain.getBlock(h) as Block;
    const txs = block.transactions;
    Object.defineProperty(block, "transactions", {
      configurable: true,
      get: () => {
        read.add(h);
        return txs;
      },
    });
    restore.push(() => {
      Object.defineProperty(block, "transactions", { configurable: true, writable: true, value: txs });
    });
  }
  try {
    fn();
  } finally {
    for (const undo of restore) undo();
  }
  return [...read].sort((a, b) => a - b);
}

describe("simulated Bitcoin chain: in-memory snapshots", () => {
  it("rolls back mined blocks: tip, spent coins, coinbase maturity and the mempool as they were", () => {
    const chain = matureChain();
    const pending = pay(coinbaseUtxo(chain, 1));
    chain.acceptToMempool(pending);
    const tip = chain.tipHash;
    const saved = chain.capture();
    const snap = chain.snapshot();
    const mined = chain.mine({ timestamp: T0 + 600, payoutScript: bobScript, count: 3 });
    assert.equal(chain.getTransaction(pending.getId())?.height, 102);
    // block 4's coinbase matures with those blocks
    const young = pay(coinbaseUtxo(chain, 4));
    chain.acceptToMempool(young);
    const child = spendP2wpkh(bob, [outputOf(pending)], [{ script: aliceScript, value: pending.outs[0].value - 10_000n }]);
    chain.acceptToMempool(child);

    chain.rollback(snap);
    assert.equal(chain.height, 101);
    assert.equal(chain.tipHash, tip);
    assert.deepEqual(chain.capture(), saved);
    assert.deepEqual(mempoolIds(chain), [pending.getId()]);
    assert.equal(chain.getTransaction(pending.getId())?.height, undefined, "back in the mempool, unconfirmed");
    assert.ok(chain.getCoin(coinbaseUtxo(chain, 1).txid, 0), "the coin it spends is unspent again");
    assert.equal(chain.getCoin(pending.getId(), 0), undefined, "its output is not confirmed any more");
    for (const block of mined) {
      assert.equal(chain.heightOf(block.getId()), undefined);
      assert.equal(chain.getTransaction(block.transactions![0].getId()), undefined);
      assert.equal(chain.getCoin(block.transactions![0].getId(), 0), undefined);
    }
    assert.equal(chain.getBlock(102), undefined);
    assert.equal(rejection(() => chain.testAccept(young)).reason, "bad-txns-premature-spend-of-coinbase");
    assert.equal(chain.testAccept(child).txid, child.getId(), "its parent is back in the mempool");
    // and it goes on from there as if nothing happened: the same calls give the same blocks
    const again = chain.mine({ timestamp: T0 + 600, payoutScript: bobScript, count: 3 });
    assert.deepEqual(
      again.map((b) => b.getId()),
      mined.map((b) => b.getId()),
    );
  });

  it("undoes a block holding a parent and its child: the coin created and spent inside it leaves no trace", () => {
    const chain = matureChain();
    const saved = chain.capture();
    const snap = chain.snapshot();
    const parent = pay(coinbaseUtxo(chain, 1));
    const child = spendP2wpkh(bob, [outputOf(parent)], [{ script: aliceScript, value: parent.outs[0].value - 10_000n }]);
    chain.acceptToMempool(parent);
    chain.acceptToMempool(child);
    const [block] = chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.deepEqual(
      block.transactions!.slice(1).map((t) => t.getId()),
      [parent.getId(), child.getId()],
    );
    chain.rollback(snap);
    assert.deepEqual(chain.capture(), saved);
    assert.equal(chain.getCoin(parent.getId(), 0), undefined);
    assert.equal(chain.getCoin(child.getId(), 0), undefined);
    assert.ok(chain.getCoin(coinbaseUtxo(chain, 1).txid, 0));
    assert.deepEqual(mempoolIds(chain), []);
  });

  it("keeps the mempool exactly: entries, arrival order and what arrives next", () => {
    const chain = matureChain();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 3 });
    const [a, b, c] = [1, 2, 3].map((h) => pay(coinbaseUtxo(chain, h)));
    chain.acceptToMempool(b);
    chain.acceptToMempool(a);
    const snap = chain.snapshot();
    const saved = chain.capture();
    chain.acceptToMempool(c);
    chain.mine({ timestamp: T0, payoutScript: aliceScript });
    assert.deepEqual(mempoolIds(chain), []);
    chain.rollback(snap);
    assert.deepEqual(mempoolIds(chain), [b.getId(), a.getId()]);
    assert.deepEqual(chain.capture(), saved);
    // the next arrival comes after them, as it would have without the detour
    chain.acceptToMempool(c);
    assert.deepEqual(mempoolIds(chain), [b.getId(), a.getId(), c.getId()]);
    // a rollback with no block in between only puts the mempool back
    chain.rollback(snap);
    assert.deepEqual(mempoolIds(chain), [b.getId(), a.getId()]);
    assert.equal(rejection(() => chain.acceptToMempool(a)).reason, "txn-already-in-mempool");
  });

  it("supports nested snapshots, rolling back to an older one after a younger one (evm_snapshot / evm_revert)", () => {
    const chain = matureChain();
    const s0 = chain.snapshot();
    const at0 = chain.capture();
    const a = pay(coinbaseUtxo(chain, 1));
    chain.acceptToMempool(a);
    const s1 = chain.snapshot();
    const at1 = chain.capture();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2 });
    const b = pay(coinbaseUtxo(chain, 2));
    chain.acceptToMempool(b);
    const s2 = chain.snapshot();
    const at2 = chain.capture();
    chain.mine({ timestamp: T0, payoutScript: aliceScript });

    chain.rollback(s2);
    assert.deepEqual(chain.capture(), at2);
    chain.mine({ timestamp: T0 + 1, payoutScript: bobScript, count: 5 });
    chain.rollback(s1);
    assert.deepEqual(chain.capture(), at1);
    assert.equal(chain.canRollback(s2), false, "its tip is above the chain's now");
    chain.rollback(s0);
    assert.deepEqual(chain.capture(), at0);
    assert.equal(chain.canRollback(s1), true, "same tip: only the mempool differs");
    chain.rollback(s1);
    assert.deepEqual(mempoolIds(chain), [a.getId()]);
  });

  it("refuses, changing nothing, a snapshot whose tip left the history, one taken before a restore, or another chain's", () => {
    const chain = matureChain();
    const base = chain.snapshot();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 5 });
    const branch = chain.snapshot();
    chain.rollback(base);
    chain.mine({ timestamp: T0 + 7, payoutScript: bobScript, count: 6 });
    refusesRollback(chain, branch);
    assert.equal(chain.canRollback(base), true);

    const state = chain.capture();
    const beforeRestore = chain.snapshot();
    chain.restore(state);
    refusesRollback(chain, beforeRestore);
    refusesRollback(chain, base);
    refusesRollback(chain, new BitcoinChain().snapshot());
    // snapshots taken after the restore work, over the restored blocks too
    const afterRestore = chain.snapshot();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2 });
    chain.rollback(afterRestore);
    assert.deepEqual(chain.capture(), state);
  });

  it("costs in proportion to the blocks since the snapshot, not to the chain: 2 blocks on top of 2,000", () => {
    const chain = new BitcoinChain();
    chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2000 });
    const blocks = Array.from({ length: 2001 }, (_, h) => chain.getBlock(h)!);
    let snap = chain.snapshot();
    const forSnapshot = blocksRead(chain, () => {
      snap = chain.snapshot();
    });
    assert.deepEqual(forSnapshot, [], "a snapshot reads no block");
    const saved = chain.capture();
    chain.acceptToMempool(pay(coinbaseUtxo(chain, 1)));
    const added = chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 2 });
    const addedTxs = added.reduce((n, b) => n + b.transactions!.length, 0);
    assert.equal(addedTxs, 3);
    const forRollback = blocksRead(chain, () => chain.rollback(snap));
    assert.deepEqual(forRollback, [2001, 2002], "the 2 blocks rolled back, no other block");
    assert.equal(chain.height, 2000);
    for (let h = 0; h <= 2000; h++) assert.equal(chain.getBlock(h), blocks[h], `block ${h} is the same object`);
    assert.deepEqual(chain.capture(), saved);
  });
});
