// Shared by the CLI's tests: start the real `bitlayer devnet`, call its JSON-RPC, stop it by PID.
import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/bitlayer.js", import.meta.url));

/** A regtest address (the dev wallet's first): a valid peg-out destination. */
export const BTC_ADDRESS = "bcrt1qlqj2pdsteppkcr8jkp9ms0wpvey89tna8v72sj";

/** A server process a test started: its URL, all its output so far, and a stop by its PID. */
export interface Running {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface Started extends Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
}

/** Starts `bitlayer devnet` with pipes (no TTY) and resolves once its URL is known (text or --json). */
export function startDevnet(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, "devnet", "--port", "0", "--btc-port", "0", ...args]);
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devnet did not start:\n${out}${err}`)), 30_000);
    child.stdout.on("data", () => {
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out) ?? /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1],
          stdout: () => out,
          stderr: () => err,
          output: () => out + err,
          stop: (signal) => stop(child, signal),
        });
      }
    });
    child.on("exit", (code) => reject(new Error(`devnet exited with ${code}:\n${out}${err}`)));
  });
}

/** One JSON-RPC call over HTTP; throws the node's error. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

/** Stops a process this test started, by its PID; resolves with its exit code. */
export function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    if (child.pid !== undefined) process.kill(child.pid, signal);
  });
}

/** Waits until `done()` holds, checking every 100 ms; fails with `describe()` after `ms` (generous: no timing is asserted). */
export async function waitFor(done: () => boolean | Promise<boolean>, describe: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
