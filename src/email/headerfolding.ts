/**
 * Folding of parsed header values into lines, after Python's `_refold_parse_tree`:
 * lines at most `maxLineLength` long when possible, folds at white space between
 * tokens, RFC 2047 encoded words for text that cannot be written as it is, and
 * RFC 2231 for MIME parameters.
 *
 * Where this differs from Python 3.11 on purpose:
 * - no encoded word is longer than 75 characters (RFC 2047 section 2); Python writes
 *   up to 77 on continuation lines, and one unbounded word when lines are not folded;
 * - an encoded word never comes out empty (Python writes `=?utf-8?q??=` when a line
 *   has room for the wrapper but not for one character);
 * - encoded words that the value already held (outside quoted strings) are written as they were (Python decodes
 *   them and writes the text, which may turn `=?utf-8?q?a?=` into plain `a`, or glue
 *   the text to a neighbouring word);
 * - white space between two encoded words goes inside the second one (Python leaves it
 *   between them, where every reader drops it, so that the value loses a space or tab);
 * - a comment folded piece by piece keeps its parentheses (Python drops them, so that
 *   `bob@example.com (Bob Müller)` came out as `bob@example.com Bob =?utf-8?q?M=C3=BCller?=`);
 * - no line is left empty (Python can leave one, which ends the header block);
 * - a continuation line always starts with white space (Python can start one inside an
 *   address, which no reader can unfold);
 * - the punctuation of an address (`:` `;` `<` `>` `@`) is never encoded (Python encodes
 *   a group's colon that does not fit, and the header no longer parses);
 * - text that may not be encoded (an addr-spec, a domain) is never merged into a later
 *   encoded word (Python can encode the domain of an address that precedes a comment);
 * - undecodable bytes are written as U+FFFD in UTF-8, not back in `unknown-8bit`;
 * - a printable ASCII word too long for a line is written whole, on a line of up to 998
 *   octets (Python encodes it to wrap it); only a longer one is encoded;
 * - a parameter value holding a control character (CR, LF, NUL...) is written in RFC 2231
 *   form (Python writes it raw in a quoted string, or fails);
 * - a quoted parameter value holding encoded words is written as it came (Python decodes
 *   it and writes RFC 2231).
 *
 * @module
 */
import { encodeWord } from "./encodedwords.js";
import { MAX_LINE_OCTETS } from "./encoders.js";
import { HeaderParseError } from "./errors.js";
import {
  BareQuotedString,
  EWWhiteSpaceTerminal,
  EncodedWord,
  HeaderLabel,
  MimeParameters,
  MsgID,
  Parameter,
  SPECIALS,
  Terminal,
  Token,
  TokenList,
  ValueTerminal,
  WhiteSpaceTerminal,
  WSP,
  hasAny,
  pyRstrip,
  pyStrip,
  quoteString,
} from "./headertokens.js";
import { getUnstructured } from "./headervalueparser.js";

/** The policy attributes folding depends on. */
export interface FoldOptions {
  /** Line separator written between and after lines. */
  readonly linesep: string;
  /** Longest line wanted; `0` or `Infinity` means do not fold. */
  readonly maxLineLength: number;
  /** Write non-ASCII text as it is (RFC 6532) rather than as encoded words. */
  readonly utf8: boolean;
}

/** The longest encoded word RFC 2047 allows. */
export const MAX_ENCODED_WORD_LENGTH = 75;

const SPECIALSNL = new Set([...SPECIALS, "\n", "\r"]);
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const PRINTABLE_TEXT = /^[\x20-\x7e\t]*$/;
const NON_ASCII = /[^\x00-\x7f]/;
const CHARSET = "utf-8";
const CHROME_LENGTH = CHARSET.length + 7;

/** An encoded word from the source, written as it came. */
class LiteralWord extends ValueTerminal {
  override asEwAllowed = false;
}
/** The decoded text of an encoded word that cannot be written as it came: it is encoded again. */
class ReencodedWord extends ValueTerminal {
  override ewCombineAllowed = false;
}

