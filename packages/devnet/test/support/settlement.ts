// Shared by the settlement layer's tests: typed views of the bitlayer_* answers, a client that
// drives one devnet (L2 requests, Bitcoin RPC, warps by Bitcoin block), and a snapshot of
// everything observable on both chains, to compare two devnets or one devnet before and after.

import assert from "node:assert/strict";
import { type CreateDevnetOptions, type Devnet, ProviderRpcError } from "../../src/index.js";
import { type DevnetFixture, devnetFixture } from "./devnets.js";

/** Fixed genesis time: every settlement test is deterministic. */
export const GENESIS = 1_700_000_000;
/** The mainnet preset's Bitcoin block time, in seconds. */
export const BLOCK_TIME = 600;
/** Seven days: the mainnet preset's challenge period. */
export const WEEK = 7 * 24 * 3600;

export interface TxRefView {
  txid: string;
  height: number | null;
  confirmations: number;
}

export interface BatchView {
  index: number;
  claimChain: number;
  mode: "optimistic" | "validity";
  status: string;
  firstBlock: string;
  lastBlock: string;
  preStateRoot: string;
  postStateRoot: string;
  commitment: string;
  claim: TxRefView;
  anchoredAt: number | null;
  windowClosesAt: number | null;
  take: TxRefView | null;
  challenge: TxRefView | null;
  assert: TxRefView | null;
  disprove: TxRefView | null;
  proof: { simulated: boolean; proof: string; verified: boolean | null } | null;
  fraudulent: boolean;
  watcher: string;
  invalidated: string | null;
}

export interface HaltView {
  batch: number;
  bitcoinHeight: number;
  bitcoinBlock: string;
  reason: string;
}

export interface StatusView {
  time: number;
  l2: { latest: string; safe: string; finalized: string };
  bitcoin: { height: number; bestBlockHash: string; nextBlockAt: number; blockTime: number };
  rollup: {
    mode: string;
    watcher: boolean;
    confirmations: number;
    windowBlocks: number;
    assertBlocks: number;
    claimChain: number;
    batches: number;
    fraudInjected: boolean;
  };
  halted: HaltView | null;
}

export interface FinalityView {
  level: string;
  blockNumber: string | null;
  blockHash: string | null;
  batch: number | null;
  claim: { txid: string; height: number | null; confirmations: number } | null;
  windowClosesAt: number | null;
  invalidated: string | null;
}

export interface WarpView {
  from: number;
  to: number;
  bitcoinBlocks: number;
  finality?: FinalityView;
}

export interface RecoverView {
  rolledBackTo: string;
  droppedBlocks: string;
  droppedTransactions: number;
  claimChain: number;
}

/** A transaction as getrawtransaction (verbose) shows it. */
export interface BitcoinTxView {
  txid: string;
  vin: { txid: string; vout: number }[];
  vout: { n: number; value: number }[];
  blockhash?: string;
  confirmations?: number;
}

interface BlockView {
  number: string;
  hash: string;
  timestamp: string;
}

/** Everything observable on both chains, to compare (deepEqual) two moments or two devnets. */
export interface ChainsView {
  status: StatusView;
  batches: BatchView[];
  bitcoinBlocks: number;
  bestBlockHash: string;
  mempool: string[];
  latest: BlockView;
  safe: BlockView;
  finalized: BlockView;
  /** The bridge: its settings and light client, its books, every withdrawal. */
  bridge: { info: unknown; accounting: unknown; withdrawals: unknown[] };
}

