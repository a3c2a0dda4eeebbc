import type { Block } from "@ethereumjs/block";
import type { TypedTransaction } from "@ethereumjs/tx";

/** A log as stored with its receipt; positions are filled in when the block is sealed. */
export interface StoredLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: number;
}

export interface StoredReceipt {
  transactionHash: string;
  transactionIndex: number;
  from: string;
  to: string | null;
  contractAddress: string | null;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  status: 0 | 1;
  logs: StoredLog[];
  logsBloom: Uint8Array;
  type: number;
  /** Return data of a failed transaction (revert reason), kept for debugging. */
  revertData?: string;
}

export interface StoredBlock {
  block: Block;
  hash: string;
  number: bigint;
  transactions: TypedTransaction[];
  txHashes: string[];
  senders: string[];
  receipts: StoredReceipt[];
  /**
   * State root the block's transactions ran on. Usually the parent's state root,
   * unless test controls (hardhat_setBalance & co.) changed the state in between.
   */
  preStateRoot: Uint8Array;
}
