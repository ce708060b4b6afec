/**
 * The legacy header API, after Python's `email.header`: {@link Header} (a header value
 * made of chunks in several charsets, written with RFC 2047 encoded words and the legacy
 * folding algorithm), {@link decodeHeader} and {@link makeHeader}.
 *
 * This is what the `compat32` policy uses to write headers; its output agrees byte for
 * byte with Python 3.11's `Header.encode`.
 *
 * @module
 */
import { Charset, decodeBytes, encodeText, isKnownCharset } from "./charset.js";
import { CharsetError, HeaderParseError } from "./errors.js";
import { MAX_ENCODED_WORD_LENGTH } from "./headerfolding.js";

/** The default maximum line length, as RFC 5322 recommends. */
const MAX_LINE_LENGTH = 78;
/** Python treats a maximum line length of 0 as "never fold" by using this number instead. */
const NO_FOLDING_LENGTH = 1_000_000;
/** The default split characters of {@link Header.encode}: prefer `;`, then `,`, then white space. */
const DEFAULT_SPLITCHARS = ";, \t";

/** How undecodable bytes (in {@link Header.append}) and unencodable text are handled. */
export type HeaderErrors = "strict" | "replace";

/** Options of the {@link Header} constructor (Python's keyword arguments). */
export interface HeaderOptions {
  /**
   * The charset of the initial value and the default charset of later {@link Header.append}
   * calls. Default us-ascii (text that us-ascii cannot encode is then stored as utf-8).
   */
  readonly charset?: string | Charset;
  /** Fold lines longer than this; `0` means never fold. Default 78. */
  readonly maxLineLength?: number;
  /** The name of the field, so that the first line leaves room for `Name: `. */
  readonly headerName?: string;
  /** The white space that starts each continuation line: spaces and tabs. Default `" "`. */
  readonly continuationWs?: string;
  /** How bytes that the charset cannot decode are handled. Default `"strict"`. */
  readonly errors?: HeaderErrors;
}

/** Options of {@link Header.encode}. */
export interface HeaderEncodeOptions {
  /**
   * Characters after which a line of plain (not encoded) text is preferably folded, in
   * order of preference; a space or tab means "before this white space". Default `";, \t"`.
   */
  readonly splitchars?: string;
  /** Overrides the maximum line length given at construction; `0` means never fold. */
  readonly maxLineLength?: number;
  /** The line separator between folded lines. Default `"\n"`. */
  readonly linesep?: string;
}

/** Options of {@link makeHeader}, as for the {@link Header} constructor. */
export interface MakeHeaderOptions {
  /** Fold lines longer than this; `0` means never fold. Default 78. */
  readonly maxLineLength?: number;
  /** The name of the field, so that the first line leaves room for `Name: `. */
  readonly headerName?: string;
  /** The white space that starts each continuation line. Default `" "`. */
  readonly continuationWs?: string;
}

/** One decoded piece of a header: text or bytes, and its charset (`null` for plain text). */
export type DecodedChunk = [string | Uint8Array, string | null];

const US_ASCII = "us-ascii";
const UNKNOWN_8BIT = "unknown-8bit";

/** The pieces of a header as bytes in their charsets, for {@link decodeHeader}; set by {@link Header}. */
let encodedChunksOf: (header: Header) => DecodedChunk[];

/** A piece of a header value: text and the charset it is to be written in. */
interface Chunk {
  readonly text: string;
  readonly charset: Charset;
}

/**
 * A header value that may mix charsets, written as RFC 2047 encoded words where needed
 * and folded with Python's legacy algorithm (Python's `email.header.Header`).
 *
 * @example
 * const h = new Header("Grüße aus Köln", { headerName: "Subject" });
 * h.encode(); // "=?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4=?="
 */
export class Header {
  private readonly defaultCharset: Charset;
  private readonly maxLineLength: number;
  private readonly headerLength: number;
  private readonly continuationWs: string;
  private chunks: Chunk[] = [];

