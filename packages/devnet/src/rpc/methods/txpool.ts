import { toChecksumAddress } from "@ethereumjs/util";
import { feeCap, type PoolTx } from "../../l2/txpool.js";
import type { RpcContext } from "../context.js";
import { formatTransaction, quantity } from "../format.js";
import { defineMethod } from "../registry.js";

async function partition(ctx: RpcContext): Promise<{ pending: PoolTx[]; queued: PoolTx[] }> {
  const chain = ctx.core.chain;
  return chain.exclusive(async () => chain.pool.partition(await chain.poolSenderNonces()));
}

/** The pool as txpool_* shows it: sender → nonce (decimal) → `entry(tx)`. */
function bySenderAndNonce<T>(list: PoolTx[], entry: (ptx: PoolTx) => T, senderKey = (s: string) => s): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {};
  for (const ptx of list) {
    const sender = senderKey(ptx.sender);
    out[sender] ??= {};
    out[sender][ptx.nonce.toString()] = entry(ptx);
  }
  return out;
}

export const txpoolStatus = defineMethod({
  name: "txpool_status",
  group: "txpool",
  summary: "Number of pooled transactions: pending (executable now) and queued (waiting for a nonce gap).",
  params: [],
  returns: "{ pending, queued }",
  handler: async (ctx) => {
    const { pending, queued } = await partition(ctx);
    return { pending: quantity(pending.length), queued: quantity(queued.length) };
  },
});

export const txpoolContent = defineMethod({
  name: "txpool_content",
  group: "txpool",
  summary: "Pooled transactions by sender and nonce.",
  params: [],
  returns: "{ pending: {sender: {nonce: tx}}, queued: {...} }",
  handler: async (ctx) => {
    const { pending, queued } = await partition(ctx);
    const full = (ptx: PoolTx) => formatTransaction(ptx.tx, ptx.hash, ptx.sender);
    return { pending: bySenderAndNonce(pending, full), queued: bySenderAndNonce(queued, full) };
  },
});

/** geth's one-line summary: "to: value wei + gas gas × price wei" (price: the fee cap, as geth's GasPrice()). */
function summary(ptx: PoolTx): string {
  const { to, value, gasLimit } = ptx.tx;
  const cost = `${value} wei + ${gasLimit} gas × ${feeCap(ptx.tx)} wei`;
  return to ? `${toChecksumAddress(to.toString())}: ${cost}` : `contract creation: ${cost}`;
}

export const txpoolInspect = defineMethod({
  name: "txpool_inspect",
  group: "txpool",
  summary: 'Pooled transactions in geth\'s text form, by sender (checksummed) and nonce: "to: value wei + gas gas × price wei".',
  params: [],
  returns: "{ pending: {sender: {nonce: string}}, queued: {...} }",
  handler: async (ctx) => {
    const { pending, queued } = await partition(ctx);
    // geth and Anvil key senders by their checksummed address here.
    return { pending: bySenderAndNonce(pending, summary, toChecksumAddress), queued: bySenderAndNonce(queued, summary, toChecksumAddress) };
  },
});

export const txpoolMethods = [txpoolStatus, txpoolContent, txpoolInspect];
