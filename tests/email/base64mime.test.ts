import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decode, decodeWithDefects, encodeBody, encodeHeader, headerLength } from "../../src/email/base64mime.js";
import { MessageParseError } from "../../src/email/errors.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** Base64-ish strings: valid ones, ones with bad padding, stray characters, wrong lengths. */
function base64Corpus(): string[] {
  const inputs = [
    "", "YQ==", "YQ", "YQ=", "YWI=", "YWI", "YWJj", "YWJjZA==", "Y", "YWJjZ", "YQ==YQ==", "YQ==x",
    "Y\nQ\r\n==", "Y!Q==", "====", "=YQ==", "YW=Jj", "YWJj=", "YWJj==", "YQ===", "Y===", "YQ=\n=",
    "QUJD\nREVG\n", "aGVsbG8gd29ybGQ=", "aGVsbG8gd29ybGQ", "a GVs bG8=", "é", "YQ==\u00e9",
  ];
  const random = prng(5);
  const alphabet = "ABab09+/=\n !-_";
  for (let i = 0; i < 400; i++) {
    let s = "";
    const length = Math.floor(random() * 16);
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(random() * alphabet.length)];
    inputs.push(s);
  }
  return inputs;
}

describe("base64 bodies", () => {
  it("writes lines of 76 characters each followed by eol", () => {
    const encoded = encodeBody(new Uint8Array(100).fill(0xff), { eol: "\r\n" });
    const lines = encoded.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]!.length).toBe(76);
  });

  it("never writes a line longer than maxLineLength, even when it is not a multiple of 4", () => {
    for (const maxLineLength of [4, 5, 6, 7, 78, 998]) {
      const lines = encodeBody(new Uint8Array(3000).fill(7), { maxLineLength }).split("\n");
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(maxLineLength);
    }
  });

  it("refuses a maxLineLength below 4", () => {
    expect(() => encodeBody(new Uint8Array(3), { maxLineLength: 3 })).toThrow(RangeError);
  });

  it("agrees with Python's base64mime.body_encode for line lengths that are multiples of 4", () => {
    const random = prng(3);
    const cases: Array<[string, number, string]> = [];
    for (const length of [0, 1, 2, 3, 56, 57, 58, 114, 1000]) {
      const data = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      for (const [max, eol] of [[76, "\n"], [76, "\r\n"], [40, "\n"], [4, "\r\n"]] as const) cases.push([hex(data), max, eol]);
    }
    const expected = python<string[]>(
      `
import json, sys
from email import base64mime
print(json.dumps([base64mime.body_encode(bytes.fromhex(h), m, e) for h, m, e in json.load(sys.stdin)]))
`,
      cases,
    );
    expect(cases.map(([h, maxLineLength, eol]) => encodeBody(fromHex(h), { maxLineLength, eol }))).toEqual(expected);
  });
});

describe("B-encoded header words", () => {
  it("agrees with Python's header_encode and header_length", () => {
    const samples = ["", "61", "6162", "616263", "c3a9", "e4b896e7958c"];
    const expected = python<Array<[string, number]>>(
      `
import json, sys
from email import base64mime
print(json.dumps([[base64mime.header_encode(bytes.fromhex(h), 'utf-8'), base64mime.header_length(bytes.fromhex(h))] for h in json.load(sys.stdin)]))
`,
      samples,
    );
    expect(samples.map((h) => [encodeHeader(fromHex(h), "utf-8"), headerLength(fromHex(h))])).toEqual(expected);
  });
});

describe("decoding", () => {
  it("skips line breaks and stray characters", () => {
    expect(hex(decode("YW\nJj\r\n"))).toBe(hex(new TextEncoder().encode("abc")));
  });

  it("throws MessageParseError for missing padding", () => {
    expect(() => decode("YQ")).toThrow(MessageParseError);
  });

  it("agrees with Python's base64mime.decode, success and failure alike", () => {
    const inputs = base64Corpus();
    const expected = python<Array<string | null>>(
      `
import json, sys, binascii
from email import base64mime
out = []
for s in json.load(sys.stdin):
    try:
        out.append(base64mime.decode(s).hex())
    except binascii.Error:
        out.append(None)
print(json.dumps(out))
`,
      inputs.filter((s) => /^[\x00-\x7f]*$/.test(s)),
    );
    const ours = inputs
      .filter((s) => /^[\x00-\x7f]*$/.test(s))
      .map((s) => {
        try {
          return hex(decode(s));
        } catch (error) {
          expect(error).toBeInstanceOf(MessageParseError);
          return null;
        }
      });
    expect(ours).toEqual(expected);
  });

  it("reports the same defects and bytes as Python's _encoded_words.decode_b", () => {
    const inputs = base64Corpus().filter((s) => /^[\x00-\xff]*$/.test(s));
    const expected = python<Array<[string, string[]]>>(
      `
import json, sys
from email._encoded_words import decode_b
out = []
for s in json.load(sys.stdin):
    value, defects = decode_b(s.encode('latin-1'))
    out.append([bytes(value).hex(), [type(d).__name__ for d in defects]])
print(json.dumps(out))
`,
      inputs,
    );
    const ours = inputs.map((s) => {
      const { bytes, defects } = decodeWithDefects(s);
      return [hex(bytes), defects.map((d) => d.name)];
    });
    expect(ours).toEqual(expected);
  });
});
