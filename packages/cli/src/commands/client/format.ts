/**
 * Text output of the client commands: aligned "label  value" lines and columns, durations, amounts.
 *
 * @module
 */

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

/** Seconds as people read them: "7d", "1h30m", "45s". */
export function humanDuration(total: number): string {
  if (total === 0) return "0s";
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ];
  let rest = total;
  let text = "";
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return text;
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
  const value = BigInt(sats);
  const whole = value / 100_000_000n;
  const frac = (value % 100_000_000n).toString().padStart(8, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} BTC`;
}

/** "1 block", "3 blocks". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
