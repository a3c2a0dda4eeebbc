import { parseDuration } from "@bitlayer/devnet/client";
import { InvalidArgumentError } from "commander";
import { parseBtc } from "./units.js";

/** Parses an integer flag within bounds; commander prints the message as a one-line error. */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${value}`);
    return n;
  };
}

/** Parses an amount of BTC ("10000", "0.5") into wei. */
export function btcAmount(value: string): bigint {
  const wei = parseBtc(value, 18);
  if (wei === undefined) throw new InvalidArgumentError(`expected an amount of BTC such as 10000 or 0.5, got "${value}"`);
  return wei;
}

/** Parses seconds (possibly fractional) into milliseconds. */
export function seconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}"`);
  return Math.round(Number(value) * 1000);
}

/** Parses a duration: whole seconds ("3600") or units from weeks to seconds ("7d", "1h30m", "90s"). */
export function duration(value: string): number {
  const seconds = parseDuration(value);
  if (seconds === undefined) throw new InvalidArgumentError(`expected a duration such as 7d, 1h30m or 3600 (seconds), got "${value}"`);
  return seconds;
}
