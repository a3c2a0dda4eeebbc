/**
 * Public types of the Bitlayer Hardhat 2 plugin: `hre.bitlayer` and the `bitlayer` key of a network's config.
 * (`hardhat2.d.ts` at the package's root adds them to Hardhat 2's own types.)
 *
 * @module
 */

import type { Devnet, DevnetOptions } from "@bitlayer/devnet";
import type { BitlayerHelpers } from "../core/index.js";

/**
 * The `bitlayer` key of a network in `hardhat.config.js`.
 *
 * @example
 * networks: {
 *   // A devnet in this process, started by the network's first request.
 *   bitlayer: { url: IN_PROCESS_URL, bitlayer: { devnet: true, options: { preset: "fast" } } },
 * }
 */
export interface BitlayerHardhat2NetworkUserConfig {
  /** Serve this network from a devnet in process (createDevnet), started by its first request. `url` is then the placeholder. */
  devnet?: boolean;
  /** Options of the in-process devnet (chain id, preset, accounts, ...): `createDevnet(options)`. */
  options?: DevnetOptions;
}

/** The resolved `bitlayer` key of a network. */
export interface BitlayerHardhat2NetworkConfig {
  devnet: boolean;
  options: DevnetOptions;
}

/**
 * The helper core bound to the selected network's provider: `hre.bitlayer`.
 *
 * @example
 * const tx = await counter.increment();
 * await hre.bitlayer.waitForFinality(tx.hash, "hard", { warp: true });
 */
export interface BitlayerHardhat2Helpers extends BitlayerHelpers {
  /**
   * The in-process devnet behind the network (one with `bitlayer: { devnet: true }`), started if it was not yet, for
   * what has no JSON-RPC method on the L2 (e.g. `devnet.bitcoinRequest("getnewaddress")`); undefined on any other network.
   */
  getDevnet(): Promise<Devnet | undefined>;
}
