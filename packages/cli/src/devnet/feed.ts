/**
 * The event feed of a running devnet, in process: L2 blocks, console.log lines and halts as they
 * happen (the engine's own listeners), everything else (Bitcoin blocks, batches, withdrawals,
 * deposits, clock jumps) by polling the devnet's own `bitlayer_*` methods and turning differences
 * into events. It keeps one model, which both the line logs and the dashboard read.
 *
 * @module
 */

import { EventEmitter } from "node:events";
import { type Devnet, type HaltInfo, PREMINE_BLOCKS, SYSTEM_ADDRESS } from "@bitlayer/devnet";
import type { DevnetEvent, WithdrawalInfo } from "./events.js";

export type { WithdrawalInfo } from "./events.js";

/** A batch as the model keeps it (a subset of bitlayer_listBatches' objects). */
export interface BatchInfo {
  index: number;
  status: string;
  mode: string;
  firstBlock: bigint;
  lastBlock: bigint;
  claimHeight: number | null;
  anchoredAt: number | null;
  windowClosesAt: number | null;
}

export interface TransactionInfo {
  hash: string;
  block: bigint;
}

/** What the devnet looks like now: the dashboard draws exactly this. */
export interface DevnetModel {
  /** The devnet's clock (unix seconds). */
  time: number;
  heads: { latest: bigint; safe: bigint; finalized: bigint };
  bitcoin: { height: number; blockTime: number; nextBlockAt: number };
  rollup: { mode: string; watcher: boolean; confirmations: number; windowBlocks: number; batches: number };
  /** The most recent batches (and every one not yet final), oldest first. */
  batches: BatchInfo[];
  /** The most recent user transactions, oldest first. */
  transactions: TransactionInfo[];
  /** The most recent withdrawals, oldest first. */
  withdrawals: WithdrawalInfo[];
  deposits: number;
  halted: HaltInfo | null;
}

export interface FeedOptions {
  /** How often to poll the devnet's status (ms). Idle polls are one in-process bitlayer_status. */
  pollMs?: number;
  /** A run of empty blocks ends after this long without a block (ms); interval mining adds its interval. */
  quietMs?: number;
}

const KEEP_BATCHES = 50;
const KEEP_TRANSACTIONS = 20;
const KEEP_WITHDRAWALS = 20;
/** A run of empty blocks under interval mining is reported at least this often (ms). */
const RUN_REPORT_MS = 60_000;
/** Clock jumps smaller than this (s) are scheduling noise, not warps. */
const WARP_THRESHOLD_S = 3;
/** More batches than this reaching one step in one poll are reported as one `batches` event. */
const BATCH_RUN = 3;
const TERMINAL_BATCH = new Set(["final", "invalidated"]);
/** A batch's life without a dispute: skipped steps (a warp crosses several at once) are still reported. */
const BATCH_PATH = ["posted", "claimed", "anchored", "final"];

interface StatusAnswer {
  time: number;
  l2: { latest: string; safe: string; finalized: string };
  bitcoin: { height: number; bestBlockHash: string; nextBlockAt: number; blockTime: number };
  rollup: { mode: string; watcher: boolean; confirmations: number; windowBlocks: number; batches: number; claimChain: number };
  halted: HaltInfo | null;
}

interface BatchAnswer {
  index: number;
  mode: string;
  status: string;
  firstBlock: string;
  lastBlock: string;
  claim: { height: number } | null;
  anchoredAt: number | null;
  windowClosesAt: number | null;
  invalidated: { reason: string } | null;
}

interface WithdrawalAnswer {
  id: string;
  status: string;
  amountSats: number;
  btcAddress: string;
  from: string;
  blockNumber: string | null;
  payment: { txid: string; height: number } | null;
}

interface DepositAnswer {
  txid: string;
  vout: number;
  status: string;
  amountSats: number;
  recipient: string | null;
  mint: { blockNumber: string } | null;
  problem: string | null;
}

interface EmptyRun {
  from: bigint;
  to: bigint;
  count: number;
  hash: string;
  transactions: number;
  startedAt: number;
  lastAt: number;
}

