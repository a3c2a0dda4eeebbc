/**
 * Installs a new project's dependencies with the user's npm, its output shown as it comes (npm's own progress).
 *
 * @module
 */

import { spawn } from "node:child_process";
import { CliError } from "../errors.js";

/** `npm install` in `dir`; rejects with one line (INSTALL_FAILED) if npm fails or cannot start. */
export function npmInstall(dir: string, shown: string): Promise<void> {
  const windows = process.platform === "win32";
  return new Promise((resolvePromise, reject) => {
    const child = spawn(windows ? "npm.cmd" : "npm", ["install", "--no-fund", "--no-audit"], {
      cwd: dir,
      stdio: ["ignore", "inherit", "inherit"],
      shell: windows,
    });
    const failed = (why: string) =>
      new CliError("INSTALL_FAILED", `npm install ${why} in ${shown}; the project's files are there: run npm install in it once fixed`);
    child.on("error", (error) => reject(failed(`could not start (${error.message})`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(failed(signal ? `was stopped (${signal})` : `failed (exit code ${code})`));
    });
  });
}
