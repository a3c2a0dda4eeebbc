/**
 * Bitlayer's public networks and the devnet's addresses, shared by the Hardhat 3 and Hardhat 2 presets.
 *
 * @internal
 * @module
 */

/** Bitlayer testnet: chain id and public RPC. */
export const TESTNET = { chainId: 200810, url: "https://testnet-rpc.bitlayer.org" } as const;

/** Bitlayer mainnet: chain id and public RPC. */
export const MAINNET = { chainId: 200901, url: "https://rpc.bitlayer.org" } as const;

/** Where `bitlayer devnet` listens by default. */
export const LOCAL_DEVNET_URL = "http://127.0.0.1:8545";

/**
 * The `url` of a network with `bitlayer: { devnet: true }` (Hardhat's config wants one): never contacted; the plugin
 * serves that network from a devnet it starts in process.
 */
export const IN_PROCESS_URL = "http://127.0.0.1:1/bitlayer-in-process-devnet";
