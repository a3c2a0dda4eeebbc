/**
 * Parameter types of the Bitcoin RPC methods: zod schemas that parse a value of the right JSON type the
 * way Bitcoin Core's handlers do (ParseHashV, getInt, AmountFromValue, …) and throw Core's errors.
 *
 * @module
 */
import * as z from "zod";
import { amountFromValue } from "./amount.js";
import { rpcError } from "./errors.js";
import type { BitcoinParam, CoreType } from "./registry.js";
import { typeMismatch } from "./registry.js";

/** Longest hex string accepted (a raw transaction or block): Core's 32 MiB body limit holds no more anyway. */
export const MAX_HEX_LENGTH = 2 * 4_000_000 * 2;
/** Most entries in an array parameter (addresses, raw transactions). */
export const MAX_ARRAY_ITEMS = 10_000;

function param<T, O extends boolean>(
  name: string,
  type: CoreType,
  schema: z.ZodType<T>,
  optional: O,
  description: string,
  defaultText?: string,
): BitcoinParam<T, O> {
  return { name, type, schema, optional, description, default: defaultText };
}

/** A value Core reads with getInt<int>: integers in int32 range, else -1 "JSON integer out of range" (UniValue's error). */
export const int32 = z.unknown().transform((v): number => {
  if (typeof v !== "number") throw rpcError("RPC_TYPE_ERROR", typeMismatch(v, "number"));
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw rpcError("RPC_MISC_ERROR", "JSON integer out of range");
  return v;
});

/** Core's ParseHashV(value, label): 64 hex digits, else -8 with Core's message. */
export function hash(label: string) {
  return z.string().transform((s): string => {
    if (s.length !== 64)
      throw rpcError("RPC_INVALID_PARAMETER", `${label} must be of length 64 (not ${s.length}, for '${s.slice(0, 200)}')`);
    if (!/^[0-9a-fA-F]{64}$/.test(s)) throw rpcError("RPC_INVALID_PARAMETER", `${label} must be hexadecimal string (not '${s}')`);
    return s.toLowerCase();
  });
}

/** A hex string (raw transaction), bounded in length; decoding errors are the method's own. */
export const hexString = z.string().transform((s): string => {
  if (s.length > MAX_HEX_LENGTH) throw rpcError("RPC_DESERIALIZATION_ERROR", "TX decode failed");
  return s;
});

/** Core's `verbosity|verbose` of getblock/getrawtransaction: a bool (true = 1) or an integer. */
export const verbosity = z.unknown().transform((v): number => (typeof v === "boolean" ? (v ? 1 : 0) : int32.parse(v)));

/** A BTC amount (number or string), Core's AmountFromValue. */
export const amount = z.unknown().transform((v): bigint => amountFromValue(v));

/** Core's ParseFeeRate: a BTC/kvB amount below 1 BTC/kvB, in sat/kvB. */
export const feeRate = z.unknown().transform((v): bigint => {
  const rate = amountFromValue(v);
  if (rate >= 100_000_000n) throw rpcError("RPC_INVALID_PARAMETER", "Fee rates larger than or equal to 1BTC/kvB are not accepted");
  return rate;
});

/** An array of strings, bounded. */
export const stringArray = z.array(z.unknown()).transform((items): string[] => {
  if (items.length > MAX_ARRAY_ITEMS) throw rpcError("RPC_INVALID_PARAMETER", `Array must contain at most ${MAX_ARRAY_ITEMS} entries`);
  return items.map((item) => {
    if (typeof item !== "string") throw rpcError("RPC_TYPE_ERROR", typeMismatch(item, "string"));
    return item;
  });
});

export const required = {
  int: (name: string, description: string) => param(name, "number", int32, false, description),
  string: (name: string, description: string) => param(name, "string", z.string().max(MAX_HEX_LENGTH), false, description),
  hash: (name: string, label: string, description: string) => param(name, "string", hash(label), false, description),
  hex: (name: string, description: string) => param(name, "string", hexString, false, description),
  amount: (name: string, description: string) => param(name, "amount", amount, false, description),
  strings: (name: string, description: string) => param(name, "array", stringArray, false, description),
};

export const optional = {
  int: (name: string, defaultText: string, description: string) => param(name, "number", int32, true, description, defaultText),
  bool: (name: string, defaultText: string, description: string) => param(name, "bool", z.boolean(), true, description, defaultText),
  string: (name: string, defaultText: string, description: string) =>
    param(name, "string", z.string().max(MAX_HEX_LENGTH), true, description, defaultText),
  hash: (name: string, label: string, description: string) => param(name, "string", hash(label), true, description),
  verbosity: (name: string, defaultText: string, description: string) => param(name, "any", verbosity, true, description, defaultText),
  amount: (name: string, defaultText: string, description: string) => param(name, "amount", amount, true, description, defaultText),
  /** A fee rate in sat/vB with at most 3 decimals (Core's AmountFromValue(v, 3)), in sat/kvB. */
  satPerVb: (name: string, defaultText: string, description: string) =>
    param(
      name,
      "amount",
      z.unknown().transform((v): bigint => amountFromValue(v, 3)),
      true,
      description,
      defaultText,
    ),
  feeRate: (name: string, defaultText: string, description: string) => param(name, "amount", feeRate, true, description, defaultText),
  strings: (name: string, defaultText: string, description: string) => param(name, "array", stringArray, true, description, defaultText),
  object: (name: string, description: string) => param(name, "object", z.record(z.string(), z.unknown()), true, description),
};

/** A value Core reads with getInt<uint32_t>: else -1 "JSON integer out of range". */
export const uint32 = z.unknown().transform((v): number => {
  if (typeof v !== "number") throw rpcError("RPC_TYPE_ERROR", typeMismatch(v, "number"));
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw rpcError("RPC_MISC_ERROR", "JSON integer out of range");
  return v;
});
