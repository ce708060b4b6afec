import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  Charset,
  addAlias,
  addCharset,
  addCodec,
  canonicalCharsetName,
  decodeBytes,
  encodeText,
  isKnownCharset,
} from "../../src/email/charset.js";
import { CharsetError } from "../../src/email/errors.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, "hex"));

/** Every charset that must work, with the Python codec behind the same name. */
const CHARSETS: Record<string, string> = {
  "utf-8": "utf-8",
  "us-ascii": "ascii",
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16].map((n) => [`iso-8859-${n}`, `iso8859-${n}`])),
  ...Object.fromEntries([1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258].map((n) => [`windows-${n}`, `cp${n}`])),
  "koi8-r": "koi8_r",
  shift_jis: "shift_jis",
  "euc-jp": "euc_jp",
  "iso-2022-jp": "iso2022_jp",
  gb2312: "gb2312",
  gbk: "gbk",
  big5: "big5",
  "euc-kr": "euc_kr",
};

/**
 * A pool of characters from many scripts; Python keeps, per charset, those its codec can
 * encode, and gives the sample and its bytes.
 */
const POOL =
  "Hello, world! 0123 ~\\ café naïve ÀÉÎÕÜ ßæøå ¢£¥¬°±µ¶·×÷ ĄąĆćĘęŁłŃńŚśŹźŻż ČčĎďĚěŇňŘřŠšŤťŮůŽž ĞğİıŞş " +
  "ĀāĒēĪīŌōŪū ŐőŰű ȘșȚț ŒœŸ € ‘’“”–—…•‰ ΑΒΓΔαβγδωΩ АБВГДабвгдЁёЖжЯя ЂђЉљЊњЋћЏџ ІіЇїЄєҐґ אבגדהו ابتثجح ภาษาไทย " +
  "ẠạẢảẤấẦầ ₫ ᴀ 日本語のテキスト、カタカナ。ひらがな 漢字 鷗 ｱｲｳ ～〜－−‖∥ 中文简体汉字 繁體中文字 한국어 텍스트 갂 똠 ㄱㅏ ☃ 😀";

interface Sample {
  charset: string;
  text: string;
  bytes: string;
  /** Python's decoding of the bytes (not always the text: shift_jis writes ¥ as 0x5C and reads back "\\"). */
  decoded: string;
  /** Characters left out of the sample because Python's table and ours place them differently. */
  disputed: string;
}

const SAMPLES = python<Sample[]>(
  `
import json, sys
pool, charsets = json.load(sys.stdin)
out = []
for charset, codec in charsets.items():
    kept, disputed = [], []
    for c in pool:
        try:
            b = c.encode(codec)
        except UnicodeEncodeError:
            continue
        # Big5 0xC6A1-0xC8FE (ETEN extensions): Python's table differs from the common one.
        if codec == 'big5' and len(b) == 2 and 0xc6a1 <= int.from_bytes(b, 'big') <= 0xc8fe:
            disputed.append(c)
        else:
            kept.append(c)
    text = ''.join(kept)
    data = text.encode(codec)
    out.append({'charset': charset, 'text': text, 'bytes': data.hex(), 'decoded': data.decode(codec), 'disputed': ''.join(disputed)})
print(json.dumps(out))
`,
  [POOL, CHARSETS],
);

