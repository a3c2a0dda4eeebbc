// Shared by the `bitlayer init` tests: running a command as a user would (a clean environment, the machine's own
// Node and npm first in PATH, not this checkout's), and reading its output.

import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root (compiled tests run from packages/cli/dist/test). */
const here = dirname(fileURLToPath(import.meta.url));
export const REPO = [resolve(here, "../../../.."), resolve(here, "../../..")].find(
  (dir) => existsSync(join(dir, "templates", "starter")) && existsSync(join(dir, "packages", "cli")),
) as string;
export const BIN = join(REPO, "packages/cli/bin/bitlayer.js");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment a user's shell would give: without the variables npm sets for the `npm test` running us (a child
 * npm would read npm_config_* as its own configuration), and without this checkout's node_modules/.bin in PATH (its
 * Node 22 and binaries), so that `node` and `npm` are the machine's.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) && key !== "INIT_CWD" && key !== "BITLAYER_PACKAGES") env[key] = value;
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir && !dir.split(/[\\/]/).includes("node_modules"))
    .join(delimiter);
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", ...extra };
}

/** Runs `file args` in `cwd`; resolves with the exit code and output (never rejects for a non-zero exit). */
export function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 600_000): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${file} ${args.join(" ")} could not run (${error.message})\n${stdout}\n${stderr}`));
        return;
      }
      resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** A run's exit code and output, for an assertion's message. */
export function explain(r: Run): string {
  return `exit code ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Every file under `dir`, relative, sorted (none if it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}
