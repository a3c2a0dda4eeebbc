import { batchView } from "../../../devnet/finality.js";
import { DevnetError } from "../../../errors.js";
import { defineMethod, optional, required } from "../../registry.js";
import { BatchIndex, Count, MAX_LIST_BATCHES } from "./params.js";

export const bitlayerGetBatch = defineMethod({
  name: "bitlayer_getBatch",
  group: "bitlayer",
  summary:
    "One batch: its L2 blocks, the roots its claim commits to, the claim and the dispute transactions on Bitcoin (txid, height, confirmations), when it is anchored and when its window closes, and its status (posted, claimed, anchored, challenged, asserted, disproved, final, invalidated).",
  params: [required("index", BatchIndex)],
  returns: "batch object",
  handler: async (ctx, [index]) => {
    const engine = await ctx.core.settlement.load();
    const b = engine.data.batches[index];
    if (!b) throw new DevnetError("UNKNOWN_BATCH", `batch ${index} not found: there are ${engine.data.batches.length} batches`);
    return batchView(engine, b);
  },
});

export const bitlayerListBatches = defineMethod({
  name: "bitlayer_listBatches",
  group: "bitlayer",
  summary: `Batches from \`from\` (default 0), at most \`count\` (default and most ${MAX_LIST_BATCHES}), oldest first.`,
  params: [optional("from", BatchIndex), optional("count", Count(MAX_LIST_BATCHES, "how many batches"))],
  returns: "array of batch objects",
  handler: async (ctx, [from, count]) => {
    const engine = await ctx.core.settlement.load();
    const start = from ?? 0;
    return engine.data.batches.slice(start, start + (count ?? MAX_LIST_BATCHES)).map((b) => batchView(engine, b));
  },
});
