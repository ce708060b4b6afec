/**
 * Serialization of a message tree to text or bytes (Python's `email.generator`).
 * Every choice comes from the policy: line separator, folding, UTF-8 headers, and
 * whether 8-bit bodies may be written as they are (`cteType`).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { Charset, decodeBytes, encodeText } from "./charset.js";
import * as base64mime from "./base64mime.js";
import * as quoprimime from "./quoprimime.js";
import { BoundaryError, HeaderWriteError } from "./errors.js";
import type { Message, Payload } from "./message.js";
import type { Policy, StoredHeaderValue } from "./policy.js";
import { RawHeaderValue } from "./rawheader.js";
import { headerGap, sourceLayout, type SourceLayout } from "./sourcelayout.js";

/** Options of a generator. */
export interface GeneratorOptions {
  /** The policy to serialize with; defaults to each message's own. */
  readonly policy?: Policy;
  /** Escape body lines starting with "From " as ">From "; defaults to the policy's `mangleFrom`. */
  readonly mangleFrom?: boolean;
  /** Fold headers at this length instead of the policy's (0: never fold). */
  readonly maxHeaderLength?: number;
}

/** Options of one `flatten` call. */
export interface FlattenOptions {
  /** Write the Unix "From " line first. */
  readonly unixfrom?: boolean;
  /** Line separator to use instead of the policy's. */
  readonly linesep?: string;
}

/** What the message model hands the generator about one message. */
interface Parts {
  headers: Array<[string, StoredHeaderValue]>;
  payload: Payload;
}

type Chunk = string | Uint8Array;
/** Output as written: chunks, and the output of sub-writers kept whole (flattened once, at the end). */
type Piece = Chunk | Piece[];

/** The chunks of `pieces` in order, depth first, without recursion. */
function* leaves(pieces: readonly Piece[]): IterableIterator<Chunk> {
  const stack: Array<{ list: readonly Piece[]; index: number }> = [{ list: pieces, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.list.length) {
      stack.pop();
      continue;
    }
    const piece = top.list[top.index++]!;
    if (Array.isArray(piece)) stack.push({ list: piece, index: 0 });
    else yield piece as Chunk;
  }
}

/** Removes the last chunk of `pieces` when it is `chunk`. */
function dropLastChunk(pieces: Piece[], chunk: string): void {
  let list = pieces;
  for (;;) {
    while (list.length > 0 && Array.isArray(list[list.length - 1]) && (list[list.length - 1] as Piece[]).length === 0) list.pop();
    const last = list[list.length - 1];
    if (Array.isArray(last)) list = last;
    else {
      if (last === chunk) list.pop();
      return;
    }
  }
}

const UTF8 = new TextEncoder();
const LINE_BREAK = /\r\n|\r|\n/;

/** A complete line that starts with "--" (the text after the dashes is captured). */
const DASH_LINE = /(?:^|\r\n|\r|\n)--([^\r\n]*)/g;

/** Writes one message tree; `binary` decides between text and bytes output. */
class TreeWriter {
  readonly chunks: Piece[] = [];
  /**
   * The lines written so far that start with "--", without the dashes and trailing
   * white space: where a multipart boundary could collide. Kept as the output is
   * written and merged upwards, so that no level scans its parts' output again.
   */
  private dashLines = new Set<string>();
  /** The unfinished last line of the output. */
  private partial = "";

  constructor(
    private policy: Policy,
    private readonly binary: boolean,
    private readonly mangleFrom: boolean,
  ) {}

  private get nl(): string {
    return this.policy.linesep;
  }

  private write(chunk: Chunk): void {
    this.chunks.push(chunk);
    this.scan(chunk);
  }

