/**
 * The one error class the helpers throw, with a `code` to match on.
 *
 * @module
 */

/** Codes of {@link BitlayerHelperError}. */
export type BitlayerHelperErrorCode =
  /** The helper needs the Bitlayer devnet (time travel, fraud, Bitcoin mining, the bridge) and the network is not one. */
  | "NOT_A_DEVNET"
  /** No such transaction, block or withdrawal. */
  | "UNKNOWN_TRANSACTION"
  /** A duration that is not a whole number of seconds nor "7d", "1h30m"... */
  | "INVALID_DURATION"
  /** A finality level that cannot be waited for. */
  | "INVALID_LEVEL"
  /** A malformed address, hash, amount or option. */
  | "INVALID_ARGUMENT"
  /** The wait ran out of time. */
  | "TIMEOUT"
  /** The devnet refused: the L2 is halted (or the target was invalidated by the halt). */
  | "HALTED"
  /** Anything else the node refused; `cause` holds its JSON-RPC error. */
  | "RPC_ERROR";

/** The node's JSON-RPC error, as kept in `cause`. */
export interface RpcErrorCause {
  /** JSON-RPC error number (-32000, -32602, 3...). */
  code: number | undefined;
  message: string;
  data?: unknown;
  /** The devnet's stable code (`L2_HALTED`, `NOT_HALTED`, `INVALID_PARAMS`...), when it gave one. */
  reason?: string;
}

/**
 * The error every helper throws.
 * @example
 * try {
 *   await warp(provider, "7d");
 * } catch (error) {
 *   if (error instanceof BitlayerHelperError && error.code === "NOT_A_DEVNET") console.log(error.message);
 * }
 */
export class BitlayerHelperError extends Error {
  readonly code: BitlayerHelperErrorCode;
  declare readonly cause?: RpcErrorCause | unknown;

  constructor(code: BitlayerHelperErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BitlayerHelperError";
    this.code = code;
  }
}

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Turns what a provider threw into a {@link BitlayerHelperError}: L2_HALTED → HALTED, UNKNOWN_TRANSACTION and
 * UNKNOWN_BLOCK → UNKNOWN_TRANSACTION, anything else → RPC_ERROR; the JSON-RPC error is kept as `cause`. The devnet puts its
 * stable code in `reason` in process and in `data.code` over HTTP; both are read.
 * @internal
 */
export function fromRpcError(error: unknown, method: string): BitlayerHelperError {
  if (error instanceof BitlayerHelperError) return error;
  // Some clients wrap the JSON-RPC error (ethers: error.error; Hardhat 2: error.parent).
  const inner = field(error, "error") ?? field(error, "parent");
  const source = typeof field(error, "code") === "number" || inner === undefined ? error : inner;
  const code = field(source, "code");
  const data = field(source, "data");
  const message = String(field(source, "message") ?? error);
  const reasonField = field(source, "reason") ?? field(data, "code");
  const cause: RpcErrorCause = {
    code: typeof code === "number" ? code : undefined,
    message,
    data,
    ...(typeof reasonField === "string" ? { reason: reasonField } : {}),
  };
  if (cause.reason === "L2_HALTED") return new BitlayerHelperError("HALTED", `${method}: ${message}`, { cause });
  if (cause.reason === "UNKNOWN_TRANSACTION" || cause.reason === "UNKNOWN_BLOCK")
    return new BitlayerHelperError("UNKNOWN_TRANSACTION", `${method}: ${message}`, { cause });
  return new BitlayerHelperError("RPC_ERROR", `${method} failed: ${message}`, { cause });
}
