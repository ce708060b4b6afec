import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { Charset } from "../../src/email/charset.js";
import { CharsetError, InvalidHeaderError } from "../../src/email/errors.js";
import {
  collapseRfc2231Value,
  decodeParams,
  decodeRfc2231,
  encodeRfc2231,
  formatAddr,
  formatDate,
  formatDatetime,
  getAddresses,
  localtime,
  makeMsgid,
  parseAddr,
  parseDate,
  parseDateToDatetime,
  quote,
  unquote,
} from "../../src/email/utils.js";

/** Runs a python script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown, executable = "python3"): T {
  const result = spawnSync(executable, ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${executable} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * A Python whose email.utils has the CVE-2023-27043 rules (3.13, or a distribution's
 * backport), if the machine has one; the default python3 (3.11.7) has only the lenient parser.
 */
const STRICT_PYTHON = ["python3", "python3.13", "python3.12", "/usr/bin/python3.11", "/usr/bin/python3"].find((exe) => {
  const r = spawnSync(exe, ["-c", "import email.utils as u; print(getattr(u, 'supports_strict_parsing', False))"], {
    encoding: "utf8",
  });
  return r.status === 0 && r.stdout.trim() === "True";
});

/** Address values, well-formed and not, for comparing parsers. */
const ADDRESS_CORPUS = [
  "",
  "jane@example.com",
  "Jane Doe <jane@example.com>",
  '"Doe, Jane" <jane@example.com>',
  "jane@example.com (Jane Doe)",
  "Jane (the boss) Doe <jane@example.com>",
  '"Jane \\"JD\\" Doe" <jane@example.com>',
  "<jane@example.com>",
  "<@route.example:jane@example.com>",
  "jane @ example . com",
  "jane.doe@example.com",
  '"jane doe"@example.com',
  "Jane.Q.Doe <jane@example.com>",
  "undisclosed-recipients:;",
  "Group: a@b.c, d@e.f;",
  "a@b.c, d@e.f",
  "a@b.c,,d@e.f",
  "alice@example.org)<bob@example.org>",
  "alice@example.org <bob@example.org>",
  "alice@example.org(<bob@example.org>",
  '"Alice, alice@example.org" <bob@example.org>',
  "(unbalanced <a@b.c>",
  "a@[127.0.0.1]",
  "a@[127.0.0.1",
  "a@malicious.org@important.com",
  '"a@b.c" <d@e.f>',
  "Jane Doe",
  "Jane Doe <jane@example.com",
  "@example.com",
  "jane@",
  "Jürgen <j@example.de>",
  "a@b.c\r\n",
  "a\\(b <a@b.c>",
  "g: a:b@c.d; e@f.g;, h@i.j",
  "g: a: b@c.d, x@y.z; e@f.g; h@i.j",
  "a: b: c: d@e.f",
  "g:;",
  "g: a@b.c;;x@y.z",
];

/** Random strings over the characters that matter to the address parser (deterministic). */
function randomAddressValues(count: number): string[] {
  let x = 12345;
  const random = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const alphabet = ['a', 'b', '@', '.', '<', '>', '(', ')', '"', ',', ':', ';', '[', ']', '\\', ' ', '\t', 'x@y.z'];
  return Array.from({ length: count }, () => {
    let s = "";
    const length = Math.floor(random() * 14);
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  });
}

const RANDOM_VALUES = randomAddressValues(600);