/** Whether an encoded word from the source can be written back unchanged. */
function keepsLiteral(ew: EncodedWord): boolean {
  return ew.source.length > 0 && ew.source.length <= MAX_ENCODED_WORD_LENGTH && !/\s/.test(ew.source);
}

/** What the folder writes for a token (Python's `str(token)`, but encoded words as written). */
export function foldText(token: Token, memo: Map<Token, string> = new Map()): string {
  const known = memo.get(token);
  if (known !== undefined) return known;
  let out: string;
  if (token instanceof EWWhiteSpaceTerminal) out = token.text;
  else if (token instanceof Terminal) out = token.toString();
  else if (token instanceof EncodedWord) out = keepsLiteral(token) ? token.source : token.toString();
  // Inside quotes an encoded word is text (RFC 2047 section 5); Python decodes it there,
  // and so does the folder, so that a quoted name is written as Python writes it.
  else if (token instanceof BareQuotedString) out = token.toString();
  else if (token instanceof MimeParameters) out = mimeParametersText(token);
  else if (token.tokenType === "comment") out = token.toString();
  else out = token.items.map((t) => foldText(t, memo)).join("");
  memo.set(token, out);
  return out;
}

const SURROGATE = /[\ud800-\udfff]/;

/** The length of text in code points, as Python counts it. */
export function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text.slice` by code points. */
function codePointSlice(text: string, start: number, end?: number): string {
  if (!SURROGATE.test(text)) return text.slice(start, end);
  return Array.from(text).slice(start, end).join("");
}

/**
 * The folded lines, measured in code points (as Python measures them). The last line is kept in pieces so that appending to it and
 * cutting back its end (when an encoded word is merged with the next text) cost no
 * more than the pieces touched, however long an unfolded line grows.
 */
class Lines {
  private readonly done: string[] = [];
  private pieces: string[] = [];
  private size = 0;

  /** The length of the last line. */
  get lastLength(): number {
    return this.size;
  }
  /** Whether the last line is the first one. */
  get isFirst(): boolean {
    return this.done.length === 0;
  }
  /** Appends text to the last line. */
  append(text: string): void {
    if (!text) return;
    this.pieces.push(text);
    this.size += codePointLength(text);
  }
  /**
   * Starts a new line holding `text`. When the last line is empty (everything on it was
   * moved on), `text` goes there instead: an empty line would end the header block
   * (Python writes one, when a part moves on together with the only space on its line).
   */
  newLine(text: string): void {
    if (this.size === 0 && this.done.length > 0) {
      this.pieces = [];
      this.append(text);
      return;
    }
    this.done.push(this.pieces.join(""));
    this.pieces = [];
    this.size = 0;
    this.append(text);
  }
  /** The last line from position `from` on. */
  lastFrom(from: number): string {
    let start = this.size;
    let i = this.pieces.length;
    while (i > 0 && start > from) start -= codePointLength(this.pieces[--i]!);
    return codePointSlice(this.pieces.slice(i).join(""), from - start);
  }
  /** Cuts the last line back to its first `length` characters. */
  truncate(length: number): void {
    while (this.size > length) {
      const piece = this.pieces.pop()!;
      this.size -= codePointLength(piece);
      if (this.size < length) {
        this.pieces.push(codePointSlice(piece, 0, length - this.size));
        this.size = length;
      }
    }
  }
  /** The last character of the last line, or "". */
  lastChar(): string {
    return this.pieces.at(-1)?.at(-1) ?? "";
  }
  /** The last character of the last line that is not Python white space, or "". */
  lastNonSpaceChar(): string {
    for (let i = this.pieces.length - 1; i >= 0; i--) {
      const trimmed = pyRstrip(this.pieces[i]!);
      if (trimmed) return trimmed.at(-1)!;
    }
    return "";
  }
  /**
   * The spaces and tabs at the end of the last line, or "" — but the whole line when it
   * is blank, since a continuation line's first character is white space too.
   */
  trailingSpace(): string {
    const line = this.pieces.join("");
    const match = /[ \t]+$/.exec(line);
    return match ? match[0] : "";
  }
  /** Whether the last line holds only white space. */
  lastIsBlank(): boolean {
    return this.pieces.every((p) => p.trim() === "");
  }
  /** Removes the last line's trailing space or tab and returns it (or ""). */
  stealTrailingWsp(): string {
    const ch = this.lastChar();
    if (ch && WSP.has(ch)) {
      this.truncate(this.size - 1);
      return ch;
    }
    return "";
  }
  join(linesep: string): string {
    return [...this.done, this.pieces.join("")].join(linesep);
  }
}

function canEncode(text: string, utf8: boolean): boolean {
  return utf8 || !NON_ASCII.test(text);
}

const END_BLOCK = Symbol("end of a part that may not be encoded");

/**
 * The punctuation that gives an address or a parameter list its structure. Python
 * encodes it when it does not fit on a line (writing a group's colon as
 * `=?utf-8?q?=3A?=`), after which the header no longer parses; it is never encoded here.
 */
const STRUCTURAL = new Set([
  "group-display-name-terminator",
  "group-terminator",
  "angle-addr-start",
  "angle-addr-end",
  "address-at-symbol",
  "route-component-marker",
  "end-of-obs-route-marker",
  "msg-id-start",
  "msg-id-end",
  "parameter-separator",
  "content-type-separator",
  "version-separator",
  "header-sep",
]);

/** Whether the folder may write a token as encoded words. */
function mayEncode(token: Token): boolean {
  return token.asEwAllowed && !(token instanceof Terminal && STRUCTURAL.has(token.tokenType));
}

/** Marks the end of a comment's pieces: the encoding block in force before it comes back. */
class RestoreBlock {
  constructor(readonly blocked: number) {}
}

/** Text inside a comment: written with `\\`, `(` and `)` escaped, encoded as it is. */
class CommentText extends WhiteSpaceTerminal {
  constructor(readonly raw: string) {
    super(raw.replace(/[\\()]/g, "\\$&"), "ptext");
  }
}

/** A parenthesis of a comment being folded piece by piece: never encoded, never a fold point. */
function parenthesis(text: "(" | ")"): ValueTerminal {
  const token = new ValueTerminal(text, text === "(" ? "comment-start" : "comment-end");
  token.asEwAllowed = false;
  token.syntacticBreak = false;
  return token;
}

/**
 * Puts the children of a part on the stack to be folded one by one. A comment keeps its
 * parentheses and the escapes of its text (Python drops them, which turns the comment
 * into part of the address or of the display name).
 */
function pushChildren(stack: Array<Token | typeof END_BLOCK | RestoreBlock>, part: TokenList, blocked: number): void {
  const isComment = part.tokenType === "comment";
  // Text in a comment may be encoded even inside an addr-spec: the caller clears the
  // block for the comment's pieces, and this marker puts it back after them.
  if (isComment) stack.push(new RestoreBlock(blocked));
  if (isComment) stack.push(parenthesis(")"));
  const inQuotes = part instanceof BareQuotedString;
  for (let i = part.items.length - 1; i >= 0; i--) {
    const child = part.items[i]!;
    if (inQuotes && child instanceof EWWhiteSpaceTerminal) continue;
    if (inQuotes && child instanceof EncodedWord) {
      for (let j = child.items.length - 1; j >= 0; j--) stack.push(child.items[j]!);
      continue;
    }
    stack.push(isComment && child instanceof Terminal && child.tokenType === "ptext" ? new CommentText(child.text) : child);
  }
  if (isComment) stack.push(parenthesis("("));
}

/**
 * Folds a parse tree into lines (Python's `_refold_parse_tree`).
 * @returns the folded text, each line ended by `options.linesep`.
 * @throws HeaderParseError when `maxLineLength` is too small to hold an encoded word.
 */
export function refoldParseTree(tree: TokenList, options: FoldOptions): string {
  const memo = new Map<Token, string>();
  const maxlen = options.maxLineLength > 0 ? options.maxLineLength : Infinity;
  const lines = new Lines();
  let lastEw: number | null = null;
  let afterEw = false; // the last thing written that is not white space is an encoded word
  let wrapAsEwBlocked = 0;
  let wantEncoding = false;
  const stack: Array<Token | typeof END_BLOCK | RestoreBlock> = [...tree.items].reverse();
  // Where the value starts on the first line: after "Name:" and one space.
  const label = tree.items[0];
  const labelEnd = label instanceof HeaderLabel ? codePointLength(foldText(label, memo)) + 1 : 0;
  while (stack.length > 0) {
    let part = stack.pop()!;
    if (part === END_BLOCK) {
      wrapAsEwBlocked--;
      continue;
    }
    if (part instanceof RestoreBlock) {
      wrapAsEwBlocked = part.blocked;
      continue;
    }
    if (part instanceof EncodedWord) {
      part = keepsLiteral(part) ? new LiteralWord(part.source, "encoded-word") : new ReencodedWord(part.toString(), "vtext");
    }
    const tstr = foldText(part, memo);
    if (!wantEncoding) {
      wantEncoding = part.tokenType === "ptext" ? hasAny(tstr, SPECIALSNL) : /[\r\n]/.test(tstr);
    }
    if (part instanceof ReencodedWord) wantEncoding = true;
    if (!canEncode(tstr, options.utf8)) wantEncoding = true;
    if (part instanceof MimeParameters) {
      foldMimeParameters(part, lines, maxlen, options.utf8);
      continue;
    }
    if (part instanceof LiteralWord) lastEw = null;
    const writes = (text: string): void => {
      if (/[^ \t]/.test(text)) afterEw = part instanceof LiteralWord;
    };
    if (wantEncoding && !wrapAsEwBlocked) {
      if (!part.asEwAllowed) {
        wantEncoding = false;
        lastEw = null;
        if (part.syntacticBreak && part instanceof TokenList) {
          const encodedPart =
            part instanceof MsgID ? foldText(part, memo) : refoldParseTree(part, options).slice(0, -options.linesep.length);
          if (!encodedPart.includes(options.linesep)) {
            if (codePointLength(encodedPart) > maxlen - lines.lastLength) {
              // A new line must start with white space; Python starts one without any
              // (making "To: bob@" + "example.com" two lines), which cannot be unfolded.
              const newline = lines.stealTrailingWsp();
              if (newline || WSP.has(encodedPart[0] ?? "")) lines.newLine(newline);
            }
            lines.append(encodedPart);
            writes(encodedPart);
            continue;
          }
        }
      }
      if (part instanceof TokenList) {
        // Python lets the pieces of an addr-spec be encoded here, to wrap them; an
        // encoded address is no longer the address, so they are kept as they are
        // (comments inside them may still be encoded).
        if (part.neverEncoded) {
          wrapAsEwBlocked++;
          stack.push(END_BLOCK);
        }
        pushChildren(stack, part, wrapAsEwBlocked);
        if (part.tokenType === "comment") wrapAsEwBlocked = 0;
        wantEncoding = false;
        continue;
      } else if (mayEncode(part)) {
        lastEw = foldAsEw(part instanceof CommentText ? part.raw : tstr, lines, maxlen, lastEw, part.ewCombineAllowed, afterEw);
        afterEw = true;
        wantEncoding = false;
        continue;
      } else {
        lastEw = null;
        wantEncoding = false;
      }
    }
    // Text that may not be encoded must never be merged into a later encoded word
    // (Python merges it, and can turn the domain of an address into an encoded word).
    if (!mayEncode(part) || wrapAsEwBlocked) lastEw = null;
    const tlen = codePointLength(tstr);
    if (tlen <= maxlen - lines.lastLength) {
      lines.append(tstr);
      writes(tstr);
      continue;
    }
    if (part.syntacticBreak && tlen + 1 <= maxlen) {
      const newline = lines.stealTrailingWsp();
      // Python asks the token whether it starts with folding white space; comment text
      // says yes without any, which starts a line that cannot be unfolded. Ask the text.
      if (newline || WSP.has(tstr[0] ?? "")) {
        lines.newLine(newline + tstr);
        writes(tstr);
        lastEw = null;
        continue;
      }
    }
    if (part instanceof TokenList) {
      if (!part.asEwAllowed) {
        wrapAsEwBlocked++;
        stack.push(END_BLOCK);
      }
      pushChildren(stack, part, wrapAsEwBlocked);
      if (part.tokenType === "comment") wrapAsEwBlocked = 0;
      continue;
    }
    if (mayEncode(part) && !wrapAsEwBlocked) {
      // It needs no encoding, but encoding it is the only way to wrap it. Python does
      // that to pure ASCII too (a long URL becomes `=?utf-8?q?https=3A//...?=`); here a
      // printable ASCII token that no fold can make fit is written whole, on a line of up
      // to 998 octets (RFC 5322 §2.1.1), and only a longer one is encoded.
      const canBreakBefore = WSP.has(lines.lastChar()) || WSP.has(tstr[0] ?? "");
      const wholeLine = (canBreakBefore ? 1 : lines.lastLength) + tlen;
      const tooLong = tlen + 1 > maxlen || !canBreakBefore;
      if (!PRINTABLE_ASCII.test(tstr) || !tooLong || wholeLine > MAX_LINE_OCTETS) {
        stack.push(part);
        wantEncoding = true;
        continue;
      }
      if (lines.isFirst && lines.lastLength <= labelEnd && lines.lastLength + tlen <= MAX_LINE_OCTETS) {
        // The first thing after "Name: ": a new line would leave the first one empty.
        lines.append(tstr);
        writes(tstr);
        lastEw = null;
        continue;
      }
    }
    const newline = lines.stealTrailingWsp();
    if (newline || WSP.has(tstr[0] ?? "")) lines.newLine(newline + tstr);
    else lines.append(tstr);
    writes(tstr);
  }
  return lines.join(options.linesep) + options.linesep;
}

