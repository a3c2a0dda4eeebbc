// The engine as a user's `import { createDevnet } from "@bitlayer/devnet"` gets it: the file the package's `exports`
// names (its bundle), taken from this checkout's packages/devnet rather than through node_modules/@bitlayer/devnet,
// which in a git worktree sharing another checkout's node_modules links to that checkout.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../packages/devnet");

/** The path of the engine's package entry (`exports["."].default` in packages/devnet/package.json). */
export function enginePath() {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE, "package.json"), "utf8"));
  const entry = pkg.exports?.["."]?.default;
  if (typeof entry !== "string") throw new Error(`packages/devnet/package.json: no exports["."].default`);
  return path.join(PACKAGE, entry);
}

/** Imports the engine's package entry. */
export function importEngine() {
  return import(pathToFileURL(enginePath()).href);
}
