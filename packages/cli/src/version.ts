/**
 * The CLI's version: its package.json's, read next to the running file (the bundle in dist/, or dist/src/ in tests).
 *
 * @module
 */

import { readFileSync } from "node:fs";

function readVersion(): string {
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@bitlayer/cli" && pkg.version) return pkg.version;
    } catch {
      // not there
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
