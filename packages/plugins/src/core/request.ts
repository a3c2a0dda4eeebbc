/**
 * One JSON-RPC call through any EIP-1193 provider, its errors turned into {@link BitlayerHelperError}s.
 *
 * @internal
 * @module
 */

import { fromRpcError } from "./errors.js";
import type { Eip1193Provider } from "./types.js";

/** Calls `method` with positional `params`; throws a BitlayerHelperError on refusal. */
export async function rpc<T>(provider: Eip1193Provider, method: string, params: readonly unknown[] = []): Promise<T> {
  try {
    return (await provider.request({ method, params })) as T;
  } catch (error) {
    throw fromRpcError(error, method);
  }
}

/** A number as a JSON-RPC quantity. */
export function toQuantity(value: number | bigint): `0x${string}` {
  return `0x${BigInt(value).toString(16)}`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
