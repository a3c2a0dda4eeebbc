import type { ProofMode } from "./protocol.js";

/** A Bitcoin transaction of the protocol: its txid and, once mined, its height. */
export interface TxRef {
  txid: string;
  height?: number;
}

/**
 * One batch, as the devnet keeps it (and saves it in snapshots and state files): plain JSON.
 * Block numbers are decimal strings; roots 0x-hex.
 */
export interface BatchRecord {
  index: number;
  /** Claim chain the batch's claim belongs to (a recovery starts the next one). */
  chain: number;
  mode: ProofMode;
  firstBlock: string;
  lastBlock: string;
  preStateRoot: string;
  /** As claimed by the operator (wrong when fraud was injected). */
  postStateRoot: string;
  transactionsRoot: string;
  withdrawalsRoot: string;
  commitment: string;
  /** Post-state root the watcher's own execution gave (or, see `reexecuted`, the last block's header). */
  executedRoot: string;
  /** False when the batch's pre-state predated a state load, so the watcher compared with the headers instead. */
  reexecuted?: boolean;
  fraudulent: boolean;
  windowBlocks: number;
  claim: TxRef;
  take?: TxRef;
  challenge?: TxRef;
  assert?: TxRef;
  disprove?: TxRef;
  /** Validity mode: the simulated proof, and whether its verification passed once anchored. */
  proof?: string;
  proofVerified?: boolean;
  invalidated?: { reason: string };
  /** Set by a recovery: the batch's blocks were dropped (their numbers now name other blocks). */
  rolledBack?: boolean;
}

export type BatchStatus = "claimed" | "anchored" | "challenged" | "asserted" | "disproved" | "final" | "invalidated" | "posted";

/** Why the L2 is halted: a disproved batch, or a forced transaction the sequencer left out too long. */
export interface HaltInfo {
  /** The disproved (or unprovable) batch. */
  batch?: number;
  /** The Bitcoin txid of the forced transaction the sequencer did not include in time. */
  forced?: string;
  /** With `forced`: the last hard-final L2 block when it halted, which a recovery goes back to (decimal). */
  rollbackTo?: string;
  bitcoinHeight: number;
  bitcoinBlock: string;
  reason: string;
}