  /** Records the "--" lines that `chunk` completes. */
  private scan(chunk: Chunk): void {
    const piece = typeof chunk === "string" ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    const text = this.partial + piece;
    const lastBreak = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    if (lastBreak < 0) {
      this.partial = text;
      return;
    }
    this.partial = text.slice(lastBreak + 1);
    if (!text.includes("--")) return;
    for (const match of text.slice(0, lastBreak + 1).matchAll(DASH_LINE)) {
      this.dashLines.add(match[1]!.replace(/[ \t]+$/, ""));
    }
  }

  /** Appends what `child` wrote, taking over what it recorded. */
  private absorb(child: TreeWriter): void {
    this.chunks.push(child.chunks);
    if (this.partial === "") {
      // The smaller set goes into the larger (the child is done with its own), so that
      // hostile nesting costs O(n log n), not O(depth x n).
      let [into, from] = [this.dashLines, child.dashLines];
      if (into.size < from.size) [into, from] = [from, into];
      for (const line of from) into.add(line);
      this.dashLines = into;
      this.partial = child.partial;
    } else {
      // Not at the start of a line: the child's lines read differently here.
      for (const chunk of leaves(child.chunks)) this.scan(chunk);
    }
  }

  /** Whether `--boundary` or `--boundary--` is a line of what this writer wrote. */
  private holdsBoundaryLine(boundary: string): boolean {
    const last = this.partial.startsWith("--") ? this.partial.slice(2).replace(/[ \t]+$/, "") : undefined;
    return [boundary, `${boundary}--`].some((line) => this.dashLines.has(line) || line === last);
  }

  private child(policy: Policy = this.policy): TreeWriter {
    return new TreeWriter(policy, this.binary, this.mangleFrom);
  }

  flatten(msg: Message, unixfrom: boolean): void {
    if (unixfrom) {
      const ufrom = msg.getUnixfrom() ?? `From nobody ${new Date().toUTCString()}`;
      this.write(ufrom + this.nl);
    }
    this.writeMessage(msg);
  }

  private writeMessage(msg: Message): void {
    const body = this.child();
    const override = body.dispatch(msg);
    const parts = override ?? { headers: msg.rawItems(), payload: undefined };
    this.writeHeaders(parts.headers, sourceLayout(msg));
    this.absorb(body);
  }

  private writeHeaders(headers: ReadonlyArray<[string, StoredHeaderValue]>, layout: SourceLayout | undefined): void {
    for (const [name, value] of headers) {
      const gap = headerGap(layout, name, value);
      if (this.binary) {
        let folded = this.policy.foldBinary(name, value);
        if (gap !== undefined) {
          const text = keepSourceGap(Buffer.from(folded).toString("latin1"), name, value, gap, this.nl);
          folded = new Uint8Array(Buffer.from(text, "latin1"));
        }
        if (this.policy.verifyGeneratedHeaders) this.verify(Buffer.from(folded).toString("latin1"));
        this.write(folded);
      } else {
        let folded = this.policy.fold(name, value);
        if (gap !== undefined) folded = keepSourceGap(folded, name, value, gap, this.nl);
        if (this.policy.verifyGeneratedHeaders) this.verify(folded);
        this.write(folded);
      }
    }
    this.write(this.nl);
  }

  /** Refuses a folded header that a reader could take for more than one header. */
  private verify(folded: string): void {
    const nl = this.nl;
    if (!folded.endsWith(nl)) {
      throw new HeaderWriteError(`folded header does not end with the line separator: ${JSON.stringify(folded)}`);
    }
    if (/\r\n[^ \t]|\r[^ \n\t]|\n[^ \t]/.test(folded.slice(0, -nl.length))) {
      throw new HeaderWriteError(`folded header contains a line break not followed by white space: ${JSON.stringify(folded)}`);
    }
  }