/** The steps a batch went through from `prev` (undefined: new) to `next`. */
function batchSteps(prev: string | undefined, next: string): string[] {
  if (prev === next) return [];
  const to = BATCH_PATH.indexOf(next);
  const from = prev === undefined ? 0 : BATCH_PATH.indexOf(prev);
  if (to > 0 && from >= 0 && from < to) return BATCH_PATH.slice(Math.max(from + 1, 1), to + 1);
  return [next];
}

function toBatch(b: BatchAnswer): BatchInfo {
  return {
    index: b.index,
    status: b.status,
    mode: b.mode,
    firstBlock: BigInt(b.firstBlock),
    lastBlock: BigInt(b.lastBlock),
    claimHeight: b.claim?.height ?? null,
    anchoredAt: b.anchoredAt ?? null,
    windowClosesAt: b.windowClosesAt ?? null,
  };
}

function toWithdrawal(w: WithdrawalAnswer): WithdrawalInfo {
  return {
    id: w.id,
    status: w.status,
    amountSats: w.amountSats,
    btcAddress: w.btcAddress,
    from: w.from,
    blockNumber: w.blockNumber === null ? null : BigInt(w.blockNumber),
    payment: w.payment,
  };
}

/**
 * Listens to a devnet and reports what happens as `event`s (DevnetEvent) and model `change`s.
 * Polling uses `devnet.request` in process (no HTTP); its timer is unref'd so it never keeps the
 * process alive.
 */
export class DevnetFeed extends EventEmitter<{ event: [DevnetEvent]; change: [] }> {
  readonly model: DevnetModel;
  private readonly devnet: Devnet;
  private readonly pollMs: number;
  private readonly quietMs: number;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly knownBatches = new Map<number, BatchInfo>();
  private readonly knownWithdrawals = new Map<string, string>();
  private readonly knownDeposits = new Map<string, string>();
  private run: EmptyRun | undefined;
  private runTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** What the last poll saw; the lists are fetched again only when it changes. */
  private signature = "";
  private lastPoll = { time: 0, wall: 0 };
  /** The highest L2 block seen: a head below it means the chain went back. */
  private highest = 0n;
  /** When the last block came (wall clock, s): a block stamped ahead moves the clock, which then runs on from it. */
  private lastBlockWall = 0;

  constructor(devnet: Devnet, options: FeedOptions = {}) {
    super();
    this.devnet = devnet;
    this.pollMs = options.pollMs ?? 300;
    this.quietMs = options.quietMs ?? 1000;
    this.model = {
      time: 0,
      heads: { latest: 0n, safe: 0n, finalized: 0n },
      bitcoin: { height: 0, blockTime: 0, nextBlockAt: 0 },
      rollup: { mode: "optimistic", watcher: true, confirmations: 0, windowBlocks: 0, batches: 0 },
      batches: [],
      transactions: [],
      withdrawals: [],
      deposits: 0,
      halted: null,
    };
  }

  /** Reads the devnet as it is (no events for what already exists), then follows it. */
  async start(): Promise<void> {
    await this.poll(true);
    const { devnet } = this;
    this.unsubscribe.push(devnet.onBlock((block) => this.onBlock(block)));
    this.unsubscribe.push(
      devnet.onConsole((log) =>
        this.emitEvent({ event: "console", text: log.text, transactionHash: log.transactionHash, blockNumber: log.blockNumber }),
      ),
    );
    const onHalt = (halt: HaltInfo | undefined) => {
      this.model.halted = halt ?? null;
      this.emitEvent(
        halt
          ? { event: "halt", reason: halt.reason, batch: halt.batch, bitcoinHeight: halt.bitcoinHeight, bitcoinBlock: halt.bitcoinBlock }
          : { event: "resume" },
      );
    };
    devnet.core.on("halt", onHalt);
    this.unsubscribe.push(() => devnet.core.off("halt", onHalt));
    const onWarning = (message: string) => this.emitEvent({ event: "warning", message });
    devnet.core.chain.on("warning", onWarning);
    this.unsubscribe.push(() => devnet.core.chain.off("warning", onWarning));
    this.schedulePoll();
  }