describe("quote and unquote", () => {
  it("agree with Python", () => {
    const inputs = ['plain', 'a "quoted" word', "back\\slash", '"quoted"', '"esc\\"aped\\\\"', "<angle>", '"', "<", '""', "<>", "'single'"];
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import quote, unquote
print(json.dumps([[quote(s), unquote(s)] for s in json.load(sys.stdin)]))
`,
      inputs,
    );
    expect(inputs.map((s) => [quote(s), unquote(s)])).toEqual(expected);
  });
});

describe("formatAddr", () => {
  it("formats pairs as Python's formataddr", () => {
    const pairs: Array<[string | null, string]> = [
      [null, "jane@example.com"],
      ["", "jane@example.com"],
      ["Jane Doe", "jane@example.com"],
      ["Doe, Jane", "jane@example.com"],
      ['Jane "JD" Doe', "jane@example.com"],
      ["back\\slash", "a@b.c"],
      ["Jane.Doe", "a@b.c"],
      ["a[b]c", "a@b.c"],
      ["Jürgen Müller", "j@example.de"],
      ["日本 太郎", "taro@example.jp"],
      ["Zoë, \"the\" one", "z@example.com"],
    ];
    const expected = python<string[]>(
      `
import json, sys
from email.utils import formataddr
print(json.dumps([formataddr((n, a)) for n, a in json.load(sys.stdin)]))
`,
      pairs,
    );
    expect(pairs.map((p) => formatAddr(p))).toEqual(expected);
  });

  it("encodes a non-ASCII name in the charset given by name or as a Charset", () => {
    const expected = python<string[]>(
      `
import json, sys
from email.utils import formataddr
from email.charset import Charset
print(json.dumps([formataddr(('Jürgen', 'j@example.de'), 'iso-8859-1'), formataddr(('Jürgen', 'j@example.de'), Charset('iso-8859-1'))]))
`,
      null,
    );
    expect([
      formatAddr(["Jürgen", "j@example.de"], "iso-8859-1"),
      formatAddr(["Jürgen", "j@example.de"], new Charset("iso-8859-1")),
    ]).toEqual(expected);
  });

  it("refuses CR or LF in the name or the address", () => {
    expect(() => formatAddr(["Jane\r\nBcc: x@evil.example", "jane@example.com"])).toThrow(InvalidHeaderError);
    expect(() => formatAddr(["Jane", "jane@example.com\nBcc: x@evil.example"])).toThrow(InvalidHeaderError);
  });

  it("refuses a non-ASCII address, as Python does", () => {
    expect(() => formatAddr(["Jane", "jäne@example.com"])).toThrow(InvalidHeaderError);
  });

  it("throws CharsetError when the name cannot be encoded in the charset", () => {
    expect(() => formatAddr(["日本", "a@b.c"], "iso-8859-1")).toThrow(CharsetError);
  });
});

describe("parseAddr", () => {
  it("splits a display name from an address", () => {
    expect(parseAddr('"Doe, Jane" <jane@example.com>')).toEqual(["Doe, Jane", "jane@example.com"]);
    expect(parseAddr("jane@example.com (Jane Doe)")).toEqual(["Jane Doe", "jane@example.com"]);
  });

  // Expected values follow the CVE-2023-27043 rules of Python 3.13's email.utils
  // (checked against a Python carrying that fix, see the oracle test below).
  it("gives empty strings when a value holds two addresses run together", () => {
    expect(parseAddr("alice@example.org)<bob@example.org>")).toEqual(["", ""]);
    expect(parseAddr("alice@example.org <bob@example.org>")).toEqual(["", ""]);
    expect(parseAddr("a@b.c, d@e.f")).toEqual(["", ""]);
  });

  it("gives empty strings for unbalanced parentheses", () => {
    expect(parseAddr("(unbalanced <a@b.c>")).toEqual(["", ""]);
    expect(parseAddr("alice@example.org(<bob@example.org>")).toEqual(["", ""]);
  });

  it("gives empty strings for a domain literal, as Python's strict parser", () => {
    expect(parseAddr("a@[127.0.0.1]")).toEqual(["", ""]);
  });

  it("keeps a comma inside a quoted display name", () => {
    expect(parseAddr('"Alice, alice@example.org" <bob@example.org>')).toEqual(["Alice, alice@example.org", "bob@example.org"]);
  });

  it("refuses an address with two @ signs", () => {
    expect(parseAddr("a@malicious.org@important.com")).toEqual(["", ""]);
  });

  it("reads the first address leniently with strict: false, as Python's old parser", () => {
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import parseaddr
print(json.dumps([parseaddr(s) for s in json.load(sys.stdin)]))
`,
      ADDRESS_CORPUS,
    );
    expect(ADDRESS_CORPUS.map((s) => parseAddr(s, { strict: false }))).toEqual(expected);
  });

  it.skipIf(STRICT_PYTHON === undefined)("agrees with a Python that has the CVE-2023-27043 rules", () => {
    const inputs = [...ADDRESS_CORPUS, ...RANDOM_VALUES];
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import parseaddr
print(json.dumps([parseaddr(s) for s in json.load(sys.stdin)]))
`,
      inputs,
      STRICT_PYTHON,
    );
    expect(inputs.map((s) => parseAddr(s))).toEqual(expected);
  });

  it("agrees with Python's lenient parser on random strings of address characters", () => {
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import parseaddr
print(json.dumps([parseaddr(s) for s in json.load(sys.stdin)]))
`,
      RANDOM_VALUES,
    );
    expect(RANDOM_VALUES.map((s) => parseAddr(s, { strict: false }))).toEqual(expected);
  });
});

