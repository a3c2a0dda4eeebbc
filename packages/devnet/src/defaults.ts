/**
 * The devnet's defaults and choices as plain values, in a module that imports nothing: a CLI can show them in its help
 * without loading the engine (the modules that use them re-export them from here).
 *
 * @module
 */

/** The devnet's documented chain id: distinct from Bitlayer mainnet (200901) and testnet (200810). */
export const DEVNET_CHAIN_ID = 202601;

/** Settlement presets: "mainnet" mirrors Bitlayer mainnet's timing; "fast" runs a whole cycle in about a minute. */
export const PRESETS = ["mainnet", "fast"] as const;
export type Preset = (typeof PRESETS)[number];

/** EVM rule sets the devnet can run. "bitlayer" mirrors the real network. */
export const PROFILES = ["bitlayer", "cancun", "prague"] as const;
export type EvmProfile = (typeof PROFILES)[number];

export const DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";
export const DEFAULT_ACCOUNT_COUNT = 20;
/** 10 000 BTC, in wei (18 decimals). */
export const DEFAULT_ACCOUNT_BALANCE = 10_000n * 10n ** 18n;

/** Regtest's default RPC port. */
export const DEFAULT_BITCOIN_RPC_PORT = 18443;
/** Default credentials (`-rpcuser`/`-rpcpassword`). */
export const DEFAULT_BITCOIN_RPC_USER = "devnet";
export const DEFAULT_BITCOIN_RPC_PASSWORD = "devnet";

/** Where Hardhat's console.sol sends its calls: the bytes of "console.log". */
export const CONSOLE_ADDRESS = "0x000000000000000000636f6e736f6c652e6c6f67";
