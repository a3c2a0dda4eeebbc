import { defineMethod, required } from "../../registry.js";
import { Data } from "../../schemas.js";
import { Txid } from "./params.js";

export const bitlayerForceWithdrawal = defineMethod({
  name: "bitlayer_forceWithdrawal",
  group: "bitlayer",
  summary:
    "The escape hatch's Bitcoin side in one call: the dev wallet posts `rawTransaction` (a signed L2 transaction, typically a call of the bridge's withdraw) in an OP_RETURN `BTLF` output and mines the blocks it needs to reach the L2. The sequencer must include it within the force-inclusion window; a censoring one (bitlayer_setCensorship) does not, and once the window passes the L2 halts and the withdrawal is paid from the last hard-final state. Refused, with nothing sent, if the transaction does not decode.",
  params: [required("rawTransaction", Data)],
  returns: "the forced transaction (as bitlayer_getForcedTransaction)",
  handler: (ctx, [raw]) =>
    ctx.core.chain.exclusive(async () =>
      (await import("../../../bridge/actions.js")).forceWithdrawal(ctx.core.settlement, (r) => ctx.core.chain.decodeRaw(r), raw),
    ),
});

export const bitlayerGetForcedTransaction = defineMethod({
  name: "bitlayer_getForcedTransaction",
  group: "bitlayer",
  summary:
    "A forced transaction by the txid of the Bitcoin transaction that carries it: its L2 hash and sender, status (pending → confirmed → included; censored while the sequencer censors; escaped once honoured from the last hard-final state; dropped or rejected with the reason), its deadline (virtual time) and the escape's payment. null if unknown.",
  params: [required("txid", Txid)],
  returns: "{ txid, height, transactionHash, from, status, deadline, includedIn, problem, escape } | null",
  handler: (ctx, [txid]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      const found = engine.bridge.data.forced.find((f) => f.txid === txid);
      return found ? (await import("../../../bridge/views.js")).forcedView(engine, found) : null;
    }),
});
