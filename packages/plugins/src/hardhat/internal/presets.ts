/**
 * Network presets: Bitlayer testnet and mainnet (public RPCs), a devnet running on its own, and the in-process devnet.
 *
 * @internal
 * @module
 */

import type { DevnetOptions } from "@bitlayer/devnet";
import type { HttpNetworkUserConfig } from "hardhat/types/config";
import { IN_PROCESS_URL, LOCAL_DEVNET_URL, MAINNET, TESTNET } from "../../common/networks.js";

/**
 * The `url` of a network with `bitlayer: { devnet: true }` (Hardhat's types want one): never contacted; the plugin
 * replaces it with the URL of the devnet it starts for each connection. Leaving `url` out works too.
 */
export { IN_PROCESS_URL };

/** Bitlayer testnet: chain id 200810, public RPC. Add `accounts` to send. */
export const bitlayerTestnet = {
  type: "http",
  chainType: "l1",
  ...TESTNET,
} as const;

/** Bitlayer mainnet: chain id 200901, public RPC. Add `accounts` to send. */
export const bitlayerMainnet = {
  type: "http",
  chainType: "l1",
  ...MAINNET,
} as const;

/** A devnet that runs on its own (`bitlayer devnet`) on its default address. */
export const bitlayerLocalhost = {
  type: "http",
  chainType: "l1",
  url: LOCAL_DEVNET_URL,
} as const;

/**
 * A devnet in process, started with each connection and stopped with it.
 *
 * @example
 * networks: { bitlayer: bitlayerInProcess({ preset: "fast" }) }
 */
export function bitlayerInProcess(options: DevnetOptions = {}): HttpNetworkUserConfig & { chainType: "l1" } {
  return { type: "http", chainType: "l1", url: IN_PROCESS_URL, bitlayer: { devnet: true, options } };
}

/** The presets under their usual names, to spread into `networks`. */
export const bitlayerNetworks = { bitlayerTestnet, bitlayerMainnet } as const;
