import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  bodyLength,
  decodeBody,
  decodeHeader,
  encodeBody,
  encodeHeader,
  headerLength,
} from "../../src/email/quoprimime.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

/** A deterministic pseudo-random generator, so failures reproduce. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Bodies that hit the edges of the encoder: lengths around the limit, whitespace, '=', line breaks. */
function bodyCorpus(): Uint8Array[] {
  const texts: string[] = [
    "",
    "a",
    "hello world",
    "hello world\n",
    "trailing space \nnext",
    "trailing tab\t\nnext",
    "trailing space at end ",
    "= at start\n.dot at start\n=\n.",
    "line1\r\nline2\r\n",
    "line1\rline2\r",
    "\n\n\n",
    "\r\n",
    "caf\xe9 \xff\x00\x7f",
    "From the start\n",
    "x".repeat(75),
    "x".repeat(76),
    "x".repeat(77),
    "x".repeat(152),
    "x".repeat(153),
    `${"x".repeat(74)} `,
    `${"x".repeat(75)} `,
    `${"x".repeat(76)} `,
    `${"x".repeat(77)} `,
    `${"x".repeat(73)}\xe9${"y".repeat(10)}`,
    `${"x".repeat(74)}\xe9${"y".repeat(10)}`,
    `${"x".repeat(75)}\xe9${"y".repeat(10)}`,
    `${"x".repeat(72)}==${"y".repeat(10)}`,
    `${"x".repeat(74)}\t`,
    `${"x".repeat(75)}\t`,
    "\x0b\x0c\x1c\x85 splitlines characters that Python escapes",
  ];
  const out = texts.map(latin1);
  const random = prng(7);
  const alphabet = "ab =\t\r\n.\xe9\x00~";
  for (let i = 0; i < 300; i++) {
    const length = Math.floor(random() * 200);
    let s = "";
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(random() * alphabet.length)];
    out.push(latin1(s));
  }
  return out;
}

describe("quoted-printable bodies", () => {
  it("escapes '=' and non-ASCII bytes", () => {
    expect(encodeBody(latin1("a=b\xe9"))).toBe("a=3Db=E9");
  });

  it("encodes whitespace at the end of a line", () => {
    expect(encodeBody(latin1("a \nb\t"))).toBe("a=20\nb=09");
  });

  it("writes line breaks of the data as the requested eol", () => {
    expect(encodeBody(latin1("a\r\nb\nc\rd"), { eol: "\r\n" })).toBe("a\r\nb\r\nc\r\nd");
  });

  it("keeps every line within maxLineLength, soft break included", () => {
    const encoded = encodeBody(latin1("\xe9".repeat(500)), { maxLineLength: 76 });
    for (const line of encoded.split("\n")) expect(line.length).toBeLessThanOrEqual(76);
  });

  it("refuses a maxLineLength below 4", () => {
    expect(() => encodeBody(latin1("abc"), { maxLineLength: 3 })).toThrow(RangeError);
  });

  it("gives an empty string for empty data", () => {
    expect(encodeBody(new Uint8Array(0))).toBe("");
  });

  it("agrees byte for byte with Python's quoprimime.body_encode at several line lengths and eols", () => {
    const bodies = bodyCorpus();
    const cases: Array<[string, number, string]> = [];
    for (const body of bodies) {
      for (const [max, eol] of [[76, "\n"], [76, "\r\n"], [78, "\n"], [4, "\n"], [10, "\r\n"]] as const) {
        cases.push([hex(body), max, eol]);
      }
    }
    const expected = python<string[]>(
      `
import json, sys
from email import quoprimime
out = []
for body, maxlen, eol in json.load(sys.stdin):
    out.append(quoprimime.body_encode(bytes.fromhex(body).decode('latin-1'), maxlen, eol))
print(json.dumps(out))
`,
      cases,
    );
    const actual = cases.map(([body, maxLineLength, eol]) => encodeBody(fromHex(body), { maxLineLength, eol }));
    const mismatches = cases.filter((_, i) => actual[i] !== expected[i]).map((c, i) => ({ c, ours: actual[i] }));
    expect(mismatches).toEqual([]);
  });

  it("decodes back to the original bytes (apart from line break style)", () => {
    for (const body of bodyCorpus()) {
      const lf = latin1(Buffer.from(body).toString("latin1").replace(/\r\n|\r/g, "\n"));
      expect(hex(decodeBody(encodeBody(body)))).toBe(hex(lf));
    }
  });

  it("decodes as leniently as Python's quopri.decodestring", () => {
    const inputs = [
      "",
      "abc",
      "a=3Db",
      "a=3db",
      "soft=\nbreak",
      "soft=\r\nbreak",
      "soft=\rjunk\nbreak",
      "bad=ZZescape",
      "double==equals",
      "end=",
      "end=4",
      "trailing spaces   \nkept",
      "=E9t=E9",
      "a=\n",
      "=\n=\n",
      "under_score",
      "x=4",
      "=\r",
    ];
    const random = prng(11);
    const alphabet = "=aF0\r\n _\tz9";
    for (let i = 0; i < 200; i++) {
      let s = "";
      const length = Math.floor(random() * 30);
      for (let j = 0; j < length; j++) s += alphabet[Math.floor(random() * alphabet.length)];
      inputs.push(s);
    }
    const expected = python<string[]>(
      `
import json, sys, quopri
print(json.dumps([quopri.decodestring(s.encode('latin-1')).hex() for s in json.load(sys.stdin)]))
`,
      inputs,
    );
    expect(inputs.map((s) => hex(decodeBody(s)))).toEqual(expected);
  });
});

describe("Q-encoded header words", () => {
  it("writes spaces as underscores and escapes specials", () => {
    expect(encodeHeader(new TextEncoder().encode("café au lait?"), "utf-8")).toBe("=?utf-8?q?caf=C3=A9_au_lait=3F?=");
  });

  it("gives an empty string for empty data", () => {
    expect(encodeHeader(new Uint8Array(0), "utf-8")).toBe("");
  });

  it("agrees with Python's header_encode, header_length and body_length for every byte", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const samples = [all, latin1("Hello World"), latin1("a_b=c?d"), new TextEncoder().encode("Grüße, 世界")];
    const expected = python<Array<[string, number, number]>>(
      `
import json, sys
from email import quoprimime
out = []
for h in json.load(sys.stdin):
    b = bytes.fromhex(h)
    out.append([quoprimime.header_encode(b, 'iso-8859-1'), quoprimime.header_length(b), quoprimime.body_length(b)])
print(json.dumps(out))
`,
      samples.map(hex),
    );
    expect(samples.map((b) => [encodeHeader(b, "iso-8859-1"), headerLength(b), bodyLength(b)])).toEqual(expected);
  });

  it("decodes header words as Python's header_decode", () => {
    const inputs = ["Hello_World", "caf=C3=A9", "caf=c3=a9", "=ZZ", "a=4", "=3D=3d", "x_=20_"];
    const expected = python<string[]>(
      `
import json, sys
from email import quoprimime
print(json.dumps([quoprimime.header_decode(s).encode('latin-1').hex() for s in json.load(sys.stdin)]))
`,
      inputs,
    );
    expect(inputs.map((s) => hex(decodeHeader(s)))).toEqual(expected);
  });
});
