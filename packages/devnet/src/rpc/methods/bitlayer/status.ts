import { quantity } from "../../format.js";
import { defineMethod } from "../../registry.js";

export const bitlayerStatus = defineMethod({
  name: "bitlayer_status",
  group: "bitlayer",
  summary:
    "The devnet at a glance: L2 heads per finality level (latest = soft, safe = anchored, finalized = hard), the simulated Bitcoin chain's height and tip, the rollup's settings and batches, and whether the L2 is halted (and why).",
  params: [],
  returns:
    "{ time, l2: { latest, safe, finalized }, bitcoin: { height, bestBlockHash, nextBlockAt, blockTime, simulated: true }, rollup: { mode, watcher, confirmations, windowBlocks, windowSeconds, assertBlocks, claimChain, batches, lastBatch, fraudInjected }, halted: null | { batch, bitcoinHeight, bitcoinBlock, reason } }",
  handler: async (ctx) => {
    const core = ctx.core;
    const engine = await core.settlement.load();
    const levels = engine.levels();
    const height = core.chain.store.height;
    const clamp = (n: bigint) => (n < height ? n : height);
    const config = core.settlement.config;
    const last = engine.data.batches.at(-1);
    return {
      time: core.clock.now(),
      l2: { latest: quantity(height), safe: quantity(clamp(levels.safe)), finalized: quantity(clamp(levels.finalized)) },
      bitcoin: {
        height: engine.bitcoin.height,
        bestBlockHash: engine.bitcoin.tipHash,
        nextBlockAt: core.settlement.nextDue(),
        blockTime: config.bitcoinBlockTime,
        simulated: true,
      },
      rollup: {
        mode: config.proofMode,
        watcher: engine.data.watcher,
        confirmations: config.confirmations,
        windowBlocks: config.proofMode === "optimistic" ? config.windowBlocks : 0,
        windowSeconds: config.proofMode === "optimistic" ? config.windowBlocks * config.bitcoinBlockTime : 0,
        assertBlocks: config.assertBlocks,
        claimChain: engine.data.claimChain,
        batches: engine.data.batches.length,
        lastBatch: last
          ? { index: last.index, firstBlock: quantity(BigInt(last.firstBlock)), lastBlock: quantity(BigInt(last.lastBlock)) }
          : null,
        fraudInjected: engine.data.fraud !== undefined,
      },
      halted: engine.data.halt ?? null,
    };
  },
});