  /**
   * Writes the body of `msg` into this writer. Returns replacement headers when the body
   * had to be transfer-encoded differently from what the headers say.
   */
  private dispatch(msg: Message): Parts | undefined {
    const maintype = msg.getContentMaintype();
    const subtype = msg.getContentSubtype();
    const payload = msg.rawPayload();
    if (maintype === "multipart" && Array.isArray(payload)) {
      if (subtype === "signed") {
        // RFC 1847: the signed content must reach the verifier exactly as it was signed.
        const saved = this.policy;
        this.policy = saved.clone({ maxLineLength: Infinity });
        try {
          this.writeMultipart(msg, payload);
        } finally {
          this.policy = saved;
        }
      } else {
        this.writeMultipart(msg, payload);
      }
      return undefined;
    }
    if (maintype === "message" && subtype === "delivery-status" && Array.isArray(payload)) {
      this.writeDeliveryStatus(payload);
      return undefined;
    }
    if (Array.isArray(payload)) {
      // message/rfc822 and friends: the embedded message as it serializes.
      const first = payload[0];
      if (first) {
        const inner = this.child();
        inner.writeMessage(first);
        this.absorb(inner);
      }
      return undefined;
    }
    return this.writeText(msg, payload);
  }

  private writeText(msg: Message, payload: string | Uint8Array | undefined): Parts | undefined {
    if (payload === undefined) return undefined;
    if (payload instanceof Uint8Array && !isAscii(payload)) {
      if (this.binary && this.policy.cteType !== "7bit") {
        this.writeLinesBytes(payload);
        return undefined;
      }
      const charset = msg.getContentCharset();
      if (charset !== undefined) return this.writeReencoded(msg, payload, charset);
      // No charset to re-encode with: base64 keeps every octet.
      return this.writeReencoded(msg, payload, undefined);
    }
    const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("latin1");
    this.writeLines(this.mangleFrom ? text.replace(/^From /gm, ">From ") : text);
    return undefined;
  }

  /**
   * An 8-bit body that cannot go out as it is (text output, or a 7bit policy): converted
   * to its charset's output charset (shift_jis and euc-jp become iso-2022-jp) and
   * transfer-encoded as that charset prescribes, as Python does; base64 when there is no
   * charset or the result would still be 8-bit.
   */
  private writeReencoded(msg: Message, payload: Uint8Array, charset: string | undefined): Parts {
    let body = payload;
    let outputCharset = charset;
    let cte: "7bit" | "quoted-printable" | "base64" = "base64";
    if (charset !== undefined) {
      try {
        const cs = new Charset(charset);
        outputCharset = cs.getOutputCharset();
        if (outputCharset !== cs.inputCharset) {
          body = encodeText(decodeBytes(payload, cs.inputCharset), outputCharset);
        }
        const encoding = cs.bodyEncoding;
        if (encoding === "quoted-printable") cte = "quoted-printable";
        else if (encoding === null && isAscii(body)) cte = "7bit";
      } catch {
        // An unknown charset, or octets that do not decode in it: base64 keeps every octet.
        body = payload;
        outputCharset = charset;
        cte = "base64";
      }
    }
    if (cte === "7bit") this.writeLines(Buffer.from(body).toString("latin1"));
    else if (cte === "base64") this.writeLines(base64mime.encodeBody(body, { maxLineLength: 76, eol: "\n" }));
    else this.writeLines(quoprimime.encodeBody(body, { maxLineLength: 76, eol: "\n" }));
    const copy = msg.copy();
    if (outputCharset !== undefined && outputCharset !== charset) copy.setParam("charset", outputCharset, { replace: true });
    if (copy.has("content-transfer-encoding")) copy.replaceHeader("content-transfer-encoding", cte);
    else copy.append("Content-Transfer-Encoding", cte);
    return { headers: copy.rawItems(), payload: undefined };
  }

