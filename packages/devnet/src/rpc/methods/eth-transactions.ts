import { estimateGas } from "../../l2/call.js";
import { buildSendTx } from "../../l2/transactions.js";
import { formatReceipt, formatTransaction } from "../format.js";
import { defineMethod, required } from "../registry.js";
import { Data, Hash, TransactionRequest } from "../schemas.js";

export const ethSendRawTransaction = defineMethod({
  name: "eth_sendRawTransaction",
  group: "eth",
  summary:
    "Submits a signed transaction. With automine, returns once it is mined (all transactions arriving together share one block); if it failed, answers Hardhat's error (TRANSACTION_FAILED, data { message, txHash, data }) unless the devnet runs with throwOnTransactionFailures off. Blob transactions are refused.",
  params: [required("transaction", Data, "signed transaction, RLP / EIP-2718 encoded")],
  returns: "Hash",
  handler: async (ctx, [raw]) => {
    const chain = ctx.core.chain;
    const { tx, sender } = chain.decodeRaw(raw);
    return chain.submit(tx, sender, { answerBeforeSealed: ctx.answerBeforeSealed });
  },
});

export const ethSendTransaction = defineMethod({
  name: "eth_sendTransaction",
  group: "eth",
  summary:
    "Signs with a dev account's key (or sends as an impersonated account) and submits, as eth_sendRawTransaction. Fills nonce, gas and fees; a chainId other than the devnet's is refused.",
  params: [required("transaction", TransactionRequest)],
  returns: "Hash",
  handler: async (ctx, [req]) => {
    const chain = ctx.core.chain;
    const { build, sender } = await buildSendTx(chain, req, (r) =>
      // Estimated for the block it will be mined in (number, timestamp), on the current state.
      chain.exclusive(() => estimateGas(chain, { ...ctx.core.resolveBlock(undefined), next: "next" }, r)),
    );
    return chain.submit(build, sender, { answerBeforeSealed: ctx.answerBeforeSealed });
  },
});

export const ethGetTransactionByHash = defineMethod({
  name: "eth_getTransactionByHash",
  group: "eth",
  summary: "A mined or pending transaction; null if unknown.",
  params: [required("hash", Hash)],
  returns: "Transaction | null",
  handler: (ctx, [hash]) => {
    const chain = ctx.core.chain;
    const loc = chain.store.findTx(hash);
    if (loc) return formatTransaction(loc.block.transactions[loc.index], hash, loc.block.senders[loc.index], loc);
    const pending = chain.pool.get(hash);
    return pending ? formatTransaction(pending.tx, pending.hash, pending.sender) : null;
  },
});

export const ethGetTransactionReceipt = defineMethod({
  name: "eth_getTransactionReceipt",
  group: "eth",
  summary: "Receipt of a mined transaction; null while pending or unknown.",
  params: [required("hash", Hash)],
  returns: "Receipt | null",
  handler: (ctx, [hash]) => {
    const found = ctx.core.chain.receipt(hash);
    return found ? formatReceipt(found.block, found.receipt) : null;
  },
});

export const ethTransactionMethods = [ethSendRawTransaction, ethSendTransaction, ethGetTransactionByHash, ethGetTransactionReceipt];
