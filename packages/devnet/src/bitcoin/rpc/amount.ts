/**
 * BTC amounts as Bitcoin Core reads and writes them: written as JSON numbers with exactly 8 decimals
 * (`50.00000000`, Core's ValueFromAmount), read from numbers or strings with at most 8 decimals
 * (Core's AmountFromValue / ParseFixedPoint).
 *
 * @module
 */
import { COIN, MAX_MONEY } from "../params.js";
import { rpcError } from "./errors.js";

/** An amount of satoshis that serializes as a BTC number with 8 decimals (see {@link writeJson}). */
export class BtcAmount {
  constructor(readonly sats: bigint) {}

  /** `50.00000000`, `-0.00001000`. */
  toString(): string {
    const abs = this.sats < 0n ? -this.sats : this.sats;
    return `${this.sats < 0n ? "-" : ""}${abs / COIN}.${(abs % COIN).toString().padStart(8, "0")}`;
  }

  /** The BTC value as a JS number (for in-process callers; exact for every amount below 2^53 sat). */
  toNumber(): number {
    return Number(this.toString());
  }
}

/** Shorthand for `new BtcAmount(sats)`. */
export function btc(sats: bigint): BtcAmount {
  return new BtcAmount(sats);
}

/**
 * Core's ParseFixedPoint for a JSON number's text or a string: plain decimal or exponent notation,
 * at most `decimals` fractional digits after scaling, no more than 18 significant digits.
 * Returns the value scaled by 10^decimals, or undefined.
 */
export function parseFixedPoint(text: string, decimals: number): bigint | undefined {
  const m = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, int, frac = "", expText = "0"] = m;
  if (expText.replace(/^[+-]?0*/, "").length > 4) return undefined;
  const digits = (int + frac).replace(/^0+(?=\d)/, "");
  const exponent = Number(expText) - frac.length + decimals;
  let value: bigint;
  if (exponent >= 0) value = BigInt(digits + "0".repeat(exponent));
  else {
    const cut = digits.length + exponent;
    const dropped = cut > 0 ? digits.slice(cut) : digits;
    if (/[^0]/.test(dropped)) return undefined; // more precision than `decimals`
    value = cut > 0 ? BigInt(digits.slice(0, cut)) : 0n;
  }
  // Core refuses more than 18 digits (the int64 mantissa limit).
  if (value.toString().length > 18) return undefined;
  return sign ? -value : value;
}

/**
 * Core's AmountFromValue: a BTC amount given as a JSON number or string, in satoshis.
 * Throws Core's -3 errors: "Amount is not a number or string", "Invalid amount", "Amount out of range".
 * @example amountFromValue(0.1) // 10_000_000n
 */
export function amountFromValue(value: unknown, decimals = 8): bigint {
  if (typeof value !== "number" && typeof value !== "string") throw rpcError("RPC_TYPE_ERROR", "Amount is not a number or string");
  const text = typeof value === "number" ? numberText(value) : value;
  const amount = text === undefined ? undefined : parseFixedPoint(text, decimals);
  if (amount === undefined) throw rpcError("RPC_TYPE_ERROR", "Invalid amount");
  if (amount < 0n || amount > MAX_MONEY) throw rpcError("RPC_TYPE_ERROR", "Amount out of range");
  return amount;
}

/** The text a JSON number was written with, as near as JS can tell (it keeps the shortest round-trip form). */
function numberText(value: number): string | undefined {
  return Number.isFinite(value) ? String(value) : undefined;
}

/** A JSON number written as given text: Core writes doubles with 16 significant digits (`4.656542373906925e-10`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A double as UniValue writes it (`std::setprecision(16)`, i.e. printf's `%.16g`). */
export function double(value: number): JsonNumber {
  if (!Number.isFinite(value)) return new JsonNumber("null");
  if (value === 0) return new JsonNumber("0");
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const trim = (m: string) => (m.includes(".") ? m.replace(/\.?0+$/, "") : m);
  if (exponent < -4 || exponent >= 16) {
    const [mantissa, exp] = value.toExponential(15).split("e");
    const e = Number(exp);
    return new JsonNumber(`${trim(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`);
  }
  return new JsonNumber(trim(value.toFixed(Math.max(0, 15 - exponent))));
}

/** Most nesting {@link writeJson} follows (results are built by the methods, never by clients). */
const MAX_DEPTH = 64;

/**
 * JSON text of an RPC result, writing every {@link BtcAmount} as Core does (`0.00010000`, a number).
 * @example writeJson({ amount: btc(5000n) }) // '{"amount":0.00005000}'
 */
export function writeJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error("result nested too deeply");
  if (value instanceof BtcAmount) return value.toString();
  if (value instanceof JsonNumber) return value.text;
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => writeJson(v, depth + 1)).join(",")}]`;
  if (typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${writeJson(v, depth + 1)}`);
    return `{${parts.join(",")}}`;
  }
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

/**
 * The same value with every {@link BtcAmount} turned into a JS number: what a client reading the JSON gets.
 * @example toPlainJson({ fee: btc(141n) }) // { fee: 0.00000141 }
 */
export function toPlainJson(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error("result nested too deeply");
  if (value instanceof BtcAmount) return value.toNumber();
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map((v) => toPlainJson(v, depth + 1));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlainJson(v, depth + 1);
    return out;
  }
  return value;
}
