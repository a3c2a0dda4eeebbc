// Finality levels driven by the clock alone: evm_increaseTime + evm_mine make Bitcoin blocks due,
// the first request after the jump produces them (claims, confirmations, windows closing), and a
// transaction goes soft → anchored → hard. The `safe` and `finalized` tags, and the state read at
// them, follow. bitlayer_getFinality is only used to observe, never to drive.

import assert from "node:assert/strict";
import { PREMINE_BLOCKS } from "../src/index.js";
import { BLOCK_TIME, type Chains, chainsFixture, GENESIS } from "./support/settlement.js";

/** Virtual time of the scheduled Bitcoin block at `height` (the mainnet cadence from genesis). */
const bitcoinTime = (height: number) => GENESIS + (height - PREMINE_BLOCKS) * BLOCK_TIME;

/** The clock, as the latest L2 block shows it right after evm_mine (its timestamp is the clock's time). */
async function clock(c: Chains): Promise<number> {
  return Number((await c.block("latest")).timestamp);
}

/** evm_increaseTime to the time of the Bitcoin block at `height`, then evm_mine: Bitcoin is then exactly there. */
async function advanceTo(c: Chains, height: number): Promise<void> {
  await c.increaseTimeAndMine(bitcoinTime(height) - (await clock(c)));
  assert.equal(await c.bitcoinHeight(), height, `Bitcoin must be at ${height} after the clock reached its time`);
}

describe("settlement: finality through evm_increaseTime + evm_mine", function () {
  this.timeout(60_000);
  const { start } = chainsFixture("devnet-settle-finality-");

  it("takes a transaction soft → anchored → hard; a transaction of a later batch trails it; safe / finalized follow", async () => {
    const c = await start();
    const initial = await c.balance(1, "latest");
    const tx1 = await c.transfer(1000n);
    let f1 = await c.finality(tx1);
    assert.equal(f1.level, "soft");
    assert.equal(f1.blockNumber, "0x1");
    assert.equal(f1.batch, null, "no Bitcoin block yet: no batch");
    assert.equal(await c.blockNumber("safe"), 0);
    assert.equal(await c.blockNumber("finalized"), 0);

    // The first scheduled Bitcoin block seals block 1 into batch 0 and carries its claim.
    await c.increaseTimeAndMine(BLOCK_TIME);
    assert.equal(await c.bitcoinHeight(), PREMINE_BLOCKS + 1);
    f1 = await c.finality(tx1);
    assert.equal(f1.level, "soft", "one confirmation is not anchored");
    assert.equal(f1.batch, 0);
    assert.equal(f1.claim?.height, PREMINE_BLOCKS + 1);
    assert.equal(f1.claim?.confirmations, 1);
    const claim1 = PREMINE_BLOCKS + 1;

    // Mined after batch 0 was sealed: it goes into a later batch.
    const tx2 = await c.transfer(2000n);
    let f2 = await c.finality(tx2);
    assert.equal(f2.level, "soft");
    assert.equal(f2.batch, null);
    const block2 = Number(f2.blockNumber);
    assert.ok(block2 > 1);

    const { confirmations } = (await c.status()).rollup;
    const anchoredAt = claim1 + confirmations - 1;
    await advanceTo(c, anchoredAt - 1);
    f1 = await c.finality(tx1);
    assert.equal(f1.level, "soft", `${confirmations - 1} confirmations are not anchored`);
    assert.equal(await c.blockNumber("safe"), 0);

    await advanceTo(c, anchoredAt);
    f1 = await c.finality(tx1);
    f2 = await c.finality(tx2);
    assert.equal(f1.level, "anchored");
    assert.equal(f1.claim?.confirmations, confirmations);
    assert.equal(f2.batch, 1, "tx2 is in the batch after tx1's");
    assert.equal(f2.level, "soft", "the later batch's claim has one confirmation less");
    const claim2 = f2.claim?.height as number;
    assert.equal(claim2, claim1 + 1);
    assert.equal(await c.blockNumber("safe"), 1, "safe is the last block of the anchored batch");
    assert.equal((await c.block("safe")).hash, (await c.block(1)).hash);
    assert.equal(await c.blockNumber("finalized"), 0);
    assert.equal(await c.balance(1, "safe"), initial + 1000n, "state at safe: after tx1, before tx2");
    assert.equal(await c.balance(1, "finalized"), initial, "state at finalized: genesis");
    assert.equal(await c.balance(1, "latest"), initial + 3000n);

    await advanceTo(c, claim2 + confirmations - 1);
    f2 = await c.finality(tx2);
    assert.equal(f2.level, "anchored");
    const batch1Last = Number((await c.batch(1)).lastBlock);
    assert.ok(batch1Last >= block2);
    assert.equal(await c.blockNumber("safe"), batch1Last);
    assert.equal(await c.balance(1, "safe"), initial + 3000n);

    // Hard finality: the Take confirms in the block at which the window closes, not one before.
    const closes1 = f1.windowClosesAt as number;
    assert.equal(closes1, claim1 + (await c.status()).rollup.windowBlocks);
    await advanceTo(c, closes1 - 1);
    assert.equal((await c.finality(tx1)).level, "anchored", "one block before the window closes");
    assert.equal(await c.blockNumber("finalized"), 0);

    await advanceTo(c, closes1);
    assert.equal((await c.finality(tx1)).level, "hard");
    assert.equal((await c.finality(tx2)).level, "anchored", "the later batch's window is still open");
    assert.equal(await c.blockNumber("finalized"), 1);
    assert.equal((await c.block("finalized")).hash, (await c.block(1)).hash);
    assert.equal(await c.balance(1, "finalized"), initial + 1000n);
    const take = (await c.batch(0)).take;
    assert.equal(take?.height, closes1);

    await advanceTo(c, f2.windowClosesAt as number);
    assert.equal((await c.finality(tx2)).level, "hard");
    assert.equal(await c.blockNumber("finalized"), batch1Last);
    assert.equal(await c.balance(1, "finalized"), initial + 3000n);
    const latest = await c.blockNumber("latest");
    assert.ok(latest > batch1Last, "evm_mine went on mining blocks past the finalized ones");
  });

  it("answers pending for a pooled transaction and the same level by hash, by block number and by block hash", async () => {
    const c = await start({ mining: { mode: "manual" } });
    const tx = await c.transfer(5n);
    assert.equal((await c.finality(tx)).level, "pending");
    assert.equal((await c.finality(tx)).blockNumber, null);
    await c.increaseTimeAndMine(BLOCK_TIME);
    const byTx = await c.finality(tx);
    assert.equal(byTx.level, "soft");
    const n = Number(byTx.blockNumber);
    for (let i = 0; i < 6; i++) await c.increaseTimeAndMine(BLOCK_TIME);
    const levels = [await c.finality(tx), await c.finality(n), await c.finality((await c.block(n)).hash)].map((f) => f.level);
    assert.deepEqual(levels, ["anchored", "anchored", "anchored"]);
  });
});
