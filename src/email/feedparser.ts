/**
 * The incremental message parser (Python's `email.feedparser`): line splitting,
 * header blocks, multipart boundaries and the defects found on the way.
 *
 * The parser follows the algorithm of Python's `FeedParser` closely, because the
 * shape of its result (where a line ending goes: to the preamble, to a part, to the
 * boundary) is what lets the generator write a parsed message back byte for byte.
 * It differs from Python where Python breaks:
 * - Nesting (multipart in multipart, message/rfc822 in message/rfc822, ...) deeper
 *   than {@link MAX_NESTING_DEPTH} levels is not parsed further: the too-deep part keeps
 *   its body as text and gets a `MultipartInvariantViolationDefect`. Python dies with
 *   a RecursionError somewhere past 250 levels; here a 10,000-deep attempt parses.
 * - Every defect goes through `policy.handleDefect`, so `policy.strict` throws the first
 *   one. Python appends `MisplacedEnvelopeHeaderDefect` and the "missing header name"
 *   `InvalidHeaderDefect` directly, so that its strict policy lets them pass; and it never
 *   raises the defects of header values. Under raiseOnDefect, headers are parsed as they
 *   are read, and the first defect of a header value is thrown too.
 * - Time is linear in the input: boundary lines are recognised with one lookup in a
 *   table of the active boundaries, not by trying every enclosing boundary in turn.
 *
 * Internally the input is held as "binary strings" (one character per octet,
 * Latin-1), which is how Python's BytesFeedParser holds it too (ASCII with
 * surrogate escapes). No such string leaves this module: headers are handed to the
 * message as text (ASCII) or as {@link RawHeaderValue} octets (8-bit, read as UTF-8),
 * bodies as text (ASCII) or `Uint8Array`.
 *
 * @module
 */
import {
  CloseBoundaryNotFoundDefect,
  FirstHeaderLineIsContinuationDefect,
  InvalidHeaderDefect,
  InvalidMultipartContentTransferEncodingDefect,
  MessageDefect,
  MisplacedEnvelopeHeaderDefect,
  MissingHeaderBodySeparatorDefect,
  MultipartInvariantViolationDefect,
  NoBoundaryInMultipartDefect,
  StartBoundaryNotFoundDefect,
} from "./errors.js";
import type { BaseHeader } from "./headerregistry.js";
import { EmailMessage, Message } from "./message.js";
import type { Compat32, EmailPolicy, Policy } from "./policy.js";
import { RawHeaderValue } from "./rawheader.js";
import { recordLayout } from "./sourcelayout.js";

/**
 * How deep parts may nest before the parser stops descending: a part at this depth
 * (the root is depth 0) whose type is multipart/* or message/* keeps its body as
 * text, with a `MultipartInvariantViolationDefect`. Python's own parser fails with a
 * RecursionError a little above 250 levels; real mail rarely nests beyond ten.
 */
export const MAX_NESTING_DEPTH = 200;

/** The message class a parse with policy `P` returns: `EmailMessage` for modern policies, `Message` for compat32. */
export type ParsedMessage<P extends Policy> = P extends EmailPolicy ? EmailMessage : P extends Compat32 ? Message : EmailMessage | Message;

// ------------------------------------------------------------------ lines

/** Returned by {@link LineQueue.readline} when no complete line is buffered yet. */
const NEED_MORE_DATA: unique symbol = Symbol("need more data");
type NeedMoreData = typeof NEED_MORE_DATA;

/** A line end at the very start of a line: the line is empty (Python's NLCRE.match). */
function isBlankLine(line: string): boolean {
  const c = line.charCodeAt(0);
  return c === 0x0d || c === 0x0a;
}

/** The length of the line ending at the end of `line` (0, 1 or 2). */
function lineEndingLength(line: string): number {
  const n = line.length;
  const last = line.charCodeAt(n - 1);
  if (last === 0x0a) return n >= 2 && line.charCodeAt(n - 2) === 0x0d ? 2 : 1;
  return last === 0x0d ? 1 : 0;
}

