/**
 * RFC 2047 encoded words (`=?charset*lang?q?text?=`), after Python's
 * `email._encoded_words`: decoding with defects instead of exceptions where the
 * word is well formed, and encoding with the shorter of the Q and B encodings.
 *
 * @module
 */
import { decodeBytes, encodeText, isKnownCharset as isKnownCharsetName } from "./charset.js";
import {
  HeaderParseError,
  InvalidBase64CharactersDefect,
  InvalidBase64LengthDefect,
  InvalidBase64PaddingDefect,
  InvalidHeaderDefect,
  MessageDefect,
  UndecodableBytesDefect,
} from "./errors.js";

/** The result of {@link decodeEncodedWord}. */
export interface DecodedWord {
  /** The decoded text; bytes the charset could not decode are U+FFFD. */
  readonly text: string;
  /** The octets the Q or B encoding stood for, before the charset was applied. */
  readonly octets: Uint8Array;
  /** The charset named in the word, as written. */
  readonly charset: string;
  /** The RFC 2231 language named in the word (`=?utf-8*en?...`), or `""`. */
  readonly lang: string;
  /** What was wrong with the word but could be worked around. */
  readonly defects: MessageDefect[];
}

/** Options of {@link encodeWord}. */
export interface EncodeWordOptions {
  /** Charset to encode the text in; default `"utf-8"`. */
  readonly charset?: string;
  /** `"q"` or `"b"`; when omitted, Q unless it is at least 5 characters longer than B (as Python). */
  readonly encoding?: "q" | "b";
  /** RFC 2231 language tag written as `*lang` after the charset; default none. */
  readonly lang?: string;
}

// ------------------------------------------------------------------ charsets

const UTF8 = new TextEncoder();
// Text to bytes and back goes through charset.ts, which knows Python's charset names.

/** Whether the charset is one that encoded words can be decoded from ("unknown-8bit" is not). */
export function isKnownCharset(charset: string): boolean {
  const name = charset.trim().toLowerCase();
  if (name === "" || name === "unknown-8bit") return false;
  return isKnownCharsetName(charset);
}

/**
 * Encodes text in a charset.
 * @throws CharsetError when the charset is unknown or cannot represent the text.
 */
export function encodeCharset(text: string, charset: string): Uint8Array {
  if (charset === "utf-8") return UTF8.encode(text);
  return encodeText(text, charset);
}

/**
 * Decodes bytes in a charset, replacing what cannot be decoded with U+FFFD.
 * @returns the text and whether some bytes could not be decoded.
 * @throws CharsetError when the charset is unknown.
 */
export function decodeCharset(bytes: Uint8Array, charset: string): { text: string; undecodable: boolean } {
  try {
    return { text: decodeBytes(bytes, charset), undecodable: false };
  } catch (err) {
    if (!isKnownCharsetName(charset)) throw err;
    return { text: decodeBytes(bytes, charset, { errors: "replace" }), undecodable: true };
  }
}

/** Decodes bytes as ASCII, each byte above 0x7f becoming U+FFFD. */
export function decodeAscii(bytes: Uint8Array): { text: string; undecodable: boolean } {
  let text = "";
  let undecodable = false;
  for (const byte of bytes) {
    if (byte > 0x7f) {
      undecodable = true;
      text += "\ufffd";
    } else {
      text += String.fromCharCode(byte);
    }
  }
  return { text, undecodable };
}

// ------------------------------------------------------------------ Q encoding

const Q_SAFE = /[-!*+/A-Za-z0-9]/;
const HEX = "0123456789ABCDEF";

