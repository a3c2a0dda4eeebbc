/**
 * Hardhat type extensions: `bitlayer` on http network configs and on every network connection.
 *
 * @module
 */

import type { BitlayerConnectionHelpers, BitlayerNetworkConfig, BitlayerNetworkUserConfig } from "./index.js";

declare module "hardhat/types/config" {
  interface HttpNetworkUserConfig {
    /** Bitlayer: `{ devnet: true }` starts a devnet in process for each connection (leave out `url`). */
    bitlayer?: BitlayerNetworkUserConfig;
  }
  interface HttpNetworkConfig {
    bitlayer?: BitlayerNetworkConfig;
  }
}

declare module "hardhat/types/network" {
  interface NetworkConnection<ChainTypeT extends ChainType | string = DefaultChainType> {
    /** The Bitlayer helpers bound to this connection's provider. */
    bitlayer: BitlayerConnectionHelpers;
  }
}