  /**
   * @param s the initial value, text or bytes in `options.charset`; omitted, the header starts empty
   * @throws CharsetError for an unknown charset, bytes that do not decode in it, or text
   *   that it cannot encode (under `errors: "strict"`)
   * @throws TypeError for options of the wrong kind
   */
  constructor(s?: string | Uint8Array, options: HeaderOptions = {}) {
    const errors = options.errors ?? "strict";
    checkErrors(errors);
    this.defaultCharset = toCharset(options.charset ?? US_ASCII);
    const ws = options.continuationWs ?? " ";
    if (typeof ws !== "string" || !/^[ \t]+$/.test(ws)) {
      throw new TypeError(`continuationWs must be one or more spaces or tabs, got ${JSON.stringify(ws)}`);
    }
    this.continuationWs = ws;
    this.maxLineLength = checkMaxLineLength(options.maxLineLength ?? MAX_LINE_LENGTH);
    const name = options.headerName;
    if (name !== undefined && typeof name !== "string") throw new TypeError("headerName must be a string");
    // The name is followed by a colon and a space.
    this.headerLength = name === undefined ? 0 : codePointLength(name) + 2;
    // As Python's None: no initial piece at all (an empty string is an empty piece).
    if (s !== undefined && s !== null) this.append(s, this.defaultCharset, errors);
  }

  /**
   * Appends a piece to the value (Python's `Header.append`). Text is stored as given and
   * later encoded in the charset's output charset; bytes are first decoded with the charset.
   * Text that us-ascii cannot encode is stored as utf-8 instead.
   *
   * @param charset the charset of this piece; default the one given at construction
   * @param errors how undecodable bytes are handled; with `"replace"` text the charset
   *   cannot encode is accepted here (and fails or passes through when encoded, as in Python)
   * @throws CharsetError for an unknown charset, bytes that do not decode, or text that a
   *   charset other than us-ascii cannot encode
   */
  append(s: string | Uint8Array, charset?: string | Charset, errors: HeaderErrors = "strict"): void {
    checkErrors(errors);
    let cs = charset === undefined ? this.defaultCharset : toCharset(charset);
    let text: string;
    if (typeof s === "string") {
      text = s;
    } else if (s instanceof Uint8Array) {
      // unknown-8bit bytes become the code points U+DC80..U+DCFF, as Python's surrogateescape.
      text = decodeBytes(s, cs.inputCharset, { errors: cs.inputCharset === UNKNOWN_8BIT ? "replace" : errors });
    } else {
      throw new TypeError("a header value must be a string or a Uint8Array");
    }
    // Fail early, here rather than in encode(), for text the output charset cannot carry.
    const output = cs.getOutputCharset();
    if (output !== UNKNOWN_8BIT) {
      if (errors === "replace") {
        if (!isKnownCharset(output)) throw new CharsetError(`unknown charset ${JSON.stringify(output)}`);
      } else {
        try {
          encodeText(text, output);
        } catch (error) {
          if (!(error instanceof CharsetError) || output !== US_ASCII) throw error;
          cs = new Charset("utf-8");
        }
      }
    }
    this.chunks.push({ text, charset: cs });
  }

