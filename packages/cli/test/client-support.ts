// Shared by the client-*.test.ts files: the CLI run as a child process, a devnet started with `bitlayer devnet`,
// Anvil (a node that is not the devnet), and a plain JSON-RPC call.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { BIN, type Running, startDevnet as startBitlayerDevnet, stop } from "./devnet-helpers.js";

export { BIN, rpc } from "./devnet-helpers.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bitlayer ...args`; resolves with its exit code and output (never rejects on a non-zero exit). Colours are off
 * unless `env` turns them on: a CI may set FORCE_COLOR, and what the commands run (Hardhat's mocha) would colour.
 */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const plain = { NO_COLOR: "1", FORCE_COLOR: "0" };
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...plain, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

export type Started = Running;

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

/** `bitlayer devnet` on free ports (HTTP and Bitcoin RPC), quiet, with a fixed genesis time. */
export function startDevnet(args: string[] = []): Promise<Started> {
  return startBitlayerDevnet(["--silent", "--timestamp", "1700000000", ...args]);
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
  return { child, url: `http://${match[1]}`, output, stop: (signal) => stop(child, signal) };
}
