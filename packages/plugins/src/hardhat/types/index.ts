/**
 * Public types of the Bitlayer Hardhat 3 plugin: the `bitlayer` key of a network's config and the helpers on
 * `connection.bitlayer`.
 *
 * @module
 */

import type { Devnet, DevnetOptions } from "@bitlayer/devnet";
import type { BitlayerHelpers } from "../../core/index.js";

/**
 * The `bitlayer` key of an `http` network in `hardhat.config.ts`.
 *
 * @example
 * networks: {
 *   // A fresh devnet in this process for every connection, stopped when the connection closes.
 *   bitlayerDevnet: { type: "http", bitlayer: { devnet: true, options: { preset: "fast" } } },
 * }
 */
export interface BitlayerNetworkUserConfig {
  /** Start a devnet in process (createDevnet + a JSON-RPC server on 127.0.0.1) when a connection opens. Leave out `url`. */
  devnet?: boolean;
  /** Options of the in-process devnet (chain id, preset, accounts, ...): `createDevnet(options)`. */
  options?: DevnetOptions;
}

/** The resolved `bitlayer` key of a network. */
export interface BitlayerNetworkConfig {
  devnet: boolean;
  options: DevnetOptions;
}

/**
 * The helper core bound to one network connection's provider: `connection.bitlayer`.
 *
 * @example
 * const connection = await network.create("bitlayerDevnet");
 * const tx = await counter.increment();
 * await connection.bitlayer.waitForFinality(tx.hash as `0x${string}`, "hard", { warp: true });
 */
export interface BitlayerConnectionHelpers extends BitlayerHelpers {
  /**
   * The in-process devnet behind this connection (a network with `bitlayer: { devnet: true }`), for what has no
   * JSON-RPC method on the L2 (e.g. `devnet.bitcoinRequest("getnewaddress")`); undefined on any other network.
   */
  readonly devnet: Devnet | undefined;
}