// ------------------------------------------------------------------ encoded words

const Q_SAFE = /^[-!*+/A-Za-z0-9 ]$/;

/** The UTF-8 length and Q-encoded length of one code point. */
function utf8Lengths(ch: string): { bytes: number; q: number } {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return { bytes: 1, q: Q_SAFE.test(ch) ? 1 : 3 };
  const bytes = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  return { bytes, q: bytes * 3 };
}

/**
 * How many of `chars` (from `start`) fit in one UTF-8 encoded word of at most `room`
 * characters: the largest count up to `limit` whose word fits, looking down from
 * `limit` as Python does (the shorter of Q and B is not monotonic in the count).
 */
function fittingPrefix(chars: readonly string[], start: number, limit: number, room: number): number {
  const n = Math.min(limit, chars.length - start);
  const lengths: number[] = [CHROME_LENGTH];
  let q = 0;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const one = utf8Lengths(chars[start + i]!);
    q += one.q;
    bytes += one.bytes;
    const b = Math.ceil(bytes / 3) * 4;
    lengths.push(CHROME_LENGTH + (q - b < 5 ? q : b));
  }
  for (let k = n; k > 0; k--) if (lengths[k]! <= room) return k;
  return 0;
}

/**
 * Writes text as encoded words, merging with the encoded word already at the end of
 * the last line when allowed (Python's `_fold_as_ew`).
 * @returns where the last encoded word starts in the last line, for merging, or null.
 */
