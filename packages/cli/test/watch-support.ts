// Shared by the watch-*.test.ts files: the fixture project copied to a temporary folder (so edits never touch the
// repository), its node_modules made of links to the monorepo's, with @bitlayer/plugins and @bitlayer/devnet linked to
// this checkout's packages; and a long-running `bitlayer` child whose output can be waited on.

import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, REPO_ROOT } from "./client-support.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled file: packages/cli/dist/test/; source: packages/cli/test/. */
const FIXTURE =
  [resolve(here, "../../test/fixtures/dev-project"), resolve(here, "fixtures/dev-project")].find((dir) => existsSync(dir)) ?? "";

/** A copy of the fixture project in a fresh temporary folder; `remove()` deletes it. */
export function copyFixture(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "bitlayer-dev-"));
  cpSync(FIXTURE, dir, { recursive: true, filter: (src) => !/[\\/](node_modules|artifacts|cache)$/.test(src) });
  const modules = join(REPO_ROOT, "node_modules");
  mkdirSync(join(dir, "node_modules", "@bitlayer"), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry !== "@bitlayer") symlinkSync(join(modules, entry), join(dir, "node_modules", entry));
  }
  for (const pkg of ["plugins", "devnet"])
    symlinkSync(join(REPO_ROOT, "packages", pkg), join(dir, "node_modules", "@bitlayer", pkg), "dir");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `bitlayer` child process this test started, its output collected. */
export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output from `from` on (default: all of it). */
  waitFor(pattern: RegExp, what: string, from?: number, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends `signal` to it, by its PID, and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startBitlayer(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    child,
    output: () => out,
    waitFor(pattern, what, from = 0, timeoutMs = 180_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(out.slice(from));
          if (match) {
            done();
            resolvePromise(match);
          }
        };
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`bitlayer exited (${code}) before ${what}:\n${out}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${what} within ${timeoutMs / 1000} s:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      });
    },
    stop(signal = "SIGTERM") {
      return new Promise((resolvePromise) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolvePromise(child.exitCode);
        child.once("exit", (code) => resolvePromise(code));
        if (child.pid !== undefined) process.kill(child.pid, signal);
      });
    },
  };
}