  private writeMultipart(msg: Message, subparts: readonly Message[]): void {
    const parts = subparts.map((part) => {
      const w = this.child();
      w.writeMessage(part);
      return w;
    });
    // A "--boundary" line in the preamble reads as a delimiter too. The epilogue comes
    // after the close delimiter, where readers ignore everything (RFC 2046 §5.1.1), and
    // real messages hold boundary lines there: a caller's boundary may appear in it, but
    // a generated one avoids it all the same.
    const preamble = dashLines(msg.preamble);
    const epilogue = dashLines(msg.epilogue);
    const isDelimiter = (lines: Set<string>, candidate: string) => lines.has(candidate) || lines.has(`${candidate}--`);
    const inside = (candidate: string) => parts.some((w) => w.holdsBoundaryLine(candidate));
    let boundary = msg.getBoundary();
    if (!boundary) {
      boundary = freshBoundary(
        (candidate) => isDelimiter(preamble, candidate) || isDelimiter(epilogue, candidate) || inside(candidate),
      );
      msg.setBoundary(boundary);
    } else if (inside(boundary) || isDelimiter(preamble, boundary)) {
      const where = inside(boundary) ? "in the content of one of its parts" : "in its preamble";
      throw new BoundaryError(
        `the boundary ${JSON.stringify(boundary)} of a ${msg.getContentType()} part also appears as a line ` +
          `${where}; choose another boundary or let mailport generate one`,
      );
    }
    const nl = this.nl;
    if (msg.preamble !== undefined) {
      this.writeLines(this.mangleFrom ? msg.preamble.replace(/^From /gm, ">From ") : msg.preamble);
      this.write(nl);
    }
    // A parsed message's delimiter lines as they came: their padding, and a close
    // delimiter without a line break (at the end of the input, or right before the next
    // delimiter of an enclosing multipart, which brings its own).
    const layout = sourceLayout(msg);
    const padding = (i: number): string => layout?.delimiterPadding.get(i) ?? "";
    this.write(`--${boundary}${padding(0)}${nl}`);
    parts.forEach((part, i) => {
      if (i > 0) this.write(`${nl}--${boundary}${padding(i)}${nl}`);
      this.absorb(part);
    });
    const closeLineBreak = layout?.closeLineBreak !== false || (msg.epilogue !== undefined && msg.epilogue !== "");
    this.write(`${nl}--${boundary}--${layout?.closePadding ?? ""}${closeLineBreak ? nl : ""}`);
    if (msg.epilogue !== undefined) {
      this.writeLines(this.mangleFrom ? msg.epilogue.replace(/^From /gm, ">From ") : msg.epilogue);
    }
  }

  private writeDeliveryStatus(blocks: readonly Message[]): void {
    const nl = this.nl;
    blocks.forEach((part, i) => {
      const w = this.child();
      w.writeMessage(part);
      // Each block ends with the empty line after its headers; drop it, the join adds one.
      dropLastChunk(w.chunks, nl);
      if (i > 0) this.write(nl);
      this.absorb(w);
    });
  }

  /** Writes text with every line break turned into the policy's separator. */
  private writeLines(text: string): void {
    if (!text) return;
    const lines = text.split(LINE_BREAK);
    const last = lines.pop()!;
    for (const line of lines) this.write(line + this.nl);
    if (last) this.write(last);
  }

  /** As {@link TreeWriter.writeLines} for octets that must be written as they are. */
  private writeLinesBytes(payload: Uint8Array): void {
    let text = Buffer.from(payload).toString("latin1");
    if (this.mangleFrom) text = text.replace(/^From /gm, ">From ");
    const lines = text.split(LINE_BREAK);
    const last = lines.pop()!;
    const joined = lines.map((line) => line + this.nl).join("") + last;
    this.write(Uint8Array.from(Buffer.from(joined, "latin1")));
  }
}

/** The lines of `text` that start with "--", without the dashes and trailing white space. */
function dashLines(text: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!text?.includes("--")) return out;
  for (const line of text.split(LINE_BREAK)) if (line.startsWith("--")) out.add(line.slice(2).replace(/[ \t]+$/, ""));
  return out;
}

/**
 * `folded` with the white space the source had after the header's colon, when the
 * policy wrote the stored value as it is (one space after the colon, the source lines
 * unchanged); a refolded or re-encoded header keeps the policy's one space.
 */
