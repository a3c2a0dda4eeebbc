/**
 * `@bitlayer/plugins/hardhat2`: the Bitlayer plugin for Hardhat 2. Requiring it registers, in the Hardhat 2 that runs:
 *
 * - `hre.bitlayer`: the helper core bound to the selected network's provider.
 * - Networks: one with `bitlayer: { devnet: true, options? }` is served by a devnet in this process, started by its
 *   first request (`bitlayerInProcess()` writes it); any other network (a devnet over HTTP, Bitlayer testnet and
 *   mainnet) works as is.
 * - Compilation with the `solc` npm package (no download): every compiler of the config must be its version.
 *
 * @example
 * // hardhat.config.js
 * require("@nomicfoundation/hardhat-ethers");
 * const { bitlayerInProcess, bitlayerNetworks } = require("@bitlayer/plugins/hardhat2");
 *
 * module.exports = {
 *   solidity: "0.8.28",
 *   networks: { ...bitlayerNetworks, bitlayer: bitlayerInProcess() },
 * };
 *
 * @module
 */

import type { DevnetOptions } from "@bitlayer/devnet";
import { bitlayerKeyProblems, isObject, resolveBitlayerKey } from "../common/bitlayer-key.js";
import { IN_PROCESS_URL, LOCAL_DEVNET_URL, MAINNET, TESTNET } from "../common/networks.js";
import { bindHelpers } from "../core/index.js";
import { checkCompilers, useSolcPackage } from "./internal/compile.js";
import { type Hardhat2Config, PLUGIN_NAME, runningHardhat2 } from "./internal/hardhat2.js";
import { inProcessProvider, startedDevnet } from "./internal/provider.js";
import type { BitlayerHardhat2NetworkConfig } from "./types.js";

export type { BitlayerHardhat2Helpers, BitlayerHardhat2NetworkConfig, BitlayerHardhat2NetworkUserConfig } from "./types.js";
export { IN_PROCESS_URL };

/** Bitlayer testnet: chain id 200810, public RPC. Add `accounts` to send. */
export const bitlayerTestnet = { ...TESTNET };

/** Bitlayer mainnet: chain id 200901, public RPC. Add `accounts` to send. */
export const bitlayerMainnet = { ...MAINNET };

/** A devnet that runs on its own (`bitlayer devnet`) on its default address. */
export const bitlayerLocalhost = { url: LOCAL_DEVNET_URL };

/** The presets under their usual names, to spread into `networks`. */
export const bitlayerNetworks = { bitlayerTestnet, bitlayerMainnet };

/**
 * A network served by a devnet in this process, started by the network's first request and alive until the process
 * exits. Its `url` is a placeholder that is never contacted.
 *
 * @example
 * networks: { bitlayer: bitlayerInProcess({ preset: "fast" }) }
 */
export function bitlayerInProcess(options: DevnetOptions = {}): { url: string; bitlayer: BitlayerHardhat2NetworkConfig } {
  return { url: IN_PROCESS_URL, bitlayer: { devnet: true, options } };
}

function inProcessOptions(config: Hardhat2Config, network: string): DevnetOptions | undefined {
  const bitlayer = config.networks[network]?.bitlayer as BitlayerHardhat2NetworkConfig | undefined;
  return bitlayer?.devnet ? bitlayer.options : undefined;
}

const hardhat = runningHardhat2();

hardhat.extendConfig((config, userConfig) => {
  // All problems of every network first, then the config is touched.
  const problems: string[] = [];
  for (const [name, network] of Object.entries(userConfig.networks ?? {})) {
    if (!isObject(network)) continue;
    const isHttp = name !== "hardhat" && typeof network.url === "string";
    for (const { key, message } of bitlayerKeyProblems(network, isHttp)) {
      problems.push(`networks.${name}.${key === "url" ? "url" : `bitlayer${key ? `.${key}` : ""}`}: ${message}`);
    }
  }
  if (problems.length > 0) throw new hardhat.HardhatPluginError(PLUGIN_NAME, `Invalid config:\n  ${problems.join("\n  ")}`);
  for (const [name, network] of Object.entries(userConfig.networks ?? {})) {
    if (isObject(network) && isObject(network.bitlayer) && config.networks[name]) {
      config.networks[name].bitlayer = resolveBitlayerKey(network.bitlayer);
    }
  }
  checkCompilers(hardhat, config, userConfig);
});

hardhat.extendProvider(async (provider, config, network) => {
  const options = inProcessOptions(config, network);
  return options === undefined ? provider : inProcessProvider(config, network, options);
});

hardhat.extendEnvironment((hre) => {
  const { provider } = hre.network;
  hre.bitlayer = {
    ...bindHelpers(provider),
    async getDevnet() {
      if (inProcessOptions(hre.config, hre.network.name) === undefined) return undefined;
      await provider.request({ method: "eth_chainId" }); // the devnet starts with the provider
      return startedDevnet(hre.config, hre.network.name);
    },
  };
});

useSolcPackage(hardhat);