  /** Stops listening and polling; a pending run of empty blocks is reported first. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.flushRun();
    for (const off of this.unsubscribe.splice(0)) off();
    clearTimeout(this.pollTimer);
    clearTimeout(this.runTimer);
  }

  /** Reports an event from outside the devnet (start-up, shutdown) in the same stream. */
  emitEvent(event: DevnetEvent): void {
    this.flushRun();
    this.emit("event", event);
    this.emit("change");
  }

  private onBlock(block: { number: bigint; hash: string; transactions: unknown[]; senders: string[]; txHashes: string[] }): void {
    const system = SYSTEM_ADDRESS.toLowerCase();
    let user = 0;
    block.senders.forEach((sender, i) => {
      if (sender.toLowerCase() === system) return;
      user++;
      this.model.transactions.push({ hash: block.txHashes[i], block: block.number });
    });
    if (this.model.transactions.length > KEEP_TRANSACTIONS)
      this.model.transactions.splice(0, this.model.transactions.length - KEEP_TRANSACTIONS);
    this.model.heads.latest = block.number;
    this.lastBlockWall = Date.now() / 1000;
    if (block.number > this.highest) this.highest = block.number;
    if (user > 0) {
      const system = block.transactions.length - user;
      this.emitEvent({
        event: "block",
        number: block.number,
        hash: block.hash,
        transactions: block.transactions.length,
        ...(system > 0 ? { systemTransactions: system } : {}),
      });
      return;
    }
    // Empty (or only the system's light-client updates): part of a run, reported as one line.
    const now = Date.now();
    const run = this.run;
    if (run && block.number === run.to + 1n) {
      const gap = now - run.lastAt;
      run.to = block.number;
      run.count++;
      run.lastAt = now;
      const mining = this.devnet.core.chain.mining;
      // Interval mining while idle never goes quiet: report its run now and then (a burst's blocks are ms apart).
      if (mining.mode === "interval" && now - run.startedAt >= RUN_REPORT_MS && gap >= mining.intervalMs / 2) this.flushRun();
    } else {
      this.flushRun();
      this.run = {
        from: block.number,
        to: block.number,
        count: 1,
        hash: block.hash,
        transactions: block.transactions.length,
        startedAt: now,
        lastAt: now,
      };
      this.armRunTimer(this.runQuietMs());
    }
    this.emit("change");
  }

  private runQuietMs(): number {
    const mining = this.devnet.core.chain.mining;
    return this.quietMs + (mining.mode === "interval" ? mining.intervalMs : 0);
  }

  /** Ends the run once no block came for the quiet period (checked when the timer fires, not re-armed per block). */
  private armRunTimer(ms: number): void {
    clearTimeout(this.runTimer);
    this.runTimer = setTimeout(() => {
      const run = this.run;
      if (!run) return;
      const quiet = this.runQuietMs();
      const idle = Date.now() - run.lastAt;
      if (idle >= quiet) this.flushRun();
      else this.armRunTimer(quiet - idle);
    }, ms);
    this.runTimer.unref();
  }

