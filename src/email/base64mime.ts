/**
 * Base64 for bodies and the RFC 2047 "B" encoding for headers, after Python's
 * `email.base64mime`, with the lenient decoding and defect reporting of Python's
 * `email._encoded_words.decode_b`.
 *
 * @module
 */
import {
  InvalidBase64CharactersDefect,
  InvalidBase64LengthDefect,
  InvalidBase64PaddingDefect,
  MessageDefect,
  MessageParseError,
} from "./errors.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Base64 of bytes, without line breaks. */
function b64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
}

/**
 * The length of the data base64-encoded, without the RFC 2047 chrome
 * (Python's `base64mime.header_length`).
 */
export function headerLength(data: Uint8Array): number {
  return Math.ceil(data.length / 3) * 4;
}

/**
 * B-encodes bytes as one RFC 2047 encoded word: `=?charset?b?...?=` (Python's
 * `base64mime.header_encode`). Empty data gives `""`.
 */
export function encodeHeader(data: Uint8Array, charset: string): string {
  if (data.length === 0) return "";
  return `=?${charset}?b?${b64(data)}?=`;
}

/**
 * Base64-encodes a body in lines of at most `maxLineLength` characters, each followed by
 * `eol` (the last one too), as Python's `base64mime.body_encode`. Empty data gives `""`.
 *
 * Python puts `maxLineLength * 3 / 4` bytes on a line, which overshoots the limit when it
 * is not a multiple of 4 (78 gives 80-character lines); this puts `floor(maxLineLength / 4) * 3`,
 * the same for the default 76.
 *
 * @param options.maxLineLength - default 76; at least 4.
 * @param options.eol - default `"\n"`.
 * @throws RangeError when `maxLineLength` is below 4.
 */
export function encodeBody(data: Uint8Array, options: { maxLineLength?: number; eol?: string } = {}): string {
  const maxLineLength = options.maxLineLength ?? 76;
  const eol = options.eol ?? "\n";
  if (!(maxLineLength >= 4)) throw new RangeError(`maxLineLength must be at least 4, not ${maxLineLength}`);
  if (data.length === 0) return "";
  const perLine = Math.floor(maxLineLength / 4) * 3;
  let out = "";
  for (let i = 0; i < data.length; i += perLine) out += b64(data.subarray(i, i + perLine)) + eol;
  return out;
}

type Failure = "padding" | "length" | "characters";

/**
 * binascii's `a2b_base64`: in lenient mode characters outside the alphabet are skipped and
 * decoding stops at the padding that completes a group; strict mode refuses both.
 */
function a2b(text: string, strict: boolean): Uint8Array | Failure {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let quadPos = 0;
  let left = 0;
  let pads = 0;
  let paddingStarted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d) {
      paddingStarted = true;
      if (strict && i === 0) return "padding";
      pads += 1;
      if (quadPos >= 2 && quadPos + pads >= 4) {
        if (strict && i + 1 < text.length) return "characters";
        return out.slice(0, n);
      }
      continue;
    }
    const v = code < 256 ? VALUES[code]! : -1;
    if (v < 0) {
      if (strict) return "characters";
      continue;
    }
    if (strict && paddingStarted) return "characters";
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        left = v;
        break;
      case 1:
        quadPos = 2;
        out[n++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quadPos = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (quadPos === 1) return "length";
  if (quadPos !== 0) return "padding";
  return out.slice(0, n);
}

/**
 * Decodes base64 leniently, as Python's `base64mime.decode` (binascii's `a2b_base64`):
 * characters outside the alphabet (line breaks included) are skipped and anything after
 * the final padding is ignored.
 *
 * @throws MessageParseError when the padding is missing, or the number of base64
 *   characters is one more than a multiple of 4 (Python raises binascii.Error).
 */
export function decode(text: string): Uint8Array {
  if (!text) return new Uint8Array(0);
  const result = a2b(text, false);
  if (result === "length") {
    throw new MessageParseError("invalid base64: the number of data characters cannot be 1 more than a multiple of 4");
  }
  if (typeof result === "string") throw new MessageParseError("invalid base64: incorrect padding");
  return result;
}

/**
 * Decodes base64 as Python's `_encoded_words.decode_b` (used for B-encoded words and
 * base64 bodies): it never throws, and reports what it had to work around as defects.
 *
 * - missing padding is supplied: {@link InvalidBase64PaddingDefect};
 * - characters outside the alphabet are skipped: {@link InvalidBase64CharactersDefect}
 *   (with a padding defect too when the padding was also wrong);
 * - data one character longer than a multiple of 4 cannot be decoded: the text's own
 *   bytes come back with {@link InvalidBase64LengthDefect}.
 */
export function decodeWithDefects(text: string): { bytes: Uint8Array; defects: MessageDefect[] } {
  const padErr = text.length % 4;
  const padded = padErr ? text + "===".slice(0, 4 - padErr) : text;
  const strict = a2b(padded, true);
  if (typeof strict !== "string") {
    return { bytes: strict, defects: padErr ? [new InvalidBase64PaddingDefect()] : [] };
  }
  const lenient = a2b(text, false);
  if (typeof lenient !== "string") return { bytes: lenient, defects: [new InvalidBase64CharactersDefect()] };
  const repadded = a2b(`${text}==`, false);
  if (typeof repadded !== "string") {
    return { bytes: repadded, defects: [new InvalidBase64CharactersDefect(), new InvalidBase64PaddingDefect()] };
  }
  // Nothing decodes: give back the text's own bytes (one byte a character, as it came from the wire).
  const raw = /^[\x00-\xff]*$/.test(text) ? Uint8Array.from(text, (c) => c.charCodeAt(0)) : new TextEncoder().encode(text);
  return { bytes: raw, defects: [new InvalidBase64LengthDefect()] };
}
