/**
 * Watches paths with chokidar (loaded only here, when a watch starts) and runs a task after each burst of changes:
 * debounced, and never two at once (changes during a run queue one more run).
 *
 * @module
 */

import { relative } from "node:path";
import { oneLine } from "../errors.js";

export interface Watcher {
  close(): Promise<void>;
}

const DEBOUNCE_MS = 250;

/** Calls `task(changed)` after changes to `paths` settle; `ignored` filters out build output. */
export async function watchAndRun(
  cwd: string,
  paths: string[],
  task: (changed: string[]) => Promise<void>,
  ignored: (path: string) => boolean = () => false,
): Promise<Watcher> {
  const { watch } = await import("chokidar");
  const watcher = watch(paths, { cwd, ignoreInitial: true, ignored: (path) => ignored(relative(cwd, path)) });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const flush = async () => {
    timer = undefined;
    if (running || closed || pending.size === 0) return;
    const changed = [...pending];
    pending = new Set();
    running = task(changed).finally(() => {
      running = undefined;
      if (pending.size > 0 && !timer) void flush();
    });
  };

  watcher.on("all", (_event, path) => {
    pending.add(path);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), DEBOUNCE_MS);
  });
  await new Promise<void>((resolve) => watcher.once("ready", resolve));
  // A folder that cannot be read (removed, permissions) is worth a line, not a crash of the devnet.
  watcher.on("error", (error) => process.stderr.write(`warning: watching files: ${oneLine(error)}\n`));
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
