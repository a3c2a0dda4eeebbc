import type { PoolTx } from "../../l2/txpool.js";
import type { RpcContext } from "../context.js";
import { formatTransaction, quantity } from "../format.js";
import { defineMethod } from "../registry.js";

async function partition(ctx: RpcContext): Promise<{ pending: PoolTx[]; queued: PoolTx[] }> {
  const chain = ctx.core.chain;
  return chain.exclusive(async () => chain.pool.partition(await chain.poolSenderNonces()));
}

function bySenderAndNonce(list: PoolTx[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const ptx of list) {
    out[ptx.sender] ??= {};
    out[ptx.sender][ptx.nonce.toString()] = formatTransaction(ptx.tx, ptx.hash, ptx.sender);
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
    return { pending: bySenderAndNonce(pending), queued: bySenderAndNonce(queued) };
  },
});

export const txpoolMethods = [txpoolStatus, txpoolContent];
