/**
 * The HTTP `Date` header's value (RFC 9110's IMF-fixdate, what `Date.prototype.toUTCString` gives), computed from
 * the UTC fields. node:http makes its own with `toUTCString`, which in V8 goes through the time-zone code: ICU's
 * time-zone data, ~1 MB of a server's resident memory from its first answer on.
 *
 * @example httpDate(Date.UTC(1994, 10, 6, 8, 49, 37)) // "Sun, 06 Nov 1994 08:49:37 GMT"
 * @module
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** IMF-fixdate of a time in ms since the epoch (years 0–9999, as HTTP dates are written). */
export function formatHttpDate(ms: number): string {
  const d = new Date(ms);
  const year = String(d.getUTCFullYear()).padStart(4, "0");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${year} ${time} GMT`;
}

let cachedSecond = Number.NaN;
let cached = "";

/** The current time as an HTTP date, made once a second (as node:http does). */
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cached = formatHttpDate(now);
  }
  return cached;
}
