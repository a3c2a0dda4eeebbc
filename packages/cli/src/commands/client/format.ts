/**
 * Text output of the client commands: aligned "label  value" lines and columns, durations, amounts.
 *
 * @module
 */

import { satsToBtc } from "../../units.js";

export { humanDuration, plural } from "../../units.js";

/** Lines of `label  value`, the values aligned; rows whose value is undefined are left out. */
export function fields(rows: ReadonlyArray<readonly [string, string | undefined]>): string {
  const shown = rows.filter((row): row is readonly [string, string] => row[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width + 3)}${value}`).join("\n");
}

/** A table: a header row, then rows, each column as wide as its widest cell. */
export function columns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** A unix time as an ISO date (UTC, to the second). */
export function isoTime(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}

/** A hex quantity as a decimal block number, "#12". */
export function blockNo(hex: string | null): string {
  return hex === null ? "-" : `#${BigInt(hex)}`;
}

/** Sats as BTC, without trailing zeros ("0.5 BTC"). */
export function btcFromSats(sats: number | bigint): string {
  return `${satsToBtc(sats)} BTC`;
}
