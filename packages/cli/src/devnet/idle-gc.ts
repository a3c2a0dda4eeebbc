/**
 * Gives memory back once the devnet goes idle. V8's young generation grows to 16 MB during start-up (loading the
 * engine, then the Bitcoin side) and stays that size: V8 only shrinks it in a memory-reducing collection, which its
 * own memory reducer starts after 8 s of low allocation, and the dashboard feed's polling keeps allocation above its
 * threshold. So, when the event loop has been (nearly) idle for a while and the young generation is large, one
 * memory-reducing collection (`gc({ type: "major", flavor: "last-resort" })`: ~90–170 ms here): idle RSS 105 → 84 MB.
 * Once per process by default, and never while the devnet is busy. Once because the young generation it shrinks
 * grows again under the next load, with more scavenges on the way: collecting after every burst cost the next burst
 * ~12% of its throughput (32 transfers in flight over HTTP, median of 3: 693/s against 785/s without it, 739/s once).
 * A late start-up phase gets one more: the Bitcoin side loads on first use (its first block, `bitlayer_status`),
 * often after that first collection, and grows the young generation again (idle RSS 83 → 77 MB with it).
 *
 * @module
 */

import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface IdleCompactorOptions {
  /** How often to look (ms); the event loop must have been idle over the last period. */
  checkMs?: number;
  /** Event-loop utilisation (0–1) over a period below which the process counts as idle. */
  idleBelow?: number;
  /** Young generation (bytes, committed) above which a compaction is worth it. */
  minNewSpaceBytes?: number;
  /** Compactions at most, for the life of the process (default 1). */
  maxCompactions?: number;
  /**
   * A start-up phase that may end after a compaction (the Bitcoin side's loading): once it reports done, and only if
   * a compaction happened before that, one more is allowed.
   */
  lateStartup?: () => boolean;
  /** For tests: event-loop utilisation since the last look, the young generation's size, the collection itself. */
  probe?: { utilization(): number; newSpaceBytes(): number; collect(): void };
}

/** Committed size of V8's young generation (new space), in bytes. */
export function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.physical_space_size ?? 0;
}

/** V8's `gc()` without starting Node with --expose-gc (the pattern Node's v8.setFlagsFromString docs show). */
function memoryReducingGc(): () => void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (options: { type: "major"; flavor: "last-resort" }) => void;
  return () => gc({ type: "major", flavor: "last-resort" });
}

function defaultProbe(): NonNullable<IdleCompactorOptions["probe"]> {
  // Read first at the first look, not at start: `performance` loads Node's perf_hooks internals on first use.
  let last: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let collect: (() => void) | undefined;
  return {
    utilization() {
      const now = performance.eventLoopUtilization();
      // The first look has no period behind it: it counts as busy.
      const utilization = last === undefined ? 1 : performance.eventLoopUtilization(now, last).utilization;
      last = now;
      return utilization;
    },
    newSpaceBytes,
    collect() {
      collect ??= memoryReducingGc();
      collect();
    },
  };
}

/** Starts looking; returns a function that stops. The timer never keeps the process alive. */
export function compactWhenIdle(options: IdleCompactorOptions = {}): () => void {
  const { checkMs = 250, idleBelow = 0.05, minNewSpaceBytes = 4 * 1024 * 1024, maxCompactions = 1 } = options;
  const probe = options.probe ?? defaultProbe();
  let done = 0;
  let allowed = maxCompactions;
  // Whether the late phase had ended at the last compaction (then it was collected with the rest).
  let lateCollected = false;
  const lateDone = () => options.lateStartup?.() ?? true;
  const timer = setInterval(() => {
    // Read every period, so that the next look measures only its own period.
    const idle = probe.utilization() < idleBelow;
    if (done > 0 && !lateCollected && lateDone()) {
      lateCollected = true;
      allowed++;
    }
    if (done >= allowed || !idle || probe.newSpaceBytes() <= minNewSpaceBytes) return;
    lateCollected ||= lateDone();
    probe.collect();
    done++;
    if (done >= allowed && lateCollected) clearInterval(timer);
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
