/**
 * Bitcoin Core's RPC error codes (src/rpc/protocol.h, v28) and the error the Bitcoin RPC methods throw.
 *
 * @module
 */

/** Bitcoin Core's `RPCErrorCode` values used by the simulated node. */
export const RpcErrorCode = {
  /** Standard JSON-RPC 2.0: mapped to HTTP 400 for legacy requests. */
  RPC_INVALID_REQUEST: -32600,
  /** Mapped to HTTP 404 for legacy requests. */
  RPC_METHOD_NOT_FOUND: -32601,
  RPC_INVALID_PARAMS: -32602,
  RPC_INTERNAL_ERROR: -32603,
  RPC_PARSE_ERROR: -32700,
  /** std::exception thrown in command handling (also: wrong number of parameters, with the usage text). */
  RPC_MISC_ERROR: -1,
  /** Unexpected type was passed as parameter. */
  RPC_TYPE_ERROR: -3,
  /** Invalid address or key (also: block or transaction not found). */
  RPC_INVALID_ADDRESS_OR_KEY: -5,
  /** Invalid, missing or duplicate parameter. */
  RPC_INVALID_PARAMETER: -8,
  /** Error parsing or validating structure in raw format. */
  RPC_DESERIALIZATION_ERROR: -22,
  /** General error during transaction or block submission (e.g. missing inputs). */
  RPC_VERIFY_ERROR: -25,
  /** Transaction or block was rejected by network rules. */
  RPC_VERIFY_REJECTED: -26,
  /** Transaction already in utxo set (Core < 28: RPC_VERIFY_ALREADY_IN_CHAIN, same number). */
  RPC_VERIFY_ALREADY_IN_UTXO_SET: -27,
  /** RPC method is deprecated (getbalance's dummy argument). */
  RPC_METHOD_DEPRECATED: -32,
  /** Unspecified problem with wallet. */
  RPC_WALLET_ERROR: -4,
  /** Not enough funds in wallet or account. */
  RPC_WALLET_INSUFFICIENT_FUNDS: -6,
  /** Invalid wallet specified. */
  RPC_WALLET_NOT_FOUND: -18,
  /** Keypool ran out. */
  RPC_WALLET_KEYPOOL_RAN_OUT: -12,
} as const;

export type RpcErrorCodeName = keyof typeof RpcErrorCode;

/**
 * An error answered as Bitcoin Core answers it: `code` is Core's number, `message` its text.
 * @example
 * throw new BitcoinRpcError(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "Block not found");
 */
export class BitcoinRpcError extends Error {
  override readonly name = "BitcoinRpcError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** The JSON-RPC error object. */
  toJSON(): { code: number; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Shorthand for `new BitcoinRpcError(RpcErrorCode[name], message)`. */
export function rpcError(name: RpcErrorCodeName, message: string): BitcoinRpcError {
  return new BitcoinRpcError(RpcErrorCode[name], message);
}
