import { DevnetError } from "../../../errors.js";
import { defineMethod, optional, required } from "../../registry.js";
import { Hash } from "../../schemas.js";
import { WithdrawalOwner } from "./params.js";

/** Most withdrawals one bitlayer_listWithdrawals answer holds (the newest). */
export const MAX_LIST_WITHDRAWALS = 1000;

export const bitlayerGetWithdrawal = defineMethod({
  name: "bitlayer_getWithdrawal",
  group: "bitlayer",
  summary:
    "A peg-out by its withdrawal id (the `WithdrawalInitiated` event's) or by the hash of the L2 transaction that burned it (a transaction that makes several: its last; bitlayer_listWithdrawals lists them all): its status (standard: initiated → anchored → finalized → paid; broker mode: initiated → paid-by-broker → anchored → finalized → reimbursed; or invalidated), the amount, fee and sats paid, the Bitcoin payment (txid, height) and reimbursement, and why a due payment waits (its payer's coins on Bitcoin do not cover it). null if unknown.",
  params: [required("idOrTransactionHash", Hash)],
  returns:
    "{ id, index, status, from, btcAddress, scriptPubKey, amountSats, feeSats, paidSats, transactionHash, blockNumber, batch, payment: { txid, height } | null, paidBy, reimbursement, invalidated, waiting: why a due payment waits | null } | null",
  handler: (ctx, [key]) =>
    ctx.core.chain.exclusive(
      async () => (await import("../../../bridge/views.js")).findWithdrawal(await ctx.core.settlement.load(), key) ?? null,
    ),
});

export const bitlayerListWithdrawals = defineMethod({
  name: "bitlayer_listWithdrawals",
  group: "bitlayer",
  summary: `Peg-outs, oldest first (the newest ${MAX_LIST_WITHDRAWALS}): all, those burned by an L2 address, or those paying a Bitcoin address.`,
  params: [optional("owner", WithdrawalOwner)],
  returns: "array of withdrawals (as bitlayer_getWithdrawal)",
  handler: (ctx, [owner]) =>
    ctx.core.chain.exclusive(async () => {
      const engine = await ctx.core.settlement.load();
      let list = (await import("../../../bridge/views.js")).allWithdrawals(engine);
      if (owner?.kind === "l2") list = list.filter((w) => w.from.toLowerCase() === owner.address);
      if (owner?.kind === "bitcoin") {
        const { addressToScript } = await import("../../../bitcoin/rpc/script.js");
        const script = addressToScript(owner.address);
        if (!script) throw new DevnetError("INVALID_PARAMS", `bitlayer_listWithdrawals: ${owner.address} is not a regtest Bitcoin address`);
        const hex = `0x${Buffer.from(script).toString("hex")}`;
        list = list.filter((w) => w.scriptPubKey === hex);
      }
      return list.slice(-MAX_LIST_WITHDRAWALS);
    }),
});
