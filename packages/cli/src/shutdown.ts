/**
 * A long-running command's Ctrl-C (or SIGTERM): its stop runs once, whatever signals follow while it runs.
 *
 * @module
 */

/** Installs `stop` on SIGINT and SIGTERM; `stopping()` says whether it has begun (work in flight checks it). */
export function onShutdown(stop: (signal: NodeJS.Signals) => Promise<void>): { stopping(): boolean } {
  let begun = false;
  const once = (signal: NodeJS.Signals) => {
    if (begun) return;
    begun = true;
    void stop(signal);
  };
  process.on("SIGINT", once);
  process.on("SIGTERM", once);
  return { stopping: () => begun };
}

/** The time of day, "14:03:27", for lines of a run that goes on. */
export function timeOfDay(): string {
  return new Date().toTimeString().slice(0, 8);
}
