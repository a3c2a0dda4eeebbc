import { Block, type BlockHeader, createBlockHeader, type HeaderData } from "@ethereumjs/block";
import type { Common } from "@ethereumjs/common";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Bloom, type TxReceipt, type VM } from "@ethereumjs/vm";
import { bytesToHex } from "../hex.js";
import { executeTx } from "./execute.js";
import { libOptions } from "./profile.js";
import { receiptsRoot, transactionsRoot } from "./roots.js";
import { rejectionAtMining } from "./transactions.js";
import { effectiveTip, feeCap, type PoolTx } from "./txpool.js";
import type { StoredBlock, StoredLog, StoredReceipt } from "./types.js";

export interface MinedBlock {
  stored: StoredBlock;
  included: PoolTx[];
  /** The EVM exception of each included transaction that failed, by hash. */
  exceptions: Map<string, string>;
  dropped: { ptx: PoolTx; error: Error }[];
}

/** Whether a transaction can go into a block with this base fee and this much gas left. */
export function fitsBlock(tx: TypedTransaction, baseFee: bigint, gasLeft: bigint): boolean {
  return feeCap(tx) >= baseFee && tx.gasLimit <= gasLeft;
}

/** Effective price per gas a transaction pays at a base fee. */
export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint): bigint {
  if ("maxFeePerGas" in tx) {
    const withTip = baseFee + tx.maxPriorityFeePerGas;
    return withTip < tx.maxFeePerGas ? withTip : tx.maxFeePerGas;
  }
  return (tx as { gasPrice: bigint }).gasPrice;
}

/** A header-only block: the context transactions run in before the block is sealed. */
export function executionBlock(common: Common, header: HeaderData): Block {
  return new Block(createBlockHeader(header, libOptions(common)), [], [], [], libOptions(common));
}

/** The context a mined block's transactions ran in, to run them again (traces, the watcher). */
export function replayContext(common: Common, h: BlockHeader): Block {
  return executionBlock(common, {
    number: h.number,
    timestamp: h.timestamp,
    coinbase: h.coinbase,
    gasLimit: h.gasLimit,
    baseFeePerGas: h.baseFeePerGas,
    difficulty: h.difficulty,
    mixHash: h.mixHash,
    parentHash: h.parentHash,
    parentBeaconBlockRoot: h.parentBeaconBlockRoot,
  });
}

/** A block's transactions once they have run, before the block is sealed (its roots hashed). */
export type ExecutedBlock = Pick<MinedBlock, "included" | "exceptions"> & { receipts: readonly StoredReceipt[] };

/**
 * Builds one block from the candidates: runs each transaction once against the
 * live state (no re-execution of earlier ones), then computes the roots once.
 * Candidates are taken by effective tip, nonce order within each sender.
 * `executed` is called between the two, when every outcome is known and nothing is sealed yet.
 */
export async function mineBlock(
  vm: VM,
  common: Common,
  header: HeaderData & { number: bigint; gasLimit: bigint; baseFeePerGas: bigint },
  candidates: Map<string, PoolTx[]>,
  preStateRoot: Uint8Array,
  prelude: readonly PoolTx[] = [],
  executed?: (block: ExecutedBlock) => void,
): Promise<MinedBlock> {
  const context = executionBlock(common, header);
  const queues = [...candidates.values()].map((list) => [...list]);
  const included: PoolTx[] = [];
  const dropped: { ptx: PoolTx; error: Error }[] = [];
  const exceptions = new Map<string, string>();
  const receipts: { receipt: TxReceipt; type: number }[] = [];
  const stored: StoredReceipt[] = [];
  const bloom = new Bloom(undefined, common);
  let gasUsed = 0n;
  let logIndex = 0;

  // One checkpoint around the whole block: the state manager writes its caches into the trie
  // (hashing nodes) when its outermost checkpoint commits — per transaction without this one.
  await vm.stateManager.checkpoint();
  try {
    // The protocol's transactions first, in their order (the prelude made their gas limits fit the block).
    for (const ptx of prelude) await include(ptx);
    for (;;) {
      let best = -1;
      for (let i = 0; i < queues.length; i++) {
        const head = queues[i][0];
        if (!head) continue;
        if (!fitsBlock(head.tx, header.baseFeePerGas, header.gasLimit - gasUsed)) {
          queues[i] = []; // this sender waits for a later block
          continue;
        }
        if (best < 0) best = i;
        else {
          const a = effectiveTip(head.tx, header.baseFeePerGas);
          const b = effectiveTip(queues[best][0].tx, header.baseFeePerGas);
          if (a > b || (a === b && head.seq < queues[best][0].seq)) best = i;
        }
      }
      if (best < 0) break;
      const ptx = queues[best].shift() as PoolTx;
      if (!(await include(ptx))) queues[best] = []; // later nonces of this sender cannot run now
    }
  } catch (error) {
    await vm.stateManager.revert();
    throw error;
  }
  executed?.({ included, exceptions, receipts: stored });
  await vm.stateManager.commit();

  /** Runs one transaction into the block; false when it cannot run (it is dropped with the reason). */
  async function include(ptx: PoolTx): Promise<boolean> {
    let result: Awaited<ReturnType<typeof executeTx>>;
    try {
      result = await executeTx(vm, ptx.tx, context, gasUsed, { allowSenderWithCode: ptx.impersonated, plain: true });
    } catch (error) {
      dropped.push({ ptx, error: rejectionAtMining(error, ptx.hash) });
      return false;
    }
    gasUsed += result.totalGasSpent;
    bloom.or(result.bloom);
    receipts.push({ receipt: result.receipt, type: ptx.tx.type });
    const logs: StoredLog[] = (result.execResult.logs ?? []).map(([address, topics, data]) => ({
      address: bytesToHex(address),
      topics: topics.map((t) => bytesToHex(t)),
      data: bytesToHex(data),
      logIndex: logIndex++,
    }));
    const failed = result.execResult.exceptionError !== undefined;
    if (failed) exceptions.set(ptx.hash, result.execResult.exceptionError?.error ?? "unknown");
    stored.push({
      transactionHash: ptx.hash,
      transactionIndex: included.length,
      from: ptx.sender,
      to: ptx.tx.to?.toString() ?? null,
      contractAddress: result.createdAddress?.toString() ?? null,
      gasUsed: result.totalGasSpent,
      cumulativeGasUsed: gasUsed,
      effectiveGasPrice: effectiveGasPrice(ptx.tx, header.baseFeePerGas),
      status: failed ? 0 : 1,
      logs,
      logsBloom: result.bloom.bitvector,
      type: ptx.tx.type,
      revertData: failed ? bytesToHex(result.execResult.returnValue) : undefined,
    });
    included.push(ptx);
    return true;
  }

  const transactions = included.map((p) => p.tx);
  const sealed: BlockHeader = createBlockHeader(
    {
      ...header,
      stateRoot: await vm.stateManager.getStateRoot(),
      transactionsTrie: transactionsRoot(transactions, common),
      receiptTrie: receiptsRoot(receipts, common),
      logsBloom: bloom.bitvector,
      gasUsed,
    },
    libOptions(common),
  );
  const block = new Block(sealed, transactions, [], [], libOptions(common));
  return {
    stored: {
      block,
      hash: bytesToHex(block.hash()),
      number: header.number,
      transactions,
      txHashes: included.map((p) => p.hash),
      senders: included.map((p) => p.sender),
      receipts: stored,
      preStateRoot,
    },
    included,
    exceptions,
    dropped,
  };
}