/** `text` without one final line ending (Python's NLCRE_eol strip). */
function stripLineEnding(text: string): string {
  const n = lineEndingLength(text);
  return n === 0 ? text : text.slice(0, -n);
}

/** `text` without one leading line ending (Python's NLCRE_bol strip). */
function stripLeadingLineEnding(text: string): string {
  if (text.startsWith("\r\n")) return text.slice(2);
  return isBlankLine(text) ? text.slice(1) : text;
}

/**
 * Where a boundary line leads: `--boundary`, then `--` for the close boundary, then
 * blanks and the line ending (Python's boundaryre).
 */
interface BoundaryMatch {
  readonly end: boolean;
  /** The blanks after the delimiter (RFC 2046 transport padding). */
  readonly padding: string;
  readonly linesep: string;
}

/** Matches `line` against the delimiter `separator` (`"--" + boundary`). */
function matchBoundary(line: string, separator: string): BoundaryMatch | undefined {
  if (!line.startsWith(separator)) return undefined;
  let i = separator.length;
  const end = line.startsWith("--", i);
  if (end) i += 2;
  const paddingStart = i;
  while (i < line.length && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09)) i++;
  const rest = line.slice(i);
  if (rest === "" || rest === "\n" || rest === "\r" || rest === "\r\n") {
    return { end, padding: line.slice(paddingStart, i), linesep: rest };
  }
  return undefined;
}

/**
 * The body of a would-be boundary line: without its line ending and trailing blanks,
 * and without the leading `--`; `undefined` when the line does not start with `--`.
 */