describe("getAddresses", () => {
  it("parses every address of several header values", () => {
    expect(getAddresses(["a@b.c", "Jane <d@e.f>, g@h.i"])).toEqual([
      ["", "a@b.c"],
      ["Jane", "d@e.f"],
      ["", "g@h.i"],
    ]);
  });

  it("gives an empty pair in place of an empty entry", () => {
    expect(getAddresses(["a@b.c,,d@e.f"])).toEqual([["", "a@b.c"], ["", ""], ["", "d@e.f"]]);
  });

  // Python 3.13: more addresses than the commas allow means something was misread.
  it("gives a single empty pair when the values yield more addresses than their commas allow", () => {
    expect(getAddresses(["alice@example.com <bob@example.com>"])).toEqual([["", ""]]);
  });

  it("reads deeply nested groups without exhausting the stack", () => {
    expect(getAddresses([`${"g:".repeat(100_000)}a@b.c`], { strict: false })).toEqual([["", "a@b.c"]]);
  });

  it("reads a megabyte of words in front of an address", () => {
    // Its speed is measured in bench/parse.ts, not here.
    expect(parseAddr(`${"a ".repeat(1 << 19)}<b@example.com>`)[1]).toBe("b@example.com");
  });

  it("does not count commas inside quoted names", () => {
    expect(getAddresses(['"Doe, Jane" <j@x.y>, k@x.y'])).toEqual([["Doe, Jane", "j@x.y"], ["", "k@x.y"]]);
  });

  it("reads values leniently with strict: false, as Python's old parser", () => {
    const lists = [...ADDRESS_CORPUS.map((s) => [s]), ADDRESS_CORPUS.slice(0, 8), ["a@[1.2.3.4", "b@c.d"]];
    const expected = python<Array<Array<[string, string]>>>(
      `
import json, sys
from email.utils import getaddresses
print(json.dumps([getaddresses(v) for v in json.load(sys.stdin)]))
`,
      lists,
    );
    expect(lists.map((v) => getAddresses(v, { strict: false }))).toEqual(expected);
  });

  it.skipIf(STRICT_PYTHON === undefined)("agrees with a Python that has the CVE-2023-27043 rules", () => {
    const lists = [
      ...ADDRESS_CORPUS.map((s) => [s]),
      ADDRESS_CORPUS.slice(1, 8),
      ["a@[1.2.3.4", "b@c.d"],
      ["a@b.c", "d@e.f, g@h.i"],
      ...RANDOM_VALUES.map((s, i) => [s, RANDOM_VALUES[(i + 1) % RANDOM_VALUES.length]!]),
    ];
    const expected = python<Array<Array<[string, string]>>>(
      `
import json, sys
from email.utils import getaddresses
print(json.dumps([getaddresses(v) for v in json.load(sys.stdin)]))
`,
      lists,
      STRICT_PYTHON,
    );
    expect(lists.map((v) => getAddresses(v))).toEqual(expected);
  });
});