function foldAsEw(
  text: string,
  lines: Lines,
  maxlen: number,
  lastEw: number | null,
  ewCombineAllowed: boolean,
  afterEw: boolean,
): number | null {
  let toEncode = text;
  const combined = lastEw !== null && ewCombineAllowed;
  let carried = false;
  if (combined) {
    toEncode = getUnstructured(lines.lastFrom(lastEw) + toEncode).toString();
    lines.truncate(lastEw);
  } else if (afterEw) {
    // White space between this encoded word and the one before would be dropped by
    // every reader (RFC 2047 section 6.2), losing a space of the value (Python loses
    // it): it goes inside this encoded word, and one space separates the two.
    const gap = lines.trailingSpace();
    if (gap) {
      lines.truncate(lines.lastLength - codePointLength(gap));
      lines.append(" ");
      toEncode = gap + toEncode;
      carried = true;
    }
  }
  // Leading white space is written before the encoded word, unless it came from the
  // encoded word being merged or from between two encoded words: there it must stay
  // encoded (Python moves it out, and it is lost when the word before is also encoded).
  if (!combined && !carried && toEncode.length > 0 && WSP.has(toEncode[0]!)) {
    const leading = toEncode[0]!;
    toEncode = toEncode.slice(1);
    if (lines.lastLength === maxlen) lines.newLine(lines.stealTrailingWsp());
    lines.append(leading);
  }
  let trailing = "";
  if (toEncode.length > 0 && WSP.has(toEncode.at(-1)!)) {
    trailing = toEncode.at(-1)!;
    toEncode = toEncode.slice(0, -1);
  }
  let newLastEw = lastEw === null ? lines.lastLength : lastEw;
  if (CHROME_LENGTH + 1 >= maxlen) {
    throw new HeaderParseError("max_line_length is too small to fit an encoded word");
  }
  const chars = Array.from(toEncode);
  let pos = 0;
  while (pos < chars.length) {
    const room = Math.min(maxlen - lines.lastLength, MAX_ENCODED_WORD_LENGTH);
    const textSpace = room - CHROME_LENGTH;
    if (textSpace <= 0) {
      lines.newLine(lines.stealTrailingWsp() || " ");
      newLastEw = 1;
      continue;
    }
    let count = fittingPrefix(chars, pos, textSpace, room);
    if (count === 0) {
      if (!lines.lastIsBlank()) {
        // Not even one character fits after what the line holds: use a new line, whose
        // first character is the space that ended this one (leaving it there too would
        // double it when the lines are joined; Python writes an empty word instead).
        lines.newLine(lines.stealTrailingWsp() || " ");
        newLastEw = 1;
        continue;
      }
      count = 1; // a line of its own is too short for this character; write it anyway
    }
    lines.append(encodeWord(chars.slice(pos, pos + count).join(""), { charset: CHARSET }));
    pos += count;
    if (pos < chars.length) {
      if (maxlen === Infinity) lines.append(" ");
      else lines.newLine(" ");
      newLastEw = lines.lastLength;
    }
  }
  lines.append(trailing);
  return ewCombineAllowed ? newLastEw : null;
}

