/**
 * Dates in mail headers: parsing the many forms found in the wild (RFC 5322 and its
 * obsolete predecessors) and formatting RFC 5322 dates, after Python's
 * `email._parseaddr.parsedate_tz`, `email.utils.parsedate_to_datetime` and
 * `email.utils.format_datetime`.
 *
 * A JavaScript `Date` is an instant without a zone, so a date with its zone is a
 * {@link ParsedDate}: the instant plus the offset it was written in.
 *
 * @module
 */

/** A date read from a header: the instant and the offset it was written in. */
export interface ParsedDate {
  /** The instant. When {@link ParsedDate.utcOffset} is `null` the wall-clock fields are taken as UTC. */
  date: Date;
  /**
   * Minutes east of UTC (`-300` for `-0500`), or `null` when the text gave
   * `-0000`, no zone, or a zone name that is not known (Python's naive datetime).
   */
  utcOffset: number | null;
}

const MONTH_NAMES = [
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  "january", "february", "march", "april", "may", "june", "july",
  "august", "september", "october", "november", "december",
];

const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Zone names Python knows, as +-hhmm numbers (RFC 822 military zones other than Z are unreliable, so absent). */
const ZONES: ReadonlyMap<string, number> = new Map([
  ["UT", 0], ["UTC", 0], ["GMT", 0], ["Z", 0],
  ["AST", -400], ["ADT", -300],
  ["EST", -500], ["EDT", -400],
  ["CST", -600], ["CDT", -500],
  ["MST", -700], ["MDT", -600],
  ["PST", -800], ["PDT", -700],
]);

/** The characters Python's `str.split()` splits on (`str.isspace`). */
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/**
 * Python's `int(text)` for ASCII text: optional sign, digits with single underscores
 * between them, surrounding whitespace allowed. `undefined` where Python raises ValueError.
 */
function pyInt(text: string | number): number | undefined {
  if (typeof text === "number") return text;
  const m = /^\s*([+-]?)([0-9](?:_?[0-9])*)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -value : value;
}

/** The parsed fields, as Python's `_parsedate_tz` list; `tzSeconds` null for no/unknown/-0000 zone. */
interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  tzSeconds: number | null;
}

/** A transcription of the steps of Python's `_parsedate_tz`, field by field. */
function parseFields(text: string): DateFields | undefined {
  if (!text) return undefined;
  let data = text.split(PY_WHITESPACE).filter((s) => s !== "");
  if (data.length === 0) return undefined;
  // The FWS after the comma that follows a day name is optional.
  const first = data[0]!;
  if (first.endsWith(",") || DAY_NAMES.includes(first.toLowerCase())) {
    data.shift();
  } else {
    const i = first.lastIndexOf(",");
    if (i >= 0) data[0] = first.slice(i + 1);
  }
  if (data.length === 3) {
    // RFC 850 date: 09-Nov-01 01:08:47 GMT
    const stuff = data[0]!.split("-");
    if (stuff.length === 3) data = [...stuff, ...data.slice(1)];
  }
  if (data.length === 4) {
    const s = data[3]!;
    let i = s.indexOf("+");
    if (i === -1) i = s.indexOf("-");
    if (i > 0) data.splice(3, 1, s.slice(0, i), s.slice(i));
    else data.push("");
  }
  if (data.length < 5) return undefined;
  let [dd, mm, yy, tm, tz] = data as [string, string, string, string, string];
  if (!(dd && mm && yy)) return undefined;
  mm = mm.toLowerCase();
  if (!MONTH_NAMES.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTH_NAMES.includes(mm)) return undefined;
  }
  let month = MONTH_NAMES.indexOf(mm) + 1;
  if (month > 12) month -= 12;
  if (dd.endsWith(",")) dd = dd.slice(0, -1);
  if (yy.indexOf(":") > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(",")) {
    yy = yy.slice(0, -1);
    if (!yy) return undefined;
  }
  if (!/^[0-9]/.test(yy)) [yy, tz] = [tz, yy];
  if (tm.endsWith(",")) tm = tm.slice(0, -1);
  let parts = tm.split(":");
  let thh: string;
  let tmm: string;
  let tss: string | number;
  if (parts.length === 2) {
    [thh, tmm] = parts as [string, string];
    tss = "0";
  } else if (parts.length === 3) {
    [thh, tmm, tss] = parts as [string, string, string];
  } else if (parts.length === 1 && parts[0]!.includes(".")) {
    // Some non-compliant MUAs use '.' to separate time elements.
    parts = parts[0]!.split(".");
    if (parts.length === 2) {
      [thh, tmm] = parts as [string, string];
      tss = 0;
    } else if (parts.length === 3) {
      [thh, tmm, tss] = parts as [string, string, string];
    } else {
      return undefined;
    }
  } else {
    return undefined;
  }
  let year = pyInt(yy);
  const day = pyInt(dd);
  const hour = pyInt(thh);
  const minute = pyInt(tmm);
  const second = pyInt(tss);
  if (year === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) {
    return undefined;
  }
  // Two-digit years, as POSIX: 69-99 are 1969-1999, 0-68 are 2000-2068.
  if (year < 100) year += year > 68 ? 1900 : 2000;
  let tzNumber: number | null = null;
  const zone = tz.toUpperCase();
  const named = ZONES.get(zone);
  if (named !== undefined) {
    tzNumber = named;
  } else {
    const n = pyInt(zone);
    if (n !== undefined) tzNumber = n;
    // "-0000" means "zone unknown", unlike "+0000".
    if (tzNumber === 0 && zone.startsWith("-")) tzNumber = null;
  }
  let tzSeconds: number | null = tzNumber;
  if (tzNumber) {
    const sign = tzNumber < 0 ? -1 : 1;
    const abs = Math.abs(tzNumber);
    tzSeconds = sign * (Math.floor(abs / 100) * 3600 + (abs % 100) * 60);
  }
  return { year, month, day, hour, minute, second, tzSeconds };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses a date as found in a mail header, with the leniency of Python's
 * `email.utils.parsedate_to_datetime` (which is `_parsedate_tz` followed by the range
 * checks of `datetime`): RFC 5322 dates, an optional or comma-glued day name,
 * RFC 850 `09-Nov-01` dates, two-digit years (69-99 → 19xx, 00-68 → 20xx), day and
 * month in either order, `.` as time separator, the zone names UT, UTC, GMT, Z and
 * the North American zones (EST, PDT, ...).
 *
 * @returns the instant and its offset, or `undefined` when the text is not a date
 *   Python would accept, or names a field out of range (31 February, hour 24,
 *   second 60, year outside 1-9999, an offset of a day or more).
 * @example
 * parseDate("Fri, 09 Nov 2001 01:08:47 -0500")
 * // { date: 2001-11-09T06:08:47.000Z, utcOffset: -300 }
 */
