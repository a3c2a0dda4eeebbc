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
export { parseDuration } from "./duration.js";