  private flushRun(): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    clearTimeout(this.runTimer);
    this.emit(
      "event",
      run.count === 1
        ? {
            event: "block",
            number: run.from,
            hash: run.hash,
            transactions: run.transactions,
            ...(run.transactions > 0 ? { systemTransactions: run.transactions } : {}),
          }
        : { event: "blocks", count: run.count, from: run.from, to: run.to },
    );
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.poll(false).then(
        () => this.schedulePoll(),
        (error: unknown) => {
          if (this.stopped || (error as { code?: string }).code === "DEVNET_CLOSED") return;
          this.emitEvent({ event: "warning", message: `devnet feed: ${(error as Error).message}` });
          this.schedulePoll();
        },
      );
    }, this.pollMs);
    this.pollTimer.unref();
  }

  private request<T>(method: string, params: unknown[] = []): Promise<T> {
    return this.devnet.request({ method, params }) as Promise<T>;
  }

  /**
   * bitlayer_status, or, while the Bitcoin side is not loaded yet, what it would answer once loaded,
   * built without loading it (its import and premine cost ~0.4 s: the devnet's first requests would
   * wait for them). Unloaded, there are no batches, no withdrawals or deposits seen, no halt.
   */
  private async status(): Promise<StatusAnswer> {
    const core = this.devnet.core;
    if (core.settlement.loaded) return this.request<StatusAnswer>("bitlayer_status");
    const config = core.settlement.config;
    const latest = `0x${core.chain.store.height.toString(16)}`;
    return {
      time: core.clock.now(),
      l2: { latest, safe: "0x0", finalized: "0x0" },
      // Loading premines PREMINE_BLOCKS blocks; scheduled ones come after (then reported as new).
      bitcoin: { height: PREMINE_BLOCKS, bestBlockHash: "", nextBlockAt: core.settlement.nextDue(), blockTime: config.bitcoinBlockTime },
      rollup: {
        mode: config.proofMode,
        watcher: config.watcher,
        confirmations: config.confirmations,
        windowBlocks: config.proofMode === "optimistic" ? config.windowBlocks : 0,
        batches: 0,
        claimChain: 0,
      },
      halted: null,
    };
  }

  /** One look at the devnet; `baseline`: take things as they are, report nothing. */
  private async poll(baseline: boolean): Promise<void> {
    const loaded = this.devnet.core.settlement.loaded !== undefined;
    const status = await this.status();
    if (this.stopped) return;
    const events: DevnetEvent[] = [];
    const model = this.model;
    const head = this.devnet.core.chain.head.number;
    const latest = BigInt(status.l2.latest);
    const wall = Date.now() / 1000;
    const chain = this.devnet.core;
    if (!baseline) {
      // A jump of the clock that neither the wall clock nor a block stamped ahead explains: a warp.
      const since = (then: number) => (chain.clock.followsWallClock ? wall - then : 0);
      const expected = Math.max(
        this.lastPoll.time + since(this.lastPoll.wall),
        Number(chain.chain.head.block.header.timestamp) + since(this.lastBlockWall),
      );
      if (status.time - expected >= WARP_THRESHOLD_S) {
        const from = Math.round(expected);
        events.push({ event: "warp", from, to: status.time, seconds: status.time - from });
      }
      // The head itself (read now, not the answer's, which a block mined since may have passed) went back.
      if (head < this.highest) events.push({ event: "rollback", to: head });
      if (status.bitcoin.height > model.bitcoin.height) {
        events.push({ event: "bitcoin", height: status.bitcoin.height, count: status.bitcoin.height - model.bitcoin.height });
      }
    }
    this.lastPoll = { time: status.time, wall };
    this.highest = head;
    model.time = status.time;
    model.heads = { latest: head, safe: BigInt(status.l2.safe), finalized: BigInt(status.l2.finalized) };
    model.bitcoin = { height: status.bitcoin.height, blockTime: status.bitcoin.blockTime, nextBlockAt: status.bitcoin.nextBlockAt };
    const rebase = status.rollup.batches < model.rollup.batches;
    model.rollup = {
      mode: status.rollup.mode,
      watcher: status.rollup.watcher,
      confirmations: status.rollup.confirmations,
      windowBlocks: status.rollup.windowBlocks,
      batches: status.rollup.batches,
    };
    model.halted = status.halted;
    model.transactions = model.transactions.filter((tx) => tx.block <= head);
    const signature = [
      head,
      latest,
      chain.chain.head.hash,
      status.bitcoin.bestBlockHash,
      status.rollup.batches,
      status.rollup.claimChain,
    ].join();
    if (!loaded) {
      // Nothing to list (asking would load the Bitcoin side); a reset or revert may have unloaded it: forget what was.
      this.signature = "";
      this.knownBatches.clear();
      this.knownWithdrawals.clear();
      this.knownDeposits.clear();
      model.batches = [];
      model.withdrawals = [];
      model.deposits = 0;
    } else if (signature !== this.signature) {
      this.signature = signature;
      if (rebase) this.knownBatches.clear();
      await this.pollBatches(baseline || rebase, events);
      await this.pollBridge(baseline || rebase, events);
    }
    if (this.stopped) return;
    for (const event of events) this.emitEvent(event);
    this.emit("change");
  }

  private async pollBatches(quiet: boolean, events: DevnetEvent[]): Promise<void> {
    let from = this.knownBatches.size;
    for (const b of this.knownBatches.values()) if (!TERMINAL_BATCH.has(b.status) && b.index < from) from = b.index;
    const steps = new Map<string, { batch: BatchInfo; reason?: string }[]>();
    for (;;) {
      const page = await this.request<BatchAnswer[]>("bitlayer_listBatches", [from, 1000]);
      for (const answer of page) {
        const next = toBatch(answer);
        const prev = this.knownBatches.get(next.index);
        this.knownBatches.set(next.index, next);
        if (quiet) continue;
        for (const status of batchSteps(prev?.status, next.status)) {
          const list = steps.get(status) ?? [];
          list.push({ batch: next, reason: answer.invalidated?.reason });
          steps.set(status, list);
        }
      }
      if (page.length < 1000) break;
      from += page.length;
    }
    // In the order of a batch's life; many batches reaching one step at once (a warp) are one event.
    const rank = (status: string) => (BATCH_PATH.includes(status) ? BATCH_PATH.indexOf(status) : BATCH_PATH.length);
    const order = [...steps.keys()].sort((a, b) => rank(a) - rank(b));
    for (const status of order) {
      const list = steps.get(status) ?? [];
      if (list.length > BATCH_RUN) {
        const first = list[0].batch;
        const last = list[list.length - 1].batch;
        events.push({
          event: "batches",
          status,
          from: first.index,
          to: last.index,
          count: list.length,
          firstBlock: first.firstBlock,
          lastBlock: last.lastBlock,
        });
        continue;
      }
      for (const { batch, reason } of list) {
        events.push({
          event: "batch",
          index: batch.index,
          status,
          firstBlock: batch.firstBlock,
          lastBlock: batch.lastBlock,
          claimHeight: batch.claimHeight,
          windowClosesAt: batch.windowClosesAt,
          ...(reason ? { reason } : {}),
        });
      }
    }
    // Keep the recent ones and every one still in its window; older final ones need no more polling.
    const all = [...this.knownBatches.values()].sort((a, b) => a.index - b.index);
    const recent = all.slice(-KEEP_BATCHES);
    this.model.batches = recent;
    const oldest = recent[0]?.index ?? 0;
    for (const b of all) if (b.index < oldest && TERMINAL_BATCH.has(b.status)) this.knownBatches.delete(b.index);
  }

  private async pollBridge(quiet: boolean, events: DevnetEvent[]): Promise<void> {
    const withdrawals = await this.request<WithdrawalAnswer[]>("bitlayer_listWithdrawals");
    for (const w of withdrawals) {
      const prev = this.knownWithdrawals.get(w.id);
      this.knownWithdrawals.set(w.id, w.status);
      if (quiet || prev === w.status) continue;
      const info = toWithdrawal(w);
      const base = {
        id: info.id,
        amountSats: info.amountSats,
        btcAddress: info.btcAddress,
        from: info.from,
        blockNumber: info.blockNumber,
      };
      if (prev === undefined && w.status !== "initiated") events.push({ event: "withdrawal", ...base, status: "initiated", payment: null });
      events.push({ event: "withdrawal", ...base, status: w.status, payment: info.payment });
    }
    this.model.withdrawals = withdrawals.slice(-KEEP_WITHDRAWALS).map(toWithdrawal);
    const deposits = await this.request<DepositAnswer[]>("bitlayer_listDeposits");
    for (const d of deposits) {
      const key = `${d.txid}:${d.vout}`;
      const prev = this.knownDeposits.get(key);
      this.knownDeposits.set(key, d.status);
      if (quiet || prev === d.status) continue;
      events.push({
        event: "deposit",
        txid: d.txid,
        vout: d.vout,
        status: d.status,
        amountSats: d.amountSats,
        recipient: d.recipient,
        mintBlock: d.mint ? BigInt(d.mint.blockNumber) : null,
        problem: d.problem,
      });
    }
    this.model.deposits = deposits.length;
  }
}