describe("charset names", () => {
  it("canonicalises Python's email aliases and codec spellings", () => {
    expect(canonicalCharsetName("latin_1")).toBe("iso-8859-1");
    expect(canonicalCharsetName("Latin-1")).toBe("iso-8859-1");
    expect(canonicalCharsetName("ISO_8859-1")).toBe("iso-8859-1");
    expect(canonicalCharsetName("utf8")).toBe("utf-8");
    expect(canonicalCharsetName("ascii")).toBe("us-ascii");
    expect(canonicalCharsetName("cp949")).toBe("ks_c_5601-1987");
    expect(canonicalCharsetName(" X-Unknown ")).toBe("x-unknown");
  });

  it("names the same codec as Python does for each alias", () => {
    const names = [
      "latin_1", "latin-1", "LATIN1", "l1", "iso_8859_1", "ISO-8859-2", "latin-5", "latin_10", "cp1252", "windows-1250",
      "utf8", "UTF-8", "u8", "ascii", "US-ASCII", "646", "sjis", "Shift_JIS", "euc_jp", "eucjp", "ISO-2022-JP",
      "csiso2022jp", "euc_kr", "ksc5601", "GB2312", "euc-cn", "cp936", "big5_tw", "koi8_r", "thai", "hebrew",
    ];
    const expected = python<string[]>(
      `
import json, sys, codecs
from email.charset import ALIASES
print(json.dumps([codecs.lookup(ALIASES.get(n.lower(), n)).name for n in json.load(sys.stdin)]))
`,
      names,
    );
    const canonicals = [...new Set(names.map(canonicalCharsetName))];
    const codecNames = python<string[]>(
      `import json, sys, codecs; print(json.dumps([codecs.lookup(n).name for n in json.load(sys.stdin)]))`,
      canonicals,
    );
    const codecs = new Map(canonicals.map((c, i) => [c, codecNames[i]]));
    expect(names.map((n) => codecs.get(canonicalCharsetName(n)))).toEqual(expected);
  });

  it("knows the charsets it can encode and not made-up names", () => {
    for (const name of Object.keys(CHARSETS)) expect(isKnownCharset(name)).toBe(true);
    expect(isKnownCharset("x-no-such-charset")).toBe(false);
  });
});