// ------------------------------------------------------------------ MIME parameters

const PERCENT_SAFE = /^[A-Za-z0-9_.\-~]$/;
/** Characters a quoted string may not carry: C0 controls but TAB, and DEL. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function percentQuote(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && PERCENT_SAFE.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Whether a parameter value must be written in RFC 2231 form (percent-encoded). */
function paramNeedsEncoding(value: string, utf8: boolean): boolean {
  // A control character (a decoded %0A, %00 or encoded word) cannot go in a quoted
  // string: written raw, a CR or LF would end the header and a NUL is never allowed
  // (Python writes them raw, or fails). RFC 2231 percent-encoding keeps it.
  return !canEncode(value, utf8) || CONTROL.test(value);
}

/**
 * One parameter as written on a line: `name="value"`, or `name*=charset''%XX` when it
 * must be encoded, or the caller's quoted text when it held encoded words (`literal`).
 */
function paramText(name: string, value: string, utf8: boolean, literal?: string): string {
  if (literal !== undefined && !CONTROL.test(value)) return `${name}=${quoteString(literal)}`;
  if (!paramNeedsEncoding(value, utf8)) return `${name}=${quoteString(value)}`;
  return `${name}*=utf-8''${percentQuote(value)}`;
}

/**
 * The quoted values that hold encoded words (`filename="=?utf-8?q?f=C3=BC.txt?="`, as
 * many mailers write them), by parameter name, as the caller wrote them. Python decodes
 * them and writes RFC 2231 instead; they are written back as they came (a value that
 * decodes to a control character excepted, see {@link paramNeedsEncoding}).
 */
