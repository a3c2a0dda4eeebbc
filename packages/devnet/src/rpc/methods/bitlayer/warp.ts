import { blockFinality } from "../../../devnet/finality.js";
import { warpBy, warpUntil } from "../../../devnet/warp.js";
import { defineMethod, required } from "../../registry.js";
import { WarpParam } from "./params.js";

export const bitlayerWarp = defineMethod({
  name: "bitlayer_warp",
  group: "bitlayer",
  summary:
    'Time-warp: moves the one clock forward by `seconds` (1 s to 10 years), or Bitcoin block by Bitcoin block until a transaction or L2 block is "anchored" or "hard". Everything that falls due happens on the way (Bitcoin blocks, each real; claims; confirmations; windows closing); no L2 block is mined. Refused, with nothing changed, past the simulated Bitcoin chain\'s bound or for an unknown or pending target. A warp-until that meets a halt (the target\'s batch disproved) stops there with L2_HALTED; the Bitcoin blocks it produced stay, as time that passed.',
  params: [required("warp", WarpParam)],
  returns: "{ from, to (unix seconds), bitcoinBlocks, finality? (for until) }",
  handler: (ctx, [warp]) =>
    ctx.core.chain.exclusive(async () => {
      const core = ctx.core;
      if (warp.kind === "seconds") return warpBy(core, warp.seconds);
      const target = warp.target.kind === "hash" ? { kind: "tx" as const, hash: warp.target.hash } : warp.target;
      const result = await warpUntil(core, target, warp.level);
      const n = target.kind === "block" ? target.number : (core.chain.store.findTx(target.hash)?.block.number ?? 0n);
      return { ...result, finality: blockFinality(core, core.settlement.loaded, n) };
    }),
});
