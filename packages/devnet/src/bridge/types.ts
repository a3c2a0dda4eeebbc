import type { TxRef } from "../rollup/types.js";

/**
 * How peg-outs are paid: "standard" (the optimistic model: the bridge pays once the burn's batch is
 * hard final) or "broker" (a broker pays at once and the bridge reimburses it after hard finality).
 */
export type BridgeMode = "standard" | "broker";

export const BRIDGE_MODES = ["standard", "broker"] as const satisfies readonly BridgeMode[];

/** Settings of the bridge (configuration: snapshots leave them alone; state files must match). */
export interface BridgeConfig {
  mode: BridgeMode;
  /** Confirmations a Bitcoin block (for the light client), a peg-in or a forced transaction needs before the L2 acts on it. */
  depositConfirmations: number;
  /** Seconds the sequencer has to include a forced transaction once its Bitcoin transaction is mined. */
  forceInclusionSeconds: number;
}

/** A Bitcoin output paid to the bridge, and what the L2 made of it. Amounts in sats, decimal strings. */
export interface DepositRecord {
  txid: string;
  vout: number;
  amount: string;
  height: number;
  /** Lower-case L2 recipient from the `BTL` marker, when well formed. */
  recipient?: string;
  /** Why it is not minted (no marker, a bad recipient): its BTC stays locked, unminted. */
  problem?: string;
  /** The mint on the L2, once a block included it (`failed`: it reverted, e.g. the recipient refused the value). */
  mint?: { l2Block: string; l2Tx: string; failed?: string };
}

/** A peg-out, from its burn on the L2 (a `WithdrawalInitiated` event of the bridge) to its payment on Bitcoin. */
export interface WithdrawalRecord {
  id: string;
  index: string;
  from: string;
  btcAddress: string;
  /** Output script the bridge pays, as the contract parsed the address. */
  script: string;
  /** Sats burned; the payment is this minus the withdrawal fee. */
  amount: string;
  l2Tx: string;
  l2Block: string;
  /** The batch that committed it. */
  batch: number;
  /** Standard mode: the bridge's payment to the user. Broker mode: the bridge's reimbursement of the broker. */
  payout?: TxRef;
  /** Broker mode: the broker's payment to the user. */
  broker?: TxRef;
  /** Already paid on Bitcoin from the last hard-final state when the sequencer ignored its forced transaction. */
  escaped?: TxRef;
}

/** A forced transaction posted on Bitcoin (`BTLF` + a raw signed L2 transaction). */
export interface ForcedRecord {
  txid: string;
  height: number;
  /** The sequencer must include it before this (virtual) time: its Bitcoin block's time + the window. */
  deadline: number;
  raw: string;
  /** Hash and sender of the L2 transaction, when it decodes. */
  l2Tx?: string;
  from?: string;
  /** Why it can never be included (it does not decode). */
  problem?: string;
  /** The L2 block that included it, or why the block builder could not (a nonce already used...). */
  included?: { l2Block: string };
  dropped?: string;
  /** After a halt for its censorship: what running it on the last hard-final state gave. */
  escape?: {
    finalizedBlock: string;
    /** The withdrawal it makes on that state: its id, sats and output script. */
    withdrawal?: string;
    amount?: string;
    script?: string;
    payout?: TxRef;
    problem?: string;
  };
}

/** What the bridge keeps between Bitcoin blocks, as plain data (snapshots, state files). */
export interface BridgeData {
  deposits: DepositRecord[];
  withdrawals: WithdrawalRecord[];
  forced: ForcedRecord[];
  /** Highest Bitcoin block the light client holds (-1: none yet). */
  lightClientHeight: number;
  censoring: boolean;
}

/** Where a withdrawal is in its life. */
export type WithdrawalStatus = "initiated" | "paid-by-broker" | "anchored" | "finalized" | "paid" | "reimbursed" | "invalidated";
