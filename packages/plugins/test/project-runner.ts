// Shared by the Hardhat 2 and Hardhat 3 interop tests: a devnet served on loopback for one mocha
// suite, and a Node CLI (a Hardhat binary) run as a child process in a fixture project.

import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Devnet, DevnetServer } from "@bitlayer/devnet";
import { createDevnet, startServer } from "@bitlayer/devnet";

export interface RunResult {
  code: number;
  output: string;
}

/** Runs `node <cli> ...args` in `cwd` on this process's Node; resolves with the exit code and all output. */
export function runCli(cli: string, cwd: string | undefined, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd,
        timeout: 240_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") {
          reject(new Error(`${cli} ${args.join(" ")} could not run: ${err.message}\n${stdout}\n${stderr}`));
          return;
        }
        resolvePromise({ code: err ? (err.code as number) : 0, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** Registers mocha hooks that serve a fresh devnet on 127.0.0.1 for the enclosing suite; returns its server. */
export function useDevnetServer(): () => DevnetServer {
  let devnet: Devnet | undefined;
  let server: DevnetServer | undefined;

  before(async () => {
    devnet = await createDevnet();
    server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
  });

  after(async () => {
    await server?.close();
    await devnet?.close();
  });

  return () => {
    if (!server) throw new Error("devnet server not started");
    return server;
  };
}

/** A run's exit code and output, for an assertion's message. */
export function explain(r: RunResult): string {
  return `exit code ${r.code}\n--- hardhat output ---\n${r.output}`;
}

/** Every file under `dir`, relative (none if it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}
