// Time-warps and long clock jumps: bitlayer_warp by seconds produces exactly the Bitcoin blocks the
// cadence makes due (a week is 1008 blocks at 600 s) and with them every window that closes; one
// block short of a window, the batch is not final; warp-until stops at the level asked for. A clock
// jump of years (evm_increaseTime) produces at most Settlement.maxCatchUp blocks, the latest slots,
// and batches still finalize.

import assert from "node:assert/strict";
import { PREMINE_BLOCKS } from "../src/index.js";
import { BLOCK_TIME, type Chains, chainsFixture, GENESIS, type StatusView, WEEK } from "./support/settlement.js";

const YEAR = 365 * 24 * 3600;

/** The documented catch-up bound (Settlement.maxCatchUp), from the settings bitlayer_status shows. */
function maxCatchUp(s: StatusView): number {
  return Math.max(1000, 2 * (s.rollup.windowBlocks + s.rollup.confirmations + s.rollup.assertBlocks));
}

/** Scheduled Bitcoin blocks due between the status' moment and `to`: slots from nextBlockAt, every blockTime. */
function slotsUntil(s: StatusView, to: number): number {
  return Math.max(0, Math.floor((to - s.bitcoin.nextBlockAt) / s.bitcoin.blockTime) + 1);
}

describe("settlement: warps and clock jumps", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-warp-");

  /** Three batches, each one Bitcoin block apart; answers their transactions. */
  async function threeBatches(c: Chains): Promise<string[]> {
    const txs: string[] = [];
    for (let i = 0; i < 3; i++) {
      txs.push(await c.transfer(BigInt(i + 1)));
      await c.warp(BLOCK_TIME);
    }
    const batches = await c.batches();
    assert.equal(batches.length, 3);
    return txs;
  }

  it("a 7-day warp right after anchoring produces exactly 1008 Bitcoin blocks and finalizes every batch anchored before it", async () => {
    const c = await start();
    const txs = await threeBatches(c);
    const anchored = await c.warp({ until: "anchored", tx: txs[2] });
    assert.equal(anchored.finality?.level, "anchored");
    // Mined after the anchoring: its batch is claimed during the warp, so its window is still open after it.
    const late = await c.transfer(99n);

    const before = await c.status();
    for (const b of await c.batches()) assert.equal(b.status, "anchored");
    const expected = slotsUntil(before, before.time + WEEK);
    assert.equal(expected, WEEK / BLOCK_TIME, "the cadence gives 1008 blocks a week");
    const warp = await c.warp(WEEK);
    assert.equal(warp.bitcoinBlocks, expected);
    assert.equal(warp.to - warp.from, WEEK);
    const after = await c.status();
    assert.equal(after.bitcoin.height, before.bitcoin.height + expected);
    assert.equal(await c.bitcoinHeight(), after.bitcoin.height);
    assert.equal(after.time, before.time + WEEK);
    assert.equal(after.l2.latest, before.l2.latest, "a warp mines no L2 block");

    const batches = await c.batches();
    assert.equal(batches.length, 4);
    for (const b of batches.slice(0, 3)) {
      assert.equal(b.status, "final", `batch ${b.index}`);
      assert.ok(b.take?.height !== null && b.take?.height === b.windowClosesAt, `batch ${b.index}: the Take is at the window's close`);
    }
    for (const tx of txs) assert.equal((await c.finality(tx)).level, "hard");
    assert.equal(batches[3].claim.height, before.bitcoin.height + 1, "the late transaction's batch is claimed in the warp's first block");
    assert.equal(batches[3].status, "anchored");
    assert.equal((await c.finality(late)).level, "anchored");
    assert.equal(after.l2.finalized, batches[2].lastBlock);
  });

  it("one Bitcoin block short of the window's close does not finalize; the block that closes it does", async () => {
    const c = await start();
    const tx = await c.transfer(7n);
    await c.warp({ until: "anchored", tx });
    const b = await c.batch(0);
    const closes = b.windowClosesAt as number;
    const s = await c.status();
    // The block before `closes` comes at nextBlockAt + (closes - 1 - height - 1) × blockTime.
    const short = s.bitcoin.nextBlockAt + (closes - s.bitcoin.height - 2) * s.bitcoin.blockTime - s.time;
    const warp = await c.warp(short);
    assert.equal(warp.bitcoinBlocks, closes - 1 - s.bitcoin.height);
    assert.equal(await c.bitcoinHeight(), closes - 1);
    assert.equal((await c.batch(0)).status, "anchored");
    assert.equal((await c.finality(tx)).level, "anchored");
    assert.equal((await c.status()).l2.finalized, "0x0");

    // Up to one second before the next block: still nothing.
    const next = (await c.status()).bitcoin.nextBlockAt;
    await c.warp(next - 1 - (await c.status()).time);
    assert.equal(await c.bitcoinHeight(), closes - 1);
    assert.equal((await c.batch(0)).status, "anchored");

    const last = await c.warp(1);
    assert.equal(last.bitcoinBlocks, 1);
    assert.equal(await c.bitcoinHeight(), closes);
    assert.equal((await c.batch(0)).status, "final");
    assert.equal((await c.finality(tx)).level, "hard");
    assert.equal((await c.status()).l2.finalized, "0x1");
  });

  it('warps until "anchored" and until "hard" by transaction and by block, Bitcoin block by Bitcoin block', async () => {
    const c = await start();
    const tx = await c.transfer(3n);
    const s = await c.status();
    const anchored = await c.warp({ until: "anchored", tx });
    assert.equal(anchored.finality?.level, "anchored");
    // Sealed in the next block, anchored `confirmations - 1` blocks after it.
    assert.equal(anchored.bitcoinBlocks, s.rollup.confirmations);
    assert.equal(anchored.to, s.bitcoin.nextBlockAt + (s.rollup.confirmations - 1) * BLOCK_TIME);
    assert.equal((await c.status()).time, anchored.to);

    const again = await c.warp({ until: "anchored", block: 1 });
    assert.equal(again.bitcoinBlocks, 0, "already anchored: nothing to do");

    const closes = anchored.finality?.windowClosesAt as number;
    const height = await c.bitcoinHeight();
    const hard = await c.warp({ until: "hard", tx });
    assert.equal(hard.finality?.level, "hard");
    assert.equal(hard.bitcoinBlocks, closes - height);
    assert.equal(await c.bitcoinHeight(), closes);
    assert.equal((await c.warp({ until: "hard", block: "0x1" })).bitcoinBlocks, 0);
  });

  it("a 2-year evm_increaseTime produces at most maxCatchUp Bitcoin blocks (the latest slots), and batches still finalize", async () => {
    const c = await start();
    const tx = await c.transfer(11n);
    const before = await c.status();
    const bound = maxCatchUp(before);
    assert.equal(bound, 2 * (1008 + 6 + 144), "mainnet preset: 2 × (window + confirmations + assert blocks)");
    await c.rpc("evm_increaseTime", [2 * YEAR]);
    await c.rpc("evm_mine");
    const after = await c.status();
    const slots = slotsUntil(before, after.time);
    assert.ok(slots > bound, `${slots} slots are due, more than the bound`);
    assert.equal(after.bitcoin.height, before.bitcoin.height + bound);
    // The latest slots: the tip is the last slot due, the next is in the future.
    const tip = await c.bitcoin<{ time: number }>("getblock", [after.bitcoin.bestBlockHash, 1]);
    assert.ok(after.bitcoin.nextBlockAt > after.time);
    assert.equal(tip.time, after.bitcoin.nextBlockAt - BLOCK_TIME);
    assert.equal((await c.finality(tx)).level, "hard", "the batch claimed in the catch-up's first block got through its window");

    // And the chain goes on: a new transaction reaches hard finality the same way.
    const next = await c.transfer(12n);
    await c.rpc("evm_increaseTime", [WEEK + 10 * BLOCK_TIME]);
    await c.rpc("evm_mine");
    assert.equal((await c.finality(next)).level, "hard");
  });

  it("the catch-up bound is 1000 blocks when the window is short", async () => {
    const c = await start({ rollup: { challengePeriod: 24 * 3600 } });
    const before = await c.status();
    assert.equal(before.rollup.windowBlocks, 144);
    assert.equal(maxCatchUp(before), 1000);
    const tx = await c.transfer(1n);
    await c.increaseTimeAndMine(YEAR);
    const after = await c.status();
    assert.equal(after.bitcoin.height, PREMINE_BLOCKS + 1000);
    assert.equal(after.bitcoin.nextBlockAt, GENESIS + (Math.floor((after.time - GENESIS) / BLOCK_TIME) + 1) * BLOCK_TIME);
    assert.equal((await c.finality(tx)).level, "hard");
  });
});