function literalParams(part: MimeParameters): Map<string, string> {
  const found = new Map<string, string | undefined>();
  for (const param of part.items) {
    if (!(param instanceof Parameter) || param.tokenType !== "parameter" || param.at(0)?.tokenType !== "attribute") continue;
    const name = pyStrip(param.at(0)!.value);
    const bare = param.sectioned || param.extended ? undefined : bareQuotedValue(param);
    const literal = bare?.items.some((t) => t instanceof EncodedWord && keepsLiteral(t)) ? asWritten(bare) : undefined;
    // A name given twice is not written back as it came.
    found.set(name, found.has(name) ? undefined : literal);
  }
  const out = new Map<string, string>();
  for (const [name, literal] of found) if (literal !== undefined && PRINTABLE_TEXT.test(literal)) out.set(name, literal);
  return out;
}

/** The bare quoted string of a parameter's value, if its value is one. */
function bareQuotedValue(param: Parameter): TokenList | undefined {
  const value = param.items.find((t): t is TokenList => t.tokenType === "value" && t instanceof TokenList);
  const quoted = value?.items.find((t): t is TokenList => t.tokenType === "quoted-string" && t instanceof TokenList);
  return quoted?.items.find((t): t is TokenList => t instanceof BareQuotedString);
}

/** The text of a quoted string's content with its encoded words as written. */
function asWritten(bare: TokenList): string {
  return bare.items.map((t) => (t instanceof EncodedWord ? t.source : t instanceof EWWhiteSpaceTerminal ? t.text : String(t))).join("");
}

