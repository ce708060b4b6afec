import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatDateWithOffset, parseDate } from "../../src/email/dates.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Python's answer for each text: [epoch milliseconds, offset minutes or null] or null when it raises. */
const PARSE_ORACLE = `
import json, sys, datetime
from email.utils import parsedate_to_datetime
out = []
for text in json.load(sys.stdin):
    try:
        dt = parsedate_to_datetime(text)
    except Exception:
        out.append(None)
        continue
    if dt.tzinfo is None:
        out.append([round(dt.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000), None])
    else:
        out.append([round(dt.timestamp() * 1000), round(dt.utcoffset().total_seconds() / 60)])
print(json.dumps(out))
`;

function ours(text: string): [number, number | null] | null {
  const parsed = parseDate(text);
  return parsed === undefined ? null : [parsed.date.getTime(), parsed.utcOffset];
}

/** A deterministic corpus of date forms, well-formed and not. */
function corpus(): string[] {
  const days = ["", "Fri, ", "Fri,", "fri ", "Friday, ", "Xyz, "];
  const dates = ["09 Nov", "9 Nov", "Nov 09", "09 November", "31 Feb", "29 Feb", "32 Jan", "0 Jan", "09 Foo", "1 dec"];
  const years = ["2001", "01", "69", "68", "99", "00", "1999,", "0001", "10000", "-5", "2_001"];
  const times = ["01:08:47", "1:08", "01.08.47", "01.08", "24:00:00", "23:59:60", "23:59:59,", "01:08:47:00", "x:08"];
  const zones = ["-0500", "+0000", "-0000", "+1345", "GMT", "UT", "Z", "EST", "pdt", "CEST", "", "+2400", "-2359", "+05", "+0099"];
  const out: string[] = [];
  let k = 0;
  for (const day of days) {
    for (const date of dates) {
      for (const year of years) {
        for (const time of times) {
          // a diagonal through the zones keeps the corpus a few thousand strings
          const zone = zones[k++ % zones.length]!;
          out.push(`${day}${date} ${year} ${time} ${zone}`.trim());
        }
      }
    }
  }
  out.push(
    "",
    "   ",
    "Fri, 09 Nov 2001 01:08:47-0500",
    "Fri, 09 Nov 2001 01:08:47+0130",
    "09-Nov-01 01:08:47 GMT",
    "Friday, 09-Nov-01 01:08:47 GMT",
    "Nov 09 01:08:47 2001",
    "Fri Nov  9 01:08:47 2001",
    "Fri Nov  9 01:08:47 EST 2001",
    "Fri, 09 Nov 2001 01:08:47 -0500 (EST)",
    "Tue, 06 Jun 2017 27:39:33 +0600",
    "Mon, 20 Nov 1995 19:12:08 -0500",
    "Thu, 01 Jan 1970 00:00:00 +0000",
    "Thu,01 Jan 1970 00:00:00 +0000",
    "1 Jan 1970 00:00",
    "Sat, 1 Jan 2000 00:00:00 +0100",
    "Wed, 31 Dec 1969 23:59:59 -0000",
    "01 Jan 1970 00:00:00\u00a0+0100",
    "01 Jan 1970 00:00:00 +01_00",
    "01 Jan 1970 00:00:00 + 0100",
  );
  return out;
}

describe("parseDate", () => {
  it("reads an RFC 5322 date with a numeric zone", () => {
    const parsed = parseDate("Fri, 09 Nov 2001 01:08:47 -0500");
    expect(parsed?.utcOffset).toBe(-300);
    expect(parsed?.date.toISOString()).toBe("2001-11-09T06:08:47.000Z");
  });

  it("gives a null offset for -0000, which means the zone is unknown", () => {
    const parsed = parseDate("Fri, 09 Nov 2001 01:08:47 -0000");
    expect(parsed?.utcOffset).toBeNull();
    expect(parsed?.date.toISOString()).toBe("2001-11-09T01:08:47.000Z");
  });

  it("gives offset 0 for +0000, which means the zone really was UTC", () => {
    expect(parseDate("Fri, 09 Nov 2001 01:08:47 +0000")?.utcOffset).toBe(0);
  });

  it("gives a null offset when no zone is given", () => {
    expect(parseDate("09 Nov 2001 01:08")?.utcOffset).toBeNull();
  });

  it("knows the North American zone names", () => {
    expect(parseDate("Fri, 09 Nov 2001 01:08:47 EST")?.utcOffset).toBe(-300);
    expect(parseDate("Fri, 09 Nov 2001 01:08:47 PDT")?.utcOffset).toBe(-420);
  });

  it("reads two-digit years as 1969-1999 and 2000-2068", () => {
    expect(parseDate("1 Jan 69 00:00 +0000")?.date.getUTCFullYear()).toBe(1969);
    expect(parseDate("1 Jan 68 00:00 +0000")?.date.getUTCFullYear()).toBe(2068);
  });

  it("refuses a day that the month does not have", () => {
    expect(parseDate("31 Feb 2001 00:00 +0000")).toBeUndefined();
  });

  it("refuses text that is not a date", () => {
    expect(parseDate("not a date")).toBeUndefined();
    expect(parseDate("")).toBeUndefined();
  });

  it("agrees with Python's parsedate_to_datetime on a corpus of well-formed and malformed dates", () => {
    const texts = corpus();
    const expected = python<Array<[number, number | null] | null>>(PARSE_ORACLE, texts);
    const mismatches = texts
      .map((text, i) => ({ text, python: expected[i], ours: ours(text) }))
      .filter((row) => JSON.stringify(row.python) !== JSON.stringify(row.ours));
    expect(mismatches).toEqual([]);
    // the corpus must exercise both outcomes
    expect(expected.filter((e) => e === null).length).toBeGreaterThan(100);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(100);
  });
});