  /**
   * Writes the value as it goes in a message header (Python's `Header.encode`): plain
   * text folded at the split characters, other charsets as RFC 2047 encoded words, lines
   * no longer than the maximum length where a fold point exists. The caller writes the
   * `Name: ` before and the line separator after.
   *
   * @throws HeaderParseError when the folded value holds a line that looks like a header
   *   (`Name:` at the start of a line), which would inject a header
   * @throws CharsetError when a piece cannot be encoded in its charset
   * @throws TypeError for options of the wrong kind
   */
  encode(options: HeaderEncodeOptions = {}): string {
    const splitchars = options.splitchars ?? DEFAULT_SPLITCHARS;
    if (typeof splitchars !== "string") throw new TypeError("splitchars must be a string");
    const linesep = options.linesep ?? "\n";
    if (typeof linesep !== "string") throw new TypeError("linesep must be a string");
    let maxLineLength = checkMaxLineLength(options.maxLineLength ?? this.maxLineLength);
    if (maxLineLength === 0) maxLineLength = NO_FOLDING_LENGTH;
    this.normalize();
    const formatter = new ValueFormatter(this.headerLength, maxLineLength, this.continuationWs, splitchars);
    let lastCharset: Charset | null = null;
    let first = true;
    let lastSpace = false;
    for (const { text, charset } of this.chunks) {
      if (!first) {
        // Keep the white space that RFC 2047 drops between an encoded word and plain text.
        const hasSpace = text !== "" && isNonCtext(firstCodePoint(text));
        if (!isPlain(lastCharset)) {
          if (!hasSpace || !isPlain(charset)) formatter.addTransition();
        } else if (!isPlain(charset) && !lastSpace) {
          formatter.addTransition();
        }
      }
      first = false;
      lastSpace = text !== "" && isNonCtext(lastCodePoint(text));
      lastCharset = charset;
      const lines = splitLines(text);
      formatter.feed("", lines[0] ?? "", charset);
      for (const line of lines.slice(1)) {
        formatter.newline();
        const stripped = lstrip(line);
        if (charset.headerEncoding !== null) {
          formatter.feed(this.continuationWs, " " + stripped, charset);
        } else {
          formatter.feed(line.slice(0, line.length - stripped.length), stripped, charset);
        }
      }
      if (lines.length > 1) formatter.newline();
    }
    if (this.chunks.length > 0) formatter.addTransition();
    const value = formatter.toText(linesep);
    const injected =
      EMBEDDED_HEADER.test(value) ||
      (!linesep.includes("\n") && linesep.includes("\r") && embeddedHeaderAfter(linesep).test(value));
    if (injected) {
      throw new HeaderParseError(`header value appears to contain an embedded header: ${JSON.stringify(value)}`);
    }
    return value;
  }

  /** The value as text, without encoding or folding (Python's `str(header)`). */
  toString(): string {
    this.normalize();
    const out: string[] = [];
    let lastCharset: Charset | null = null;
    let lastSpace = false;
    for (const chunk of this.chunks) {
      let next: Charset | null = chunk.charset;
      // Raw bytes of unknown charset read as ASCII, each 8-bit byte a replacement character.
      const text = next.inputCharset === UNKNOWN_8BIT ? chunk.text.replace(/[\udc80-\udcff]/g, "\ufffd") : chunk.text;
      if (out.length > 0) {
        // Encoded words and plain text were separated by white space; put it back.
        const hasSpace = text !== "" && isNonCtext(firstCodePoint(text));
        if (!isPlain(lastCharset)) {
          if (isPlain(next) && !hasSpace) {
            out.push(" ");
            next = null;
          }
        } else if (!isPlain(next) && !lastSpace) {
          out.push(" ");
        }
      }
      lastSpace = text !== "" && isNonCtext(lastCodePoint(text));
      lastCharset = next;
      out.push(text);
    }
    return out.join("");
  }

  /** Whether `other` (a header or text) has the same text value (Python's `==`). */
  equals(other: Header | string): boolean {
    return other.toString() === this.toString();
  }

  static {
    // decodeHeader reads the pieces as they are (not joined by charset), as Python does.
    encodedChunksOf = (header) =>
      header.chunks.map(({ text, charset }) => [encodeText(text, charset.inputCharset), charset.inputCharset]);
  }

  /** Joins runs of pieces in the same charset into one piece, separated by a space. */
  private normalize(): void {
    const joined: Chunk[] = [];
    let run: string[] = [];
    let runCharset: Charset | null = null;
    for (const { text, charset } of this.chunks) {
      if (runCharset !== null && sameCharset(charset, runCharset)) {
        run.push(text);
        continue;
      }
      if (runCharset !== null) joined.push({ text: run.join(" "), charset: runCharset });
      run = [text];
      runCharset = charset;
    }
    if (runCharset !== null) joined.push({ text: run.join(" "), charset: runCharset });
    this.chunks = joined;
  }
}

