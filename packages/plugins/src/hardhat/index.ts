/**
 * `@bitlayer/plugins/hardhat`: the Bitlayer plugin for Hardhat 3.
 *
 * - Networks: an `http` network with `bitlayer: { devnet: true, options? }` runs a devnet in process for each
 *   connection; any other network (a devnet over HTTP, Bitlayer testnet and mainnet presets) works as is.
 * - `connection.bitlayer`: the helper core bound to the connection's provider.
 * - Compilation with the `solc` npm package (no download) for every solc compiler config without a `path`.
 *
 * @example
 * import hardhatEthers from "@nomicfoundation/hardhat-ethers";
 * import bitlayer, { bitlayerInProcess, bitlayerNetworks } from "@bitlayer/plugins/hardhat";
 * import { defineConfig } from "hardhat/config";
 *
 * export default defineConfig({
 *   plugins: [hardhatEthers, bitlayer],
 *   solidity: "0.8.28",
 *   networks: {
 *     ...bitlayerNetworks,
 *     bitlayerDevnet: bitlayerInProcess(), // { type: "http", url: IN_PROCESS_URL, bitlayer: { devnet: true } }
 *   },
 * });
 *
 * @module
 */

import type { HardhatPlugin } from "hardhat/types/plugins";

export {
  bitlayerInProcess,
  bitlayerLocalhost,
  bitlayerMainnet,
  bitlayerNetworks,
  bitlayerTestnet,
  IN_PROCESS_URL,
} from "./internal/presets.js";
export type { BitlayerConnectionHelpers, BitlayerNetworkConfig, BitlayerNetworkUserConfig } from "./types/index.js";
export type * from "./types/type-extensions.js";

const bitlayerPlugin: HardhatPlugin = {
  id: "bitlayer",
  npmPackage: "@bitlayer/plugins",
  hookHandlers: {
    config: () => import("./internal/hook-handlers/config.js"),
    network: () => import("./internal/hook-handlers/network.js"),
    solidity: () => import("./internal/hook-handlers/solidity.js"),
  },
};

export default bitlayerPlugin;
