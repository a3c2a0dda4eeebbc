/**
 * Durations as people write them for a devnet's clock: whole seconds ("3600") or units from weeks to
 * seconds, largest first ("7d", "1h30m", "2w3d", "90s"). Shared by the CLI's flags and the plugins' helpers.
 *
 * @example
 * parseDuration("1h30m"); // 5400
 *
 * @module
 */

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/** Parses a duration into seconds; undefined when `text` is not one (the caller says why, in its own words). */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const parts = /^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/.exec(text);
  if (!parts || text === "") return undefined;
  let total = 0;
  for (const part of parts.slice(1)) if (part) total += Number(part.slice(0, -1)) * UNIT_SECONDS[part.slice(-1)];
  return Number.isSafeInteger(total) ? total : undefined;
}
