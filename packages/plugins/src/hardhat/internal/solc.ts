/**
 * The `solc` npm package as Hardhat's compiler: its soljson.js, so that compiling never downloads anything.
 *
 * @internal
 * @module
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The solc package found for a project: its version and its soljson.js. */
export interface SolcPackage {
  version: string;
  soljson: string;
}

/** Finds `solc` from the project's root first (the user's own pin), then from this plugin. */
export function findSolcPackage(projectRoot: string): SolcPackage | undefined {
  for (const from of [join(projectRoot, "package.json"), import.meta.url]) {
    try {
      const pkgFile = createRequire(from).resolve("solc/package.json");
      const { version } = JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string };
      return { version, soljson: join(dirname(pkgFile), "soljson.js") };
    } catch {
      // not found from there
    }
  }
  return undefined;
}