function boundaryCandidate(line: string): string | undefined {
  if (line.charCodeAt(0) !== 0x2d || line.charCodeAt(1) !== 0x2d) return undefined;
  let end = line.length - lineEndingLength(line);
  while (end > 2 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  return line.slice(2, end);
}

type EofMatcher = { readonly kind: "boundary"; readonly boundary: string } | { readonly kind: "blank" };

/**
 * The buffered input (Python's BufferedSubFile): data is pushed in, complete lines
 * come out, and a stack of "false end of file" matchers makes a line that closes an
 * enclosing part read as the end of input, so that each part parses until its EOF.
 */
class LineQueue {
  private partial: string[] = [];
  private lines: string[] = [];
  private head = 0;
  private pushedBack: string[] = [];
  private closed = false;
  private readonly matchers: EofMatcher[] = [];
  private readonly activeBoundaries = new Map<string, number>();
  private activeBlankMatchers = 0;

  pushEofMatcher(matcher: EofMatcher): void {
    this.matchers.push(matcher);
    if (matcher.kind === "blank") this.activeBlankMatchers++;
    else this.activeBoundaries.set(matcher.boundary, (this.activeBoundaries.get(matcher.boundary) ?? 0) + 1);
  }

  popEofMatcher(): void {
    const matcher = this.matchers.pop();
    if (matcher === undefined) return;
    if (matcher.kind === "blank") {
      this.activeBlankMatchers--;
      return;
    }
    const count = (this.activeBoundaries.get(matcher.boundary) ?? 1) - 1;
    if (count === 0) this.activeBoundaries.delete(matcher.boundary);
    else this.activeBoundaries.set(matcher.boundary, count);
  }

  /** Adds data; complete lines become readable. A final CR waits: the next data may start with LF. */
  push(data: string): void {
    this.partial.push(data);
    if (data.indexOf("\n") < 0 && data.indexOf("\r") < 0) return;
    const text = this.partial.length === 1 ? data : this.partial.join("");
    this.partial = [];
    const { lines, rest } = splitLines(text);
    if (rest !== "") this.partial.push(rest);
    else if (lines.length > 0 && lines[lines.length - 1]!.endsWith("\r")) this.partial.push(lines.pop()!);
    this.append(lines);
  }

  /** No more data: the partial line, if any, becomes the last line. */
  close(): void {
    const text = this.partial.join("");
    this.partial = [];
    const { lines, rest } = splitLines(text);
    if (rest !== "") lines.push(rest);
    this.append(lines);
    this.closed = true;
  }

  private append(lines: string[]): void {
    if (lines.length === 0) return;
    if (this.head > 0 && this.head * 2 >= this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
    for (const line of lines) this.lines.push(line);
  }

  /**
   * The next line; `""` at the end of input or at a line that closes an enclosing
   * part (the line stays unread); {@link NEED_MORE_DATA} when more input is needed.
   */
  readline(): string | NeedMoreData {
    let line: string;
    if (this.pushedBack.length > 0) line = this.pushedBack.pop()!;
    else if (this.head < this.lines.length) line = this.lines[this.head++]!;
    else return this.closed ? "" : NEED_MORE_DATA;
    if (this.atFalseEof(line)) {
      this.pushedBack.push(line);
      return "";
    }
    return line;
  }

  /** Puts a line back to be read again. */
  unreadline(line: string): void {
    this.pushedBack.push(line);
  }

  /**
   * Whether `line` closes an enclosing part: a delimiter of any enclosing multipart
   * (RFC 2046 5.1.2 asks for outer boundaries to be recognised at any depth), or a
   * blank line inside a message/delivery-status block.
   */
  private atFalseEof(line: string): boolean {
    if (this.activeBlankMatchers > 0 && isBlankLine(line)) return true;
    if (this.activeBoundaries.size === 0) return false;
    const candidate = boundaryCandidate(line);
    if (candidate === undefined) return false;
    if (this.activeBoundaries.has(candidate)) return true;
    return candidate.endsWith("--") && this.activeBoundaries.has(candidate.slice(0, -2));
  }
}

/** Splits text into lines that keep their endings (CRLF, CR or LF), and the unterminated rest. */
function splitLines(text: string): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (c === 0x0d) {
      if (i + 1 < n && text.charCodeAt(i + 1) === 0x0a) i++;
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  return { lines, rest: text.slice(start) };
}

// ---------------------------------------------------------------- parsing

/** RFC 5322 field name and colon, a continuation line, or a Unix "From " line (Python's headerRE). */
const HEADER_LINE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const NON_ASCII = /[^\x00-\x7f]/;
const UTF8_LENIENT = new TextDecoder("utf-8");

/** What the parser knows about one message while parsing, until {@link FeedParserCore.close} stores it. */
interface Node {
  readonly msg: Message;
  /** The content type, read once when the headers are in (reading it parses Content-Type). */
  ctype: string;
  /** The body as a binary string, for leaf parts. */
  body: string | undefined;
  preamble: string | undefined;
  epilogue: string | undefined;
  /**
   * A multipart or message part whose body is kept as text (too deep, no boundary, no
   * start delimiter): the line ending before the next delimiter is taken off its body.
   */
  textBody: boolean;
}

function octets(binary: string): Uint8Array {
  return new Uint8Array(Buffer.from(binary, "latin1"));
}

/** Text from a binary string: ASCII as it is, otherwise UTF-8 (invalid sequences become U+FFFD). */
function textOf(binary: string): string {
  return NON_ASCII.test(binary) ? UTF8_LENIENT.decode(octets(binary)) : binary;
}

/**
 * The parsing engine shared by every entry point. Python's `_parsegen` is a generator
 * that suspends when it runs out of lines; so is {@link FeedParserCore.parsegen}.
 * @internal
 */
export class FeedParserCore {
  private readonly input = new LineQueue();
  private readonly stack: Node[] = [];
  private readonly nodes: Node[] = [];
  private last: Node | undefined;
  private readonly parser: Generator<NeedMoreData, void, undefined>;
  private root: Message | undefined;
  private finished = false;

  constructor(
    readonly policy: Policy,
    private readonly headersOnly: boolean,
  ) {
    this.parser = this.parsegen(0);
  }

  /** Pushes a binary string (one character per octet) into the parser. */
  feed(data: string): void {
    if (this.finished) throw new TypeError("the parser is closed; make a new one to parse another message");
    this.input.push(data);
    this.parser.next();
  }

  /** Parses what remains and returns the root message. */
  close(): Message {
    if (this.root !== undefined) return this.root;
    this.finished = true;
    this.input.close();
    this.parser.next();
    for (const node of this.nodes) this.store(node);
    const root = this.nodes[0]!.msg;
    if (root.getContentMaintype() === "multipart" && !root.isMultipart() && !this.headersOnly) {
      this.defect(
        root,
        new MultipartInvariantViolationDefect("the message says it is multipart, but its body could not be split into parts"),
      );
    }
    this.root = root;
    return root;
  }

  private store(node: Node): void {
    const { msg } = node;
    if (node.body !== undefined) {
      msg.setPayload(NON_ASCII.test(node.body) ? octets(node.body) : node.body);
    }
    if (node.preamble !== undefined) msg.preamble = textOf(node.preamble);
    if (node.epilogue !== undefined) msg.epilogue = textOf(node.epilogue);
  }

  private defect(msg: Message, defect: MessageDefect): void {
    this.policy.handleDefect(msg, defect);
  }

  private newMessage(): Node {
    const msg = this.policy.isModern ? new EmailMessage(this.policy) : new Message(this.policy);
    const parent = this.stack[this.stack.length - 1];
    if (parent !== undefined) {
      if (parent.ctype === "multipart/digest") msg.setDefaultType("message/rfc822");
      parent.msg.attach(msg);
    }
    const node: Node = { msg, ctype: msg.getDefaultType(), body: undefined, preamble: undefined, epilogue: undefined, textBody: false };
    this.stack.push(node);
    this.nodes.push(node);
    this.last = node;
    return node;
  }

  private popMessage(): void {
    this.stack.pop();
  }

  /** Reads every line up to the (possibly false) end of input. */
  private *readToEof(into: string[] | undefined): Generator<NeedMoreData, void, undefined> {
    for (;;) {
      const line = this.input.readline();
      if (line === NEED_MORE_DATA) {
        yield NEED_MORE_DATA;
        continue;
      }
      if (line === "") return;
      into?.push(line);
    }
  }

  /** The next line, waiting for data as needed; `""` at the (possibly false) end of input. */
  private *nextLine(): Generator<NeedMoreData, string, undefined> {
    for (;;) {
      const line = this.input.readline();
      if (line !== NEED_MORE_DATA) return line;
      yield NEED_MORE_DATA;
    }
  }

  private *parsegen(depth: number): Generator<NeedMoreData, void, undefined> {
    const node = this.newMessage();
    const msg = node.msg;
    const headers: string[] = [];
    for (;;) {
      const line = this.input.readline();
      if (line === NEED_MORE_DATA) {
        yield NEED_MORE_DATA;
        continue;
      }
      if (line === "") break;
      if (!HEADER_LINE.test(line)) {
        // A blank line separates headers and body; anything else already belongs to the body.
        if (!isBlankLine(line)) {
          this.defect(
            msg,
            new MissingHeaderBodySeparatorDefect("a line that is neither a header nor blank ends the headers; it is kept in the body"),
          );
          this.input.unreadline(line);
        }
        break;
      }
      headers.push(line);
    }
    this.parseHeaders(node, headers);
    if (this.policy.raiseOnDefect && this.policy.isModern) this.raiseHeaderDefects(msg);

    if (this.headersOnly) {
      const lines: string[] = [];
      yield* this.readToEof(lines);
      node.body = lines.join("");
      return;
    }

    const ctype = msg.getContentType();
    node.ctype = ctype;
    const maintype = ctype.split("/")[0];
    if ((maintype === "multipart" || maintype === "message") && depth >= MAX_NESTING_DEPTH) {
      this.defect(
        msg,
        new MultipartInvariantViolationDefect(
          `parts nest deeper than ${MAX_NESTING_DEPTH} levels; this ${ctype} part is kept unparsed, as text`,
        ),
      );
      node.textBody = true;
      const lines: string[] = [];
      yield* this.readToEof(lines);
      node.body = lines.join("");
      return;
    }

    if (ctype === "message/delivery-status") {
      // Blocks of headers separated by blank lines; each block becomes a sub-message without body.
      for (;;) {
        this.input.pushEofMatcher({ kind: "blank" });
        yield* this.parsegen(depth + 1);
        this.popMessage();
        this.input.popEofMatcher();
        // Consume the blank line, then see whether this part ends here.
        yield* this.nextLine();
        const line = yield* this.nextLine();
        if (line === "") break;
        this.input.unreadline(line);
      }
      return;
    }

    if (maintype === "message") {
      yield* this.parsegen(depth + 1);
      this.popMessage();
      return;
    }

    if (maintype === "multipart") {
      yield* this.parseMultipart(node, depth);
      return;
    }

    const lines: string[] = [];
    yield* this.readToEof(lines);
    node.body = lines.join("");
  }

  private *parseMultipart(node: Node, depth: number): Generator<NeedMoreData, void, undefined> {
    const msg = node.msg;
    const boundary = msg.getBoundary();
    if (boundary === undefined) {
      this.defect(msg, new NoBoundaryInMultipartDefect(`a ${msg.getContentType()} part has no boundary parameter; its body is kept as text`));
      node.textBody = true;
      const lines: string[] = [];
      yield* this.readToEof(lines);
      node.body = lines.join("");
      return;
    }
    const cte = (msg.get("content-transfer-encoding") ?? "8bit").toLowerCase();
    if (cte !== "7bit" && cte !== "8bit" && cte !== "binary") {
      this.defect(
        msg,
        new InvalidMultipartContentTransferEncodingDefect(
          `a multipart part may only be 7bit, 8bit or binary (RFC 2045 6.4), not ${JSON.stringify(cte)}`,
        ),
      );
    }
    const separator = `--${boundary}`;
    let capturingPreamble = true;
    const preamble: string[] = [];
    let linesep = "";
    let closeBoundarySeen = false;
    let closeLine = "";
    let closePadding = "";
    let parts = 0;
    for (;;) {
      let line = yield* this.nextLine();
      if (line === "") break;
      const mo = matchBoundary(line, separator);
      if (mo === undefined) {
        // Only the preamble is read here: parts are read by the recursive call below.
        preamble.push(line);
        continue;
      }
      if (mo.end) {
        closeBoundarySeen = true;
        closeLine = line;
        closePadding = mo.padding;
        linesep = mo.linesep;
        break;
      }
      if (capturingPreamble) {
        if (preamble.length > 0) {
          // RFC 2046: the line ending before a delimiter belongs to the delimiter.
          preamble[preamble.length - 1] = stripLineEnding(preamble[preamble.length - 1]!);
          node.preamble = preamble.join("");
        }
        capturingPreamble = false;
        this.input.unreadline(line);
        continue;
      }
      if (mo.padding !== "") recordLayout(msg).delimiterPadding.set(parts, mo.padding);
      parts++;
      // Consecutive delimiter lines make no empty parts (as Python reads RFC 2046's grammar).
      for (;;) {
        line = yield* this.nextLine();
        if (line === "" || matchBoundary(line, separator) === undefined) {
          this.input.unreadline(line);
          break;
        }
      }
      this.input.pushEofMatcher({ kind: "boundary", boundary });
      yield* this.parsegen(depth + 1);
      // The line ending before the next delimiter belongs to the delimiter, not to the
      // part that was just read (or to its epilogue, when that part is a multipart).
      const last = this.last!;
      const lastIsMultipart = last.ctype.startsWith("multipart/");
      if (lastIsMultipart) {
        const epilogue = last.epilogue;
        if (epilogue === "") {
          // Nothing between its close delimiter and this one: the line break after it is this delimiter's.
          last.epilogue = undefined;
          recordLayout(last.msg).closeLineBreak = false;
        } else if (epilogue !== undefined) last.epilogue = stripLineEnding(epilogue);
      }
      // Python leaves the line ending on a multipart kept as text, and writes it back twice.
      if (last.body !== undefined && (last.textBody || !lastIsMultipart)) {
        last.body = stripLineEnding(last.body);
      }
      this.input.popEofMatcher();
      this.popMessage();
      this.last = node;
    }

    if (capturingPreamble) {
      this.defect(msg, new StartBoundaryNotFoundDefect(`the first delimiter ${JSON.stringify(separator)} was not found`));
      // Python drops a close delimiter found here and every line after it; they are kept
      // in the body, so that the message is written back as it came.
      node.textBody = true;
      if (closeBoundarySeen) preamble.push(closeLine);
      yield* this.readToEof(preamble);
      node.body = preamble.join("");
      node.epilogue = "";
      return;
    }
    if (!closeBoundarySeen) {
      this.defect(msg, new CloseBoundaryNotFoundDefect(`the close delimiter ${JSON.stringify(`${separator}--`)} was not found`));
      return;
    }
    if (closePadding !== "") recordLayout(msg).closePadding = closePadding;
    if (linesep === "") recordLayout(msg).closeLineBreak = false;
    // Everything after the close delimiter is the epilogue. When the delimiter line ended
    // with a line break, the epilogue is at least "" (written back as that line break).
    const epilogue: string[] = linesep ? [""] : [];
    yield* this.readToEof(epilogue);
    if (epilogue.length > 0) epilogue[0] = stripLeadingLineEnding(epilogue[0]!);
    node.epilogue = epilogue.join("");
  }

  private parseHeaders(node: Node, lines: readonly string[]): void {
    const msg = node.msg;
    let current: string[] | undefined;
    const flush = (): void => {
      if (current !== undefined) this.storeHeader(msg, current);
      current = undefined;
    };
    for (let lineno = 0; lineno < lines.length; lineno++) {
      const line = lines[lineno]!;
      const first = line.charCodeAt(0);
      if (first === 0x20 || first === 0x09) {
        if (current === undefined) {
          this.defect(msg, new FirstHeaderLineIsContinuationDefect(textOf(line)));
          continue;
        }
        current.push(line);
        continue;
      }
      flush();
      if (line.startsWith("From ")) {
        if (lineno === 0) {
          msg.setUnixfrom(textOf(stripLineEnding(line)));
          continue;
        }
        if (lineno === lines.length - 1) {
          // A "From " line right before the body is probably the body's first line.
          this.input.unreadline(line);
          return;
        }
        this.defect(msg, new MisplacedEnvelopeHeaderDefect(textOf(line)));
        continue;
      }
      if (line.indexOf(":") === 0) {
        this.defect(msg, new InvalidHeaderDefect(`a header line has no name before its colon: ${JSON.stringify(textOf(line))}`));
        continue;
      }
      current = [line];
    }
    flush();
  }

  /**
   * Under raiseOnDefect every header is parsed as soon as it is read (headers are
   * otherwise parsed when first asked for), so that the first defect of a header is
   * thrown by the parser, not by some later get().
   */
  private raiseHeaderDefects(msg: Message): void {
    for (const header of msg.fetchedHeaders()) {
      for (const defect of (header as BaseHeader).defects) {
        // Made while parsing, without a stack (see withoutStacks): give it the parser's.
        Error.captureStackTrace(defect);
        this.defect(msg, defect);
      }
    }
  }

  /**
   * Stores one header (its first line and continuation lines) exactly as read: ASCII as
   * text, anything with 8-bit octets as a {@link RawHeaderValue}, whose octets the
   * policy writes back unchanged and whose text is its UTF-8 reading.
   */
  private storeHeader(msg: Message, lines: readonly string[]): void {
    const [name, value] = this.policy.headerSourceParse(lines);
    const stored = NON_ASCII.test(value) ? new RawHeaderValue(octets(value)) : value;
    msg.setRaw(name, stored);
    // The policy writes one space after the colon; remember anything else the source had
    // (when the policy read the value as the default one does, after that white space).
    const first = lines[0]!;
    const afterColon = first.slice(first.indexOf(":") + 1);
    const gap = /^[ \t]*/.exec(afterColon)![0];
    if (gap !== " " && value === (afterColon.slice(gap.length) + lines.slice(1).join("")).replace(/[\r\n]+$/, "")) {
      const gaps = recordLayout(msg).headerGaps;
      gaps.set(stored, [...(gaps.get(stored) ?? []), { name, gap }]);
    }
  }
}
