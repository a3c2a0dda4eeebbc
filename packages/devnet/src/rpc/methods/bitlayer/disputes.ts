import { recover } from "../../../devnet/recover.js";
import { quantity } from "../../format.js";
import { defineMethod, optional, required } from "../../registry.js";
import { Bool } from "../../schemas.js";
import { Root } from "./params.js";

export const bitlayerInjectFraud = defineMethod({
  name: "bitlayer_injectFraud",
  group: "bitlayer",
  summary:
    "Makes the operator's next claim fraudulent: it carries `postStateRoot` (default: a made-up root) instead of the true post-state root. With the watcher on, the claim is challenged, asserted and disproved, and the L2 halts; with the watcher off, it becomes hard final, as the protocol says it would.",
  params: [optional("postStateRoot", Root)],
  returns: "{ batch: index the fraudulent batch will have }",
  handler: (ctx, [root]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      engine.injectFraud(root);
      return { batch: engine.data.batches.length };
    }),
});

export const bitlayerSetWatcher = defineMethod({
  name: "bitlayer_setWatcher",
  group: "bitlayer",
  summary: "Switches the built-in honest watcher on or off. Switched on, it also challenges wrong claims still inside their window.",
  params: [required("enabled", Bool)],
  returns: "true",
  handler: (ctx, [enabled]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      engine.data.watcher = enabled;
      return true;
    }),
});

export const bitlayerRecover = defineMethod({
  name: "bitlayer_recover",
  group: "bitlayer",
  summary:
    "The social-consensus path after a halt: rolls the L2 back to the end of the last valid batch (later blocks and pooled transactions are dropped), starts a new claim chain and resumes. Refused (NOT_HALTED) when the L2 is running.",
  params: [],
  returns: "{ rolledBackTo, droppedBlocks, droppedTransactions, claimChain }",
  handler: (ctx) =>
    ctx.core.chain.exclusive(async () => {
      const r = await recover(ctx.core);
      return { ...r, rolledBackTo: quantity(r.rolledBackTo), droppedBlocks: quantity(r.droppedBlocks) };
    }),
});
