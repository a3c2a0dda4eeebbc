import { defineMethod, optional, required } from "../../registry.js";
import { Address } from "../../schemas.js";
import { Sats, Txid, Vout } from "./params.js";

export const bitlayerDeposit = defineMethod({
  name: "bitlayer_deposit",
  group: "bitlayer",
  summary:
    "A whole peg-in in one call: the dev wallet pays `amountSats` to the bridge's Taproot address with an OP_RETURN `BTL` + `recipient`, then mines the blocks the deposit needs to reach its confirmations; with automine, the L2 block that mints it follows. Refused, with nothing sent, for the zero address, dust, or more than the wallet holds.",
  params: [required("recipient", Address), required("amountSats", Sats)],
  returns: "the deposit (as bitlayer_getDeposit)",
  handler: (ctx, [recipient, amount]) =>
    ctx.core.chain.exclusive(async () => (await import("../../../bridge/actions.js")).deposit(ctx.core.settlement, recipient, amount)),
});

export const bitlayerGetDeposit = defineMethod({
  name: "bitlayer_getDeposit",
  group: "bitlayer",
  summary:
    "A peg-in by its Bitcoin txid (and output index, default: the first paying the bridge): amount, recipient, status (pending → confirmed → minted, or rejected with the problem: no BTL marker, a bad recipient, a recipient that refused the value), confirmations and the L2 mint. null if no mined transaction pays the bridge with that txid.",
  params: [required("txid", Txid), optional("vout", Vout)],
  returns:
    "{ txid, vout, amountSats, amountWei, recipient, status, height, confirmations, mint: { blockNumber, transactionHash } | null, problem } | null",
  handler: (ctx, [txid, vout]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      const found = engine.bridge.data.deposits.find((d) => d.txid === txid && (vout === undefined || BigInt(d.vout) === vout));
      return found ? (await import("../../../bridge/views.js")).depositView(engine, found) : null;
    }),
});

/** Most deposits one bitlayer_listDeposits answer holds (the newest). */
export const MAX_LIST_DEPOSITS = 1000;

export const bitlayerListDeposits = defineMethod({
  name: "bitlayer_listDeposits",
  group: "bitlayer",
  summary: `Peg-ins seen on Bitcoin, oldest first (the newest ${MAX_LIST_DEPOSITS}): all, or those naming an L2 recipient. Rejected ones (no recipient) are listed only without a filter.`,
  params: [optional("recipient", Address)],
  returns: "array of deposits (as bitlayer_getDeposit)",
  handler: (ctx, [recipient]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      const { depositView } = await import("../../../bridge/views.js");
      return engine.bridge.data.deposits
        .filter((d) => recipient === undefined || d.recipient === recipient)
        .slice(-MAX_LIST_DEPOSITS)
        .map((d) => depositView(engine, d));
    }),
});