describe("encoding and decoding", () => {
  for (const sample of SAMPLES) {
    it(`encodes a sample text in ${sample.charset} to the bytes Python gives, and decodes them back`, () => {
      expect(sample.text.length).toBeGreaterThan(20);
      expect(hex(encodeText(sample.text, sample.charset))).toBe(sample.bytes);
      expect(decodeBytes(fromHex(sample.bytes), sample.charset)).toBe(sample.decoded);
    });
  }

  it("refuses the characters Python's codecs refuse, naming the character and the charset", () => {
    const cases: Array<[string, string]> = [];
    for (const charset of Object.keys(CHARSETS)) {
      const sample = SAMPLES.find((s) => s.charset === charset)!;
      for (const ch of POOL) if (!sample.text.includes(ch) && !sample.disputed.includes(ch)) cases.push([charset, ch]);
    }
    const pythonRefuses = python<boolean[]>(
      `
import json, sys
codecs = ${JSON.stringify(CHARSETS)}
out = []
for charset, ch in json.load(sys.stdin):
    try:
        ch.encode(codecs[charset])
        out.append(False)
    except UnicodeEncodeError:
        out.append(True)
print(json.dumps(out))
`,
      cases,
    );
    expect(pythonRefuses.every(Boolean)).toBe(true);
    expect(cases.length).toBeGreaterThan(200);
    for (const [charset, ch] of cases) {
      expect(() => encodeText(ch, charset), `${ch} in ${charset}`).toThrow(CharsetError);
    }
    expect(() => encodeText("x€", "iso-8859-1")).toThrow(/U\+20AC "€" at position 1 cannot be encoded in iso-8859-1/);
  });

  it("refuses Big5 characters of the ETEN area, where Python's table differs, rather than write other bytes", () => {
    const big5 = SAMPLES.find((s) => s.charset === "big5")!;
    expect(big5.disputed.length).toBeGreaterThan(10);
    for (const ch of big5.disputed) expect(() => encodeText(ch, "big5")).toThrow(CharsetError);
    expect(() => decodeBytes(new Uint8Array([0xc7, 0xb3]), "big5")).toThrow(CharsetError);
  });

  it("refuses half-width katakana and JIS X 0212 characters in iso-2022-jp instead of writing '?'", () => {
    expect(() => encodeText("ｱ", "iso-2022-jp")).toThrow(CharsetError);
    expect(() => encodeText("鷗", "iso-2022-jp")).toThrow(CharsetError);
  });

  it("throws CharsetError for an unknown charset", () => {
    expect(() => encodeText("a", "x-no-such-charset")).toThrow(CharsetError);
    expect(() => decodeBytes(new Uint8Array([0x61]), "x-no-such-charset")).toThrow(CharsetError);
  });

  it("agrees with Python on which byte strings decode, strictly", () => {
    const cases: Array<[string, string]> = [
      ["utf-8", "ff"], ["utf-8", "c3"], ["utf-8", "efbfbd"], ["utf-8", "eda080"], ["us-ascii", "80"],
      ["iso-8859-1", "ff00"], ["iso-8859-3", "a5"], ["windows-1252", "81"], ["windows-1252", "80"],
      ["shift_jis", "82a0"], ["shift_jis", "82"], ["shift_jis", "8740"], ["shift_jis", "fa40"], ["shift_jis", "5c7e"],
      ["euc-jp", "a4a2"], ["euc-jp", "a4"], ["euc-jp", "ada1"], ["euc-jp", "8fb0a1"], ["euc-jp", "8eb1"],
      ["iso-2022-jp", "1b2442242224241b2842"], ["iso-2022-jp", "1b284a5c7e1b2842"], ["iso-2022-jp", "a4a2"],
      ["iso-2022-jp", "1b24422422092422"], ["iso-2022-jp", "1b244224222024221b2842"], ["iso-2022-jp", "1b2442242224"],
      ["iso-2022-jp", "1b2441"], ["iso-2022-jp", "1b24402422"], ["iso-2022-jp", "1b2442"],
      ["gb2312", "d6d0"], ["gb2312", "8140"], ["gb2312", "a2a1"], ["gbk", "8140"], ["gbk", "80"],
      ["big5", "a440"], ["big5", "8840"], ["big5", "a4"], ["euc-kr", "b0a1"], ["euc-kr", "8141"],
      ["euc-kr", "a4d4a4a1a4bfa4a2"], ["koi8-r", "c1c2"],
    ];
    const expected = python<Array<string | null>>(
      `
import json, sys
codecs = ${JSON.stringify(CHARSETS)}
out = []
for charset, h in json.load(sys.stdin):
    try:
        out.append(bytes.fromhex(h).decode(codecs[charset]))
    except UnicodeDecodeError:
        out.append(None)
print(json.dumps(out))
`,
      cases,
    );
    const ours = cases.map(([charset, h]) => {
      try {
        return decodeBytes(fromHex(h), charset);
      } catch (error) {
        expect(error).toBeInstanceOf(CharsetError);
        return null;
      }
    });
    expect(ours).toEqual(expected);
  });

  it("puts U+FFFD in place of invalid bytes when asked to replace", () => {
    expect(decodeBytes(new Uint8Array([0x61, 0xff, 0x62]), "utf-8", { errors: "replace" })).toBe("a\ufffdb");
    expect(decodeBytes(new Uint8Array([0x61, 0x80]), "us-ascii", { errors: "replace" })).toBe("a\ufffd");
  });

  it("writes Hangul syllables missing from KS X 1001 as Python's eight-byte jamo sequences, and reads them back", () => {
    const expected = python<string>(`import json, sys; print(json.dumps('갂똠가'.encode('euc_kr').hex()))`, null);
    expect(hex(encodeText("갂똠가", "euc-kr"))).toBe(expected);
    expect(decodeBytes(fromHex(expected), "euc-kr")).toBe("갂똠가");
  });
});

