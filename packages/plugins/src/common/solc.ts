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

/**
 * Why a compiler config can't use the solc package (absent, or another version), and the ways out. Hardhat 3 can give
 * one compiler a `path` instead; Hardhat 2 has no such escape, so all its compilers are the package's version.
 */
export function solcMismatchMessage(solc: SolcPackage | undefined, wanted: string, hardhat: "hardhat3" | "hardhat2" = "hardhat3"): string {
  const install = `npm install --save-dev solc@${wanted}`;
  const ways = solc === undefined ? [install] : [`set version to "${solc.version}"`, install];
  if (hardhat === "hardhat3") ways.push("give this compiler a path");
  const found = solc === undefined ? "which is not installed" : `which is solc ${solc.version}, but this compiler asks for ${wanted}`;
  return `@bitlayer/plugins compiles offline with the solc npm package, ${found}: ${ways.join(", or ")}`;
}

const longVersions = new Map<string, string>();

/**
 * The compiler's long version ("0.8.28+commit.7893614a"), as solc's own builds list name it. Asks soljson itself
 * (about a second to load), once per process.
 */
export function solcLongVersion(solc: SolcPackage): string {
  let long = longVersions.get(solc.soljson);
  if (long === undefined) {
    const wrapper = createRequire(solc.soljson)("./index.js") as { version(): string };
    long = wrapper.version().replace(/\.Emscripten\..*$/, "");
    longVersions.set(solc.soljson, long);
  }
  return long;
}
