/**
 * What a client of a devnet needs without the engine (`@bitlayer/devnet/client`): the predeployed contracts'
 * addresses and ABIs, and duration parsing. The Hardhat plugins load this with every connection, the engine (the
 * package's main entry) only for a devnet they run in process.
 *
 * @example
 * import { BITCOIN_BRIDGE, parseDuration } from "@bitlayer/devnet/client";
 * parseDuration("7d"); // 604800
 *
 * @module
 */

export { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS } from "./bridge/contracts.generated.js";
export {
  DEFAULT_ACCOUNT_BALANCE,
  DEFAULT_ACCOUNT_COUNT,
  DEFAULT_BITCOIN_RPC_PASSWORD,
  DEFAULT_BITCOIN_RPC_PORT,
  DEFAULT_BITCOIN_RPC_USER,
  DEFAULT_MNEMONIC,
  DEVNET_CHAIN_ID,
  type EvmProfile,
  PRESETS,
  PROFILES,
  type Preset,
} from "./defaults.js";
export { parseDuration } from "./duration.js";
