import { randomBytes } from "node:crypto";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "../l2/chain.js";
import type { StoredBlock } from "../l2/types.js";
import type { RpcLog } from "./format.js";
import { type LogCriteria, matchLogs } from "./logs.js";

/** Most blocks one eth_getLogs or filter poll may scan. */
export const MAX_LOG_RANGE = 100_000n;
/** Most logs one eth_getLogs or eth_getFilterLogs answers (as hosted nodes do); a filter poll answers the rest next time. */
export const MAX_LOGS_PER_RESPONSE = 10_000;
/** Most filters open at once. Idle filters expire, so only clients that keep polling can reach it. */
export const MAX_FILTERS = 10_000;
/** A filter not polled with eth_getFilterChanges for this long is removed (geth's deadline). */
export const FILTER_TIMEOUT_MS = 5 * 60_000;
/** Newest blocks (block and log filters) and pending transactions a filter keeps between two polls. */
export const MAX_FILTER_BACKLOG = 10_000;

export interface FilterManagerOptions {
  /** Wall clock in milliseconds (tests inject one); not the devnet's virtual clock. */
  now?: () => number;
  timeoutMs?: number;
  backlog?: number;
}

/**
 * What happened since the filters were cleared, numbered. One journal serves every filter of a
 * kind (each keeps only its position), so memory does not grow with the number of filters. It
 * keeps the newest `cap` entries; the manager feeds it only while some filter reads it.
 */
class Journal<T> {
  private items: T[] = [];
  /** Position of items[0]. */
  private first = 0;

  constructor(private readonly cap: number) {}

  get end(): number {
    return this.first + this.items.length;
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    // Trim in batches so pushing stays O(1) on average.
    if (this.items.length >= 2 * this.cap) {
      const dropped = this.items.length - this.cap;
      this.items = this.items.slice(dropped);
      this.first += dropped;
    }
  }

  /** Entries from position `from` on (at most the newest `cap`), each with its position. */
  since(from: number): { item: T; position: number }[] {
    const start = Math.max(from, this.end - this.cap, this.first);
    const out: { item: T; position: number }[] = [];
    for (let p = start; p < this.end; p++) out.push({ item: this.items[p - this.first] as T, position: p });
    return out;
  }

  /** Forgets every entry; positions keep counting. */
  drop(): void {
    this.first = this.end;
    this.items = [];
  }
}

type Filter = { deadline: number } & (
  | { kind: "logs"; criteria: LogCriteria; from: bigint; to: bigint | undefined; cursor: number }
  | { kind: "blocks"; cursor: number }
  | { kind: "pending"; cursor: number }
);

/**
 * eth_newFilter & co.: poll-based views over new blocks and pending transactions. Filters are fed
 * by the chain's events, as geth's filter system is, so a chain cut back by evm_revert or replaced
 * by a load does not hide the blocks mined after it.
 */
export class FilterManager {
  /** Ordered by deadline: a poll moves its filter to the end, so expired ones are always first. */
  private readonly filters = new Map<string, Filter>();
  private readonly blocks: Journal<StoredBlock>;
  private readonly pending: Journal<string>;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly listening = { blocks: 0, pending: 0 };
  private readonly onBlock = (block: StoredBlock) => {
    this.expire();
    if (this.listening.blocks > 0) this.blocks.push(block);
  };
  private readonly onPending = (hash: string) => {
    this.expire();
    if (this.listening.pending > 0) this.pending.push(hash);
  };

  constructor(
    private readonly chain: L2Chain,
    options: FilterManagerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? FILTER_TIMEOUT_MS;
    this.blocks = new Journal(options.backlog ?? MAX_FILTER_BACKLOG);
    this.pending = new Journal(options.backlog ?? MAX_FILTER_BACKLOG);
    chain.on("block", this.onBlock);
    chain.on("pendingTransaction", this.onPending);
  }

  /** Open filters and what the journals hold (for diagnostics and tests). */
  stats(): { filters: number; blocks: number; pending: number } {
    this.expire();
    return { filters: this.filters.size, blocks: this.blocks.size, pending: this.pending.size };
  }

  private journalOf(kind: Filter["kind"]): "blocks" | "pending" {
    return kind === "pending" ? "pending" : "blocks";
  }