export function parseDate(text: string): ParsedDate | undefined {
  const f = parseFields(text);
  if (f === undefined) return undefined;
  const { year, month, day, hour, minute, second, tzSeconds } = f;
  if (year < 1 || year > 9999 || month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (tzSeconds !== null && Math.abs(tzSeconds) >= 86400) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const utcOffset = tzSeconds === null ? null : tzSeconds / 60;
  if (utcOffset !== null) date.setTime(date.getTime() - utcOffset * 60_000);
  return { date, utcOffset };
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Python's `%04d` for a year (JS dates reach years Python's datetime cannot). */
function formatYear(year: number): string {
  return year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
}

/**
 * Formats an instant as an RFC 5322 date in the given offset, as Python's
 * `email.utils.format_datetime`: `"Fri, 09 Nov 2001 01:08:47 -0500"`. Milliseconds are dropped.
 *
 * @param date - the instant.
 * @param utcOffset - minutes east of UTC to write the date in; `null` writes the
 *   UTC wall clock with the zone `-0000` ("zone unknown"), as Python does for a naive datetime.
 * @param options.usegmt - write `GMT` instead of `+0000` (HTTP style); needs an offset of 0.
 * @throws RangeError when the date is invalid or the offset is not a whole number of
 *   minutes strictly between -24 and +24 hours.
 * @throws TypeError when `usegmt` is asked with an offset other than 0 (Python raises ValueError).
 */
export function formatDateWithOffset(date: Date, utcOffset: number | null, options: { usegmt?: boolean } = {}): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new RangeError("formatDateWithOffset needs a valid Date");
  }
  if (utcOffset !== null && (!Number.isInteger(utcOffset) || Math.abs(utcOffset) >= 1440)) {
    throw new RangeError(`utcOffset must be a whole number of minutes between -1439 and 1439, not ${utcOffset}`);
  }
  let zone: string;
  if (options.usegmt) {
    if (utcOffset !== 0) throw new TypeError("usegmt option requires a UTC datetime (utcOffset 0)");
    zone = "GMT";
  } else if (utcOffset === null) {
    zone = "-0000";
  } else {
    const abs = Math.abs(utcOffset);
    zone = `${utcOffset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
  }
  const wall = new Date(date.getTime() + (utcOffset ?? 0) * 60_000);
  return (
    `${WEEKDAYS[wall.getUTCDay()]}, ${pad(wall.getUTCDate(), 2)} ${MONTHS[wall.getUTCMonth()]} ` +
    `${formatYear(wall.getUTCFullYear())} ${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}:` +
    `${pad(wall.getUTCSeconds(), 2)} ${zone}`
  );
}
