/**
 * SMTP framing, independent of sockets: reading replies with limits, checking and encoding
 * command lines, and encoding message data for DATA (CRLF normalisation, dot-stuffing,
 * the final CRLF and the `.` terminator).
 *
 * @module
 */
import { SMTPResponseException } from "./errors.js";
import { SMTPResponse, SMTPStatus } from "./response.js";

/** The longest reply line accepted, line ending included (aiosmtplib's `MAX_LINE_LENGTH`). */
export const MAX_LINE_LENGTH = 8192;
/** The longest whole reply accepted, continuation lines included. */
export const MAX_REPLY_LENGTH = MAX_LINE_LENGTH * 4;

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const DASH = 0x2d;

const utf8Decoder = new TextDecoder("utf-8");
const EMPTY = Buffer.alloc(0);
const utf8Encoder = new TextEncoder();

/**
 * Collects bytes from the server and cuts them into replies. A reply line longer than
 * {@link MAX_LINE_LENGTH} or a reply longer than {@link MAX_REPLY_LENGTH} is an error,
 * so a misbehaving server cannot make the client buffer without bound.
 */
export class ReplyReader {
  #buffer: Buffer = EMPTY;

  /** How many bytes are waiting to be read. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Adds bytes received from the server.
   * @throws SMTPResponseException (code -1) when the reply being read grows past the limits
   */
  feed(data: Uint8Array): void {
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(data) : Buffer.concat([this.#buffer, data]);
    if (this.#buffer.length > MAX_REPLY_LENGTH) {
      this.clear();
      throw new SMTPResponseException(SMTPStatus.invalidResponse, "Response too long");
    }
  }

  /** Forgets every byte not yet read as a reply. */
  clear(): void {
    this.#buffer = EMPTY;
  }

  /**
   * Takes the first complete reply out of the buffer, or returns `undefined` when the
   * reply is not complete yet. A multi-line reply's text is its lines' texts joined with
   * `\n`, each stripped of spaces, tabs and the line ending; the code is the last line's.
   * @throws SMTPResponseException (code -1) for a line that does not start with a reply
   *   code, or a line longer than {@link MAX_LINE_LENGTH}
   */
  read(): SMTPResponse | undefined {
    const buffer = this.#buffer;
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const end = buffer.indexOf(LF, offset);
      if (end === -1) {
        if (buffer.length - offset > MAX_LINE_LENGTH) {
          this.clear();
          throw new SMTPResponseException(SMTPStatus.invalidResponse, "Response too long");
        }
        return undefined;
      }
      const line = buffer.subarray(offset, end + 1);
      if (line.length > MAX_LINE_LENGTH) {
        this.clear();
        throw new SMTPResponseException(SMTPStatus.invalidResponse, "Response too long");
      }
      const code = replyCode(line);
      if (code === undefined) {
        this.clear();
        const text = utf8Decoder.decode(line).replace(/[\r\n]+$/, "");
        throw new SMTPResponseException(SMTPStatus.invalidResponse, `Malformed SMTP response line: ${text}`);
      }
      const textStart = offset + 4;
      offset = end + 1;
      lines.push(buffer.toString("utf8", Math.min(textStart, offset), offset).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""));
      if (line[3] !== DASH) {
        this.#buffer = buffer.subarray(offset);
        return new SMTPResponse(code, lines.join("\n"));
      }
    }
  }
}

