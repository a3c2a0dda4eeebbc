/**
 * The simulated node's Bitcoin Core-compatible JSON-RPC: the method registry, its reference generator,
 * the HTTP server and the in-process caller.
 *
 * @module
 */
export { BtcAmount, btc, toPlainJson, writeJson } from "./amount.js";
export { BitcoinRpcError, RpcErrorCode } from "./errors.js";
export { answerBody, bitcoinRpcRequest, MAX_BATCH } from "./jsonrpc.js";
export { bitcoinMethodRegistry, bitcoinMethods } from "./methods.js";
export { MAX_GENERATE_BLOCKS } from "./mining.js";
export { renderBitcoinRpcReference } from "./reference.js";
export {
  type BitcoinMethodGroup,
  BitcoinMethodRegistry,
  type BitcoinMethodSpec,
  type BitcoinNode,
  type BitcoinParam,
  type BitcoinRpcContext,
  type BitcoinRpcHost,
  defineBitcoinMethod,
} from "./registry.js";
export { addressToScript, inferDescriptor, scriptAddress, scriptToAsm } from "./script.js";
export {
  type BitcoinRpcServer,
  type BitcoinRpcServerOptions,
  DEFAULT_BITCOIN_RPC_PASSWORD,
  DEFAULT_BITCOIN_RPC_PORT,
  DEFAULT_BITCOIN_RPC_USER,
  MAX_BITCOIN_RPC_BODY_BYTES,
  startBitcoinRpcServer,
} from "./server.js";
