/**
 * Charsets: names, codecs and the email properties of each charset, after Python's
 * `email.charset` and the codecs Python uses behind it.
 *
 * Encoding is strict: a character the charset cannot represent is an error, never a
 * silent `?`. The codecs are iconv-lite's, adjusted where Python's codec of the same
 * name maps differently (JIS X 0208 in `shift_jis`/`euc-jp`, GB 2312 limits, KS X 1001
 * limits and the jamo sequences of `euc-kr`); `iso-2022-jp` is built here on the
 * JIS X 0208 table.
 *
 * @module
 */
import iconv from "iconv-lite";
import { CharsetError } from "./errors.js";
import * as base64mime from "./base64mime.js";
import * as quoprimime from "./quoprimime.js";

// ---------------------------------------------------------------------------
// Names

/** Python's `email.charset.ALIASES`, the names the email package itself rewrites. */
const EMAIL_ALIASES = new Map<string, string>([
  ["latin_1", "iso-8859-1"], ["latin-1", "iso-8859-1"],
  ["latin_2", "iso-8859-2"], ["latin-2", "iso-8859-2"],
  ["latin_3", "iso-8859-3"], ["latin-3", "iso-8859-3"],
  ["latin_4", "iso-8859-4"], ["latin-4", "iso-8859-4"],
  ["latin_5", "iso-8859-9"], ["latin-5", "iso-8859-9"],
  ["latin_6", "iso-8859-10"], ["latin-6", "iso-8859-10"],
  ["latin_7", "iso-8859-13"], ["latin-7", "iso-8859-13"],
  ["latin_8", "iso-8859-14"], ["latin-8", "iso-8859-14"],
  ["latin_9", "iso-8859-15"], ["latin-9", "iso-8859-15"],
  ["latin_10", "iso-8859-16"], ["latin-10", "iso-8859-16"],
  ["cp949", "ks_c_5601-1987"],
  ["euc_jp", "euc-jp"],
  ["euc_kr", "euc-kr"],
  ["ascii", "us-ascii"],
]);

/**
 * Codec aliases (Python's `encodings.aliases` for the supported codecs), keyed by the
 * normalised spelling (see {@link normalise}), giving the MIME name.
 */
const CODEC_ALIASES = new Map<string, string>();

function addCodecAliases(canonical: string, aliases: readonly string[]): void {
  CODEC_ALIASES.set(normalise(canonical), canonical);
  for (const alias of aliases) CODEC_ALIASES.set(normalise(alias), canonical);
}

/** Python's `encodings.normalize_encoding` followed by lower-casing: runs of punctuation become `_`. */
function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