/**
 * The parameters as written when they fit a line (Python's `str(token)`), except that a
 * value with a control character is percent-encoded and a quoted value holding encoded
 * words is written as it came. Non-ASCII values are left as they are here: the folder
 * sees them and writes the parameters piece by piece.
 */
function mimeParametersText(token: MimeParameters): string {
  const literals = literalParams(token);
  const out = token.params.map(([name, value]) => (!value ? name : paramText(name, value, true, literals.get(name)))).join("; ");
  return out ? ` ${out}` : "";
}

/**
 * Writes MIME parameters as `name="value"`, or in RFC 2231 form (`name*=utf-8''...`,
 * split into `name*0*=` sections) when the value cannot be written as it is or is too
 * long for a line (Python's `_fold_mime_parameters`).
 */
function foldMimeParameters(part: MimeParameters, lines: Lines, maxlenIn: number, utf8: boolean): void {
  let maxlen = maxlenIn;
  const literals = literalParams(part);
  for (const [name, value] of part.params) {
    if (lines.lastNonSpaceChar() !== ";") lines.append(";");
    const encodingRequired = paramNeedsEncoding(value, utf8);
    const charset = encodingRequired || utf8 ? "utf-8" : "us-ascii";
    const literal = CONTROL.test(value) ? undefined : literals.get(name);
    const tstr = paramText(name, value, utf8, literal);
    const tlen = codePointLength(tstr);
    if (lines.lastLength + tlen + 1 < maxlen) {
      lines.append(` ${tstr}`);
      continue;
    } else if (tlen + 2 <= maxlen || (literal !== undefined && tlen + 1 <= MAX_LINE_OCTETS)) {
      // The caller's encoded words go on a line of their own, however long (up to 998
      // octets): RFC 2231 sections would rewrite them.
      lines.newLine(` ${tstr}`);
      continue;
    }
    // Sections, all of them encoded.
    const chars = Array.from(value);
    let pos = 0;
    let section = 0;
    let extraChrome = `${charset}''`;
    while (pos < chars.length) {
      const chromeLen = name.length + String(section).length + 3 + extraChrome.length;
      if (maxlen <= chromeLen + 3) maxlen = 78;
      const maxchars = maxlen - chromeLen - 2;
      let encoded = "";
      let count = 0;
      while (pos + count < chars.length) {
        const next = percentQuote(chars[pos + count]!);
        if (encoded.length + next.length > maxchars) break;
        encoded += next;
        count++;
      }
      if (count === 0) {
        encoded = percentQuote(chars[pos]!);
        count = 1;
      }
      lines.newLine(` ${name}*${section}*=${extraChrome}${encoded}`);
      extraChrome = "";
      section++;
      pos += count;
      if (pos < chars.length) lines.append(";");
    }
  }
}
