// Types of @bitlayer/plugins/hardhat2, and its additions to Hardhat 2's own types. Hand-written rather than emitted:
// this package builds against Hardhat 3, whose modules these augment do not exist.

import type {
  BitlayerHardhat2Helpers,
  BitlayerHardhat2NetworkConfig,
  BitlayerHardhat2NetworkUserConfig,
} from "./dist/src/hardhat2/index.js";

export * from "./dist/src/hardhat2/index.js";

declare module "hardhat/types/runtime" {
  interface HardhatRuntimeEnvironment {
    /** The Bitlayer helpers bound to the selected network's provider. */
    bitlayer: BitlayerHardhat2Helpers;
  }
}

declare module "hardhat/types/config" {
  interface HttpNetworkUserConfig {
    /** Bitlayer: `{ devnet: true }` serves this network from a devnet in process (see bitlayerInProcess). */
    bitlayer?: BitlayerHardhat2NetworkUserConfig;
  }
  interface HttpNetworkConfig {
    bitlayer?: BitlayerHardhat2NetworkConfig;
  }
}
