// Offline Solidity compilation for tests, with the `solc` npm package (soljson.js, no download).
//
//   const { abi, bytecode } = await getContract("Counter");
//   const all = compileSources({ "A.sol": "pragma solidity ^0.8.28; contract A {}" });
//
// Standard JSON input, optimizer on (200 runs), evmVersion "cancun". Results are cached per
// process (keyed by the sources), since loading and running soljson takes a few seconds.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface CompiledContract {
  abi: unknown[];
  /** Creation bytecode, 0x-prefixed. */
  bytecode: string;
  /** Runtime bytecode, 0x-prefixed. */
  deployedBytecode: string;
}

export type CompiledContracts = Record<string, CompiledContract>;

export interface CompileOptions {
  evmVersion?: string;
  optimizerRuns?: number;
  /**
   * solc's metadata settings. `{ bytecodeHash: "none", appendCBOR: false }` leaves the metadata hash out
   * of the bytecode, which then does not depend on file names or comments. Default: solc's (CBOR appended).
   */
  metadata?: { bytecodeHash?: "ipfs" | "bzzr1" | "none"; appendCBOR?: boolean };
}

interface SolcError {
  severity: "error" | "warning" | "info";
  type: string;
  formattedMessage?: string;
  message: string;
}

interface SolcOutput {
  errors?: SolcError[];
  contracts?: Record<
    string,
    Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>
  >;
}

interface Solc {
  version(): string;
  compile(input: string, callbacks?: { import: (path: string) => { contents: string } | { error: string } }): string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The folder of the test contracts. The compiled file lives in packages/devnet/dist/test/support/,
 * the source in packages/devnet/test/support/: both resolve to packages/devnet/test/contracts.
 */
export const contractsDir: string = (() => {
  const candidates = [resolve(here, "../../../test/contracts"), resolve(here, "../contracts")];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`test contracts folder not found; looked in ${candidates.join(", ")}`);
  return found;
})();

let solcInstance: Solc | undefined;

function loadSolc(): Solc {
  if (!solcInstance) {
    const require = createRequire(import.meta.url);
    solcInstance = require("solc") as Solc;
  }
  return solcInstance;
}

/** Version of the bundled compiler, e.g. "0.8.28+commit.7893614a.Emscripten.clang". */
export function solcVersion(): string {
  return loadSolc().version();
}

const cache = new Map<string, CompiledContracts>();

/**
 * Compiles in-memory sources (file name -> Solidity text). Imports that are not among the sources
 * are read from the contracts folder. Returns every contract by its name, and also by
 * "file:Name" (use that form when two files define the same name).
 * Throws an Error listing the compiler's messages if there is any error.
 */
export function compileSources(sources: Record<string, string>, options: CompileOptions = {}): CompiledContracts {
  const evmVersion = options.evmVersion ?? "cancun";
  const runs = options.optimizerRuns ?? 200;
  const metadata = options.metadata;
  const key = createHash("sha256").update(JSON.stringify({ sources, evmVersion, runs, metadata })).digest("hex");
  const cached = cache.get(key);
  if (cached) return cached;

  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([file, content]) => [file, { content }])),
    settings: {
      optimizer: { enabled: true, runs },
      evmVersion,
      ...(metadata ? { metadata } : {}),
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
    },
  };

  const findImports = (path: string): { contents: string } | { error: string } => {
    const file = resolve(contractsDir, path);
    if (!file.startsWith(contractsDir) || !existsSync(file)) return { error: `File not found: ${path}` };
    return { contents: readFileSync(file, "utf8") };
  };

  let output: SolcOutput;
  try {
    output = JSON.parse(loadSolc().compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  } catch (err) {
    throw new Error(`solc failed to run: ${(err as Error).message}`);
  }

  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    const text = errors.map((e) => (e.formattedMessage ?? `${e.type}: ${e.message}`).trim()).join("\n\n");
    throw new Error(`Solidity compilation failed (${errors.length} error(s)):\n${text}`);
  }

  const result: CompiledContracts = {};
  const seen = new Map<string, number>();
  for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      const artifact: CompiledContract = {
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
      result[`${file}:${name}`] = artifact;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      result[name] = artifact;
    }
  }
  // An ambiguous short name would silently pick one of the definitions: drop it.
  for (const [name, n] of seen) if (n > 1) delete result[name];

  cache.set(key, result);
  return result;
}

/** Compiles the given .sol files of the contracts folder (default: all of them). */
export function compileContracts(files?: string[], options: CompileOptions = {}): CompiledContracts {
  const names =
    files ??
    readdirSync(contractsDir)
      .filter((f) => f.endsWith(".sol"))
      .sort();
  const sources: Record<string, string> = {};
  for (const f of names) sources[f] = readFileSync(join(contractsDir, f), "utf8");
  return compileSources(sources, options);
}

/** One contract of the contracts folder, by name ("Counter") or by "File.sol:Name". */
export function getContract(name: string, options: CompileOptions = {}): CompiledContract {
  const all = compileContracts(undefined, options);
  const found = all[name];
  if (!found) {
    const known = Object.keys(all).filter((k) => !k.includes(":"));
    throw new Error(`contract ${name} not found in ${contractsDir}; known: ${known.join(", ")}`);
  }
  return found;
}
