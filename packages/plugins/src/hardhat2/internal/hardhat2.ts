/**
 * The Hardhat 2 that is running, and the part of its plugin API this plugin uses (typed here: this package's own
 * `hardhat` dependency is Hardhat 3).
 *
 * @internal
 * @module
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Eip1193Provider } from "../../core/index.js";
import type { BitlayerHardhat2Helpers } from "../types.js";

/** A Hardhat 2 provider: EIP-1193 plus events (its wrappers forward listeners to it). */
export interface Hardhat2Provider extends Eip1193Provider, NodeJS.EventEmitter {}

interface SolidityCompiler {
  version: string;
  settings?: unknown;
}

/** The fields of Hardhat 2's resolved config this plugin reads or fills. */
export interface Hardhat2Config {
  paths: { root: string };
  solidity: { compilers: SolidityCompiler[]; overrides: Record<string, SolidityCompiler> };
  networks: Record<string, Record<string, unknown>>;
}

export interface Hardhat2UserConfig {
  solidity?: unknown;
  networks?: Record<string, unknown>;
}

export interface Hardhat2Runtime {
  config: Hardhat2Config;
  network: { name: string; provider: Eip1193Provider };
  bitlayer: BitlayerHardhat2Helpers;
}

/** The solc build Hardhat 2 compiles with (what TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD returns). */
export interface SolcBuild {
  compilerPath: string;
  isSolcJs: boolean;
  version: string;
  longVersion: string;
}

export interface Hardhat2Api {
  extendConfig(extender: (config: Hardhat2Config, userConfig: Readonly<Hardhat2UserConfig>) => void): void;
  extendEnvironment(extender: (hre: Hardhat2Runtime) => void): void;
  extendProvider(extender: (provider: Hardhat2Provider, config: Hardhat2Config, network: string) => Promise<Hardhat2Provider>): void;
  subtask(name: string, action: (args: { solcVersion: string }, hre: Hardhat2Runtime) => Promise<SolcBuild>): unknown;
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD: string;
  HardhatPluginError: new (pluginName: string, message: string) => Error;
}

export const PLUGIN_NAME = "@bitlayer/plugins";

/**
 * Hardhat 2's plugin API, from the Hardhat that runs: resolved from the main script (Hardhat's CLI, or a script that
 * requires Hardhat), then from the working directory. Not this package's own `hardhat`, which may be another major.
 */
export function runningHardhat2(): Hardhat2Api {
  const tried: string[] = [];
  for (const from of [process.argv[1], join(process.cwd(), "package.json")]) {
    if (!from) continue;
    let pkgFile: string;
    try {
      pkgFile = createRequire(from).resolve("hardhat/package.json");
    } catch {
      continue;
    }
    const { version } = JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string };
    if (!version.startsWith("2.")) {
      tried.push(`hardhat ${version} at ${dirname(pkgFile)}`);
      continue;
    }
    const hardhat = createRequire(pkgFile);
    return {
      ...(hardhat("./config") as Pick<Hardhat2Api, "extendConfig" | "extendEnvironment" | "extendProvider" | "subtask">),
      TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD: (hardhat("./builtin-tasks/task-names") as { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD: string })
        .TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
      HardhatPluginError: (hardhat("./plugins") as Pick<Hardhat2Api, "HardhatPluginError">).HardhatPluginError,
    };
  }
  throw new Error(
    `${PLUGIN_NAME}/hardhat2 is the Hardhat 2 plugin, but no Hardhat 2 runs here${tried.length ? ` (found ${tried.join(", ")})` : ""}. ` +
      `With Hardhat 3, add ${PLUGIN_NAME}/hardhat to the config's plugins instead.`,
  );
}
