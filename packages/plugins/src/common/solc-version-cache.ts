/**
 * The solc package's long version, remembered in the project's cache folder. Hardhat 3 learns a compiler's long
 * version (it names build infos) by loading the compiler: for soljson.js that is ~0.8 s of every `hardhat test`,
 * `compile` or `run`, whether anything compiles or not. The entry is used only for the same soljson.js (path, size and
 * modification time); anything else in the file is ignored and rewritten.
 *
 * @internal
 * @module
 */

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SolcPackage } from "./solc.js";

/** The cache file, in Hardhat's cache folder (`hardhat clean` removes it). */
export const SOLC_VERSION_CACHE = "bitlayer-solc-long-versions.json";

interface Entry {
  size: number;
  mtimeMs: number;
  longVersion: string;
}

const LONG_VERSION = /^\d+\.\d+\.\d+\+commit\.[0-9a-f]{8}$/;

function identity(soljson: string): { size: number; mtimeMs: number } | undefined {
  try {
    const { size, mtimeMs } = statSync(soljson);
    return { size, mtimeMs };
  } catch {
    return undefined;
  }
}

/** A few entries take a few hundred bytes: a larger file is not one this plugin wrote, and is not read. */
export const MAX_SOLC_VERSION_CACHE_BYTES = 64 * 1024;

function readEntries(cacheDir: string): Record<string, unknown> {
  try {
    const file = join(cacheDir, SOLC_VERSION_CACHE);
    if (statSync(file).size > MAX_SOLC_VERSION_CACHE_BYTES) return {};
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The remembered long version of this soljson.js, or undefined (none, another file, or an entry that makes no sense). */
export function readSolcLongVersion(solc: SolcPackage, cacheDir: string): string | undefined {
  const now = identity(solc.soljson);
  const entry = readEntries(cacheDir)[solc.soljson] as Partial<Entry> | undefined;
  if (now === undefined || typeof entry !== "object" || entry === null) return undefined;
  const { size, mtimeMs, longVersion } = entry;
  if (size !== now.size || mtimeMs !== now.mtimeMs || typeof longVersion !== "string") return undefined;
  return LONG_VERSION.test(longVersion) && longVersion.startsWith(`${solc.version}+`) ? longVersion : undefined;
}

/** Remembers the long version Hardhat got from this soljson.js. A cache folder that can't be written is left alone. */
export function writeSolcLongVersion(solc: SolcPackage, cacheDir: string, longVersion: string): void {
  const now = identity(solc.soljson);
  if (now === undefined || !LONG_VERSION.test(longVersion) || !longVersion.startsWith(`${solc.version}+`)) return;
  const entries = { ...readEntries(cacheDir), [solc.soljson]: { ...now, longVersion } satisfies Entry };
  const file = join(cacheDir, SOLC_VERSION_CACHE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, `${JSON.stringify(entries, null, 2)}\n`);
    renameSync(temp, file); // whole or not at all, also with two Hardhat processes at once
  } catch {
    // read-only project or cache folder: the next run asks the compiler again. A temp file written before a failed
    // rename is removed; where the folder can't be made, there is none.
    try {
      rmSync(temp, { force: true });
    } catch {}
  }
}
