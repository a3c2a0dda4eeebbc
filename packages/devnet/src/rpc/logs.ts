import type { StoredBlock } from "../l2/types.js";
import { formatLog, type RpcLog } from "./format.js";

export interface LogCriteria {
  /** Undefined: any address. */
  addresses?: ReadonlySet<string>;
  /** Per position: the topics accepted, or null for any. */
  topics: readonly (ReadonlySet<string> | null)[];
}

/** Logs of a block that match an address set and topic positions (null = any). */
export function matchLogs(block: StoredBlock, criteria: LogCriteria): RpcLog[] {
  const out: RpcLog[] = [];
  for (const receipt of block.receipts) {
    for (const log of receipt.logs) {
      if (criteria.addresses && !criteria.addresses.has(log.address)) continue;
      let ok = true;
      for (let i = 0; i < criteria.topics.length && ok; i++) {
        const wanted = criteria.topics[i];
        if (wanted === null) continue;
        const topic = log.topics[i];
        ok = topic !== undefined && wanted.has(topic);
      }
      if (ok) out.push(formatLog(block, receipt, log));
    }
  }
  return out;
}
