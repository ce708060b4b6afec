/**
 * Transfer encoders for the legacy MIME classes (Python's `email.encoders`), and the
 * binary-safe encodings the content manager uses.
 *
 * @module
 */
import type { Message } from "./message.js";

const MAX_QP_LINE = 76;

/** The longest line RFC 5322 §2.1.1 allows, in octets, without its line break. */
export const MAX_LINE_OCTETS = 998;

/** The length in octets of the longest line of `bytes` (CR, LF and CRLF end lines). */
export function longestLine(bytes: Uint8Array): number {
  let longest = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = bytes[i];
    if (i === bytes.length || b === 0x0a || b === 0x0d) {
      longest = Math.max(longest, i - start);
      start = i + 1;
    }
  }
  return longest;
}

/** Options of {@link quotedPrintable}. */
export interface QuotedPrintableOptions {
  /** Treat CR and LF as line breaks (true) or as data to encode (false). Default true. */
  readonly istext?: boolean;
  /** Encode every space and tab, not only those at the end of a line. Default false. */
  readonly quotetabs?: boolean;
  /** Header mode: spaces become `_` and `_` is encoded (RFC 2047 "Q"). Default false. */
  readonly header?: boolean;
}

/**
 * Quoted-printable encoding of octets with Python's `binascii.b2a_qp` rules: lines of at
 * most 76 characters with soft breaks, `=` and 8-bit octets encoded, white space before a
 * line break encoded, a lone `.` at the start of a line encoded.
 */
export function quotedPrintable(data: Uint8Array, options: QuotedPrintableOptions = {}): string {
  const istext = options.istext ?? true;
  const quotetabs = options.quotetabs ?? false;
  const header = options.header ?? false;
  const firstLf = data.indexOf(0x0a);
  const crlf = istext && firstLf > 0 && data[firstLf - 1] === 0x0d;
  const softBreak = crlf ? "=\r\n" : "=\n";
  const out: string[] = [];
  let lineLength = 0;
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    const next = data[i + 1];
    const atEnd = i + 1 === data.length;
    const mustEncode =
      c > 126 ||
      c === 0x3d ||
      (header && c === 0x5f) ||
      (c === 0x2e && lineLength === 0 && (atEnd || next === 0x0a || next === 0x0d || next === 0)) ||
      (!istext && (c === 0x0d || c === 0x0a)) ||
      ((c === 0x09 || c === 0x20) && atEnd) ||
      (c < 33 && c !== 0x0d && c !== 0x0a && (quotetabs || (c !== 0x09 && c !== 0x20)));
    if (mustEncode) {
      if (lineLength + 3 >= MAX_QP_LINE) {
        out.push(softBreak);
        lineLength = 0;
      }
      out.push(`=${c.toString(16).toUpperCase().padStart(2, "0")}`);
      lineLength += 3;
      i++;
    } else if (istext && (c === 0x0a || (c === 0x0d && next === 0x0a))) {
      lineLength = 0;
      const last = out[out.length - 1];
      if (last === " " || last === "\t") out[out.length - 1] = last === " " ? "=20" : "=09";
      out.push(crlf ? "\r\n" : "\n");
      i += c === 0x0d ? 2 : 1;
    } else {
      if (!atEnd && next !== 0x0a && lineLength + 1 >= MAX_QP_LINE) {
        out.push(softBreak);
        lineLength = 0;
      }
      lineLength++;
      out.push(header && c === 0x20 ? "_" : String.fromCharCode(c));
      i++;
    }
  }
  return out.join("");
}

/**
 * Base64 in lines of at most `maxLineLength` characters (never more than RFC 2045's 76),
 * each followed by "\n"; empty data gives the empty string.
 */
export function base64Lines(data: Uint8Array, maxLineLength = MAX_QP_LINE): string {
  const width = Math.min(Number.isFinite(maxLineLength) ? maxLineLength : MAX_QP_LINE, MAX_QP_LINE);
  const perLine = Math.max(3, Math.floor(width / 4) * 3);
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) {
    lines.push(`${Buffer.from(data.subarray(i, i + perLine)).toString("base64")}\n`);
  }
  return lines.join("");
}

function payloadBytes(msg: Message): Uint8Array | undefined {
  return msg.getPayload({ decode: true });
}

/** Base64-encodes the payload and sets `Content-Transfer-Encoding: base64`. */
export function encodeBase64(msg: Message): void {
  const data = payloadBytes(msg) ?? new Uint8Array();
  msg.setPayload(base64Lines(data));
  msg.append("Content-Transfer-Encoding", "base64");
}

/** Quoted-printable-encodes the payload (every space and tab encoded) and sets the header. */
export function encodeQuopri(msg: Message): void {
  const data = payloadBytes(msg) ?? new Uint8Array();
  msg.setPayload(quotedPrintable(data, { quotetabs: true }).replace(/ /g, "=20"));
  msg.append("Content-Transfer-Encoding", "quoted-printable");
}

/** Leaves the payload alone and sets `Content-Transfer-Encoding` to 7bit or 8bit by its octets. */
export function encode7or8bit(msg: Message): void {
  const data = payloadBytes(msg);
  const eightBit = data !== undefined && data.some((b) => b >= 0x80);
  msg.append("Content-Transfer-Encoding", eightBit ? "8bit" : "7bit");
}

/** Does nothing: the payload is used as it is, with no Content-Transfer-Encoding set. */
export function encodeNoop(_msg: Message): void {}

/** A function that transfer-encodes a message's payload in place. */
export type Encoder = (msg: Message) => void;
