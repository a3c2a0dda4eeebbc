/**
 * A Hardhat project as `bitlayer dev` and `bitlayer test` run it: its own Hardhat (node_modules/.bin/hardhat), with
 * its node_modules/.bin first in PATH (where a project's Node 22 from the `node` npm package lives).
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { CliError } from "../errors.js";

const CONFIGS = [
  "hardhat.config.ts",
  "hardhat.config.js",
  "hardhat.config.mts",
  "hardhat.config.mjs",
  "hardhat.config.cts",
  "hardhat.config.cjs",
];

export interface Project {
  dir: string;
  hardhat: string;
}

/** The project in `dir`; refuses, in one line, a folder that is not a Hardhat project or whose dependencies are not installed. */
export function findProject(dir: string): Project {
  const root = resolve(dir);
  if (!existsSync(root)) throw new CliError("INVALID_ARGUMENT", `project folder ${root} does not exist`);
  if (!CONFIGS.some((file) => existsSync(join(root, file))))
    throw new CliError(
      "INVALID_ARGUMENT",
      `${root} is not a Hardhat project (no hardhat.config.ts); run in the project's folder or pass --project <dir>`,
    );
  const bin = process.platform === "win32" ? "hardhat.cmd" : "hardhat";
  const hardhat = join(root, "node_modules", ".bin", bin);
  if (!existsSync(hardhat))
    throw new CliError("INVALID_ARGUMENT", `${join(root, "node_modules/.bin/hardhat")} not found: run \`npm install\` in ${root} first`);
  return { dir: root, hardhat };
}

/** The environment Hardhat runs in: the project's node_modules/.bin first in PATH, and no colours when captured. */
function hardhatEnv(project: Project, env: Record<string, string>, captured: boolean): NodeJS.ProcessEnv {
  const path = `${join(project.dir, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;
  return { ...process.env, PATH: path, ...(captured ? { NO_COLOR: "1", FORCE_COLOR: "0" } : {}), ...env };
}

export interface HardhatRun {
  child: ChildProcess;
  /** Resolves with the exit code and (when captured) everything printed. */
  done: Promise<{ code: number; output: string }>;
}

/** Runs the project's `hardhat ...args`; output captured (for parsing) or shown as it comes (`inherit`). */
export function runHardhat(
  project: Project,
  args: string[],
  options: { env?: Record<string, string>; inherit?: boolean } = {},
): HardhatRun {
  const child = spawn(project.hardhat, args, {
    cwd: project.dir,
    env: hardhatEnv(project, options.env ?? {}, !options.inherit),
    stdio: options.inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    shell: process.platform === "win32",
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const done = new Promise<{ code: number; output: string }>((resolvePromise) => {
    child.once("error", (error) => resolvePromise({ code: 1, output: `${output}${error.message}\n` }));
    child.once("close", (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), output }));
  });
  return { child, done };
}

/** Stops a run this process started, by its PID, and waits for it. */
export async function stopRun(run: HardhatRun | undefined): Promise<void> {
  if (!run || run.child.exitCode !== null || run.child.signalCode !== null || run.child.pid === undefined) return;
  try {
    process.kill(run.child.pid, "SIGTERM");
  } catch {
    return;
  }
  await run.done;
}