describe("Charset", () => {
  const NAMES = [
    "us-ascii", "utf-8", "iso-8859-1", "iso-8859-2", "iso-8859-5", "iso-8859-15", "windows-1252", "windows-1251",
    "koi8-r", "shift_jis", "euc-jp", "iso-2022-jp", "gb2312", "gbk", "big5", "euc-kr", "latin_1", "latin-9", "ascii",
    "euc_jp", "x-unknown",
  ];

  it("has Python's header encoding, body encoding and output charset for each charset", () => {
    const expected = python<Array<[string, string | null, string | null, string]>>(
      `
import json, sys
from email.charset import Charset, QP, BASE64, SHORTEST
names = {QP: 'q', BASE64: 'b', SHORTEST: 'shortest', None: None}
out = []
for n in json.load(sys.stdin):
    c = Charset(n)
    body = {QP: 'quoted-printable', BASE64: 'base64', None: None}[c.body_encoding]
    out.append([c.input_charset, names[c.header_encoding], body, c.get_output_charset()])
print(json.dumps(out))
`,
      NAMES,
    );
    const ours = NAMES.map((n) => {
      const c = new Charset(n);
      return [c.inputCharset, c.headerEncoding, c.bodyEncoding, c.getOutputCharset()];
    });
    expect(ours).toEqual(expected);
  });

  it("defaults to us-ascii", () => {
    expect(new Charset().inputCharset).toBe("us-ascii");
  });

  it("canonicalises codec spellings Python leaves alone (utf8 is utf-8)", () => {
    const c = new Charset("UTF8");
    expect(c.inputCharset).toBe("utf-8");
    expect(c.getBodyEncoding()).toBe("base64");
  });

  it("refuses a non-ASCII charset name", () => {
    expect(() => new Charset("utf-8é")).toThrow(CharsetError);
  });

  it("says 7bit for charsets without body encoding whose output is 7-bit", () => {
    expect(new Charset("us-ascii").getBodyEncoding()).toBe("7bit");
    expect(new Charset("euc-jp").getBodyEncoding()).toBe("7bit");
    expect(new Charset("iso-8859-1").getBodyEncoding()).toBe("quoted-printable");
    expect(new Charset("utf-8").getBodyEncoding()).toBe("base64");
  });

  it("compares equal to its name in any case, as Python", () => {
    expect(new Charset("utf-8").equals("UTF-8")).toBe(true);
    expect(new Charset("utf-8").equals(new Charset("utf-8"))).toBe(true);
    expect(new Charset("utf-8").equals("us-ascii")).toBe(false);
    expect(String(new Charset("latin_1"))).toBe("iso-8859-1");
  });

  const TEXTS = ["", "hello", "café", "naïve façade résumé", "日本語", "Привет", "a b_c=d?e", "€uro", "x".repeat(100)];

  function encodable(charset: string, text: string): boolean {
    try {
      new Charset(charset).headerEncode(text);
      return true;
    } catch {
      return false;
    }
  }

  it("encodes header words as Python's header_encode", () => {
    // gb2312 and big5 are left out: Python writes its codec name (eucgb2312_cn, big5_tw) in the word.
    const charsets = ["us-ascii", "utf-8", "iso-8859-1", "iso-8859-15", "windows-1251", "koi8-r", "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr"];
    const cases = charsets.flatMap((c) => TEXTS.filter((t) => encodable(c, t)).map((t) => [c, t] as [string, string]));
    expect(cases.length).toBeGreaterThan(40);
    const expected = python<string[]>(
      `
import json, sys
from email.charset import Charset
print(json.dumps([Charset(c).header_encode(t) for c, t in json.load(sys.stdin)]))
`,
      cases,
    );
    expect(cases.map(([c, t]) => new Charset(c).headerEncode(t))).toEqual(expected);
  });

  it("writes the charset's MIME name in header words where Python writes its codec name", () => {
    expect(new Charset("gb2312").headerEncode("中文")).toMatch(/^=\?gb2312\?b\?/);
    expect(new Charset("big5").headerEncode("中文")).toMatch(/^=\?big5\?b\?/);
  });

  it("splits header words to fit line lengths as Python's header_encode_lines", () => {
    const texts = [
      "Ceci est un texte assez long pour être coupé en plusieurs mots encodés, n'est-ce pas ?",
      "日本語のテキストはとても長いので、いくつかの行に分けなければなりません。",
      "короткий",
      "",
    ];
    const cases: Array<[string, string, number, number]> = [];
    for (const charset of ["utf-8", "iso-8859-1", "euc-jp", "koi8-r"]) {
      for (const text of texts) {
        if (!encodable(charset, text)) continue;
        for (const [first, rest] of [[30, 40], [76, 76], [10, 60], [25, 25]] as const) cases.push([charset, text, first, rest]);
      }
    }
    expect(cases.length).toBeGreaterThan(30);
    const expected = python<string[][]>(
      `
import json, sys, itertools
from email.charset import Charset
out = []
for c, t, first, rest in json.load(sys.stdin):
    lines = Charset(c).header_encode_lines(t, itertools.chain([first], itertools.repeat(rest)))
    out.append(['' if l is None else l for l in lines])
print(json.dumps(out))
`,
      cases,
    );
    const ours = cases.map(([c, t, first, rest]) => {
      function* lengths(): Generator<number> {
        yield first;
        for (;;) yield rest;
      }
      return new Charset(c).headerEncodeLines(t, lengths());
    });
    expect(ours).toEqual(expected);
  });

  it("transfer-encodes bodies as Python's body_encode", () => {
    const bodyTexts = [
      "",
      "plain ascii\n",
      "café crème brûlée, naïve façade\nsecond line with trailing space \n",
      "Съешь же ещё этих мягких французских булок\n".repeat(5),
      "日本語の本文です。\n二行目。\n",
      `${"é".repeat(100)}\n`,
    ];
    const charsets = ["utf-8", "iso-8859-1", "iso-8859-2", "koi8-r", "euc-jp", "shift_jis", "iso-2022-jp", "us-ascii", "windows-1251"];
    const cases = charsets.flatMap((c) => bodyTexts.filter((t) => encodable(c, t)).map((t) => [c, t] as [string, string]));
    expect(cases.length).toBeGreaterThan(20);
    const expected = python<string[]>(
      `
import json, sys
from email.charset import Charset
print(json.dumps([Charset(c).body_encode(t) for c, t in json.load(sys.stdin)]))
`,
      cases,
    );
    expect(cases.map(([c, t]) => new Charset(c).bodyEncode(t))).toEqual(expected);
  });

  it("gives the body text in the output charset as bytes", () => {
    const expected = python<string>(`import json, sys; print(json.dumps('日本語'.encode('iso2022_jp').hex()))`, null);
    expect(hex(new Charset("euc-jp").encodeBody("日本語"))).toBe(expected);
  });

  it("takes registered charsets, aliases and codecs into account", () => {
    addCharset("x-test-charset", "q", "quoted-printable", "iso-8859-15");
    const c = new Charset("X-Test-Charset");
    expect([c.headerEncoding, c.bodyEncoding, c.getOutputCharset()]).toEqual(["q", "quoted-printable", "iso-8859-15"]);
    expect(c.headerEncode("€")).toBe("=?iso-8859-15?q?=A4?=");
    addAlias("x-my-latin", "iso-8859-1");
    expect(new Charset("x-my-latin").inputCharset).toBe("iso-8859-1");
    addCodec("x-my-cyrillic", "koi8-r");
    expect(hex(encodeText("Я", "x-my-cyrillic"))).toBe("f1");
    expect(() => addCharset("x-bad", null, "shortest" as never)).toThrow(TypeError);
  });
});

