/**
 * Quoted-printable (RFC 2045 §6.7) for bodies and the RFC 2047 "Q" encoding for
 * headers, after Python's `email.quoprimime` and `quopri`, working on bytes.
 *
 * @module
 */

const HEX = "0123456789ABCDEF";

function escape(byte: number): string {
  return `=${HEX[byte >> 4]}${HEX[byte & 15]}`;
}

/** Bytes that stand for themselves in a Q-encoded header word (RFC 2047 §5 (3)); space becomes "_". */
function headerSafe(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d || byte === 0x21 || byte === 0x2a || byte === 0x2b || byte === 0x2f
  );
}

/** Bytes that stand for themselves in a quoted-printable body: printable ASCII but "=", and tab. */
function bodySafe(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e && byte !== 0x3d) || byte === 0x09;
}

/** Reads text as bytes: characters up to U+00FF are one byte each, others their UTF-8 bytes. */
function textBytes(text: string): Uint8Array {
  if (/^[\x00-\xff]*$/.test(text)) return Uint8Array.from(text, (c) => c.charCodeAt(0));
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0xff) out.push(cp);
    else out.push(...new TextEncoder().encode(ch));
  }
  return Uint8Array.from(out);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * The length of the data Q-encoded for a header, without the RFC 2047 chrome
 * (Python's `quoprimime.header_length`).
 */
export function headerLength(data: Uint8Array): number {
  let n = 0;
  for (const b of data) n += headerSafe(b) || b === 0x20 ? 1 : 3;
  return n;
}

/**
 * The length of the data quoted-printable encoded as a body, counting CR and LF as
 * escaped (Python's `quoprimime.body_length`).
 */
export function bodyLength(data: Uint8Array): number {
  let n = 0;
  for (const b of data) n += bodySafe(b) ? 1 : 3;
  return n;
}

/**
 * Q-encodes bytes as one RFC 2047 encoded word: `=?charset?q?...?=` (Python's
 * `quoprimime.header_encode`). Empty data gives `""`.
 *
 * @example
 * encodeHeader(new TextEncoder().encode("café au lait"), "utf-8") // "=?utf-8?q?caf=C3=A9_au_lait?="
 */
export function encodeHeader(data: Uint8Array, charset: string): string {
  if (data.length === 0) return "";
  let encoded = "";
  for (const b of data) encoded += b === 0x20 ? "_" : headerSafe(b) ? String.fromCharCode(b) : escape(b);
  return `=?${charset}?q?${encoded}?=`;
}

/**
 * Decodes the text of a Q-encoded word (without its chrome): `_` is a space and `=XX`
 * a byte (Python's `quoprimime.header_decode`); anything else stands for itself.
 */
export function decodeHeader(text: string): Uint8Array {
  const bytes = textBytes(text);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const hi = hexValue(bytes[i + 1]);
    const lo = hexValue(bytes[i + 2]);
    if (b === 0x3d && hi >= 0 && lo >= 0) {
      out.push(hi * 16 + lo);
      i += 2;
    } else {
      out.push(b === 0x5f ? 0x20 : b);
    }
  }
  return Uint8Array.from(out);
}

/**
 * Quoted-printable encodes a body, as Python's `quoprimime.body_encode`: lines of at
 * most `maxLineLength` characters including the soft line break `=`, line breaks of the
 * data (CRLF, CR or LF) written as `eol`, whitespace at the end of a line encoded.
 *
 * @param options.maxLineLength - default 76, the RFC 2045 maximum; at least 4.
 * @param options.eol - the line separator written, default `"\n"`.
 * @throws RangeError when `maxLineLength` is below 4.
 */
export function encodeBody(data: Uint8Array, options: { maxLineLength?: number; eol?: string } = {}): string {
  const maxLineLength = options.maxLineLength ?? 76;
  const eol = options.eol ?? "\n";
  if (!(maxLineLength >= 4)) throw new RangeError(`maxLineLength must be at least 4, not ${maxLineLength}`);
  if (data.length === 0) return "";
  let body = "";
  for (const b of data) body += bodySafe(b) || b === 0x0d || b === 0x0a ? String.fromCharCode(b) : escape(b);
  const softBreak = `=${eol}`;
  const out: string[] = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    let start = 0;
    // The last start from which the rest of the line no longer fits on one output line.
    const lastStart = line.length - 1 - maxLineLength;
    while (start <= lastStart) {
      const stop = start + maxLineLength - 1;
      // Never split an =XX escape: break before it when it would straddle the edge.
      if (line[stop - 2] === "=") {
        out.push(line.slice(start, stop - 1));
        start = stop - 2;
      } else if (line[stop - 1] === "=") {
        out.push(line.slice(start, stop));
        start = stop - 1;
      } else {
        out.push(`${line.slice(start, stop)}=`);
        start = stop;
      }
    }
    const last = line[line.length - 1];
    if (last === " " || last === "\t") {
      // Trailing whitespace must be protected; where it goes depends on the room left.
      const room = start - lastStart;
      let q: string;
      if (room >= 3) q = escape(last.charCodeAt(0));
      else if (room === 2) q = last + softBreak;
      else q = softBreak + escape(last.charCodeAt(0));
      out.push(line.slice(start, -1) + q);
    } else {
      out.push(line.slice(start));
    }
  }
  // After a final line break split() yields an empty last line, so the output ends with eol too.
  return out.join(eol);
}

/**
 * Decodes a quoted-printable body as leniently as Python's `quopri.decodestring`
 * (binascii's `a2b_qp`): `=XX` in either case is a byte, `=` before a line break is a
 * soft break, `==` is one `=`, any other `=` stays as it is, and a lone `=` at the end
 * is dropped. Characters above U+00FF are read as their UTF-8 bytes.
 */
export function decodeBody(text: string): Uint8Array {
  const data = textBytes(text);
  const out = new Uint8Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; ) {
    const b = data[i]!;
    if (b !== 0x3d) {
      out[n++] = b;
      i += 1;
      continue;
    }
    i += 1;
    if (i >= data.length) break;
    const c = data[i]!;
    if (c === 0x0a || c === 0x0d) {
      // Soft line break; after "=\r" everything up to the LF is skipped.
      if (c !== 0x0a) while (i < data.length && data[i] !== 0x0a) i += 1;
      if (i < data.length) i += 1;
    } else if (c === 0x3d) {
      out[n++] = 0x3d;
      i += 1;
    } else if (i + 1 < data.length && hexValue(c) >= 0 && hexValue(data[i + 1]) >= 0) {
      out[n++] = hexValue(c) * 16 + hexValue(data[i + 1]);
      i += 2;
    } else {
      out[n++] = 0x3d;
    }
  }
  return out.slice(0, n);
}