describe("dates", () => {
  const TIMES = [0, 1005268127, 951782400.75, 2147483647, -86400 * 365, 4102444800];

  it("formats times as Python's formatdate, in UTC, GMT and local time", () => {
    const expected = python<Array<[string, string, string]>>(
      `
import json, sys
from email.utils import formatdate
print(json.dumps([[formatdate(t), formatdate(t, usegmt=True), formatdate(t, localtime=True)] for t in json.load(sys.stdin)]))
`,
      TIMES,
    );
    const ours = TIMES.map((t) => [formatDate(t), formatDate(t, { usegmt: true }), formatDate(t, { localtime: true })]);
    expect(ours).toEqual(expected);
  });

  it("accepts a Date as well as seconds", () => {
    expect(formatDate(new Date(1005268127000))).toBe(formatDate(1005268127));
  });

  it("formats the current time when given none", () => {
    expect(formatDate()).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} -0000$/);
  });

  it("formats a Date in +0000 by default, or in the offset given", () => {
    const date = new Date("2001-11-09T06:08:47Z");
    expect(formatDatetime(date)).toBe("Fri, 09 Nov 2001 06:08:47 +0000");
    expect(formatDatetime(date, { utcOffset: -300 })).toBe("Fri, 09 Nov 2001 01:08:47 -0500");
    expect(formatDatetime(date, { utcOffset: null })).toBe("Fri, 09 Nov 2001 06:08:47 -0000");
    expect(formatDatetime(date, { usegmt: true })).toBe("Fri, 09 Nov 2001 06:08:47 GMT");
  });

  it("parses a date into a Date, or throws RangeError as Python raises ValueError", () => {
    expect(parseDateToDatetime("Fri, 09 Nov 2001 01:08:47 -0500").toISOString()).toBe("2001-11-09T06:08:47.000Z");
    expect(() => parseDateToDatetime("not a date")).toThrow(RangeError);
    expect(() => parseDateToDatetime(42 as unknown as string)).toThrow(TypeError);
  });

  it("re-exports parseDate with the offset", () => {
    expect(parseDate("Fri, 09 Nov 2001 01:08:47 +0130")?.utcOffset).toBe(90);
  });

  it("gives the local offset at an instant, as Python's localtime", () => {
    const expected = python<number[]>(
      `
import json, sys, datetime
from email.utils import localtime
out = []
for t in json.load(sys.stdin):
    out.append(round(localtime(datetime.datetime.fromtimestamp(t, datetime.timezone.utc)).utcoffset().total_seconds() / 60))
print(json.dumps(out))
`,
      TIMES,
    );
    expect(TIMES.map((t) => localtime(new Date(t * 1000)).utcOffset)).toEqual(expected);
    expect(localtime().date).toBeInstanceOf(Date);
  });
});

describe("makeMsgid", () => {
  it("has Python's shape: <hundredths.pid.random@host>", () => {
    const before = Math.floor(Date.now() / 10);
    const id = makeMsgid();
    const m = /^<(\d+)\.(\d+)\.(\d+)@(.+)>$/.exec(id);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(before);
    expect(Number(m![2])).toBe(process.pid);
    expect(BigInt(m![3]!)).toBeLessThan(2n ** 64n);
    expect(m![4]).toBe(hostname());
  });

  it("adds the idstring and uses the domain given", () => {
    expect(makeMsgid({ idstring: "tag", domain: "example.com" })).toMatch(/^<\d+\.\d+\.\d+\.tag@example\.com>$/);
  });

  it("gives a different id each time", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => makeMsgid({ domain: "x" })));
    expect(ids.size).toBe(1000);
  });

  it("refuses a domain or idstring that would break the header", () => {
    expect(() => makeMsgid({ domain: "example.com>\r\nBcc: x" })).toThrow(TypeError);
    expect(() => makeMsgid({ idstring: "a b" })).toThrow(TypeError);
  });

  it("refuses an idstring or domain that would make an invalid msg-id (RFC 5322 §3.6.4), where Python writes it", () => {
    for (const idstring of ["a@b", "ü", ".lead", "trail.", "a..b", "", "a<b"]) {
      expect(() => makeMsgid({ idstring, domain: "example.com" }), idstring).toThrow(/idstring .* invalid Message-ID/);
    }
    for (const domain of ["a@b.com", "exa mple.com", "[ä]", "", "example..com", "ex\u00e4mple.com\u0000"]) {
      expect(() => makeMsgid({ domain }), domain).toThrow(/domain .* invalid Message-ID/);
    }
  });

  it("accepts atext in the idstring, a domain literal, and writes a non-ASCII domain as its A-label", () => {
    expect(makeMsgid({ idstring: "a.b-c_d+e", domain: "[192.0.2.1]" })).toMatch(/^<\d+\.\d+\.\d+\.a\.b-c_d\+e@\[192\.0\.2\.1\]>$/);
    expect(makeMsgid({ domain: "exämple.com" })).toMatch(/@xn--exmple-cua\.com>$/);
  });
});