function qByte(byte: number): string {
  if (byte === 0x20) return "_";
  const ch = String.fromCharCode(byte);
  if (byte < 0x80 && Q_SAFE.test(ch)) return ch;
  return `=${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

/** The RFC 2047 Q encoding of some bytes (space as `_`, as Python). */
export function encodeQ(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += qByte(byte);
  return out;
}

/** The length of {@link encodeQ}'s result, without building it. */
export function lenQ(bytes: Uint8Array): number {
  let n = 0;
  for (const byte of bytes) n += qByte(byte).length;
  return n;
}

/** Decodes Q-encoded text (`_` is a space, `=XX` a byte); never fails. */
export function decodeQ(encoded: string): { bytes: Uint8Array; defects: MessageDefect[] } {
  const out: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i]!;
    if (ch === "=" && /^[0-9a-fA-F]{2}$/.test(encoded.slice(i + 1, i + 3))) {
      out.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === "_") {
      out.push(0x20);
    } else {
      out.push(encoded.charCodeAt(i) & 0xff);
    }
  }
  return { bytes: Uint8Array.from(out), defects: [] };
}

// ------------------------------------------------------------------ B encoding

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Map([...B64].map((c, i) => [c, i] as const));

/** The base64 encoding of some bytes. */
export function encodeB(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

/** The length of {@link encodeB}'s result, without building it. */
export function lenB(bytes: Uint8Array): number {
  return Math.ceil(bytes.length / 3) * 4;
}

/**
 * Base64 decoding with the rules of Python 3.11's `binascii.a2b_base64`. Non-strict:
 * characters outside the alphabet are skipped and decoding stops at a complete padding.
 * Strict (Python's `validate=True`): those are errors, as are leading padding, data
 * after the padding and characters between padding characters. Either way an
 * incomplete final group is an error.
 * @returns the bytes, or `undefined` when the data cannot be decoded.
 */
function a2bBase64(data: string, strict: boolean): Uint8Array | undefined {
  const out: number[] = [];
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  let paddingStarted = false;
  if (strict && data[0] === "=") return undefined;
  for (let i = 0; i < data.length; i++) {
    const ch = data[i]!;
    if (ch === "=") {
      paddingStarted = true;
      if (quadPos >= 2 && quadPos + ++pads >= 4) {
        if (strict && i + 1 < data.length) return undefined;
        return Uint8Array.from(out);
      }
      continue;
    }
    const v = B64_VALUE.get(ch);
    if (v === undefined) {
      if (strict) return undefined;
      continue;
    }
    if (strict && paddingStarted) return undefined;
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        leftChar = v;
        break;
      case 1:
        quadPos = 2;
        out.push(((leftChar << 2) | (v >> 4)) & 0xff);
        leftChar = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out.push(((leftChar << 4) | (v >> 2)) & 0xff);
        leftChar = v & 0x03;
        break;
      default:
        quadPos = 0;
        out.push(((leftChar << 6) | v) & 0xff);
        leftChar = 0;
    }
  }
  return quadPos === 0 ? Uint8Array.from(out) : undefined;
}

/**
 * Decodes the B (base64) text of an encoded word as Python does: missing padding is
 * added (InvalidBase64PaddingDefect), characters outside the alphabet are dropped
 * (InvalidBase64CharactersDefect), and text that cannot be decoded at all is kept as
 * its own bytes (InvalidBase64LengthDefect).
 */
export function decodeB(encoded: string): { bytes: Uint8Array; defects: MessageDefect[] } {
  const padError = encoded.length % 4;
  const padded = padError ? encoded + "===".slice(0, 4 - padError) : encoded;
  const bytes = a2bBase64(padded, true);
  if (bytes) return { bytes, defects: padError ? [new InvalidBase64PaddingDefect()] : [] };
  const lenient = a2bBase64(encoded, false);
  if (lenient) return { bytes: lenient, defects: [new InvalidBase64CharactersDefect()] };
  const repadded = a2bBase64(encoded + "==", false);
  if (repadded) {
    return { bytes: repadded, defects: [new InvalidBase64CharactersDefect(), new InvalidBase64PaddingDefect()] };
  }
  return { bytes: latin1Bytes(encoded), defects: [new InvalidBase64LengthDefect()] };
}

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

// ------------------------------------------------------------------ words

/** The defect of an encoded word whose octets `charset` cannot decode (shown as U+FFFD). */
export function undecodableWordDefect(charset: string): UndecodableBytesDefect {
  return new UndecodableBytesDefect(`Encoded word contains bytes not decodable using ${JSON.stringify(charset)} charset`);
}

/**
 * Decodes one RFC 2047/2231 encoded word, `=?charset*lang?cte?text?=`.
 *
 * Bytes the charset cannot decode become U+FFFD with an UndecodableBytesDefect; an
 * unknown charset decodes the bytes as ASCII (U+FFFD for the others) with an
 * InvalidHeaderDefect, except for the charset `unknown-8bit`, which is expected.
 *
 * @throws HeaderParseError when `ew` is not of the encoded-word form (wrong number of
 *   `?`, an encoding other than q or b, or non-ASCII encoded text).
 * @example decodeEncodedWord("=?utf-8?q?caf=C3=A9?=").text // "café"
 */
export function decodeEncodedWord(ew: string): DecodedWord {
  const fields = ew.split("?");
  if (fields.length !== 5 || !ew.startsWith("=?") || !ew.endsWith("?=")) {
    throw new HeaderParseError(`not an encoded word: ${JSON.stringify(ew)}`);
  }
  const [, charsetField = "", cteField = "", encodedText = ""] = fields;
  const star = charsetField.indexOf("*");
  const charset = star < 0 ? charsetField : charsetField.slice(0, star);
  const lang = star < 0 ? "" : charsetField.slice(star + 1);
  const cte = cteField.toLowerCase();
  if (cte !== "q" && cte !== "b") {
    throw new HeaderParseError(`unknown encoding ${JSON.stringify(cteField)} in encoded word ${JSON.stringify(ew)}`);
  }
  if (/[^\x00-\x7f]/.test(encodedText)) {
    throw new HeaderParseError(`non-ASCII characters in encoded word ${JSON.stringify(ew)}`);
  }
  const { bytes, defects } = cte === "q" ? decodeQ(encodedText) : decodeB(encodedText);
  let text: string;
  if (isKnownCharset(charset)) {
    const decoded = decodeCharset(bytes, charset);
    text = decoded.text;
    if (decoded.undecodable) {
      defects.push(undecodableWordDefect(charset));
    }
  } else {
    text = decodeAscii(bytes).text;
    if (charset.toLowerCase() !== "unknown-8bit") {
      defects.push(
        new InvalidHeaderDefect(`Unknown charset ${JSON.stringify(charset)} in encoded word; decoded as unknown bytes`),
      );
    }
  }
  return { text, octets: bytes, charset, lang, defects };
}

/**
 * Encodes text as one encoded word, `=?charset?q?...?=` or `=?charset?b?...?=`,
 * with no limit on its length (callers split long text; see the header folder).
 * Without `encoding`, Q is used unless it is at least 5 characters longer than B,
 * as Python's `_encoded_words.encode`.
 *
 * @throws RangeError when the charset is unknown or cannot encode the text.
 * @example encodeWord("café") // "=?utf-8?q?caf=C3=A9?="
 */
export function encodeWord(text: string, options: EncodeWordOptions = {}): string {
  const charset = options.charset ?? "utf-8";
  const bytes = charset.toLowerCase() === "unknown-8bit" ? latin1Bytes(text) : encodeCharset(text, charset);
  let encoding = options.encoding;
  if (encoding === undefined) encoding = lenQ(bytes) - lenB(bytes) < 5 ? "q" : "b";
  if (encoding !== "q" && encoding !== "b") {
    throw new RangeError(`encoding must be "q" or "b", got ${JSON.stringify(encoding)}`);
  }
  const body = encoding === "q" ? encodeQ(bytes) : encodeB(bytes);
  const lang = options.lang ? `*${options.lang}` : "";
  return `=?${charset}${lang}?${encoding}?${body}?=`;
}

/** The length of `encodeWord(text, { charset })` without building it. */
export function encodedWordLength(text: string, charset = "utf-8"): number {
  const bytes = encodeCharset(text, charset);
  const q = lenQ(bytes);
  const b = lenB(bytes);
  return 7 + charset.length + (q - b < 5 ? q : b);
}
