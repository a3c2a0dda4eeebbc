import { pendingBlock } from "../../l2/call.js";
import type { StoredBlock } from "../../l2/types.js";
import type { RpcContext } from "../context.js";
import { formatBlock, formatReceipt, formatTransaction, quantity } from "../format.js";
import { defineMethod, optional, required } from "../registry.js";
import { BlockTag, type BlockTagValue, Bool, Hash, Quantity } from "../schemas.js";

const isPending = (tag: BlockTagValue) => tag.kind === "tag" && tag.tag === "pending";

/**
 * A block by tag; "pending" is the next block as the miner would build it now from the
 * pool's executable transactions (as Hardhat shows it), built on a copy and not committed.
 */
async function blockOrPending(ctx: RpcContext, tag: BlockTagValue): Promise<StoredBlock | null> {
  if (!isPending(tag)) return ctx.core.findBlock(tag);
  const chain = ctx.core.chain;
  return chain.exclusive(() => pendingBlock(chain));
}

const fullTx = optional("fullTransactions", Bool, "return whole transactions instead of hashes (default false)");

export const ethBlockNumber = defineMethod({
  name: "eth_blockNumber",
  group: "eth",
  summary: "Number of the latest (soft-final) block.",
  params: [],
  returns: "Quantity",
  handler: (ctx) => quantity(ctx.core.chain.store.height),
});

export const ethGetBlockByNumber = defineMethod({
  name: "eth_getBlockByNumber",
  group: "eth",
  summary:
    'A block by number or tag; "safe" = anchored on Bitcoin, "finalized" = hard final, "pending" = the next block built from the pool (hash, nonce and miner null). null if absent.',
  params: [required("block", BlockTag), fullTx],
  returns: "Block | null",
  handler: async (ctx, [tag, full]) => {
    const block = await blockOrPending(ctx, tag);
    if (!block) return null;
    const formatted = formatBlock(block, full ?? false);
    // geth's pending block: no hash, nonce or miner yet.
    return isPending(tag) ? { ...formatted, hash: null, nonce: null, miner: null } : formatted;
  },
});

export const ethGetBlockByHash = defineMethod({
  name: "eth_getBlockByHash",
  group: "eth",
  summary: "A block by hash; null if absent.",
  params: [required("hash", Hash), fullTx],
  returns: "Block | null",
  handler: (ctx, [hash, full]) => {
    const block = ctx.core.chain.store.getByHash(hash);
    return block ? formatBlock(block, full ?? false) : null;
  },
});

export const ethGetBlockReceipts = defineMethod({
  name: "eth_getBlockReceipts",
  group: "eth",
  summary: "All receipts of a block; null if the block is absent.",
  params: [required("block", BlockTag)],
  returns: "Receipt[] | null",
  handler: (ctx, [tag]) => {
    const block = ctx.core.findBlock(tag);
    return block ? block.receipts.map((r) => formatReceipt(block, r)) : null;
  },
});

export const ethGetBlockTransactionCountByNumber = defineMethod({
  name: "eth_getBlockTransactionCountByNumber",
  group: "eth",
  summary: "Number of transactions in a block; null if absent.",
  params: [required("block", BlockTag)],
  returns: "Quantity | null",
  handler: async (ctx, [tag]) => {
    const block = await blockOrPending(ctx, tag);
    return block && quantity(block.transactions.length);
  },
});

export const ethGetBlockTransactionCountByHash = defineMethod({
  name: "eth_getBlockTransactionCountByHash",
  group: "eth",
  summary: "Number of transactions in a block; null if absent.",
  params: [required("hash", Hash)],
  returns: "Quantity | null",
  handler: (ctx, [hash]) => {
    const block = ctx.core.chain.store.getByHash(hash);
    return block ? quantity(block.transactions.length) : null;
  },
});

function txAt(block: StoredBlock | null | undefined, index: bigint) {
  if (!block || index >= BigInt(block.transactions.length)) return null;
  const i = Number(index);
  return formatTransaction(block.transactions[i], block.txHashes[i], block.senders[i], { block, index: i });
}

export const ethGetTransactionByBlockNumberAndIndex = defineMethod({
  name: "eth_getTransactionByBlockNumberAndIndex",
  group: "eth",
  summary: "A transaction by block and position; null if absent.",
  params: [required("block", BlockTag), required("index", Quantity)],
  returns: "Transaction | null",
  handler: async (ctx, [tag, index]) => txAt(await blockOrPending(ctx, tag), index),
});

export const ethGetTransactionByBlockHashAndIndex = defineMethod({
  name: "eth_getTransactionByBlockHashAndIndex",
  group: "eth",
  summary: "A transaction by block hash and position; null if absent.",
  params: [required("hash", Hash), required("index", Quantity)],
  returns: "Transaction | null",
  handler: (ctx, [hash, index]) => txAt(ctx.core.chain.store.getByHash(hash), index),
});

export const ethBlockMethods = [
  ethBlockNumber,
  ethGetBlockByNumber,
  ethGetBlockByHash,
  ethGetBlockReceipts,
  ethGetBlockTransactionCountByNumber,
  ethGetBlockTransactionCountByHash,
  ethGetTransactionByBlockNumberAndIndex,
  ethGetTransactionByBlockHashAndIndex,
];