/** Asserts that `promise` is refused with this devnet reason and JSON-RPC code; returns the error. */
export async function refused(promise: Promise<unknown>, reason: string, code: number, message?: RegExp): Promise<ProviderRpcError> {
  const outcome = await promise.then(
    (answer: unknown) => ({ answer }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) assert.fail(`expected ${reason}, got the answer ${JSON.stringify(outcome.answer)?.slice(0, 300)}`);
  const error = outcome.error;
  assert.ok(error instanceof ProviderRpcError, `expected a ProviderRpcError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  assert.equal(error.code, code, error.message);
  if (message) assert.match(error.message, message);
  return error;
}

/** One devnet, driven through its public entry points only. */
export class Chains {
  constructor(readonly devnet: Devnet) {}

  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.devnet.request({ method, params }) as Promise<T>;
  }

  bitcoin<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.devnet.bitcoinRequest(method, params) as Promise<T>;
  }

  address(i: number): string {
    return this.devnet.accounts[i].address;
  }

  /** A transfer from dev account `from` to `to`; answers its hash (mined at once with automine). */
  transfer(value: bigint, from = 0, to = 1): Promise<string> {
    return this.rpc<string>("eth_sendTransaction", [{ from: this.address(from), to: this.address(to), value: `0x${value.toString(16)}` }]);
  }

  status(): Promise<StatusView> {
    return this.rpc<StatusView>("bitlayer_status");
  }

  batch(index: number): Promise<BatchView> {
    return this.rpc<BatchView>("bitlayer_getBatch", [index]);
  }

  batches(): Promise<BatchView[]> {
    return this.rpc<BatchView[]>("bitlayer_listBatches");
  }

  finality(target: string | number): Promise<FinalityView> {
    return this.rpc<FinalityView>("bitlayer_getFinality", [target]);
  }

  warp(warp: number | { until: "anchored" | "hard"; tx?: string; block?: string | number }): Promise<WarpView> {
    return this.rpc<WarpView>("bitlayer_warp", [warp]);
  }

  async bitcoinHeight(): Promise<number> {
    return this.bitcoin<number>("getblockcount");
  }

  block(tag: string | number): Promise<BlockView> {
    return this.rpc<BlockView>("eth_getBlockByNumber", [typeof tag === "number" ? `0x${tag.toString(16)}` : tag, false]);
  }

  /** Number of the block a tag names (safe, finalized, latest). */
  async blockNumber(tag: string): Promise<number> {
    return Number((await this.block(tag)).number);
  }

  async balance(i: number, tag: string): Promise<bigint> {
    return BigInt(await this.rpc<string>("eth_getBalance", [this.address(i), tag]));
  }

  /**
   * Seconds from now to the time of the Bitcoin block at `height` (scheduled blocks come every
   * `blockTime` seconds from `nextBlockAt`): warping by that many seconds makes the chain reach
   * exactly that height.
   */
  async secondsUntilHeight(height: number): Promise<number> {
    const s = await this.status();
    const blocks = height - s.bitcoin.height;
    assert.ok(blocks >= 1, `Bitcoin is already at ${s.bitcoin.height}, past ${height}`);
    return s.bitcoin.nextBlockAt + (blocks - 1) * s.bitcoin.blockTime - s.time;
  }

  /** Warps (bitlayer_warp by seconds) until Bitcoin is exactly at `height`. */
  async warpToHeight(height: number): Promise<void> {
    await this.warp(await this.secondsUntilHeight(height));
    assert.equal(await this.bitcoinHeight(), height);
  }

  /** Moves the clock with evm_increaseTime and mines an L2 block with evm_mine: Bitcoin follows. */
  async increaseTimeAndMine(seconds: number): Promise<void> {
    await this.rpc("evm_increaseTime", [seconds]);
    await this.rpc("evm_mine");
  }

  getRawTransaction(txid: string): Promise<BitcoinTxView> {
    return this.bitcoin<BitcoinTxView>("getrawtransaction", [txid, true]);
  }

  /** Both chains as they stand (no Bitcoin block or L2 block is produced by reading them). */
  async view(): Promise<ChainsView> {
    return {
      status: await this.status(),
      batches: await this.batches(),
      bitcoinBlocks: await this.bitcoinHeight(),
      bestBlockHash: await this.bitcoin<string>("getbestblockhash"),
      mempool: await this.bitcoin<string[]>("getrawmempool"),
      latest: await this.block("latest"),
      safe: await this.block("safe"),
      finalized: await this.block("finalized"),
      bridge: {
        info: await this.rpc("bitlayer_bridgeInfo"),
        accounting: await this.rpc("bitlayer_bridgeAccounting"),
        withdrawals: await this.rpc<unknown[]>("bitlayer_listWithdrawals"),
      },
    };
  }

  /** Hashes of every Bitcoin block from `from` to the tip. */
  async bitcoinBlockHashes(from = 0): Promise<string[]> {
    const tip = await this.bitcoinHeight();
    const hashes: string[] = [];
    for (let h = from; h <= tip; h++) hashes.push(await this.bitcoin<string>("getblockhash", [h]));
    return hashes;
  }

  /** Hashes of every L2 block. */
  async l2BlockHashes(): Promise<string[]> {
    const latest = await this.blockNumber("latest");
    const hashes: string[] = [];
    for (let n = 0; n <= latest; n++) hashes.push((await this.block(n)).hash);
    return hashes;
  }
}

/** Registers the devnet fixture's hooks (call inside a `describe`); `start` gives a fixed-genesis devnet. */
export function chainsFixture(prefix: string): { fixture: DevnetFixture; start(options?: CreateDevnetOptions): Promise<Chains> } {
  const fixture = devnetFixture(prefix);
  return {
    fixture,
    start: async (options = {}) => new Chains(await fixture.start({ genesisTimestamp: GENESIS, ...options })),
  };
}