  private add(filter: Filter): string {
    this.expire();
    if (this.filters.size >= MAX_FILTERS) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `too many filters (${MAX_FILTERS}, MAX_FILTERS); uninstall some with eth_uninstallFilter (idle ones expire after ${this.timeoutMs / 1000} s)`,
      );
    }
    const id = `0x${randomBytes(16).toString("hex")}`;
    this.filters.set(id, filter);
    this.listening[this.journalOf(filter.kind)]++;
    return id;
  }

  private remove(id: string, filter: Filter): void {
    this.filters.delete(id);
    const journal = this.journalOf(filter.kind);
    if (--this.listening[journal] === 0) this[journal].drop();
  }

  /** Removes the filters whose deadline has passed. */
  private expire(): void {
    const now = this.now();
    for (const [id, filter] of this.filters) {
      if (filter.deadline > now) break;
      this.remove(id, filter);
    }
  }

  newLogFilter(criteria: LogCriteria, from: bigint, to: bigint | undefined): string {
    return this.add({ kind: "logs", criteria, from, to, cursor: this.blocks.end, deadline: this.now() + this.timeoutMs });
  }

  newBlockFilter(): string {
    return this.add({ kind: "blocks", cursor: this.blocks.end, deadline: this.now() + this.timeoutMs });
  }

  newPendingFilter(): string {
    return this.add({ kind: "pending", cursor: this.pending.end, deadline: this.now() + this.timeoutMs });
  }

  uninstall(id: string): boolean {
    this.expire();
    const key = id.toLowerCase();
    const filter = this.filters.get(key);
    if (!filter) return false;
    this.remove(key, filter);
    return true;
  }

  /** hardhat_reset: every filter goes, with what the journals hold. */
  clear(): void {
    this.filters.clear();
    this.listening.blocks = 0;
    this.listening.pending = 0;
    this.blocks.drop();
    this.pending.drop();
  }

  /** Stops listening to the chain. */
  close(): void {
    this.clear();
    this.chain.off("block", this.onBlock);
    this.chain.off("pendingTransaction", this.onPending);
  }

  private get(id: string): Filter {
    this.expire();
    const f = this.filters.get(id.toLowerCase());
    if (!f) throw new DevnetError("UNKNOWN_FILTER", `filter ${id} not found`);
    return f;
  }

  /** A block the chain still has (evm_revert and loads cut blocks away). */
  private canonical(block: StoredBlock): boolean {
    return this.chain.store.byNumber(block.number)?.hash === block.hash;
  }

  /** Everything new since the last poll (the newest MAX_FILTER_BACKLOG blocks or transactions at most). */
  changes(id: string): (RpcLog | string)[] {
    const key = id.toLowerCase();
    const f = this.get(key);
    // A poll keeps the filter alive: move it to the end of the deadline order.
    f.deadline = this.now() + this.timeoutMs;
    this.filters.delete(key);
    this.filters.set(key, f);
    if (f.kind === "pending") {
      const hashes = this.pending.since(f.cursor).map((e) => e.item);
      f.cursor = this.pending.end;
      return hashes;
    }
    // Blocks the chain no longer has are skipped; one mined again identically after a revert is reported once.
    const seen = new Set<string>();
    const entries = this.blocks.since(f.cursor).filter(({ item }) => this.canonical(item) && !seen.has(item.hash) && seen.add(item.hash));
    f.cursor = this.blocks.end;
    if (f.kind === "blocks") return entries.map((e) => e.item.hash);
    const out: RpcLog[] = [];
    for (const { item: block, position } of entries) {
      if (block.number < f.from || (f.to !== undefined && block.number > f.to)) continue;
      for (const log of matchLogs(block, f.criteria)) out.push(log);
      if (out.length >= MAX_LOGS_PER_RESPONSE) {
        // Whole blocks only: the next poll resumes after this one.
        f.cursor = position + 1;
        break;
      }
    }
    return out;
  }

  /** eth_getFilterLogs: every matching log in the filter's whole range. */
  logs(id: string): RpcLog[] {
    const f = this.get(id);
    if (f.kind !== "logs") throw new DevnetError("INVALID_PARAMS", `filter ${id} is not a log filter`);
    return queryLogs(this.chain, f.criteria, f.from, f.to ?? this.chain.store.height);
  }
}

/** eth_getLogs and eth_getFilterLogs: the matching logs of blocks `from` to `to`, or a refusal past the limits. */
export function queryLogs(chain: L2Chain, criteria: LogCriteria, from: bigint, to: bigint): RpcLog[] {
  if (to - from >= MAX_LOG_RANGE) {
    throw new DevnetError("LIMIT_EXCEEDED", `block range too large: at most ${MAX_LOG_RANGE} blocks per query (MAX_LOG_RANGE)`);
  }
  return logsOf(chain.store.range(from, to), criteria);
}

/** The matching logs of `blocks`, refused past MAX_LOGS_PER_RESPONSE. */
export function logsOf(blocks: Iterable<StoredBlock>, criteria: LogCriteria): RpcLog[] {
  const out: RpcLog[] = [];
  for (const block of blocks) {
    for (const log of matchLogs(block, criteria)) out.push(log);
    if (out.length > MAX_LOGS_PER_RESPONSE) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `query returned more than ${MAX_LOGS_PER_RESPONSE} logs (MAX_LOGS_PER_RESPONSE): narrow the block range or the filter`,
      );
    }
  }
  return out;
}
