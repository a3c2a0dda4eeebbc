// Shared by the client-*.test.ts files: the CLI run as a child process, a devnet started with `bitlayer devnet`,
// Anvil (a node that is not the devnet), and a plain JSON-RPC call.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/bitlayer.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bitlayer ...args`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A process this test started, stopped by its PID. */
export interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Resolves once `child`'s output matches `pattern` (its first group is returned), or rejects with all output. */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 30_000,
): Promise<{ match: RegExpExecArray; output: () => string }> {
  let out = "";
  const output = () => out;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}`));
    });
  });
}

function stopper(child: ChildProcess): (signal?: NodeJS.Signals) => Promise<number | null> {
  return (signal = "SIGTERM") =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
      if (child.pid !== undefined) process.kill(child.pid, signal);
    });
}

/** `bitlayer devnet` on free ports (HTTP and Bitcoin RPC), quiet, with a fixed genesis time. */
export async function startDevnet(args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [
    BIN,
    "devnet",
    "--port",
    "0",
    "--btc-port",
    "0",
    "--silent",
    "--timestamp",
    "1700000000",
    ...args,
  ]);
  const { match, output } = await waitForOutput(child, /Listening on (http:\/\/127\.0\.0\.1:\d+)/, "bitlayer devnet");
  return { child, url: match[1], output, stop: stopper(child) };
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repository root not found");
    dir = parent;
  }
}

export const REPO_ROOT = repoRoot();

/** Anvil (@foundry-rs/anvil, a devDependency of the repository) on 127.0.0.1 and a port it picks. */
export async function startAnvil(): Promise<Started> {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  const native = join(REPO_ROOT, "node_modules", "@foundry-rs", `anvil-${process.platform}-${arch}`, "bin", "anvil");
  const bin = existsSync(native) ? native : join(REPO_ROOT, "node_modules", ".bin", "anvil");
  const child = spawn(bin, ["--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  const { match, output } = await waitForOutput(child, /Listening on (127\.0\.0\.1:\d+)/, "anvil");
  return { child, url: `http://${match[1]}`, output, stop: stopper(child) };
}

/** One JSON-RPC call over HTTP; throws the node's error. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result as T;
}