describe("formatDateWithOffset", () => {
  it("writes the date in the given offset", () => {
    const date = new Date("2001-11-09T06:08:47.000Z");
    expect(formatDateWithOffset(date, -300)).toBe("Fri, 09 Nov 2001 01:08:47 -0500");
  });

  it("writes -0000 with the UTC wall clock when the offset is null", () => {
    const date = new Date("2001-11-09T06:08:47.000Z");
    expect(formatDateWithOffset(date, null)).toBe("Fri, 09 Nov 2001 06:08:47 -0000");
  });

  it("writes GMT with usegmt and offset 0", () => {
    const date = new Date("2001-11-09T06:08:47.000Z");
    expect(formatDateWithOffset(date, 0, { usegmt: true })).toBe("Fri, 09 Nov 2001 06:08:47 GMT");
  });

  it("refuses usegmt with a non-zero or unknown offset", () => {
    const date = new Date(0);
    expect(() => formatDateWithOffset(date, 60, { usegmt: true })).toThrow(TypeError);
    expect(() => formatDateWithOffset(date, null, { usegmt: true })).toThrow(TypeError);
  });

  it("refuses an invalid date or an offset of a day or more", () => {
    expect(() => formatDateWithOffset(new Date(Number.NaN), 0)).toThrow(RangeError);
    expect(() => formatDateWithOffset(new Date(0), 1440)).toThrow(RangeError);
    expect(() => formatDateWithOffset(new Date(0), 1.5)).toThrow(RangeError);
  });

  it("agrees with Python's format_datetime for many instants and offsets", () => {
    const cases: Array<[number, number | null, boolean]> = [];
    const offsets = [null, 0, 60, -60, -300, 330, 345, -570, 1439, -1439, 600];
    for (let i = 0; i < 400; i++) {
      // spread instants over years 1..9999 deterministically, seconds only
      const seconds = Math.floor(((i * 7919) % 400) / 400 * 315_000_000_000) - 62_000_000_000;
      const offset = offsets[i % offsets.length]!;
      cases.push([seconds, offset, offset === 0 && i % 2 === 0]);
    }
    cases.push([0, 0, true], [951782400, 0, false], [951868799, -1, false]);
    const expected = python<string[]>(
      `
import json, sys, datetime
from email.utils import format_datetime
out = []
for seconds, offset, usegmt in json.load(sys.stdin):
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    dt = epoch + datetime.timedelta(seconds=seconds)
    if offset is None:
        dt = dt.replace(tzinfo=None)
    else:
        dt = dt.astimezone(datetime.timezone(datetime.timedelta(minutes=offset)))
        if offset == 0:
            dt = dt.replace(tzinfo=datetime.timezone.utc)
    out.append(format_datetime(dt, usegmt))
print(json.dumps(out))
`,
      cases,
    );
    const actual = cases.map(([seconds, offset, usegmt]) =>
      formatDateWithOffset(new Date(seconds * 1000), offset, { usegmt }),
    );
    expect(actual).toEqual(expected);
  });

  it("round-trips through parseDate", () => {
    const date = new Date("1999-12-31T23:59:59.000Z");
    for (const offset of [null, 0, -300, 330]) {
      const parsed = parseDate(formatDateWithOffset(date, offset));
      expect(parsed).toEqual({ date, utcOffset: offset });
    }
  });
});