function keepSourceGap(folded: string, name: string, value: StoredHeaderValue, gap: string, nl: string): string {
  const text = typeof value === "string" ? value : value instanceof RawHeaderValue ? Buffer.from(value.bytes).toString("latin1") : undefined;
  if (text === undefined || folded !== `${name}: ${text.split(LINE_BREAK).join(nl)}${nl}`) return folded;
  return `${name}:${gap}${folded.slice(name.length + 2)}`;
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

/** A boundary from a cryptographic random source for which `collides` says no. */
function freshBoundary(collides: (boundary: string) => boolean): string {
  for (;;) {
    const digits = BigInt(`0x${randomBytes(8).toString("hex")}`) % 10_000_000_000_000_000_000n;
    const boundary = `===============${digits.toString().padStart(19, "0")}==`;
    if (!collides(boundary)) return boundary;
  }
}

function concat(pieces: readonly Piece[]): Uint8Array {
  const buffers = [...leaves(pieces)].map((c) => (typeof c === "string" ? UTF8.encode(c) : c));
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.length;
  }
  return out;
}

function join(pieces: readonly Piece[]): string {
  const decoder = new TextDecoder();
  return [...leaves(pieces)].map((c) => (typeof c === "string" ? c : decoder.decode(c))).join("");
}

/** @internal what `asBytes`/`asString` pass to the generator. */
export interface ResolvedFlatten {
  readonly policy: Policy;
  readonly unixfrom: boolean;
  readonly mangleFrom: boolean;
}

/** @internal Serializes `msg` to bytes (Python's BytesGenerator). */
export function flattenToBytes(msg: Message, options: ResolvedFlatten): Uint8Array {
  const writer = new TreeWriter(options.policy, true, options.mangleFrom);
  writer.flatten(msg, options.unixfrom);
  return concat(writer.chunks);
}

/** @internal Serializes `msg` to text (Python's Generator). */
export function flattenToString(msg: Message, options: ResolvedFlatten): string {
  const writer = new TreeWriter(options.policy, false, options.mangleFrom);
  writer.flatten(msg, options.unixfrom);
  return join(writer.chunks);
}

function resolve(options: GeneratorOptions, msg: Message, flatten: FlattenOptions): ResolvedFlatten {
  let policy = options.policy ?? msg.policy;
  if (flatten.linesep !== undefined) policy = policy.clone({ linesep: flatten.linesep });
  if (options.maxHeaderLength !== undefined) policy = policy.clone({ maxLineLength: options.maxHeaderLength });
  return { policy, unixfrom: flatten.unixfrom ?? false, mangleFrom: options.mangleFrom ?? policy.mangleFrom };
}

/** Serializes messages as text (Python's `email.generator.Generator`). */
export class Generator {
  /**
   * Makes a generator; it can flatten any number of messages. The options are checked
   * when a message is flattened.
   *
   * @param options the policy, From mangling and header length to use instead of each
   *   message's policy
   */
  constructor(private readonly options: GeneratorOptions = {}) {}

  /** The message as text. 8-bit bodies are transfer-encoded, since text cannot carry octets. */
  flatten(msg: Message, options: FlattenOptions = {}): string {
    return flattenToString(msg, resolve(this.options, msg, options));
  }
}

/** Serializes messages as bytes (Python's `email.generator.BytesGenerator`). */
export class BytesGenerator {
  /**
   * Makes a generator; it can flatten any number of messages. The options are checked
   * when a message is flattened.
   *
   * @param options the policy, From mangling and header length to use instead of each
   *   message's policy
   */
  constructor(private readonly options: GeneratorOptions = {}) {}

  /** The message as bytes; 8-bit bodies go out as they are unless the policy's cteType is 7bit. */
  flatten(msg: Message, options: FlattenOptions = {}): Uint8Array {
    return flattenToBytes(msg, resolve(this.options, msg, options));
  }
}
