/**
 * Network presets: Bitlayer testnet and mainnet (public RPCs), a devnet running on its own, and the in-process devnet.
 *
 * @internal
 * @module
 */

import type { DevnetOptions } from "@bitlayer/devnet";

/** Bitlayer testnet: chain id 200810, public RPC. Add `accounts` to send. */
export const bitlayerTestnet = {
  type: "http",
  chainType: "l1",
  chainId: 200810,
  url: "https://testnet-rpc.bitlayer.org",
} as const;

/** Bitlayer mainnet: chain id 200901, public RPC. Add `accounts` to send. */
export const bitlayerMainnet = {
  type: "http",
  chainType: "l1",
  chainId: 200901,
  url: "https://rpc.bitlayer.org",
} as const;

/** A devnet that runs on its own (`bitlayer devnet`) on its default address. */
export const bitlayerLocalhost = {
  type: "http",
  chainType: "l1",
  url: "http://127.0.0.1:8545",
} as const;

/** A devnet in process, started with each connection and stopped with it. */
export function bitlayerInProcess(options: DevnetOptions = {}) {
  return { type: "http", chainType: "l1", bitlayer: { devnet: true, options } } as const;
}

/** The presets under their usual names, to spread into `networks`. */
export const bitlayerNetworks = { bitlayerTestnet, bitlayerMainnet } as const;
