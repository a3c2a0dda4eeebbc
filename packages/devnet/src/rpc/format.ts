import type { TypedTransaction } from "@ethereumjs/tx";
import { bytesToHex } from "../hex.js";
import type { StoredBlock, StoredLog, StoredReceipt } from "../l2/types.js";

/** JSON-RPC quantity: 0x-prefixed hex without leading zeros. */
export function quantity(n: bigint | number): string {
  return `0x${n.toString(16)}`;
}

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  blockTimestamp: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed: boolean;
}

export function formatLog(block: StoredBlock, receipt: StoredReceipt, log: StoredLog): RpcLog {
  return {
    address: log.address,
    topics: log.topics,
    data: log.data,
    blockNumber: quantity(block.number),
    blockHash: block.hash,
    blockTimestamp: quantity(block.block.header.timestamp),
    transactionHash: receipt.transactionHash,
    transactionIndex: quantity(receipt.transactionIndex),
    logIndex: quantity(log.logIndex),
    removed: false,
  };
}

export function formatReceipt(block: StoredBlock, r: StoredReceipt): Record<string, unknown> {
  return {
    transactionHash: r.transactionHash,
    transactionIndex: quantity(r.transactionIndex),
    blockHash: block.hash,
    blockNumber: quantity(block.number),
    from: r.from,
    to: r.to,
    cumulativeGasUsed: quantity(r.cumulativeGasUsed),
    gasUsed: quantity(r.gasUsed),
    effectiveGasPrice: quantity(r.effectiveGasPrice),
    contractAddress: r.contractAddress,
    logs: r.logs.map((log) => formatLog(block, r, log)),
    logsBloom: bytesToHex(r.logsBloom),
    type: quantity(r.type),
    status: quantity(r.status),
  };
}

/** A transaction as eth_getTransactionByHash returns it; `block` is absent while pending. */
export function formatTransaction(
  tx: TypedTransaction,
  hash: string,
  from: string,
  position?: { block: StoredBlock; index: number },
): Record<string, unknown> {
  const json = tx.toJSON() as Record<string, unknown>;
  const out: Record<string, unknown> = {
    hash,
    type: quantity(tx.type),
    nonce: quantity(tx.nonce),
    from,
    to: tx.to?.toString() ?? null,
    gas: quantity(tx.gasLimit),
    value: quantity(tx.value),
    input: bytesToHex(tx.data),
    blockHash: position?.block.hash ?? null,
    blockNumber: position ? quantity(position.block.number) : null,
    transactionIndex: position ? quantity(position.index) : null,
    v: quantity(tx.v ?? 0n),
    r: quantity(tx.r ?? 0n),
    s: quantity(tx.s ?? 0n),
  };
  if (tx.type === 0) {
    out.gasPrice = json.gasPrice;
    const chainId = tx.common.chainId();
    if (tx.v !== undefined && tx.v >= 35n) out.chainId = quantity(chainId);
  } else {
    out.chainId = json.chainId;
    out.accessList = json.accessList ?? [];
    out.yParity = quantity(tx.v ?? 0n);
    if ("maxFeePerGas" in tx) {
      out.maxFeePerGas = quantity(tx.maxFeePerGas);
      out.maxPriorityFeePerGas = quantity(tx.maxPriorityFeePerGas);
      const baseFee = position?.block.block.header.baseFeePerGas;
      const withTip = baseFee === undefined ? tx.maxFeePerGas : baseFee + tx.maxPriorityFeePerGas;
      out.gasPrice = quantity(withTip < tx.maxFeePerGas ? withTip : tx.maxFeePerGas);
    } else {
      out.gasPrice = json.gasPrice;
    }
    if (tx.type === 4) out.authorizationList = json.authorizationList;
  }
  return out;
}

/** A block header as newHeads and eth_getBlockBy* return it. */
export function formatHeader(stored: StoredBlock): Record<string, unknown> {
  const h = stored.block.header;
  const out: Record<string, unknown> = {
    hash: stored.hash,
    parentHash: bytesToHex(h.parentHash),
    sha3Uncles: bytesToHex(h.uncleHash),
    miner: h.coinbase.toString(),
    stateRoot: bytesToHex(h.stateRoot),
    transactionsRoot: bytesToHex(h.transactionsTrie),
    receiptsRoot: bytesToHex(h.receiptTrie),
    logsBloom: bytesToHex(h.logsBloom),
    difficulty: quantity(h.difficulty),
    totalDifficulty: "0x0",
    number: quantity(h.number),
    gasLimit: quantity(h.gasLimit),
    gasUsed: quantity(h.gasUsed),
    timestamp: quantity(h.timestamp),
    extraData: bytesToHex(h.extraData),
    mixHash: bytesToHex(h.mixHash),
    nonce: bytesToHex(h.nonce),
    baseFeePerGas: quantity(h.baseFeePerGas ?? 0n),
  };
  if (h.withdrawalsRoot) out.withdrawalsRoot = bytesToHex(h.withdrawalsRoot);
  if (h.blobGasUsed !== undefined) out.blobGasUsed = quantity(h.blobGasUsed);
  if (h.excessBlobGas !== undefined) out.excessBlobGas = quantity(h.excessBlobGas);
  if (h.parentBeaconBlockRoot) out.parentBeaconBlockRoot = bytesToHex(h.parentBeaconBlockRoot);
  if (h.requestsHash) out.requestsHash = bytesToHex(h.requestsHash);
  return out;
}

export function formatBlock(stored: StoredBlock, fullTransactions: boolean): Record<string, unknown> {
  return {
    ...formatHeader(stored),
    size: quantity(stored.block.serialize().length),
    uncles: [],
    withdrawals: [],
    transactions: fullTransactions
      ? stored.transactions.map((tx, index) =>
          formatTransaction(tx, stored.txHashes[index], stored.senders[index], { block: stored, index }),
        )
      : stored.txHashes,
  };
}
