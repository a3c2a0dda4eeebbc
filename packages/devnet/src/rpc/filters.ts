import { randomBytes } from "node:crypto";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "../l2/chain.js";
import type { StoredBlock } from "../l2/types.js";
import type { RpcLog } from "./format.js";
import { type LogCriteria, matchLogs } from "./logs.js";

type Filter =
  | { kind: "logs"; criteria: LogCriteria; from: bigint; to: bigint | undefined; cursor: bigint }
  | { kind: "blocks"; cursor: bigint }
  | { kind: "pending"; hashes: string[] };

/** Most blocks one eth_getLogs or filter poll may scan. */
export const MAX_LOG_RANGE = 100_000n;
/** Most filters open at once, so pollers that never uninstall cannot grow memory without bound. */
export const MAX_FILTERS = 10_000;

/** eth_newFilter & co.: poll-based views over new blocks and pending transactions. */
export class FilterManager {
  private readonly filters = new Map<string, Filter>();

  constructor(private readonly chain: L2Chain) {
    chain.on("pendingTransaction", (hash) => {
      for (const f of this.filters.values()) if (f.kind === "pending") f.hashes.push(hash);
    });
  }

  private add(filter: Filter): string {
    if (this.filters.size >= MAX_FILTERS) {
      throw new DevnetError("LIMIT_EXCEEDED", `too many filters (${MAX_FILTERS}); uninstall some with eth_uninstallFilter`);
    }
    const id = `0x${randomBytes(16).toString("hex")}`;
    this.filters.set(id, filter);
    return id;
  }

  newLogFilter(criteria: LogCriteria, from: bigint, to: bigint | undefined): string {
    return this.add({ kind: "logs", criteria, from, to, cursor: from > this.chain.store.height ? from : this.chain.store.height + 1n });
  }

  newBlockFilter(): string {
    return this.add({ kind: "blocks", cursor: this.chain.store.height + 1n });
  }

  newPendingFilter(): string {
    return this.add({ kind: "pending", hashes: [] });
  }

  /** Drops every filter (hardhat_reset). */
  clear(): void {
    this.filters.clear();
  }

  uninstall(id: string): boolean {
    return this.filters.delete(id.toLowerCase());
  }

  private get(id: string): Filter {
    const f = this.filters.get(id.toLowerCase());
    if (!f) throw new DevnetError("UNKNOWN_FILTER", `filter ${id} not found`);
    return f;
  }

  /** Everything new since the last poll. */
  changes(id: string): (RpcLog | string)[] {
    const f = this.get(id);
    if (f.kind === "pending") return f.hashes.splice(0);
    const height = this.chain.store.height;
    const blocks: StoredBlock[] = [...this.chain.store.range(f.cursor, height)];
    f.cursor = height + 1n;
    if (f.kind === "blocks") return blocks.map((b) => b.hash);
    const to = f.to;
    return blocks.filter((b) => b.number >= f.from && (to === undefined || b.number <= to)).flatMap((b) => matchLogs(b, f.criteria));
  }

  /** eth_getFilterLogs: every matching log in the filter's whole range. */
  logs(id: string): RpcLog[] {
    const f = this.get(id);
    if (f.kind !== "logs") throw new DevnetError("INVALID_PARAMS", `filter ${id} is not a log filter`);
    return queryLogs(this.chain, f.criteria, f.from, f.to ?? this.chain.store.height);
  }
}

export function queryLogs(chain: L2Chain, criteria: LogCriteria, from: bigint, to: bigint): RpcLog[] {
  if (to - from >= MAX_LOG_RANGE) {
    throw new DevnetError("LIMIT_EXCEEDED", `block range too large: at most ${MAX_LOG_RANGE} blocks per query`);
  }
  const out: RpcLog[] = [];
  for (const block of chain.store.range(from, to)) out.push(...matchLogs(block, criteria));
  return out;
}