function replyCode(line: Uint8Array): number | undefined {
  if (line.length < 3) return undefined;
  let code = 0;
  for (let i = 0; i < 3; i++) {
    const digit = (line[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    code = code * 10 + digit;
  }
  return code;
}

/** A C0 control character or DEL: CR, LF and NUL in particular would inject commands. */
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Refuses a command argument that holds a control character (C0 or DEL).
 * @param what names the argument in the error message ("sender", "EHLO hostname" ...)
 * @throws TypeError when `value` is not a string or holds a control character
 */
export function checkCommandArgument(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(`the ${what} must be a string, got ${typeof value}`);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw new TypeError(
      `the ${what} ${JSON.stringify(value)} contains a control character, which could inject SMTP commands`,
    );
  }
}

/** Whether `text` holds a character outside ASCII. */
export function isNonAscii(text: string): boolean {
  return NON_ASCII.test(text);
}

/**
 * The bytes of one command line: the arguments joined with spaces, then CRLF. Strings are
 * encoded as UTF-8; callers check them first ({@link checkCommandArgument}).
 * @throws TypeError when an argument (string or bytes) holds a control character
 */
export function encodeCommand(args: readonly (string | Uint8Array)[]): Uint8Array {
  if (args.every((arg) => typeof arg === "string")) {
    for (const arg of args) checkCommandArgument(arg, "command argument");
    return Buffer.from(`${args.join(" ")}\r\n`, "utf8");
  }
  const parts = args.map((arg) => {
    if (typeof arg === "string") {
      checkCommandArgument(arg, "command argument");
      return utf8Encoder.encode(arg);
    }
    for (const byte of arg) {
      if (byte < 0x20 || byte === 0x7f) {
        throw new TypeError("a command argument contains a control character, which could inject SMTP commands");
      }
    }
    return arg;
  });
  const length = parts.reduce((n, p) => n + p.length, 0) + Math.max(parts.length - 1, 0) + 2;
  const out = new Uint8Array(length);
  let at = 0;
  parts.forEach((part, i) => {
    if (i > 0) out[at++] = 0x20;
    out.set(part, at);
    at += part.length;
  });
  out[at++] = CR;
  out[at] = LF;
  return out;
}

/**
 * Encodes message data for the DATA command, chunk by chunk: every bare CR and bare LF
 * becomes CRLF, a line starting with `.` gets another `.`, and {@link DataEncoder.end}
 * adds a final CRLF when the message lacks one, then the `.` CRLF terminator. The state
 * between chunks is kept, so a CRLF split across two chunks is still one line ending.
 * With `dotStuffing: false` (for BDAT, RFC 3030, whose chunks carry their length) the
 * line endings are made CRLF and the final CRLF added, and nothing else: no dots, no
 * terminator; the output is then {@link normalizedSize} bytes long.
 *
 * @example
 * const encoder = new DataEncoder();
 * const wire = [encoder.encode(bytes("Hi\n.dot")), encoder.end()]; // "Hi\r\n..dot\r\n.\r\n"
 */
export class DataEncoder {
  #lineStart = true;
  #pendingCR = false;
  #empty = true;
  readonly #dotStuffing: boolean;

  constructor(options: { readonly dotStuffing?: boolean } = {}) {
    this.#dotStuffing = options.dotStuffing ?? true;
  }

  /** Encodes the next piece of the message. */
  encode(chunk: Uint8Array): Uint8Array {
    const src = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const length = src.length;
    const out = Buffer.allocUnsafe(length * 2 + 2);
    let n = 0;
    let i = 0;
    let lineStart = this.#lineStart;
    let pendingCR = this.#pendingCR;
    // Positions of the next CR and LF (length when none): runs between them are copied whole.
    let nextCR = -1;
    let nextLF = -1;
    while (i < length) {
      const byte = src[i] as number;
      if (pendingCR) {
        pendingCR = false;
        out[n++] = LF;
        lineStart = true;
        if (byte === LF) {
          i++;
          continue;
        }
      }
      if (byte === CR) {
        out[n++] = CR;
        pendingCR = true;
        lineStart = false;
        i++;
        continue;
      }
      if (byte === LF) {
        out[n++] = CR;
        out[n++] = LF;
        lineStart = true;
        i++;
        continue;
      }
      if (lineStart && byte === DOT && this.#dotStuffing) out[n++] = DOT;
      lineStart = false;
      if (nextCR < i) nextCR = indexOrEnd(src, CR, i);
      if (nextLF < i) nextLF = indexOrEnd(src, LF, i);
      const end = Math.min(nextCR, nextLF);
      src.copy(out, n, i, end);
      n += end - i;
      i = end;
    }
    if (length > 0) this.#empty = false;
    this.#lineStart = lineStart;
    this.#pendingCR = pendingCR;
    return out.subarray(0, n);
  }

  /** The end of the data: a CRLF if the message did not end with one, then `.` CRLF (unless `dotStuffing` is off). */
  end(): Uint8Array {
    const tail: number[] = [];
    if (this.#pendingCR) {
      tail.push(LF);
      this.#pendingCR = false;
      this.#lineStart = true;
    }
    if (this.#empty || !this.#lineStart) tail.push(CR, LF);
    if (this.#dotStuffing) tail.push(DOT, CR, LF);
    return Uint8Array.from(tail);
  }
}

function indexOrEnd(buffer: Buffer, byte: number, from: number): number {
  const at = buffer.indexOf(byte, from);
  return at === -1 ? buffer.length : at;
}

/**
 * The size of a message once its line endings are CRLF and it ends with CRLF: what the
 * server stores, and the value of the MAIL command's `SIZE=` parameter (RFC 1870 counts
 * neither the dot-stuffing nor the terminator). Counts without copying.
 */
export function normalizedSize(message: Uint8Array): number {
  let size = 0;
  let pendingCR = false;
  let lineStart = true;
  for (let i = 0; i < message.length; i++) {
    const byte = message[i] as number;
    if (pendingCR) {
      pendingCR = false;
      size += 1;
      lineStart = true;
      if (byte === LF) continue;
    }
    if (byte === CR) {
      size += 1;
      pendingCR = true;
      lineStart = false;
    } else if (byte === LF) {
      size += 2;
      lineStart = true;
    } else {
      size += 1;
      lineStart = false;
    }
  }
  if (pendingCR) {
    size += 1;
    lineStart = true;
  }
  if (message.length === 0 || !lineStart) size += 2;
  return size;
}

/** Whether any byte of `data` is outside 7-bit ASCII (the message needs 8BITMIME). */
export function hasEightBitData(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if ((data[i] as number) > 0x7f) return true;
  return false;
}