/**
 * Splits a header value into its plain and RFC 2047 encoded parts, without decoding
 * charsets (Python's `email.header.decode_header`).
 *
 * A string without encoded words comes back whole: `[[value, null]]`. Otherwise every
 * part is bytes: plain text (as Python's `raw-unicode-escape` encodes it) with charset
 * `null`, and the decoded payload of encoded words with their lower-cased charset; runs
 * in the same charset are joined, and white space between two encoded words is dropped.
 * For a {@link Header}, its pieces encoded in their charsets.
 *
 * @throws HeaderParseError for a `b` encoded word that is not valid base64
 * @throws TypeError for anything but a string or a Header
 * @example decodeHeader("=?utf-8?q?caf=C3=A9?= au lait") // [[bytes "café", "utf-8"], [bytes " au lait", null]]
 */
export function decodeHeader(header: string | Header): DecodedChunk[] {
  if (header instanceof Header) return encodedChunksOf(header);
  if (typeof header !== "string") throw new TypeError("decodeHeader takes a string or a Header");
  if (!ENCODED_WORD.test(header)) return [[header, null]];

  // Plain parts have encoding null; encoded words keep their raw payload here.
  const words: Array<{ text: string; encoding: string | null; charset: string | null }> = [];
  for (const line of splitLines(header)) {
    const parts = line.split(ENCODED_WORD);
    for (let i = 0; i < parts.length; i += 4) {
      let plain = parts[i] ?? "";
      if (i === 0) plain = lstrip(plain);
      if (plain !== "") words.push({ text: plain, encoding: null, charset: null });
      if (i + 3 < parts.length) {
        words.push({
          text: parts[i + 3] ?? "",
          encoding: (parts[i + 2] ?? "").toLowerCase(),
          charset: (parts[i + 1] ?? "").toLowerCase(),
        });
      }
    }
  }
  // White space between two encoded words is not part of the value (RFC 2047, 6.2).
  const drop = new Set<number>();
  words.forEach((w, n) => {
    if (n > 1 && w.encoding !== null && words[n - 2]?.encoding != null && isSpace(words[n - 1]?.text ?? "")) {
      drop.add(n - 1);
    }
  });
  const kept = words.filter((_, n) => !drop.has(n));

  const decoded: Array<[Uint8Array, string | null]> = kept.map(({ text, encoding, charset }) => {
    if (encoding === null) return [rawUnicodeEscape(text), null];
    if (encoding === "q") return [rawUnicodeEscape(qDecode(text)), charset];
    // Be liberal: add the padding that is often missing.
    const missing = codePointLength(text) % 4;
    const padded = missing ? text + "===".slice(0, 4 - missing) : text;
    const bytes = base64DecodeLenient(rawUnicodeEscape(padded));
    if (bytes === null) throw new HeaderParseError("Base64 decoding error");
    return [bytes, charset];
  });

  const collapsed: DecodedChunk[] = [];
  let lastBytes: Uint8Array | null = null;
  let lastCharset: string | null = null;
  for (const [bytes, charset] of decoded) {
    if (lastBytes === null) {
      lastBytes = bytes;
      lastCharset = charset;
    } else if (charset !== lastCharset) {
      collapsed.push([lastBytes, lastCharset]);
      lastBytes = bytes;
      lastCharset = charset;
    } else if (lastCharset === null) {
      lastBytes = concatBytes(lastBytes, SPACE_BYTES, bytes);
    } else {
      lastBytes = concatBytes(lastBytes, bytes);
    }
  }
  collapsed.push([lastBytes ?? new Uint8Array(0), lastCharset]);
  return collapsed;
}