addCodecAliases("us-ascii", ["ascii", "646", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986", "cp367", "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us"]);
addCodecAliases("utf-8", ["utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001"]);
addCodecAliases("iso-8859-1", ["latin_1", "8859", "cp819", "csisolatin1", "ibm819", "iso8859", "iso8859_1", "iso_8859_1_1987", "iso_ir_100", "l1", "latin", "latin1"]);
const ISO_8859_ALIASES: Record<number, readonly string[]> = {
  2: ["csisolatin2", "iso_8859_2_1987", "iso_ir_101", "l2", "latin2"],
  3: ["csisolatin3", "iso_8859_3_1988", "iso_ir_109", "l3", "latin3"],
  4: ["csisolatin4", "iso_8859_4_1988", "iso_ir_110", "l4", "latin4"],
  5: ["csisolatincyrillic", "cyrillic", "iso_8859_5_1988", "iso_ir_144"],
  6: ["arabic", "asmo_708", "csisolatinarabic", "ecma_114", "iso_8859_6_1987", "iso_ir_127"],
  7: ["csisolatingreek", "ecma_118", "elot_928", "greek", "greek8", "iso_8859_7_1987", "iso_ir_126"],
  8: ["csisolatinhebrew", "hebrew", "iso_8859_8_1988", "iso_ir_138"],
  9: ["csisolatin5", "iso_8859_9_1989", "iso_ir_148", "l5", "latin5"],
  10: ["csisolatin6", "iso_8859_10_1992", "iso_ir_157", "l6", "latin6"],
  11: ["thai", "iso_8859_11_2001"],
  13: ["l7", "latin7"],
  14: ["iso_8859_14_1998", "iso_celtic", "iso_ir_199", "l8", "latin8"],
  15: ["l9", "latin9"],
  16: ["iso_8859_16_2001", "iso_ir_226", "l10", "latin10"],
};
for (const [n, aliases] of Object.entries(ISO_8859_ALIASES)) {
  addCodecAliases(`iso-8859-${n}`, [`iso8859_${n}`, `iso8859-${n}`, ...aliases]);
}
for (let n = 1250; n <= 1258; n++) addCodecAliases(`windows-${n}`, [`cp${n}`, `${n}`]);
addCodecAliases("koi8-r", ["cskoi8r"]);
addCodecAliases("koi8-u", []);
addCodecAliases("shift_jis", ["csshiftjis", "shiftjis", "sjis", "s_jis"]);
addCodecAliases("euc-jp", ["eucjp", "ujis", "u_jis"]);
addCodecAliases("iso-2022-jp", ["csiso2022jp", "iso2022jp"]);
addCodecAliases("iso-2022-jp-2", ["csiso2022jp2", "iso2022jp_2", "iso2022_jp_2"]);
addCodecAliases("iso-2022-kr", ["csiso2022kr", "iso2022kr", "iso2022_kr"]);
addCodecAliases("hz-gb-2312", ["hz", "hzgb", "hz_gb"]);
addCodecAliases("gb2312", ["chinese", "csiso58gb231280", "euc_cn", "euccn", "eucgb2312_cn", "gb2312_1980", "gb2312_80", "iso_ir_58"]);
addCodecAliases("gbk", ["936", "cp936", "ms936"]);
addCodecAliases("big5", ["big5_tw", "csbig5"]);
addCodecAliases("euc-kr", ["euckr", "korean", "ksc5601", "ks_c_5601", "ksx1001", "ks_x_1001"]);
addCodecAliases("ks_c_5601-1987", ["cp949", "949", "ms949", "uhc", "ks_c_5601_1987"]);
addCodecAliases("unknown-8bit", []);

/** Charsets registered at run time with {@link addCodec}: MIME name → iconv-lite encoding name. */
const EXTRA_CODECS = new Map<string, string>();

/**
 * The canonical (MIME) name of a charset: Python's `email.charset` aliases plus codec
 * normalisation, so `"latin_1"`, `"Latin-1"` and `"ISO_8859-1"` all give `"iso-8859-1"`,
 * `"utf8"` gives `"utf-8"` and `"ascii"` gives `"us-ascii"`. An unknown name comes back
 * lower-cased and trimmed.
 */
export function canonicalCharsetName(name: string): string {
  const lower = name.trim().toLowerCase();
  const emailAlias = EMAIL_ALIASES.get(lower);
  if (emailAlias !== undefined) return emailAlias;
  return CODEC_ALIASES.get(normalise(lower)) ?? lower;
}

/** Whether text can be encoded to and decoded from this charset. */
export function isKnownCharset(name: string): boolean {
  const canonical = canonicalCharsetName(name);
  return CODEC_ALIASES.has(normalise(canonical)) || EXTRA_CODECS.has(canonical) || iconv.encodingExists(canonical);
}

// ---------------------------------------------------------------------------
// Codecs

interface Codec {
  encode(text: string, charset: string): Uint8Array;
  /** Decodes; `undefined` in strict mode means the bytes are invalid. */
  decode(bytes: Uint8Array, strict: boolean): string | undefined;
}

function describe(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${JSON.stringify(String.fromCodePoint(cp))}`;
}

function unencodable(cp: number, charset: string, index: number): CharsetError {
  return new CharsetError(`the character ${describe(cp)} at position ${index} cannot be encoded in ${charset}`);
}

function undecodable(charset: string): CharsetError {
  return new CharsetError(`the bytes are not valid ${charset}`);
}

const US_ASCII: Codec = {
  encode(text, charset) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) throw unencodable(text.codePointAt(i)!, charset, i);
      out[i] = c;
    }
    return out;
  },
  decode(bytes, strict) {
    let s = "";
    for (const b of bytes) {
      if (b > 0x7f) {
        if (strict) return undefined;
        s += "\ufffd";
      } else {
        s += String.fromCharCode(b);
      }
    }
    return s;
  },
};

/** Python's `surrogateescape` over ASCII: U+DC80..U+DCFF carry the bytes 0x80..0xFF. */
const UNKNOWN_8BIT: Codec = {
  encode(text, charset) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c <= 0x7f) out[i] = c;
      else if (c >= 0xdc80 && c <= 0xdcff) out[i] = c - 0xdc00;
      else throw unencodable(text.codePointAt(i)!, charset, i);
    }
    return out;
  },
  decode(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b <= 0x7f ? b : 0xdc00 + b);
    return s;
  },
};

const UTF8: Codec = {
  encode(text, charset) {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
    if (lone) throw unencodable(text.charCodeAt(lone.index), charset, lone.index);
    return new TextEncoder().encode(text);
  },
  decode(bytes, strict) {
    try {
      return new TextDecoder("utf-8", { fatal: strict, ignoreBOM: true }).decode(bytes);
    } catch {
      return undefined;
    }
  },
};

const LATIN1: Codec = {
  encode(text, charset) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) throw unencodable(text.codePointAt(i)!, charset, i);
      out[i] = c;
    }
    return out;
  },
  decode(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  },
};

/** Where Python's codec differs from iconv-lite's table of the same name. */
interface Adjustments {
  /** Characters Python encodes that iconv-lite maps elsewhere or not at all: code point → bytes. */
  encode?: ReadonlyMap<number, readonly number[]>;
  /** Characters iconv-lite encodes but Python's codec does not. */
  refuse?: ReadonlySet<number>;
  /** Whether a byte sequence is one Python's codec accepts (checked on encode and strict decode). */
  valid?: (bytes: Uint8Array) => boolean;
}

/** A codec over iconv-lite with Python's strictness and adjustments. */
function iconvCodec(encoding: string, adjust: Adjustments = {}): Codec {
  // Characters iconv-lite gives for the bytes Python maps differently, and Python's character for them.
  const decodeFix = new Map<string, string>();
  for (const [cp, bytes] of adjust.encode ?? []) {
    const got = iconv.decode(Buffer.from(bytes), encoding);
    const want = String.fromCodePoint(cp);
    // 0x5C and 0x7E stay "\" and "~" when decoding, as in Python (JIS X 0201 Roman is one-way).
    if (got !== want && bytes.length > 1) decodeFix.set(got, want);
  }
  const fixPattern = decodeFix.size > 0 ? new RegExp(`[${[...decodeFix.keys()].join("")}]`, "gu") : undefined;
  const specials = new Set<number>([...(adjust.encode?.keys() ?? []), ...(adjust.refuse ?? []), 0xfffd]);
  const fixDecoded = (s: string): string => (fixPattern ? s.replace(fixPattern, (c) => decodeFix.get(c) ?? c) : s);
  const valid = adjust.valid ?? (() => true);

  const encodeOne = (cp: number, charset: string, index: number): Uint8Array => {
    const override = adjust.encode?.get(cp);
    if (override) return Uint8Array.from(override);
    if (adjust.refuse?.has(cp) || cp === 0xfffd) throw unencodable(cp, charset, index);
    const ch = String.fromCodePoint(cp);
    const bytes = iconv.encode(ch, encoding);
    if (fixDecoded(iconv.decode(bytes, encoding)) !== ch || !valid(bytes)) throw unencodable(cp, charset, index);
    return bytes;
  };

  return {
    encode(text, charset) {
      let hasSpecial = false;
      for (const ch of text) {
        if (specials.has(ch.codePointAt(0)!)) {
          hasSpecial = true;
          break;
        }
      }
      if (!hasSpecial) {
        const bytes = iconv.encode(text, encoding);
        if (fixDecoded(iconv.decode(bytes, encoding)) === text && valid(bytes)) return new Uint8Array(bytes);
      }
      // Slow path: character by character, to apply the adjustments or name the culprit.
      const parts: Uint8Array[] = [];
      let index = 0;
      for (const ch of text) {
        parts.push(encodeOne(ch.codePointAt(0)!, charset, index));
        index += ch.length;
      }
      return concat(parts);
    },
    decode(bytes, strict) {
      if (strict && !valid(bytes)) return undefined;
      const text = iconv.decode(Buffer.from(bytes), encoding);
      if (strict && text.includes("\ufffd")) return undefined;
      return fixDecoded(text);
    },
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Python's JIS X 0208 mapping where it differs from Microsoft's (which iconv-lite follows). */
const SJIS_ADJUST = new Map<number, readonly number[]>([
  [0xa2, [0x81, 0x91]], [0xa3, [0x81, 0x92]], [0xac, [0x81, 0xca]], [0x2016, [0x81, 0x61]],
  [0x2212, [0x81, 0x7c]], [0x301c, [0x81, 0x60]], [0xa5, [0x5c]], [0x203e, [0x7e]],
]);
const EUCJP_ADJUST = new Map<number, readonly number[]>([
  [0xa2, [0xa1, 0xf1]], [0xa3, [0xa1, 0xf2]], [0xac, [0xa2, 0xcc]], [0x2016, [0xa1, 0xc2]],
  [0x2212, [0xa1, 0xdd]], [0x301c, [0xa1, 0xc1]], [0xa5, [0x5c]], [0x203e, [0x7e]],
]);
/** Python's GB 2312 has U+30FB and U+2015 where GBK has U+00B7 and U+2014. */
const GB2312_ADJUST = new Map<number, readonly number[]>([
  [0x30fb, [0xa1, 0xa4]], [0x2015, [0xa1, 0xaa]],
]);
/** Characters of Python's Big5 table that iconv-lite's (WHATWG) table maps elsewhere. */
const BIG5_ADJUST = new Map<number, readonly number[]>([
  [0xa2, [0xa2, 0x46]], [0xa3, [0xa2, 0x47]], [0xa5, [0xa2, 0x44]], [0x2022, [0xa1, 0x45]],
  [0x203e, [0xa1, 0xc2]], [0x223c, [0xa1, 0xe3]], [0x2609, [0xa1, 0xf3]], [0x2641, [0xa1, 0xf2]],
  [0xff64, [0xa1, 0x4e]], [0xff0f, [0xa2, 0x41]], [0xff3c, [0xa2, 0x42]],
]);

/**
 * Walks a multi-byte stream, calling `pair` for each (lead, trail) of a two-byte character;
 * `single` says which single bytes are characters, `three` which leads start three bytes.
 */
function walk(
  bytes: Uint8Array,
  single: (b: number) => boolean,
  pair: (lead: number, trail: number) => boolean,
  three?: (lead: number, b2: number, b3: number) => boolean,
): boolean {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (single(b)) {
      i += 1;
    } else if (three && i + 2 < bytes.length && three(b, bytes[i + 1]!, bytes[i + 2]!)) {
      i += 3;
    } else if (i + 1 < bytes.length && pair(b, bytes[i + 1]!)) {
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

/** JIS X 0208 rows Python's codecs know: 1-8 and 16-84 (no NEC row 13, no IBM extensions). */
function jisRowOk(ku: number): boolean {
  return (ku >= 1 && ku <= 8) || (ku >= 16 && ku <= 84);
}

function validShiftJis(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f || (b >= 0xa1 && b <= 0xdf),
    (lead, trail) => {
      if (!((lead >= 0x81 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xef))) return false;
      if (trail < 0x40 || trail === 0x7f || trail > 0xfc) return false;
      const ku = (lead <= 0x9f ? lead - 0x81 : lead - 0xc1) * 2 + (trail >= 0x9f ? 2 : 1);
      return jisRowOk(ku);
    },
  );
}

function validEucJp(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) =>
      (lead === 0x8e && trail >= 0xa1 && trail <= 0xdf) ||
      (lead >= 0xa1 && lead <= 0xfe && trail >= 0xa1 && trail <= 0xfe && jisRowOk(lead - 0xa0)),
    (lead, b2, b3) => lead === 0x8f && b2 >= 0xa1 && b2 <= 0xfe && b3 >= 0xa1 && b3 <= 0xfe,
  );
}

/** Whether the two-byte code lead*256+trail lies in one of the ranges. */
function inRanges(lead: number, trail: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  const code = lead * 256 + trail;
  return ranges.some(([from, to]) => code >= from && code <= to);
}

/** Cells GBK fills inside the GB 2312 area that GB 2312 itself (and Python's codec) leaves empty. */
const GBK_ONLY_IN_GB2312_AREA = [[0xa2a1, 0xa2aa], [0xa6e0, 0xa6f5], [0xa8bb, 0xa8c0]] as const;

function validGb2312(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) =>
      lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1 && trail <= 0xfe && !inRanges(lead, trail, GBK_ONLY_IN_GB2312_AREA),
  );
}

/** Cells of Microsoft's CP936 that Python's GBK does not have (GB 18030 additions). */
const CP936_ONLY = [[0xa8bc, 0xa8bc], [0xa8bf, 0xa8bf], [0xa989, 0xa995], [0xfe50, 0xfea0]] as const;

function validGbk(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) =>
      lead >= 0x81 && lead <= 0xfe && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f && !inRanges(lead, trail, CP936_ONLY),
  );
}

function validCp949(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) => lead >= 0x81 && lead <= 0xfe && trail >= 0x41 && trail <= 0xfe,
  );
}

/**
 * Big5 areas where Python's table and iconv-lite's (WHATWG, with the ETEN and HKSCS
 * extensions) disagree or only the latter has characters: refused both ways rather than
 * written differently from Python.
 */
const BIG5_DISPUTED = [[0xa3c0, 0xa3fe], [0xc6a1, 0xc8fe], [0xf9d6, 0xf9fe]] as const;

function validBig5(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) =>
      lead >= 0xa1 &&
      lead <= 0xf9 &&
      ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe)) &&
      !inRanges(lead, trail, BIG5_DISPUTED),
  );
}

/** The Private Use Area, which Microsoft's CJK code pages map and Python's codecs do not. */
const PUA = new Set<number>(Array.from({ length: 0xf8ff - 0xe000 + 1 }, (_, i) => 0xe000 + i));

function validKsX1001(bytes: Uint8Array): boolean {
  return walk(
    bytes,
    (b) => b <= 0x7f,
    (lead, trail) => lead >= 0xa1 && lead <= 0xfe && trail >= 0xa1 && trail <= 0xfe,
  );
}

// KS X 1001 row 4 holds the compatibility jamo U+3131..U+318E in order (0xA4A1..).
const CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
const JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
const JONGSEONG = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ";
const JAMO_FILLER = 0xd4;

function jamoTrail(ch: string): number {
  return 0xa1 + ch.charCodeAt(0) - 0x3131;
}

/**
 * EUC-KR as Python's codec: KS X 1001, plus the KS X 1001:1998 eight-byte jamo sequences
 * (`A4 D4` + initial + medial + final) for Hangul syllables the table lacks.
 */
function eucKrCodec(): Codec {
  const base = iconvCodec("cp949", { valid: validKsX1001 });
  return {
    encode(text, charset) {
      try {
        return base.encode(text, charset);
      } catch {
        // Some character is not in KS X 1001: go character by character.
        const parts: Uint8Array[] = [];
        let index = 0;
        for (const ch of text) {
          const cp = ch.codePointAt(0)!;
          try {
            parts.push(base.encode(ch, charset));
          } catch {
            if (cp < 0xac00 || cp > 0xd7a3) throw unencodable(cp, charset, index);
            const s = cp - 0xac00;
            const l = Math.floor(s / 588);
            const v = Math.floor((s % 588) / 28);
            const t = s % 28;
            parts.push(
              Uint8Array.from([
                0xa4, JAMO_FILLER,
                0xa4, jamoTrail(CHOSEONG[l]!),
                0xa4, jamoTrail(JUNGSEONG[v]!),
                0xa4, t === 0 ? JAMO_FILLER : jamoTrail(JONGSEONG[t - 1]!),
              ]),
            );
          }
          index += ch.length;
        }
        return concat(parts);
      }
    },
    decode(bytes, strict) {
      let out = "";
      let start = 0;
      const flush = (end: number): boolean => {
        if (end <= start) return true;
        const piece = base.decode(bytes.subarray(start, end), strict);
        if (piece === undefined) return false;
        out += piece;
        return true;
      };
      for (let i = 0; i < bytes.length; ) {
        const b = bytes[i]!;
        if (b <= 0x7f) {
          i += 1;
          continue;
        }
        if (b === 0xa4 && bytes[i + 1] === JAMO_FILLER) {
          const syllable = composeJamo(bytes.subarray(i + 2, i + 8));
          if (syllable !== undefined) {
            if (!flush(i)) return undefined;
            out += syllable;
            i += 8;
            start = i;
            continue;
          }
          if (strict) return undefined;
        }
        i += 2;
      }
      return flush(bytes.length) ? out : undefined;
    },
  };
}

function composeJamo(six: Uint8Array): string | undefined {
  if (six.length < 6 || six[0] !== 0xa4 || six[2] !== 0xa4 || six[4] !== 0xa4) return undefined;
  const jamo = (b: number): string => String.fromCharCode(0x3131 + b - 0xa1);
  const l = CHOSEONG.indexOf(jamo(six[1]!));
  const v = JUNGSEONG.indexOf(jamo(six[3]!));
  const t = six[5] === JAMO_FILLER ? 0 : JONGSEONG.indexOf(jamo(six[5]!)) + 1;
  if (l < 0 || v < 0 || t < 0) return undefined;
  return String.fromCharCode(0xac00 + (l * 21 + v) * 28 + t);
}

// ---------------------------------------------------------------------------
// ISO 2022 (ISO-2022-JP, -JP-2, -KR) and HZ: 7-bit encodings that switch between
// character sets with escape sequences or shifts. They are decoded here, set by set,
// with the tables of the EUC codecs above (and cp932 for the Microsoft extensions).

/** A character set an ISO 2022 stream can switch to: one byte or two bytes a character. */
interface CharacterSet {
  readonly width: 1 | 2;
  /** The character for `b1` (and `b2`), 0x21..0x7E each, or `undefined`. */
  decode(b1: number, b2: number): string | undefined;
}

const ASCII_SET: CharacterSet = { width: 1, decode: (b) => String.fromCharCode(b) };
/** JIS X 0201 Roman: ASCII with YEN SIGN and OVERLINE in place of backslash and tilde. */
const JIS_ROMAN_SET: CharacterSet = {
  width: 1,
  decode: (b) => (b === 0x5c ? "\u00a5" : b === 0x7e ? "\u203e" : String.fromCharCode(b)),
};
/** JIS X 0201 Katakana (ESC ( I, or SO in CP50222): the half-width katakana U+FF61..U+FF9F. */
const JIS_KATAKANA_SET: CharacterSet = {
  width: 1,
  decode: (b) => (b >= 0x21 && b <= 0x5f ? String.fromCharCode(0xff61 + b - 0x21) : undefined),
};

/** A two-byte set read through an EUC codec: each byte with its high bit set, after `prefix`. */
function eucSet(codec: () => Codec, prefix: readonly number[] = []): CharacterSet {
  return { width: 2, decode: (b1, b2) => codec().decode(Uint8Array.from([...prefix, b1 | 0x80, b2 | 0x80]), true) };
}

/**
 * JIS X 0208 as Japanese mail has it (Microsoft's CP50220/CP50221): the rows Python's
 * codec knows through the EUC-JP table (so they read as Python reads them), and the rest
 * (NEC row 13 and the NEC-selected IBM extensions in rows 89-92, which Python's
 * `iso2022_jp` refuses) through cp932, to which a row and cell map by arithmetic.
 */
function jisX0208Set(eucJp: () => Codec): CharacterSet {
  return {
    width: 2,
    decode(j1, j2) {
      if (j1 < 0x21 || j1 > 0x7e || j2 < 0x21 || j2 > 0x7e) return undefined;
      const known = eucJp().decode(Uint8Array.from([j1 | 0x80, j2 | 0x80]), true);
      if (known !== undefined) return known;
      const s1 = ((j1 + 1) >> 1) + (j1 <= 0x5e ? 0x70 : 0xb0);
      const s2 = j2 + (j1 & 1 ? (j2 < 0x60 ? 0x1f : 0x20) : 0x7e);
      const text = iconv.decode(Buffer.from([s1, s2]), "cp932");
      return text.length === 1 && text !== "\ufffd" ? text : undefined;
    },
  };
}

/** A 96-character set of ISO-2022-JP-2's G2 (reached with ESC N): the upper half of an ISO 8859 charset. */
function iso8859UpperSet(encoding: string): CharacterSet {
  return {
    width: 1,
    decode(b) {
      const text = iconv.decode(Buffer.from([b | 0x80]), encoding);
      return b >= 0x20 && text !== "\ufffd" ? text : undefined;
    },
  };
}

interface Iso2022Sets {
  /** Escape sequences (the bytes after ESC, as text) that put a set in G0. */
  readonly g0: ReadonlyMap<string, CharacterSet>;
  /** Escape sequences that put a set in G2, read one character at a time after ESC N. */
  readonly g2?: ReadonlyMap<string, CharacterSet>;
  /** The set SO (0x0E) shifts to until SI (0x0F). */
  readonly shiftOut?: CharacterSet;
  /** Escape sequences that are understood and change nothing (ISO-2022-KR's ESC $ ) C). */
  readonly ignored?: ReadonlySet<string>;
}

/**
 * The text a stateful decoder writes: characters, and U+FFFD for what it cannot read,
 * unless decoding is strict, when the first such thing ends it.
 */
class DecodedText {
  text = "";
  constructor(private readonly strict: boolean) {}

  /** Adds `ch`, or U+FFFD when it is undefined; false when decoding must stop. */
  add(ch: string | undefined): boolean {
    if (ch !== undefined) this.text += ch;
    else if (this.strict) return false;
    else this.text += "\ufffd";
    return true;
  }

  /** Adds the character of a two-byte set at `bytes[i]`; false when decoding must stop. */
  addPair(set: CharacterSet, bytes: Uint8Array, i: number): boolean {
    const b2 = bytes[i + 1];
    return this.add(b2 === undefined ? undefined : set.decode(bytes[i]!, b2));
  }
}

/**
 * Decodes an ISO 2022 stream. An escape sequence it does not know, and a character its
 * set does not have, become one U+FFFD each (in strict mode, the end of decoding).
 */
function decodeIso2022(bytes: Uint8Array, strict: boolean, sets: Iso2022Sets): string | undefined {
  const out = new DecodedText(strict);
  let g0: CharacterSet = ASCII_SET;
  let g2: CharacterSet | undefined;
  let shifted = false;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      // ESC, intermediate bytes 0x20..0x2F, a final byte.
      let j = i + 1;
      while (j < bytes.length && bytes[j]! >= 0x20 && bytes[j]! <= 0x2f) j++;
      const sequence = String.fromCharCode(...bytes.subarray(i + 1, j + 1));
      const set = sets.g0.get(sequence);
      const upper = sets.g2?.get(sequence);
      if (set) g0 = set;
      else if (upper) g2 = upper;
      else if (sequence === "N" && g2 && j + 1 < bytes.length) {
        if (!out.add(g2.decode(bytes[++j]! & 0x7f, 0))) return undefined;
      } else if (!sets.ignored?.has(sequence) && !out.add(undefined)) return undefined;
      i = j + 1;
      continue;
    }
    if (sets.shiftOut && (b === 0x0e || b === 0x0f)) {
      shifted = b === 0x0e;
      i++;
      continue;
    }
    const set = shifted ? sets.shiftOut! : g0;
    let ok: boolean;
    if (b > 0x7f) ok = out.add(undefined);
    else if (set.width === 2 && b >= 0x20) {
      // Control characters pass through in a two-byte set, as in Python; space does not.
      ok = out.addPair(set, bytes, i);
      i++;
    } else ok = out.add(set.width === 1 && b > 0x20 && b < 0x7f ? set.decode(b, 0) : String.fromCharCode(b));
    if (!ok) return undefined;
    i++;
  }
  return out.text;
}

/** A codec that decodes and refuses to encode (mailport reads these charsets but writes others). */
function decodeOnly(charset: string, decode: Codec["decode"]): Codec {
  return {
    encode() {
      throw new CharsetError(`mailport reads ${charset} but does not write it; use utf-8 (or iso-2022-jp for Japanese)`);
    },
    decode,
  };
}

/**
 * ISO-2022-JP (RFC 1468). Encoding is Python's `iso2022_jp`: ASCII, JIS X 0201 Roman
 * (only for U+00A5 and U+203E) and JIS X 0208, using the JIS X 0208 table of the EUC-JP
 * codec. Decoding reads what Japanese mail also has (Microsoft's CP50220-CP50222):
 * NEC and IBM extensions of JIS X 0208, and half-width katakana (ESC ( I, or SO/SI).
 */
function iso2022JpCodec(eucJp: Codec): Codec {
  const ESC_ASCII = [0x1b, 0x28, 0x42];
  const ESC_ROMAN = [0x1b, 0x28, 0x4a];
  const ESC_JIS = [0x1b, 0x24, 0x42];
  const jis = jisX0208Set(() => eucJp);
  const sets: Iso2022Sets = {
    g0: new Map([["(B", ASCII_SET], ["(J", JIS_ROMAN_SET], ["(I", JIS_KATAKANA_SET], ["$@", jis], ["$B", jis]]),
    shiftOut: JIS_KATAKANA_SET,
  };
  return {
    encode(text, charset) {
      const out: number[] = [];
      let mode: "ascii" | "roman" | "jis" = "ascii";
      let index = 0;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp <= 0x7f) {
          if (mode !== "ascii") out.push(...ESC_ASCII);
          mode = "ascii";
          out.push(cp);
        } else if (cp === 0xa5 || cp === 0x203e) {
          if (mode !== "roman") out.push(...ESC_ROMAN);
          mode = "roman";
          out.push(cp === 0xa5 ? 0x5c : 0x7e);
        } else {
          let bytes: Uint8Array;
          try {
            bytes = eucJp.encode(ch, charset);
          } catch {
            throw unencodable(cp, charset, index);
          }
          if (bytes.length !== 2 || bytes[0]! < 0xa1 || bytes[1]! < 0xa1) throw unencodable(cp, charset, index);
          if (mode !== "jis") out.push(...ESC_JIS);
          mode = "jis";
          out.push(bytes[0]! & 0x7f, bytes[1]! & 0x7f);
        }
        index += ch.length;
      }
      if (mode !== "ascii") out.push(...ESC_ASCII);
      return Uint8Array.from(out);
    },
    decode(bytes, strict) {
      return decodeIso2022(bytes, strict, sets);
    },
  };
}

/**
 * ISO-2022-JP-2 (RFC 1554), read only: ISO-2022-JP with GB 2312 (ESC $ A), KS C 5601
 * (ESC $ ( C), JIS X 0212 (ESC $ ( D, through EUC-JP's 0x8F prefix) and ISO 8859-1 or
 * ISO 8859-7 upper halves in G2 (ESC . A, ESC . F, one character after each ESC N).
 */
function iso2022Jp2Codec(): Codec {
  const jis = jisX0208Set(() => codecFor("euc-jp"));
  const sets: Iso2022Sets = {
    g0: new Map([
      ["(B", ASCII_SET],
      ["(J", JIS_ROMAN_SET],
      ["(I", JIS_KATAKANA_SET],
      ["$@", jis],
      ["$B", jis],
      ["$A", eucSet(() => codecFor("gb2312"))],
      ["$(A", eucSet(() => codecFor("gb2312"))],
      ["$(C", eucSet(() => codecFor("euc-kr"))],
      ["$(D", eucSet(() => codecFor("euc-jp"), [0x8f])],
    ]),
    g2: new Map([
      [".A", iso8859UpperSet("iso-8859-1")],
      [".F", iso8859UpperSet("iso-8859-7")],
    ]),
  };
  return decodeOnly("iso-2022-jp-2", (bytes, strict) => decodeIso2022(bytes, strict, sets));
}

/** ISO-2022-KR (RFC 1557), read only: KS C 5601 between SO and SI, through the EUC-KR codec. */
function iso2022KrCodec(): Codec {
  const sets: Iso2022Sets = {
    g0: new Map([["(B", ASCII_SET]]),
    shiftOut: eucSet(() => codecFor("euc-kr")),
    ignored: new Set(["$)C"]),
  };
  return decodeOnly("iso-2022-kr", (bytes, strict) => decodeIso2022(bytes, strict, sets));
}

/** HZ-GB-2312 (RFC 1843), read only: GB 2312 between ~{ and ~}, ~~ for ~, ~ and a line break for nothing. */
function hzCodec(): Codec {
  const gb = eucSet(() => codecFor("gb2312"));
  return decodeOnly("hz-gb-2312", (bytes, strict) => {
    const out = new DecodedText(strict);
    let inGb = false;
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      let ok = true;
      if (b === 0x7e) {
        const next = bytes[i + 1];
        if (next === 0x7b || next === 0x7d) inGb = next === 0x7b;
        else if (next === 0x7e && !inGb) out.add("~");
        else if (next !== 0x0a) ok = out.add(undefined);
        i++;
      } else if (b > 0x7f) ok = out.add(undefined);
      else if (inGb && b > 0x20) {
        ok = out.addPair(gb, bytes, i);
        i++;
      } else out.add(String.fromCharCode(b));
      if (!ok) return undefined;
      i++;
    }
    return out.text;
  });
}

const CODECS = new Map<string, Codec>();
CODECS.set("us-ascii", US_ASCII);
CODECS.set("unknown-8bit", UNKNOWN_8BIT);
CODECS.set("utf-8", UTF8);
CODECS.set("iso-8859-1", LATIN1);
const EUC_JP = iconvCodec("euc-jp", { encode: EUCJP_ADJUST, valid: validEucJp });
CODECS.set("euc-jp", EUC_JP);
CODECS.set("shift_jis", iconvCodec("shift_jis", { encode: SJIS_ADJUST, valid: validShiftJis }));
CODECS.set("iso-2022-jp", iso2022JpCodec(EUC_JP));
CODECS.set("iso-2022-jp-2", iso2022Jp2Codec());
CODECS.set("iso-2022-kr", iso2022KrCodec());
CODECS.set("hz-gb-2312", hzCodec());
CODECS.set("gb2312", iconvCodec("gbk", { encode: GB2312_ADJUST, refuse: PUA, valid: validGb2312 }));
CODECS.set("gbk", iconvCodec("gbk", { refuse: PUA, valid: validGbk }));
CODECS.set("big5", iconvCodec("big5", { encode: BIG5_ADJUST, refuse: new Set([...PUA, 0x2215, 0xfe68]), valid: validBig5 }));
CODECS.set("euc-kr", eucKrCodec());
CODECS.set("ks_c_5601-1987", iconvCodec("cp949", { refuse: PUA, valid: validCp949 }));
CODECS.set("windows-1255", iconvCodec("windows-1255", { refuse: new Set([0x05ba]) }));

function codecFor(charset: string): Codec {
  const canonical = canonicalCharsetName(charset);
  let codec = CODECS.get(canonical);
  if (codec) return codec;
  const iconvName = EXTRA_CODECS.get(canonical) ?? canonical;
  if (!iconv.encodingExists(iconvName)) throw new CharsetError(`unknown charset ${JSON.stringify(charset)}`);
  codec = iconvCodec(iconvName);
  CODECS.set(canonical, codec);
  return codec;
}

/**
 * Encodes text in a charset.
 *
 * @throws CharsetError when the charset is unknown, or when the text holds a character
 *   the charset cannot represent (the message names the character, its position and the charset).
 */
export function encodeText(text: string, charset: string): Uint8Array {
  return codecFor(charset).encode(text, canonicalCharsetName(charset));
}

/**
 * Decodes bytes in a charset.
 *
 * @param options.errors - `"strict"` (default) throws on bytes that are not valid in the
 *   charset; `"replace"` puts U+FFFD in their place.
 * @throws CharsetError when the charset is unknown, or (strict) when the bytes are invalid.
 */
export function decodeBytes(bytes: Uint8Array, charset: string, options: { errors?: "strict" | "replace" } = {}): string {
  const strict = (options.errors ?? "strict") === "strict";
  const text = codecFor(charset).decode(bytes, strict);
  if (text === undefined) throw undecodable(canonicalCharsetName(charset));
  return text;
}

// ---------------------------------------------------------------------------
// Email properties

/** How a charset is encoded in headers: Q, B, or whichever is shorter. */
export type HeaderEncoding = "q" | "b" | "shortest";
/** How a charset is transfer-encoded in bodies. */
export type BodyEncoding = "quoted-printable" | "base64";

interface CharsetProperties {
  header: HeaderEncoding | null;
  body: BodyEncoding | null;
  output: string | null;
}

/** Python's `email.charset.CHARSETS`. */
const CHARSETS = new Map<string, CharsetProperties>();
const QP_BOTH: CharsetProperties = { header: "q", body: "quoted-printable", output: null };
for (const name of [
  "iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-9", "iso-8859-10",
  "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16", "windows-1252", "viscii",
]) {
  CHARSETS.set(name, QP_BOTH);
}
CHARSETS.set("us-ascii", { header: null, body: null, output: null });
CHARSETS.set("big5", { header: "b", body: "base64", output: null });
CHARSETS.set("gb2312", { header: "b", body: "base64", output: null });
CHARSETS.set("euc-jp", { header: "b", body: null, output: "iso-2022-jp" });
CHARSETS.set("shift_jis", { header: "b", body: null, output: "iso-2022-jp" });
CHARSETS.set("iso-2022-jp", { header: "b", body: null, output: null });
CHARSETS.set("koi8-r", { header: "b", body: "base64", output: null });
CHARSETS.set("utf-8", { header: "shortest", body: "base64", output: "utf-8" });

const DEFAULT_PROPERTIES: CharsetProperties = { header: "shortest", body: "base64", output: null };

/** Output charsets whose encoded bytes are always 7-bit. */
const SEVEN_BIT = new Set(["us-ascii", "iso-2022-jp"]);

/** Length of the RFC 2047 chrome `=?` `?q?` `?=` around the charset name. */
const RFC2047_CHROME_LEN = 7;

/**
 * Registers the email properties of a charset (Python's `add_charset`).
 *
 * @param charset - the canonical name.
 * @param headerEncoding - how headers in it are encoded; `null` for not at all.
 * @param bodyEncoding - how bodies in it are transfer-encoded; `null` for 7bit/8bit.
 * @param outputCharset - the charset to convert to for output; default the same.
 * @throws TypeError when `bodyEncoding` is `"shortest"` (only headers may use it).
 */
export function addCharset(
  charset: string,
  headerEncoding: HeaderEncoding | null = null,
  bodyEncoding: BodyEncoding | null = null,
  outputCharset: string | null = null,
): void {
  if ((bodyEncoding as string) === "shortest") throw new TypeError("SHORTEST not allowed for bodyEncoding");
  CHARSETS.set(canonicalCharsetName(charset), { header: headerEncoding, body: bodyEncoding, output: outputCharset });
}

/** Registers an alias of a charset name (Python's `add_alias`), e.g. `addAlias("latin-1", "iso-8859-1")`. */
export function addAlias(alias: string, canonical: string): void {
  EMAIL_ALIASES.set(alias.toLowerCase(), canonical.toLowerCase());
}

/**
 * Registers the codec behind a charset name (Python's `add_codec`): `codecName` is an
 * iconv-lite encoding name.
 *
 * @throws CharsetError when iconv-lite does not know `codecName`.
 */
export function addCodec(charset: string, codecName: string): void {
  if (!iconv.encodingExists(codecName)) throw new CharsetError(`unknown codec ${JSON.stringify(codecName)}`);
  const canonical = canonicalCharsetName(charset);
  EXTRA_CODECS.set(canonical, codecName);
  CODECS.delete(canonical);
}

/**
 * The email properties of a charset (Python's `email.charset.Charset`): how headers and
 * bodies in it are encoded, and which charset output is converted to.
 *
 * Names are canonicalised with {@link canonicalCharsetName}, so `new Charset("utf8")` is
 * `utf-8` (Python keeps `"utf8"` and treats it as an unknown charset).
 *
 * @example
 * new Charset("utf-8").headerEncode("café") // "=?utf-8?q?caf=C3=A9?="
 */
export class Charset {
  /** The canonical name given. */
  readonly inputCharset: string;
  /** How headers are encoded, or `null` when they need no encoding. */
  readonly headerEncoding: HeaderEncoding | null;
  /** How bodies are transfer-encoded, or `null` for none (7bit or 8bit). */
  readonly bodyEncoding: BodyEncoding | null;
  /** The charset text is converted to for output. */
  readonly outputCharset: string;

  /**
   * @param inputCharset - a charset name, default `"us-ascii"`.
   * @throws CharsetError when the name holds non-ASCII characters.
   */
  constructor(inputCharset = "us-ascii") {
    if (!/^[\x00-\x7f]*$/.test(inputCharset)) throw new CharsetError(`charset name must be ASCII: ${JSON.stringify(inputCharset)}`);
    const lower = inputCharset.toLowerCase();
    this.inputCharset = EMAIL_ALIASES.get(lower) ?? canonicalCharsetName(lower);
    const props = CHARSETS.get(this.inputCharset) ?? DEFAULT_PROPERTIES;
    this.headerEncoding = props.header;
    this.bodyEncoding = props.body;
    const conv = props.output ?? this.inputCharset;
    this.outputCharset = EMAIL_ALIASES.get(conv) ?? conv;
  }

  /**
   * The Content-Transfer-Encoding for a body in this charset. Where Python returns its
   * `encode_7or8bit` function, this says `"7bit"` for charsets whose output is 7-bit
   * (us-ascii, iso-2022-jp) and `"8bit"` otherwise.
   */
  getBodyEncoding(): "quoted-printable" | "base64" | "7bit" | "8bit" {
    if (this.bodyEncoding) return this.bodyEncoding;
    return SEVEN_BIT.has(this.getOutputCharset()) ? "7bit" : "8bit";
  }

  /** The charset output is written in. */
  getOutputCharset(): string {
    return this.outputCharset || this.inputCharset;
  }

  /** Which encoded-word encoding to use for these bytes, or `null` for none. */
  private encoderFor(bytes: Uint8Array): "q" | "b" | null {
    switch (this.headerEncoding) {
      case "b":
      case "q":
        return this.headerEncoding;
      case "shortest":
        return base64mime.headerLength(bytes) < quoprimime.headerLength(bytes) ? "b" : "q";
      default:
        return null;
    }
  }

  private encodeWord(kind: "q" | "b", bytes: Uint8Array): string {
    const charset = this.getOutputCharset();
    return kind === "b" ? base64mime.encodeHeader(bytes, charset) : quoprimime.encodeHeader(bytes, charset);
  }

  /**
   * Encodes text as one RFC 2047 encoded word in the output charset (Python's
   * `header_encode`); text of a charset without header encoding (us-ascii) comes back as is.
   * Empty text gives `""`.
   *
   * @throws CharsetError when the text cannot be represented in the output charset.
   */
  headerEncode(text: string): string {
    const bytes = encodeText(text, this.getOutputCharset());
    const kind = this.encoderFor(bytes);
    return kind === null ? text : this.encodeWord(kind, bytes);
  }

  /**
   * Encodes text as encoded words that fit line lengths (Python's `header_encode_lines`):
   * each successive value of `maxLengths` is the room on the next line, chrome included.
   * Splits only between characters, never inside one. An empty string first in the
   * result means nothing fit on the first line (Python gives `None` there).
   *
   * For a charset without header encoding (us-ascii), where Python fails, the text is
   * cut into plain pieces of the given lengths.
   *
   * @throws CharsetError when the text cannot be represented in the output charset.
   */
  headerEncodeLines(text: string, maxLengths: Iterator<number>): string[] {
    const charset = this.getOutputCharset();
    const next = (): number => {
      const r = maxLengths.next();
      if (r.done) throw new RangeError("maxLengths was exhausted");
      return r.value;
    };
    const kind = this.encoderFor(encodeText(text, charset));
    const measure = (s: string): number => {
      if (kind === null) return s.length;
      const bytes = encodeText(s, charset);
      return kind === "b" ? base64mime.headerLength(bytes) : quoprimime.headerLength(bytes);
    };
    const emit = (s: string): string => (kind === null ? s : this.encodeWord(kind, encodeText(s, charset)));
    const extra = kind === null ? 0 : charset.length + RFC2047_CHROME_LEN;
    const lines: string[] = [];
    let current: string[] = [];
    let maxLength = next() - extra;
    for (const ch of text) {
      current.push(ch);
      if (measure(current.join("")) > maxLength) {
        current.pop();
        if (lines.length === 0 && current.length === 0) lines.push("");
        else lines.push(emit(current.join("")));
        current = [ch];
        maxLength = next() - extra;
      }
    }
    lines.push(emit(current.join("")));
    return lines;
  }

  /**
   * Transfer-encodes body text as Python's `body_encode`: converts it to the output
   * charset, then base64 or quoted-printable (lines of at most 76 characters, `\n`
   * line ends); for a charset without body encoding, the text itself (it must be 7-bit
   * in the output charset). Empty text gives `""`.
   *
   * @throws CharsetError when the text cannot be represented in the output charset, or
   *   when a charset without body encoding produces 8-bit bytes (use {@link Charset.encodeBody}).
   */
  bodyEncode(text: string): string {
    if (!text) return text;
    const bytes = encodeText(text, this.getOutputCharset());
    if (this.bodyEncoding === "base64") return base64mime.encodeBody(bytes);
    if (this.bodyEncoding === "quoted-printable") return quoprimime.encodeBody(bytes);
    return decodeBytes(bytes, "us-ascii");
  }

  /**
   * The body text in the output charset, as bytes (what Python's `set_payload` does
   * with a charset before transfer encoding).
   *
   * @throws CharsetError when the text cannot be represented in the output charset.
   */
  encodeBody(text: string): Uint8Array {
    return encodeText(text, this.getOutputCharset());
  }

  /** The input charset name. */
  toString(): string {
    return this.inputCharset;
  }

  /** Whether another charset or name has the same input charset (compared case-insensitively, as Python). */
  equals(other: Charset | string): boolean {
    return this.toString() === String(other).toLowerCase();
  }
}
