/** Standard JSON-RPC error numbers, plus the ones wallets and libraries already understand. */
export const RpcErrorNumber = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  invalidInput: -32000,
  transactionRejected: -32003,
  unsupported: -32004,
  limitExceeded: -32005,
  executionReverted: 3,
} as const;

/** Codes users can match on (`err.code` in process, `error.data.code` over JSON-RPC). */
export type DevnetErrorCode =
  | "PARSE_ERROR"
  | "INVALID_REQUEST"
  | "METHOD_NOT_FOUND"
  | "INVALID_PARAMS"
  | "INTERNAL_ERROR"
  | "EXECUTION_REVERTED"
  | "NONCE_TOO_LOW"
  | "NONCE_TOO_HIGH"
  | "INSUFFICIENT_FUNDS"
  | "INTRINSIC_GAS_TOO_LOW"
  | "GAS_LIMIT_TOO_HIGH"
  | "FEE_TOO_LOW"
  | "REPLACEMENT_UNDERPRICED"
  | "ALREADY_KNOWN"
  | "INVALID_SIGNATURE"
  | "WRONG_CHAIN_ID"
  | "UNSUPPORTED_TX_TYPE"
  | "UNKNOWN_ACCOUNT"
  | "UNKNOWN_BLOCK"
  | "UNKNOWN_SNAPSHOT"
  | "UNKNOWN_FILTER"
  | "LIMIT_EXCEEDED"
  | "INVALID_TIMESTAMP"
  | "STATE_FILE_INVALID"
  | "NOT_SUPPORTED"
  | "DEVNET_CLOSED"
  | "TRANSACTION_FAILED"
  | "BALANCE_OVERFLOW"
  | "L2_HALTED"
  | "UNKNOWN_BATCH"
  | "UNKNOWN_TRANSACTION"
  | "NOT_HALTED";

const defaultNumber: Partial<Record<DevnetErrorCode, number>> = {
  PARSE_ERROR: RpcErrorNumber.parseError,
  INVALID_REQUEST: RpcErrorNumber.invalidRequest,
  METHOD_NOT_FOUND: RpcErrorNumber.methodNotFound,
  INVALID_PARAMS: RpcErrorNumber.invalidParams,
  INTERNAL_ERROR: RpcErrorNumber.internal,
  EXECUTION_REVERTED: RpcErrorNumber.executionReverted,
  // Anvil answers "max fee per gas less than block base fee" as a rejected transaction.
  FEE_TOO_LOW: RpcErrorNumber.transactionRejected,
  LIMIT_EXCEEDED: RpcErrorNumber.limitExceeded,
};

/**
 * Every error the devnet raises. `code` is stable and meant for matching;
 * `rpcCode` is the JSON-RPC error number sent over the wire.
 */
export class DevnetError extends Error {
  readonly code: DevnetErrorCode;
  readonly rpcCode: number;
  /** Revert data (hex) for EXECUTION_REVERTED; extra details otherwise. */
  readonly data?: unknown;

  constructor(code: DevnetErrorCode, message: string, options: { data?: unknown; rpcCode?: number } = {}) {
    super(message);
    this.name = "DevnetError";
    this.code = code;
    this.rpcCode = options.rpcCode ?? defaultNumber[code] ?? RpcErrorNumber.invalidInput;
    this.data = options.data;
  }
}

export function invalidParams(message: string): DevnetError {
  return new DevnetError("INVALID_PARAMS", message);
}