/**
 * Builds a {@link Header} from pieces as {@link decodeHeader} returns them (Python's
 * `email.header.make_header`). A `null` charset means us-ascii.
 *
 * @throws CharsetError for an unknown charset or bytes that do not decode in theirs
 * @throws TypeError for options of the wrong kind
 * @example makeHeader(decodeHeader("=?iso-8859-1?q?p=F6stal?=")).toString() // "pöstal"
 */
export function makeHeader(
  decoded: ReadonlyArray<readonly [string | Uint8Array, string | Charset | null]>,
  options: MakeHeaderOptions = {},
): Header {
  const header = new Header(undefined, {
    ...(options.maxLineLength !== undefined ? { maxLineLength: options.maxLineLength } : {}),
    ...(options.headerName !== undefined ? { headerName: options.headerName } : {}),
    ...(options.continuationWs !== undefined ? { continuationWs: options.continuationWs } : {}),
  });
  for (const [s, charset] of decoded) header.append(s, charset ?? undefined);
  return header;
}

// ---------------------------------------------------------------------------------------
// The folding algorithm (Python's private _ValueFormatter and _Accumulator)

/** Pieces of the line being built: the white space before each piece, and the piece. */
class LineAccumulator {
  parts: Array<[string, string]> = [];
  /** Room taken on this line before the first piece (the header name), 0 after the first line. */
  initialSize: number;
  /** The length of the pieces in code points, kept up to date so that `length` is cheap. */
  private partsSize = 0;

  constructor(initialSize: number) {
    this.initialSize = initialSize;
  }

  push(fws: string, text: string): void {
    this.parts.push([fws, text]);
    this.partsSize += pieceLength(fws, text);
  }

  pop(): [string, string] {
    const last = this.parts.pop();
    if (last === undefined) return ["", ""];
    this.partsSize -= pieceLength(last[0], last[1]);
    return last;
  }

  popFrom(i: number): Array<[string, string]> {
    const removed = this.parts.splice(i);
    for (const [fws, text] of removed) this.partsSize -= pieceLength(fws, text);
    return removed;
  }

  get length(): number {
    return this.initialSize + this.partsSize;
  }

  reset(parts: Array<[string, string]> = []): void {
    this.parts = parts;
    this.partsSize = parts.reduce((n, [fws, text]) => n + pieceLength(fws, text), 0);
    this.initialSize = 0;
  }

  isOnlyWs(): boolean {
    return this.initialSize === 0 && (this.parts.length === 0 || isSpace(this.toString()));
  }

  toString(): string {
    return this.parts.map(([fws, text]) => fws + text).join("");
  }
}

function pieceLength(fws: string, text: string): number {
  return codePointLength(fws) + codePointLength(text);
}

class ValueFormatter {
  private readonly lines: string[] = [];
  private readonly current: LineAccumulator;

  constructor(
    headerLength: number,
    private readonly maxLength: number,
    private readonly continuationWs: string,
    private readonly splitchars: string,
  ) {
    this.current = new LineAccumulator(headerLength);
  }

  toText(linesep: string): string {
    this.newline();
    return this.lines.join(linesep);
  }

  newline(): void {
    const end = this.current.pop();
    // A trailing transition marker is dropped: no space at the end of a line.
    if (!(end[0] === " " && end[1] === "")) this.current.push(end[0], end[1]);
    if (this.current.length > 0) {
      const last = this.lines.length - 1;
      if (this.current.isOnlyWs() && last >= 0) this.lines[last] += this.current.toString();
      else this.lines.push(this.current.toString());
    }
    this.current.reset();
  }

  /** Marks a boundary between an encoded word and something else: a space if the line goes on. */
  addTransition(): void {
    this.current.push(" ", "");
  }

