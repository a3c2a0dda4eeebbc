/**
 * @bitlayer/devnet: a single-process Bitlayer devnet.
 * In process: `createDevnet()`; over the network: `startServer(devnet)`.
 */

export type { DevnetCore } from "./devnet/core.js";
export { type CreateDevnetOptions, createDevnet, type Devnet } from "./devnet/create.js";
export { DEVNET_CHAIN_ID, type DevnetOptions } from "./devnet/options.js";
export { DevnetError, type DevnetErrorCode } from "./errors.js";
export { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC, type DevAccount } from "./l2/accounts.js";
export type { BlockSettings, MiningMode } from "./l2/chain.js";
export { CONSOLE_ADDRESS, type ConsoleLog } from "./l2/console.js";
export { cryptoBackend } from "./l2/crypto.js";
export { type EvmProfile, PROFILES } from "./l2/profile.js";
export { methodRegistry } from "./rpc/methods/index.js";
export { ProviderRpcError, type RequestArguments } from "./rpc/provider.js";
export type { MethodSpec, Param } from "./rpc/registry.js";
export { MAX_BATCH } from "./server/jsonrpc.js";
export { type DevnetServer, MAX_BODY_BYTES, type ServerOptions, startServer } from "./server/server.js";
