/**
 * Amounts and durations as the CLI prints them. Imports nothing, so any command can use it without loading the engine.
 *
 * @module
 */

const WEI_PER_BTC = 10n ** 18n;
const SATS_PER_BTC = 100_000_000n;

/** An integer amount of the smallest unit, in whole units without trailing zeros (`decimals` digits). */
function decimal(amount: bigint, unit: bigint, decimals: number): string {
  const whole = amount / unit;
  const frac = (amount % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** Wei as BTC, without trailing zeros: 1.5e18 → "1.5". */
export function btc(wei: bigint): string {
  return decimal(wei, WEI_PER_BTC, 18);
}

/** Sats as BTC, without trailing zeros: 50_000_000 → "0.5". */
export function satsToBtc(sats: number | bigint): string {
  return decimal(BigInt(sats), SATS_PER_BTC, 8);
}

/**
 * A decimal amount of BTC ("0.5", "10000") in its smallest unit with `decimals` digits (8: sats, 18: wei), or
 * undefined when it is not one (a sign, an exponent, too many decimals, more than 30 whole digits).
 */
export function parseBtc(text: string, decimals: 8 | 18): bigint | undefined {
  const match = new RegExp(`^(\\d{1,30})(?:\\.(\\d{1,${decimals}}))?$`).exec(text);
  if (!match) return undefined;
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt((match[2] ?? "").padEnd(decimals, "0"));
}

/** Seconds as people read them: 604800 → "7d", 5400 → "1h30m", 0 → "0s". */
export function humanDuration(total: number): string {
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ];
  let left = total;
  let text = "";
  for (const [unit, size] of units) {
    if (left >= size) {
      text += `${Math.floor(left / size)}${unit}`;
      left %= size;
    }
  }
  return text || "0s";
}

/** "1 block", "3 blocks". */
export function plural(n: number | bigint, word: string): string {
  return `${n} ${word}${n === 1 || n === 1n ? "" : "s"}`;
}