  feed(fws: string, text: string, charset: Charset): void {
    if (charset.headerEncoding === null) {
      this.asciiSplit(fws, text);
      return;
    }
    const encoded = charset.headerEncodeLines(text, this.maxLengths());
    if (encoded.length === 0) return;
    const first = encoded.shift() ?? "";
    // An empty first line means that nothing fitted on the current line, unless there was no text.
    if (first !== "" || text === "") this.appendChunk(fws, first);
    if (encoded.length === 0) return;
    const last = encoded.pop() ?? "";
    this.newline();
    this.current.push(this.continuationWs, last);
    for (const line of encoded) this.lines.push(this.continuationWs + line);
  }

  /**
   * The room for each encoded word: what is left on the line, and never more than the 75
   * characters RFC 2047 allows (Python lets a word fill a continuation line, 76 to 77
   * characters, and with folding off writes one word for the whole value).
   */
  private *maxLengths(): Generator<number, never, undefined> {
    // Evaluated lazily: the room left on the current line when the encoder asks.
    yield Math.min(this.maxLength - this.current.length, MAX_ENCODED_WORD_LENGTH);
    const rest = Math.min(this.maxLength - codePointLength(this.continuationWs), MAX_ENCODED_WORD_LENGTH);
    for (;;) yield rest;
  }

  private asciiSplit(fws: string, text: string): void {
    const parts = (fws + text).split(/([ \t]+)/);
    if (parts[0] !== "") parts.unshift("");
    else parts.shift();
    for (let i = 0; i + 1 < parts.length; i += 2) this.appendChunk(parts[i] ?? "", parts[i + 1] ?? "");
  }

  private appendChunk(fws: string, text: string): void {
    const line = this.current;
    line.push(fws, text);
    if (line.length <= this.maxLength) return;
    // Find the best split point, working backwards from the end, in splitchars order.
    const splitAt = this.findSplit();
    if (splitAt === undefined) {
      // No split point: the long piece goes on a line of its own.
      let [lastFws, lastText] = line.pop();
      if (line.initialSize > 0) {
        // The header name stays on the first line by itself.
        this.newline();
        // After a header name there is always a space, whatever the continuation white space.
        if (!lastFws) lastFws = " ";
      }
      line.push(lastFws, lastText);
      return;
    }
    const remainder = line.popFrom(splitAt);
    this.lines.push(line.toString());
    line.reset(remainder);
  }

