/**
 * Checks of the helpers' arguments: only their shape (the devnet owns every rule about values).
 *
 * @internal
 * @module
 */

import { BitlayerHelperError } from "./errors.js";
import type { Hex } from "./types.js";

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A 32-byte hex hash (transaction hash, withdrawal id, state root). */
export function assertHash(value: unknown, what: string): asserts value is Hex {
  if (typeof value !== "string" || !HASH.test(value)) {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `${what} must be a 32-byte hex string (0x + 64 hex digits); got ${show(value)}`);
  }
}

/** A 20-byte hex address. */
export function assertAddress(value: unknown, what: string): asserts value is Hex {
  if (typeof value !== "string" || !ADDRESS.test(value)) {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `${what} must be an address (0x + 40 hex digits); got ${show(value)}`);
  }
}

/** A whole number of at least `min` (number or bigint); returns it as a bigint. */
export function wholeNumber(value: unknown, what: string, min = 1n): bigint {
  const ok = (typeof value === "number" && Number.isSafeInteger(value)) || typeof value === "bigint";
  if (!ok || BigInt(value as number | bigint) < min) {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `${what} must be a whole number of at least ${min}; got ${show(value)}`);
  }
  return BigInt(value as number | bigint);
}

/** A positive whole number of milliseconds (an option). */
export function milliseconds(value: unknown, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `${what} must be a number of milliseconds (0 or more); got ${show(value)}`);
  }
  return value;
}

/** A value, shown in an error message. */
export function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
