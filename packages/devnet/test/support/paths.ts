// Locations used by the tests, resolved from this file so they work from dist/ and from src.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown };
      if (json.workspaces) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root (package.json with workspaces) not found above ${start}`);
    dir = parent;
  }
}

/** The monorepo root (the folder whose package.json declares the workspaces). */
export const repoRoot: string = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** A binary of the root node_modules/.bin (cast, anvil, ...). Throws if it is not installed. */
export function binPath(name: string): string {
  const file = join(repoRoot, "node_modules", ".bin", name);
  if (!existsSync(file)) throw new Error(`${name} not found at ${file}: run npm install at the repository root`);
  return file;
}

const FOUNDRY_PLATFORMS: Record<string, string> = {
  "linux-x64": "linux-amd64",
  "linux-arm64": "linux-arm64",
  "darwin-x64": "darwin-amd64",
  "darwin-arm64": "darwin-arm64",
  "win32-x64": "win32-amd64",
};

/**
 * The native binary of a Foundry tool (cast, anvil) from its npm platform package, e.g.
 * node_modules/@foundry-rs/cast-linux-amd64/bin/cast. Preferred over node_modules/.bin/cast:
 * that wrapper (@foundry-rs/cast 1.7.1 bin.mjs) spawns the binary but never forwards its exit
 * code, so a failing `cast call` exits 0. Falls back to the wrapper if the platform package is absent.
 */
export function foundryBin(tool: "cast" | "anvil"): string {
  const platform = FOUNDRY_PLATFORMS[`${process.platform}-${process.arch}`];
  if (platform) {
    const exe = process.platform === "win32" ? `${tool}.exe` : tool;
    const file = join(repoRoot, "node_modules", "@foundry-rs", `${tool}-${platform}`, "bin", exe);
    if (existsSync(file)) return file;
  }
  return binPath(tool);
}
