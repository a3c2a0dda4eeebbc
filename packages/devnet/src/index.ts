/**
 * @bitlayer/devnet: a single-process Bitlayer devnet.
 * In process: `createDevnet()`; over the network: `startServer(devnet)`.
 */

export {
  DEFAULT_BITCOIN_RPC_PASSWORD,
  DEFAULT_BITCOIN_RPC_PORT,
  DEFAULT_BITCOIN_RPC_USER,
} from "./bitcoin/rpc/server.js";
export { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, BRIDGE_RESERVE_WEI, SYSTEM_ADDRESS, WEI_PER_SAT } from "./bridge/predeploys.js";
export type { BridgeMode, WithdrawalStatus } from "./bridge/types.js";
export type { BridgeAccounting, BridgeInfo, DepositView, ForcedView, WithdrawalView } from "./bridge/views.js";
export type { DevnetCore } from "./devnet/core.js";
export { type CreateDevnetOptions, createDevnet, type Devnet } from "./devnet/create.js";
export { FINALITY_LEVELS, type FinalityLevel } from "./devnet/finality.js";
export { DEVNET_CHAIN_ID, type DevnetOptions, MAX_WINDOW_BLOCKS, PRESETS, type Preset } from "./devnet/options.js";
export { MAX_BITCOIN_BLOCKS, PREMINE_BLOCKS } from "./devnet/settlement.js";
export { MAX_WARP_SECONDS } from "./devnet/warp.js";
export { parseDuration } from "./duration.js";
export { DevnetError, type DevnetErrorCode } from "./errors.js";
export { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC, type DevAccount } from "./l2/accounts.js";
export type { BlockSettings, MiningMode } from "./l2/chain.js";
export { CONSOLE_ADDRESS, type ConsoleLog } from "./l2/console.js";
export { cryptoBackend } from "./l2/crypto.js";
export { type EvmProfile, PROFILES } from "./l2/profile.js";
export { MAX_CHAIN_BLOCKS } from "./l2/store.js";
export type { BatchRecord, BatchStatus, HaltInfo } from "./rollup/types.js";
export {
  FILTER_TIMEOUT_MS,
  MAX_FILTER_BACKLOG,
  MAX_FILTERS,
  MAX_LOG_RANGE,
  MAX_LOGS_PER_RESPONSE,
} from "./rpc/filters.js";
export { methodRegistry } from "./rpc/methods/index.js";
export { ProviderRpcError, type RequestArguments } from "./rpc/provider.js";
export type { MethodSpec, Param } from "./rpc/registry.js";
export { MAX_PARAMS_DEPTH } from "./rpc/registry.js";
export {
  MAX_ACCESS_LIST_ENTRIES,
  MAX_ACCESS_LIST_KEYS,
  MAX_BLOB_HASHES,
  MAX_DATA_BYTES,
  MAX_FILTER_ADDRESSES,
  MAX_TEXT_LENGTH,
  MAX_TOPIC_ALTERNATIVES,
  MAX_TYPED_DATA_FIELDS,
  MAX_TYPED_DATA_JSON,
  MAX_TYPED_DATA_NAME,
  MAX_TYPED_DATA_TYPES,
} from "./rpc/schemas.js";
export { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "./rpc/subscriptions.js";
export { type BitcoinRpcServer, type BitcoinRpcServerOptions, startBitcoinServer } from "./server/bitcoin.js";
export { answerRequest, type JsonRpcResponse, MAX_BATCH, MAX_BATCH_RESPONSE_BYTES } from "./server/jsonrpc.js";
export {
  type DevnetServer,
  MAX_BODY_BYTES,
  MAX_WS_BUFFERED_BYTES,
  type ServerOptions,
  startServer,
  WS_CLOSE_NOT_READING,
} from "./server/server.js";