describe("ISO 2022 and HZ, as Japanese, Chinese and Korean mail has them", () => {
  /** Each as [bytes, the text python3 reads them as, python3's iso2022_jp reading or null when it refuses]. */
  const JP = python<{ extensions: [string, string, string | null]; kana: [string, string, string | null] }>(
    `
import json
def jis(ch):
    s1, s2 = ch.encode('cp932')
    j1 = (s1 - (0x70 if s1 < 0xa0 else 0xb0)) * 2 - (1 if s2 < 0x9f else 0)
    j2 = s2 - (0x1f if s2 < 0x7f else 0x20 if s2 < 0x9f else 0x7e)
    return bytes([j1, j2])
# NEC row 13 and the NEC-selected IBM extensions (cp932 0x87xx, 0xEDxx, 0xEExx)
chars = ''.join(bytes([s1, s2]).decode('cp932') for s1, s2 in [(0x87, 0x40), (0x87, 0x54), (0x87, 0x82), (0x87, 0x9a), (0xed, 0x40), (0xed, 0xf1), (0xee, 0xec)])
data = b'\\x1b$B' + b''.join(jis(c) for c in chars) + b'\\x1b(B'
def py(data):
    try: return data.decode('iso2022_jp')
    except UnicodeDecodeError: return None
kana = 'ｱｲｳ ﾃｽﾄ'.encode('iso2022_jp_ext')
print(json.dumps({"extensions": [data.hex(), chars, py(data)], "kana": [kana.hex(), kana.decode('iso2022_jp_ext'), py(kana)]}))
`,
    null,
  );

  it("reads NEC row 13 and the IBM extensions in iso-2022-jp, as cp932 has them (Python's iso2022_jp refuses them)", () => {
    const [bytes, text, pythons] = JP.extensions;
    expect(decodeBytes(fromHex(bytes), "iso-2022-jp")).toBe(text);
    expect(text).toContain("①");
    expect(pythons).toBeNull();
  });

  it("reads half-width katakana in iso-2022-jp, after ESC ( I or SO, as Python's iso2022_jp_ext", () => {
    const [bytes, text, pythons] = JP.kana;
    expect(decodeBytes(fromHex(bytes), "iso-2022-jp")).toBe(text);
    expect(pythons).toBeNull();
    expect(decodeBytes(new Uint8Array(Buffer.from("a\x0e123\x0fb", "latin1")), "iso-2022-jp")).toBe("aｱｲｳb");
  });

  const READ_ONLY: Record<string, string> = { "iso-2022-jp-2": "iso2022_jp_2", "iso-2022-kr": "iso2022_kr", "hz-gb-2312": "hz" };
  const TEXTS: Record<string, string> = {
    "iso-2022-jp-2": "日本語 中文简体 한국어 ¡Olé! ΑΒΓ αβγ ä 鷗\nline two",
    "iso-2022-kr": "한국어 텍스트 and ASCII\n두 번째 줄",
    "hz-gb-2312": "中文简体 ~ tilde\n第二行",
  };
  const BYTES = python<Record<string, string>>(
    `
import json, sys
print(json.dumps({name: text.encode(codec).hex() for name, (codec, text) in json.load(sys.stdin).items()}))
`,
    Object.fromEntries(Object.entries(READ_ONLY).map(([name, codec]) => [name, [codec, TEXTS[name]]])),
  );

  it.each(Object.keys(READ_ONLY))("reads %s as Python's codec writes it", (charset) => {
    expect(isKnownCharset(charset)).toBe(true);
    expect(decodeBytes(fromHex(BYTES[charset]!), charset)).toBe(TEXTS[charset]);
  });

  it.each(Object.keys(READ_ONLY))("refuses to write %s, with a CharsetError that says what to use", (charset) => {
    expect(() => encodeText("a", charset)).toThrow(/does not write it; use utf-8/);
  });

  it("knows Python's names for them", () => {
    expect(["iso2022_jp_2", "csISO2022KR", "hz", "HZ-GB-2312"].map(canonicalCharsetName)).toEqual([
      "iso-2022-jp-2",
      "iso-2022-kr",
      "hz-gb-2312",
      "hz-gb-2312",
    ]);
  });

  it("puts one U+FFFD for each character it cannot read, and refuses it when decoding strictly", () => {
    const data = new Uint8Array(Buffer.from("a\x1b$B/!$\"\x1b(Bb", "latin1"));
    expect(decodeBytes(data, "iso-2022-jp", { errors: "replace" })).toBe("a\ufffdあb");
    expect(() => decodeBytes(data, "iso-2022-jp")).toThrow(CharsetError);
  });
});