describe("RFC 2231", () => {
  it("encodes values as Python's encode_rfc2231", () => {
    const cases: Array<[string, string | null, string | null]> = [
      ["plain.txt", null, null],
      ["with space & symbols~_-.", null, null],
      ["naïve file.txt", "utf-8", null],
      ["naïve file.txt", "utf-8", "en"],
      ["café", "iso-8859-1", ""],
      ["日本語.txt", "utf-8", "ja"],
    ];
    const expected = python<string[]>(
      `
import json, sys
from email.utils import encode_rfc2231
print(json.dumps([encode_rfc2231(s, c, l) for s, c, l in json.load(sys.stdin)]))
`,
      cases,
    );
    expect(cases.map(([s, c, l]) => encodeRfc2231(s, c ?? undefined, l ?? undefined))).toEqual(expected);
  });

  it("writes an empty charset where Python writes None for a language without charset", () => {
    expect(encodeRfc2231("a", undefined, "en")).toBe("'en'a");
  });

  it("refuses non-ASCII text without a charset", () => {
    expect(() => encodeRfc2231("é")).toThrow(CharsetError);
  });

  it("splits values as Python's decode_rfc2231", () => {
    const inputs = ["plain", "utf-8''a%20b", "us-ascii'en'x", "one'tick", "a'b'c'd", "''", "'"];
    const expected = python<Array<[string | null, string | null, string]>>(
      `
import json, sys
from email.utils import decode_rfc2231
print(json.dumps([list(decode_rfc2231(s)) for s in json.load(sys.stdin)]))
`,
      inputs,
    );
    expect(inputs.map(decodeRfc2231)).toEqual(expected);
  });

  const PARAM_LISTS: Array<Array<[string, string]>> = [
    [["text/plain", ""], ["charset", "utf-8"]],
    [["text/plain", ""], ["charset", '"utf-8"'], ["format", "flowed"]],
    [["attachment", ""], ["filename*", "utf-8''na%C3%AFve%20file.txt"]],
    [["attachment", ""], ["filename*0*", "utf-8'en'na%C3%AF"], ["filename*1*", "ve%20"], ["filename*2", '"file.txt"']],
    [["attachment", ""], ["filename*1", "def"], ["filename*0", "abc"], ["size", "10"]],
    [["attachment", ""], ["title*", "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"]],
    [["attachment", ""], ["title*", "no-ticks-here"]],
    [["attachment", ""], ["name", '"quoted \\"inner\\""']],
    [["x", ""], ["a*0", "x"], ["b", "y"], ["a*1", "z"]],
  ];

  it("decodes parameter lists as Python's decode_params", () => {
    const expected = python<unknown[]>(
      `
import json, sys
from email.utils import decode_params
print(json.dumps([[[n, list(v) if isinstance(v, tuple) else v] for n, v in decode_params(p)] for p in json.load(sys.stdin)]))
`,
      PARAM_LISTS,
    );
    expect(PARAM_LISTS.map((p) => decodeParams(p))).toEqual(expected);
  });

  it("collapses values into text as Python's collapse_rfc2231_value", () => {
    const values: Array<string | [string | null, string | null, string]> = [
      '"plain"',
      "plain",
      ["utf-8", "en", "na\u00c3\u00afve"],
      ["iso-8859-1", "", "caf\u00e9"],
      [null, null, "ascii only"],
      [null, null, "caf\u00e9"],
      ["x-unknown-charset", "", '"raw"'],
      ["utf-8", "", "bad \u00ff byte"],
      ["utf-8", "", "wide \u0100 char"],
    ];
    const expected = python<string[]>(
      `
import json, sys
from email.utils import collapse_rfc2231_value
print(json.dumps([collapse_rfc2231_value(tuple(v) if isinstance(v, list) else v) for v in json.load(sys.stdin)]))
`,
      values,
    );
    expect(values.map((v) => collapseRfc2231Value(v))).toEqual(expected);
  });

  it("uses the fallback charset for a value without one, and throws with errors: strict", () => {
    expect(collapseRfc2231Value([null, null, "caf\u00e9"], { fallbackCharset: "iso-8859-1" })).toBe("café");
    expect(() => collapseRfc2231Value(["utf-8", "", "\u00ff"], { errors: "strict" })).toThrow(CharsetError);
  });
});
