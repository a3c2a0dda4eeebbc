/**
 * What `bitlayer devnet` reports while it runs: one typed event per thing that happened. The line
 * logs print them (text or JSON); the dashboard redraws from the model the same feed keeps.
 *
 * @module
 */

/** A dev account as the `listening` event lists it (the keys are public: the well-known test mnemonic). */
export interface ListeningAccount {
  address: string;
  privateKey: string;
  /** Balance at start, in wei. */
  balance: bigint;
}

/** A peg-out as the feed follows it. */
export interface WithdrawalInfo {
  id: string;
  status: string;
  amountSats: number;
  btcAddress: string;
  from: string;
  blockNumber: bigint | null;
  payment: { txid: string; height: number } | null;
}

/** Every event, by its `event` name. Block numbers are bigints (decimal strings in JSON). */
export type DevnetEvent =
  | {
      event: "listening";
      url: string;
      wsUrl: string;
      bitcoinRpc: { url: string; user: string; password: string };
      chainId: bigint;
      preset: string;
      state: { file: string; loadedBlock?: bigint } | null;
      accounts: ListeningAccount[];
      warning: string;
    }
  /** An L2 block with transactions (or a lone empty one). */
  | {
      event: "block";
      number: bigint;
      hash: string;
      transactions: number;
      /** Of `transactions`, those of the system account (light-client updates, peg-in mints), when any. */
      systemTransactions?: number;
    }
  /** A run of empty L2 blocks (hardhat_mine, interval mining while idle), as one event. */
  | { event: "blocks"; count: number; from: bigint; to: bigint }
  | { event: "console"; text: string; transactionHash?: string; blockNumber?: bigint }
  /** New Bitcoin blocks: `count` of them, the tip now at `height`. */
  | { event: "bitcoin"; height: number; count: number }
  | {
      event: "batch";
      index: number;
      /** claimed, anchored, challenged, asserted, disproved, final (hard), invalidated. */
      status: string;
      firstBlock: bigint;
      lastBlock: bigint;
      claimHeight: number | null;
      windowClosesAt: number | null;
      reason?: string;
    }
  /** Several batches reaching one step at once (a warp): batches `from` to `to`. */
  | { event: "batches"; status: string; from: number; to: number; count: number; firstBlock: bigint; lastBlock: bigint }
  | ({ event: "withdrawal" } & WithdrawalInfo)
  | {
      event: "deposit";
      txid: string;
      vout: number;
      status: string;
      amountSats: number;
      recipient: string | null;
      mintBlock: bigint | null;
      problem: string | null;
    }
  | { event: "halt"; reason: string; batch?: number; bitcoinHeight: number; bitcoinBlock: string }
  | { event: "resume" }
  /** The clock jumped ahead of the wall clock (bitlayer_warp, evm_increaseTime, blocks stamped ahead). */
  | { event: "warp"; from: number; to: number; seconds: number }
  /** The L2 head went back (evm_revert, hardhat_reset, bitlayer_recover). */
  | { event: "rollback"; to: bigint }
  | { event: "warning"; message: string }
  | { event: "stopping"; signal: string; stateFile: string | null }
  | { event: "saved"; file: string };

export type DevnetEventName = DevnetEvent["event"];

/** One event as one JSON line: bigints as decimal strings. */
export function jsonLine(event: DevnetEvent): string {
  return JSON.stringify(event, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}
