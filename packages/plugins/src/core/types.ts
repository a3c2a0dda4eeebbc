/**
 * Public types of the helper core. They mirror the devnet's JSON-RPC answers as they come over the wire
 * (quantities as hex strings, sats as JSON numbers, Bitcoin txids without 0x), so nothing is lost or renamed.
 *
 * @module
 */

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

/** The minimal EIP-1193 provider the helpers need: Hardhat's, ethers' `BrowserProvider` source, viem's transports, the devnet's. */
export interface Eip1193Provider {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
}

/** Finality levels, lowest first, as bitlayer_getFinality reports them. */
export type FinalityLevel = "pending" | "soft" | "anchored" | "hard" | "invalidated";

/** The levels one can wait for. */
export type TargetLevel = "soft" | "anchored" | "hard";

/** The finality of a transaction or an L2 block (bitlayer_getFinality's answer). */
export interface Finality {
  level: FinalityLevel;
  /** L2 block number (hex); null while pending. */
  blockNumber: Hex | null;
  blockHash: Hex | null;
  transactionHash?: Hex;
  /** The batch that holds the block; null before it is sealed, and on networks that are not the devnet. */
  batch: number | null;
  claim: { txid: string; height: number; confirmations: number } | null;
  /** The Bitcoin height at which the batch's challenge window closes. */
  windowClosesAt: number | null;
  /** Why the block was invalidated, when it was. */
  invalidated: string | null;
}

/** What bitlayer_status says: the devnet at a glance. */
export interface Status {
  /** The virtual clock (unix seconds). */
  time: number;
  l2: { latest: Hex; safe: Hex; finalized: Hex };
  bitcoin: { height: number; bestBlockHash: string; nextBlockAt: number; blockTime: number; simulated: true };
  rollup: {
    mode: string;
    watcher: boolean;
    confirmations: number;
    windowBlocks: number;
    windowSeconds: number;
    assertBlocks: number;
    claimChain: number;
    batches: number;
    /** The newest batch: its index and its first and last L2 blocks (quantities). */
    lastBatch: { index: number; firstBlock: Hex; lastBlock: Hex } | null;
    fraudInjected: boolean;
  };
  halted: null | { batch: number; bitcoinHeight: number; bitcoinBlock: string; reason: string };
}

/** What bitlayer_warp answers. */
export interface WarpResult {
  /** Virtual time before and after (unix seconds). */
  from: number;
  to: number;
  /** Bitcoin blocks produced on the way. */
  bitcoinBlocks: number;
  /** For a warp until a level: the target's finality once there. */
  finality?: Finality;
}

/** What bitlayer_injectFraud answers. */
export interface InjectFraudResult {
  /** The index the fraudulent batch will have. */
  batch: number;
}

/** What bitlayer_recover answers. */
export interface RecoverResult {
  rolledBackTo: Hex;
  droppedBlocks: Hex;
  droppedTransactions: number;
  claimChain: number;
}

/** A peg-in (bitlayer_getDeposit's answer). */
export interface Deposit {
  txid: string;
  vout: number;
  amountSats: number;
  amountWei: Hex;
  recipient: string | null;
  status: "pending" | "confirmed" | "minted" | "rejected";
  height: number;
  confirmations: number;
  mint: { blockNumber: Hex; transactionHash: Hex } | null;
  problem: string | null;
}

/** A payment on the simulated Bitcoin chain. */
export interface BitcoinPayment {
  txid: string;
  height: number;
}

/** A peg-out (bitlayer_getWithdrawal's answer). */
export interface Withdrawal {
  id: Hex;
  index: Hex;
  status: "initiated" | "anchored" | "finalized" | "paid" | "paid-by-broker" | "reimbursed" | "invalidated";
  from: string;
  btcAddress: string;
  scriptPubKey: Hex;
  amountSats: number;
  feeSats: number;
  paidSats: number;
  transactionHash: Hex;
  blockNumber: Hex;
  batch: number | null;
  /** What the user received on Bitcoin. */
  payment: BitcoinPayment | null;
  paidBy: string | null;
  reimbursement: BitcoinPayment | null;
  invalidated: string | null;
  /** Why a due payment waits, when it does. */
  waiting: string | null;
}

/** What `withdraw` returns. */
export interface WithdrawResult {
  transactionHash: Hex;
  /** The `WithdrawalInitiated` event's id. */
  withdrawalId: Hex;
}

/** What `waitForPayout` returns. */
export interface PayoutResult {
  payment: BitcoinPayment;
  withdrawal: Withdrawal;
}