  private findSplit(): number | undefined {
    const parts = this.current.parts;
    for (const ch of this.splitchars) {
      const space = isSpace(ch);
      for (let i = parts.length - 1; i > 0; i--) {
        if (space) {
          const fws = parts[i]?.[0] ?? "";
          if (fws !== "" && firstCodePoint(fws) === ch) return i;
        }
        const previous = parts[i - 1]?.[1] ?? "";
        if (previous !== "" && lastCodePoint(previous) === ch) return i;
      }
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Helpers

/** A line of the folded value that starts like a header field: header injection (Python's check). */
const EMBEDDED_HEADER = /\n[^ \t]+:/;

/** The same check for a line separator without LF (such as a lone CR), which Python's check misses. */
function embeddedHeaderAfter(linesep: string): RegExp {
  return new RegExp(linesep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[^ \\t]+:");
}

/**
 * An RFC 2047 encoded word, as Python's `ecre` (not anchored, payload up to the first `?=`).
 * Python's `.` matches anything but `\n`; JS's would also stop at `\r`, U+2028 and U+2029.
 */
const ENCODED_WORD = /=\?([^?]*?)\?([qQbB])\?([^\n]*?)\?=/;

const SPACE_BYTES = new Uint8Array([0x20]);

function toCharset(charset: string | Charset): Charset {
  if (charset instanceof Charset) return charset;
  if (typeof charset !== "string") throw new TypeError("a charset must be a name or a Charset");
  return new Charset(charset);
}

function checkErrors(errors: unknown): void {
  if (errors !== "strict" && errors !== "replace") {
    throw new TypeError(`errors must be "strict" or "replace", got ${JSON.stringify(errors)}`);
  }
}

function checkMaxLineLength(n: unknown): number {
  if (typeof n !== "number" || Number.isNaN(n) || n < 0 || (Number.isFinite(n) && !Number.isInteger(n))) {
    throw new TypeError(`maxLineLength must be a non-negative integer or Infinity (0: never fold), got ${String(n)}`);
  }
  return n;
}

/** Whether a piece in this charset is plain text (Python: charset in (None, 'us-ascii')). */
function isPlain(charset: Charset | null): boolean {
  return charset === null || charset.inputCharset === US_ASCII;
}

/** Python compares charsets by their (input) name. */
function sameCharset(a: Charset, b: Charset): boolean {
  return a.inputCharset === b.inputCharset;
}

/** True for a character that is not RFC 822 ctext: white space, parentheses, backslash. */
function isNonCtext(ch: string): boolean {
  return isSpace(ch) || ch === "(" || ch === ")" || ch === "\\";
}

/** Python's white space (`str.isspace`), which is not JavaScript's `\s`. */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;
const PY_LEADING_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
/** Python's line boundaries (`str.splitlines`). */
const PY_LINE_BREAK = /\r\n|[\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's `str.isspace`: non-empty and all white space. */
function isSpace(s: string): boolean {
  return PY_SPACE.test(s);
}

/** Python's `str.lstrip()`. */
function lstrip(s: string): string {
  return s.replace(PY_LEADING_SPACE, "");
}

/** Python's `str.splitlines()`: no empty last line, nothing at all for "". */
function splitLines(s: string): string[] {
  if (s === "") return [];
  const lines = s.split(PY_LINE_BREAK);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Length in code points, as Python's `len` counts. */
function codePointLength(s: string): number {
  if (!/[\ud800-\udfff]/.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function firstCodePoint(s: string): string {
  const cp = s.codePointAt(0);
  return cp === undefined ? "" : String.fromCodePoint(cp);
}

function lastCodePoint(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  if (s.length >= 2 && last >= 0xdc00 && last <= 0xdfff) {
    const high = s.charCodeAt(s.length - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.slice(-2);
  }
  return s.slice(-1);
}

/**
 * Python's `raw-unicode-escape` codec: code points below 256 as one byte, others as
 * `\uXXXX` or `\UXXXXXXXX`. This is how Python turns header text into bytes.
 */
function rawUnicodeEscape(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x100) {
      out.push(cp);
      continue;
    }
    const escape = cp < 0x10000 ? "\\u" + cp.toString(16).padStart(4, "0") : "\\U" + cp.toString(16).padStart(8, "0");
    for (let i = 0; i < escape.length; i++) out.push(escape.charCodeAt(i));
  }
  return Uint8Array.from(out);
}

/** The RFC 2047 `Q` decoding as Python does it: `_` is a space, `=XX` a code point below 256. */
function qDecode(s: string): string {
  return s.replace(/_/g, " ").replace(/=[0-9A-Fa-f]{2}/g, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
}

const BASE64_VALUES: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * Base64 decoding as Python's `binascii.a2b_base64` does it by default: characters outside
 * the alphabet are skipped, and a complete padding ends the data. `null` when the data
 * cannot be valid (a lone final character, or missing padding).
 */
function base64DecodeLenient(input: Uint8Array): Uint8Array | null {
  const out: number[] = [];
  let quadPos = 0;
  let leftover = 0;
  let pads = 0;
  for (const byte of input) {
    if (byte === 0x3d /* = */) {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const value = BASE64_VALUES[byte] ?? -1;
    if (value < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        leftover = value;
        quadPos = 1;
        break;
      case 1:
        out.push(((leftover << 2) | (value >> 4)) & 0xff);
        leftover = value & 0x0f;
        quadPos = 2;
        break;
      case 2:
        out.push(((leftover << 4) | (value >> 2)) & 0xff);
        leftover = value & 0x03;
        quadPos = 3;
        break;
      default:
        out.push(((leftover << 6) | value) & 0xff);
        leftover = 0;
        quadPos = 0;
    }
  }
  return quadPos === 0 ? Uint8Array.from(out) : null;
}

function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
