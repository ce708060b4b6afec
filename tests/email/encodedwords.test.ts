import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { decodeB, decodeEncodedWord, decodeQ, encodeWord } from "../../src/email/encodedwords.js";
import { HeaderParseError, InvalidBase64PaddingDefect, UndecodableBytesDefect } from "../../src/email/errors.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

// Python's decode keeps undecodable bytes as surrogate escapes; mailport uses U+FFFD.
// Python reports an unknown charset with errors.CharsetError; mailport with InvalidHeaderDefect.
const DECODE_ORACLE = `
import json, sys, re
from email import _encoded_words as ew
out = []
for word in json.load(sys.stdin):
    try:
        text, charset, lang, defects = ew.decode(word)
    except Exception as e:
        out.append({'error': type(e).__name__})
        continue
    text = re.sub('[\\udc80-\\udcff]', '\\ufffd', text)
    names = ['InvalidHeaderDefect' if type(d).__name__ == 'CharsetError' else type(d).__name__ for d in defects]
    out.append({'text': text, 'charset': charset, 'lang': lang, 'defects': names})
print(json.dumps(out))
`;

const ENCODE_ORACLE = `
import json, sys
from email import _encoded_words as ew
out = []
for text, charset, encoding, lang in json.load(sys.stdin):
    out.append(ew.encode(text, charset=charset, encoding=encoding, lang=lang or ''))
print(json.dumps(out))
`;

const WORDS = [
  "=?utf-8?q?caf=C3=A9?=",
  "=?UTF-8?Q?caf=c3=a9_au_lait?=",
  "=?utf-8?q?a_b=5Fc?=",
  "=?utf-8?q?=ZZ?=",
  "=?utf-8?b?Y2Fmw6k=?=",
  "=?utf-8?B?Y2Fmw6k?=",
  "=?utf-8?b?Y2Fmw6?=",
  "=?utf-8?b?Y2Fm!w6k=?=",
  "=?utf-8?b?Y?=",
  "=?utf-8?b?YWJj=?=",
  "=?utf-8?b?YW=Jj?=",
  "=?utf-8?b??=",
  "=?utf-8?b?=YQ==?=",
  "=?utf-8?b?YQ===?=",
  "=?utf-8?b?YQ==YQ==?=",
  "=?utf-8?b?Y Q==?=",
  "=?utf-8?b?YWJj====?=",
  "=?utf-8?b?YQ=a?=",
  "=?utf-8?b?YWJjZA?=",
  "=?utf-8?b?YWJjZ?=",
  "=?utf-8?q??=",
  "=?iso-8859-1?q?caf=E9?=",
  "=?latin_1?q?na=EFve?=",
  "=?windows-1252?q?=80uro?=",
  "=?shift_jis?b?k/qWe4zq?=",
  "=?iso-2022-jp?b?GyRCRnxLXDhsGyhC?=",
  "=?koi8-r?q?=F0=D2=C9=D7=C5=D4?=",
  "=?utf-8*en?q?hello?=",
  "=?utf-8*en-US?b?aGVsbG8=?=",
  "=?x-unknown?q?abc=E9?=",
  "=?unknown-8bit?q?abc=E9?=",
  "=?utf-8?q?bad=FF=FEbytes?=",
  "=?us-ascii?q?caf=E9?=",
  "=?utf-8?x?abc?=",
  "=?utf-8?q?a?b?=",
];

describe("decodeEncodedWord", () => {
  const expected = python<Array<Record<string, unknown>>>(DECODE_ORACLE, WORDS);

  it("decodes Q and B words, charsets, languages and defects as Python does", () => {
    const ours = WORDS.map((word) => {
      try {
        const d = decodeEncodedWord(word);
        return { text: d.text, charset: d.charset, lang: d.lang, defects: d.defects.map((x) => x.name) };
      } catch (err) {
        return { error: err instanceof HeaderParseError ? "malformed" : String(err) };
      }
    });
    // Python signals a malformed word with ValueError or KeyError.
    const normalised = expected.map((e) => ("error" in e ? { error: "malformed" } : e));
    expect(ours).toEqual(normalised);
  });

  it("refuses text that is not an encoded word", () => {
    expect(() => decodeEncodedWord("hello")).toThrow(HeaderParseError);
    expect(() => decodeEncodedWord("=?utf-8?q?caf\u00e9?=")).toThrow(HeaderParseError);
  });

  it("reports missing base64 padding and still decodes", () => {
    const d = decodeEncodedWord("=?utf-8?b?w6k?=");
    expect(d.text).toBe("é");
    expect(d.defects[0]).toBeInstanceOf(InvalidBase64PaddingDefect);
  });

  it("replaces undecodable bytes with U+FFFD and says so", () => {
    const d = decodeEncodedWord("=?utf-8?q?a=FFb?=");
    expect(d.text).toBe("a\ufffdb");
    expect(d.defects[0]).toBeInstanceOf(UndecodableBytesDefect);
  });

  it("decodes Q text with underscores as spaces", () => {
    expect(new TextDecoder().decode(decodeQ("a_b=3Dc").bytes)).toBe("a b=c");
  });

  it("keeps base64 text that cannot be decoded as its own bytes", () => {
    const { bytes, defects } = decodeB("Y");
    expect(new TextDecoder().decode(bytes)).toBe("Y");
    expect(defects.map((d) => d.name)).toEqual(["InvalidBase64LengthDefect"]);
  });
});

describe("encodeWord", () => {
  const texts = ["café", "hello world", "a_b=c?d", "日本語", "😀 party", "x".repeat(40), "é".repeat(20), "", "-!*+/"];
  const charsets = ["utf-8", "iso-8859-1", "shift_jis"];
  const inputs: Array<[string, string, "q" | "b" | null, string]> = [];
  for (const text of texts) {
    for (const charset of charsets) {
      if (charset === "iso-8859-1" && /[^\x00-\xff]/.test(text)) continue;
      if (charset === "shift_jis" && /[^\x00-\x7f日本語]/.test(text)) continue;
      for (const encoding of [null, "q", "b"] as const) inputs.push([text, charset, encoding, ""]);
    }
  }
  inputs.push(["hello", "utf-8", "q", "en"]);
  const expected = python<string[]>(ENCODE_ORACLE, inputs);

  it("writes the same words as Python for every text, charset and encoding", () => {
    const ours = inputs.map(([text, charset, encoding, lang]) =>
      encodeWord(text, { charset, ...(encoding ? { encoding } : {}), lang }),
    );
    expect(ours).toEqual(expected);
  });

  it("prefers Q unless it is at least five characters longer than B", () => {
    expect(encodeWord("café")).toBe("=?utf-8?q?caf=C3=A9?=");
    expect(encodeWord("日本語")).toBe("=?utf-8?b?5pel5pys6Kqe?=");
  });

  it("refuses an unknown encoding", () => {
    expect(() => encodeWord("x", { encoding: "x" as "q" })).toThrow(RangeError);
  });
});
