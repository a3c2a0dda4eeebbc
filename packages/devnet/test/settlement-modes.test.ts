// Settlement modes and presets: in validity-proof mode a batch is hard final as soon as its claim is
// anchored (no window; the simulated proof is verified then), and a fraudulent claim halts the L2
// because its proof fails verification. The fast preset, on the wall clock, takes a transaction
// soft → anchored → hard in about a minute with no warp or time control at all.

import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { BLOCK_TIME, Chains, chainsFixture, refused } from "./support/settlement.js";

/** Steps one scheduled Bitcoin block at a time until Bitcoin is at `height`. */
async function stepTo(c: Chains, height: number): Promise<void> {
  while ((await c.bitcoinHeight()) < height) await c.warp(BLOCK_TIME);
  assert.equal(await c.bitcoinHeight(), height);
}

describe("settlement: validity-proof mode and the fast preset", function () {
  this.timeout(60_000);
  const { start, fixture } = chainsFixture("devnet-settle-modes-");

  describe("validity-proof mode", () => {
    it("is hard final at anchoring: no window, a verified simulated proof", async () => {
      const c = await start({ rollup: { proofMode: "validity" } });
      const s = await c.status();
      assert.equal(s.rollup.mode, "validity");
      assert.equal(s.rollup.windowBlocks, 0);
      const tx = await c.transfer(1n);
      await c.warp(BLOCK_TIME);
      const claimed = await c.batch(0);
      assert.equal(claimed.mode, "validity");
      const anchoredAt = (claimed.claim.height as number) + s.rollup.confirmations - 1;
      assert.equal(claimed.anchoredAt, anchoredAt);
      assert.equal(claimed.windowClosesAt, null);
      assert.equal(claimed.proof?.simulated, true);
      assert.equal(claimed.proof?.verified, null, "verified once anchored");

      await stepTo(c, anchoredAt - 1);
      assert.equal((await c.finality(tx)).level, "soft");
      assert.equal(await c.blockNumber("safe"), 0);
      assert.equal(await c.blockNumber("finalized"), 0);

      await stepTo(c, anchoredAt);
      const f = await c.finality(tx);
      assert.equal(f.level, "hard", "final at the confirmation that anchors it");
      assert.equal(f.windowClosesAt, null);
      assert.equal(await c.blockNumber("safe"), 1);
      assert.equal(await c.blockNumber("finalized"), 1);
      const b = await c.batch(0);
      assert.equal(b.status, "final");
      assert.deepEqual(b.proof && { simulated: b.proof.simulated, verified: b.proof.verified }, { simulated: true, verified: true });
      assert.match(b.proof?.proof ?? "", /^0x[0-9a-f]{64}$/);
      assert.equal(b.take, null);
      assert.equal(b.challenge, null);
      // A validity claim has no challenge connector: connector, kickoff, OP_RETURN with the proof.
      const claim = await c.getRawTransaction(b.claim.txid);
      assert.equal(claim.vout.length, 3);

      const next = await c.transfer(2n);
      const warp = await c.warp({ until: "hard", tx: next });
      assert.equal(warp.finality?.level, "hard");
      assert.equal(warp.bitcoinBlocks, s.rollup.confirmations, "sealed in the next block, final after the confirmations");
    });

    it("halts when a fraudulent claim's proof fails verification, and recovers", async () => {
      const c = await start({ rollup: { proofMode: "validity" } });
      const honest = await c.transfer(1n);
      await c.warp({ until: "hard", tx: honest });
      await c.rpc("bitlayer_injectFraud");
      const tx = await c.transfer(2n);
      await c.warp(BLOCK_TIME);
      const claimed = await c.batch(1);
      assert.equal(claimed.fraudulent, true);
      const anchoredAt = claimed.anchoredAt as number;

      await stepTo(c, anchoredAt - 1);
      assert.equal((await c.status()).halted, null);
      assert.equal((await c.finality(tx)).level, "soft");

      await stepTo(c, anchoredAt);
      const halted = (await c.status()).halted;
      assert.equal(halted?.batch, 1);
      assert.equal(halted?.bitcoinHeight, anchoredAt);
      assert.equal(halted?.bitcoinBlock, await c.bitcoin("getblockhash", [anchoredAt]));
      assert.match(halted?.reason ?? "", /validity proof of batch 1 failed verification/);
      const b = await c.batch(1);
      assert.equal(b.status, "invalidated");
      assert.equal(b.proof?.verified, false);
      assert.equal((await c.finality(tx)).level, "invalidated");
      assert.equal((await c.finality(honest)).level, "hard");
      await refused(c.rpc("evm_mine"), "L2_HALTED", -32000, /batch 1/);
      await refused(c.transfer(3n), "L2_HALTED", -32000, /batch 1/);

      assert.equal((await c.rpc<{ rolledBackTo: string }>("bitlayer_recover")).rolledBackTo, "0x1");
      const again = await c.transfer(4n);
      assert.equal((await c.warp({ until: "hard", tx: again })).finality?.level, "hard");
    });
  });

  describe("the fast preset on the wall clock", () => {
    it("takes a transaction soft → anchored → hard without any warp or time control", async function () {
      this.timeout(150_000);
      // No genesisTimestamp: the devnet follows the wall clock.
      const c = new Chains(await fixture.start({ preset: "fast" }));
      const s = await c.status();
      assert.equal(s.bitcoin.blockTime, 1);
      assert.equal(s.rollup.windowBlocks, 60);
      const tx = await c.transfer(1n);
      const seen: string[] = [];
      for (;;) {
        const level = (await c.finality(tx)).level;
        if (seen.at(-1) !== level) seen.push(level);
        if (level === "hard") break;
        await sleep(500);
      }
      assert.deepEqual(seen, ["soft", "anchored", "hard"]);
      const b = await c.batch(0);
      assert.equal(b.status, "final");
      assert.equal(b.take?.height, b.windowClosesAt);
      assert.ok(Number((await c.status()).l2.finalized) >= 1);
    });
  });
});
