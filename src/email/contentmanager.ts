/**
 * The rules behind `setContent` and `getContent` (Python's `email.contentmanager`):
 * how text, bytes and messages become parts, and how parts give their content back.
 *
 * @module
 */
import { canonicalCharsetName, decodeBytes, encodeText, isKnownCharset } from "./charset.js";
import { UnknownCharsetDefect } from "./errors.js";
import type { BaseHeader } from "./headerregistry.js";
import type { Message, MIMEPart } from "./message.js";
import * as quoprimime from "./quoprimime.js";
import { MAX_LINE_OCTETS, base64Lines, longestLine, quotedPrintable } from "./encoders.js";

/** A Content-Transfer-Encoding that `setContent` can produce. */
export type ContentTransferEncoding = "7bit" | "8bit" | "binary" | "quoted-printable" | "base64";

/** Options of `setContent`, `addAttachment`, `addAlternative` and `addRelated`. */
export interface SetContentOptions {
  /** Main type: required for bytes (`image`, `application` ...); `text` for strings; `message` for messages. */
  readonly maintype?: string;
  /** Subtype: `plain` for strings, `rfc822` for messages; required for bytes. */
  readonly subtype?: string;
  /** Charset for text content; default `utf-8`. */
  readonly charset?: string;
  /** Transfer encoding; chosen by content when omitted (text) or base64 (bytes). */
  readonly cte?: ContentTransferEncoding;
  /** Content-Disposition (`attachment`, `inline`); `attachment` when only a filename is given. */
  readonly disposition?: string;
  /** The filename parameter of Content-Disposition (RFC 2231 when non-ASCII). */
  readonly filename?: string;
  /** The Content-ID, e.g. `<logo@example.com>`. */
  readonly cid?: string;
  /** Extra Content-Type parameters. */
  readonly params?: Readonly<Record<string, string>>;
  /** Extra headers: `"Name: value"` strings or typed headers. */
  readonly headers?: ReadonlyArray<string | BaseHeader>;
}

/** Options of `getContent`. */
export interface GetContentOptions {
  /** How undecodable text is handled: `replace` (default, U+FFFD) or `strict` (throws). */
  readonly errors?: "replace" | "strict";
}

/** What a get handler returns. */
export type Content = string | Uint8Array | MIMEPart;

/** A function that reads a part's content. */
export type GetHandler = (msg: MIMEPart, options: GetContentOptions) => Content;
/** A function that writes content into a part. */
export type SetHandler<T> = (msg: MIMEPart, content: T, options: SetContentOptions) => void;

/** The kinds of content that set handlers are registered for. */
export type ContentKind = "string" | "bytes" | "message";

/**
 * A registry of content handlers (Python's `ContentManager`): get handlers keyed by
 * `maintype/subtype`, `maintype` or `""`, set handlers keyed by the kind of content.
 */
export class ContentManager {
  private readonly getHandlers = new Map<string, GetHandler>();
  private readonly setHandlers = new Map<ContentKind, SetHandler<never>>();

  /** Registers how to read parts of type `key` (`text/plain`, `text` or `""` for any). */
  addGetHandler(key: string, handler: GetHandler): void {
    this.getHandlers.set(key.toLowerCase(), handler);
  }

  /** Registers how to store content of one kind. */
  addSetHandler(kind: "string", handler: SetHandler<string>): void;
  addSetHandler(kind: "bytes", handler: SetHandler<Uint8Array>): void;
  addSetHandler(kind: "message", handler: SetHandler<Message>): void;
  addSetHandler(kind: ContentKind, handler: SetHandler<never>): void {
    this.setHandlers.set(kind, handler);
  }

  /**
   * Reads the content of `msg` with the most specific handler.
   * @throws TypeError when no handler knows the part's type (a multipart, for instance).
   */
  getContent(msg: MIMEPart, options: GetContentOptions = {}): Content {
    const ctype = msg.getContentType();
    const handler =
      this.getHandlers.get(ctype) ?? this.getHandlers.get(msg.getContentMaintype()) ?? this.getHandlers.get("");
    if (!handler) throw new TypeError(`no content handler for ${ctype} (use iterParts() for a multipart)`);
    return handler(msg, options);
  }

  /**
   * Replaces the content of `msg`: removes its Content-* headers and payload, then
   * stores `content` with the handler for its kind.
   * @throws TypeError on a multipart, or for content this manager cannot store.
   */
  setContent(msg: MIMEPart, content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    if (msg.getContentMaintype() === "multipart") {
      throw new TypeError("setContent is not valid on a multipart; use addAttachment, addAlternative or addRelated");
    }
    const kind: ContentKind | undefined =
      typeof content === "string"
        ? "string"
        : content instanceof Uint8Array
          ? "bytes"
          : isMessage(content)
            ? "message"
            : undefined;
    const handler = kind && this.setHandlers.get(kind);
    if (!handler) {
      throw new TypeError(`setContent takes a string, a Uint8Array or a message, not ${describe(content)}`);
    }
    msg.clearContent();
    (handler as SetHandler<typeof content>)(msg, content, options);
  }
}

function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && "rawItems" in value && "walk" in value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return typeof value;
}

// ------------------------------------------------------------------ getting

function getTextContent(msg: MIMEPart, options: GetContentOptions): string {
  const content = msg.getPayload({ decode: true }) ?? new Uint8Array();
  const charset = msg.getParam("charset") ?? "us-ascii";
  if (options.errors !== "strict" && !isKnownCharset(charset)) {
    // Unknown charsets must not make reading fail (Python raises LookupError here); the
    // part says so once, however often it is read.
    if (!msg.defects.some((d) => d instanceof UnknownCharsetDefect)) {
      msg.policy.handleDefect(
        msg,
        new UnknownCharsetDefect(`unknown charset ${JSON.stringify(charset)}: the text was read as ASCII, other octets as U+FFFD`),
      );
    }
    return decodeBytes(content, "us-ascii", { errors: "replace" });
  }
  return decodeBytes(content, charset, { errors: options.errors ?? "replace" });
}

function getNonTextContent(msg: MIMEPart): Uint8Array {
  return msg.getPayload({ decode: true }) ?? new Uint8Array();
}

function getMessageContent(msg: MIMEPart): MIMEPart {
  return msg.getPayload({ i: 0 }) as MIMEPart;
}

function getUnknownMessageContent(msg: MIMEPart): Uint8Array {
  const inner = msg.getPayload({ i: 0 });
  return inner.asBytes();
}

// ------------------------------------------------------------------ setting

const QP_LINE = 76;

function prepareSet(msg: MIMEPart, maintype: string, subtype: string, headers: SetContentOptions["headers"]): void {
  validateToken(maintype, "maintype");
  validateToken(subtype, "subtype");
  msg.append("Content-Type", `${maintype}/${subtype}`);
  for (const header of headers ?? []) {
    if (typeof header === "string") {
      const colon = header.indexOf(":");
      if (colon <= 0) throw new TypeError(`invalid header ${JSON.stringify(header)}: expected "Name: value"`);
      const name = header.slice(0, colon).trim();
      const parsed = msg.policy.headerFetchParse(name, header.slice(colon + 1).trim());
      const typed = typeof parsed === "string" ? undefined : (parsed as BaseHeader);
      if (typed && typed.defects.length > 0) {
        throw new TypeError(`invalid header ${JSON.stringify(header)}: ${typed.defects[0]!.message || typed.defects[0]!.name}`);
      }
      msg.append(name, header.slice(colon + 1).trim());
    } else {
      if (header.defects.length > 0) {
        throw new TypeError(`invalid header ${header.name}: ${header.defects[0]!.message || header.defects[0]!.name}`);
      }
      msg.append(header.name, header);
    }
  }
}

function validateToken(value: string, what: string): void {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)) {
    throw new TypeError(`${what} ${JSON.stringify(value)} is not a valid MIME token`);
  }
}

function finalizeSet(msg: MIMEPart, options: SetContentOptions): void {
  const disposition = options.disposition ?? (options.filename !== undefined ? "attachment" : undefined);
  if (disposition !== undefined) msg.append("Content-Disposition", disposition);
  if (options.filename !== undefined) {
    msg.setParam("filename", options.filename, { header: "Content-Disposition", replace: true });
  }
  if (options.cid !== undefined) msg.append("Content-ID", options.cid);
  for (const [key, value] of Object.entries(options.params ?? {})) msg.setParam(key, value);
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || b === 0x0d) {
      lines.push(bytes.subarray(start, i));
      if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** The lines each followed by `eol`; no lines at all still give one `eol`, as Python's content manager does. */
function joinLines(lines: readonly Uint8Array[], eol: string): Uint8Array {
  const sep = Buffer.from(eol, "latin1");
  if (lines.length === 0) return sep;
  const parts: Uint8Array[] = [];
  for (const line of lines) parts.push(line, sep);
  return Buffer.concat(parts);
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Chooses a transfer encoding for text as Python's content manager does, and applies it. */
function encodeTextBody(
  text: string,
  charset: string,
  cte: ContentTransferEncoding | undefined,
  policy: MIMEPart["policy"],
): { cte: ContentTransferEncoding; payload: string | Uint8Array } {
  const lines = splitLines(encodeText(text, charset));
  const normalBody = () => joinLines(lines, "\n");
  const longest = lines.reduce((n, l) => Math.max(n, l.length), 0);
  // Python compares with maxLineLength alone; RFC 5322 also caps every line at 998 octets.
  const fitsLine = longest <= Math.min(policy.maxLineLength, MAX_LINE_OCTETS);
  // RFC 2045 §2.7-2.8, RFC 5322 §2.3: 7bit and 8bit data hold no NUL.
  const hasNul = lines.some((line) => line.includes(0));
  if (cte === undefined) {
    if (fitsLine && !hasNul) {
      const body = normalBody();
      if (isAscii(body)) return { cte: "7bit", payload: latin1(body) };
      if (policy.cteType === "8bit") return { cte: "8bit", payload: body };
    }
    const sniff = joinLines(lines.slice(0, 10), policy.linesep);
    const sniffWidth = Number.isFinite(policy.maxLineLength) ? policy.maxLineLength : QP_LINE;
    const sniffQp = quoprimime.encodeBody(sniff, { maxLineLength: sniffWidth, eol: "\n" });
    const sniffBase64Length = Math.ceil(sniff.length / 3) * 4 + 1;
    cte = sniffQp.length > sniffBase64Length ? "base64" : "quoted-printable";
  }
  switch (cte) {
    case "7bit": {
      const body = normalBody();
      if (!isAscii(body)) {
        throw new TypeError(`cte "7bit" cannot carry this text in ${charset}: it has 8-bit octets; use 8bit, quoted-printable or base64`);
      }
      refuseLongLines(longest, cte);
      refuseNul(hasNul, cte);
      return { cte, payload: latin1(body) };
    }
    case "8bit":
      refuseLongLines(longest, cte);
      refuseNul(hasNul, cte);
      return { cte, payload: normalBody() };
    case "quoted-printable":
      return { cte, payload: quoprimime.encodeBody(normalBody(), { maxLineLength: QP_LINE, eol: "\n" }) };
    case "base64":
      return { cte, payload: base64Lines(joinLines(lines, policy.linesep), policy.maxLineLength) };
    default:
      throw new TypeError(`unknown content transfer encoding ${JSON.stringify(cte)} for text (use 7bit, 8bit, quoted-printable or base64)`);
  }
}

function refuseLongLines(longest: number, cte: string): void {
  if (longest > MAX_LINE_OCTETS) {
    throw new TypeError(
      `cte "${cte}" cannot carry a line of ${longest} octets: RFC 5322 limits lines to 998; use quoted-printable or base64`,
    );
  }
}

function refuseNul(hasNul: boolean, cte: string): void {
  if (hasNul) {
    throw new TypeError(`cte "${cte}" cannot carry a NUL character (RFC 2045 §2.7); use quoted-printable or base64`);
  }
}

function setTextContent(msg: MIMEPart, text: string, options: SetContentOptions): void {
  if (options.maintype !== undefined && options.maintype.toLowerCase() !== "text") {
    throw new TypeError(`string content is text; maintype must be "text", not ${JSON.stringify(options.maintype)} (pass a Uint8Array for other types)`);
  }
  const charset = options.charset ?? "utf-8";
  prepareSet(msg, "text", options.subtype ?? "plain", options.headers);
  const { cte, payload } = encodeTextBody(text, charset, options.cte, msg.policy);
  msg.setPayload(payload);
  msg.setParam("charset", canonicalCharsetName(charset), { replace: true });
  msg.append("Content-Transfer-Encoding", cte);
  finalizeSet(msg, options);
}

function setBytesContent(msg: MIMEPart, data: Uint8Array, options: SetContentOptions): void {
  const { maintype, subtype } = options;
  if (maintype === undefined || subtype === undefined) {
    throw new TypeError("setContent with binary content needs maintype and subtype, e.g. { maintype: \"image\", subtype: \"png\" }");
  }
  if (maintype.toLowerCase() === "multipart") throw new TypeError("setContent cannot make a multipart from bytes");
  const cte = options.cte ?? "base64";
  prepareSet(msg, maintype, subtype, options.headers);
  let payload: string | Uint8Array;
  switch (cte) {
    case "base64":
      payload = base64Lines(data, msg.policy.maxLineLength);
      break;
    case "quoted-printable":
      payload = quotedPrintable(data, { istext: false, quotetabs: true });
      break;
    case "7bit":
      if (!isAscii(data)) throw new TypeError('cte "7bit" cannot carry bytes with the high bit set; use base64');
      refuseLongLines(longestLine(data), cte);
      refuseNul(data.includes(0), cte);
      payload = latin1(data);
      break;
    case "8bit":
      refuseLongLines(longestLine(data), cte);
      refuseNul(data.includes(0), cte);
      payload = Uint8Array.from(data);
      break;
    case "binary":
      payload = Uint8Array.from(data);
      break;
    default:
      throw new TypeError(`unknown content transfer encoding ${JSON.stringify(cte)}`);
  }
  msg.setPayload(payload);
  msg.append("Content-Transfer-Encoding", cte);
  finalizeSet(msg, options);
}

function setMessageContent(msg: MIMEPart, message: Message, options: SetContentOptions): void {
  const subtype = (options.subtype ?? "rfc822").toLowerCase();
  if (options.maintype !== undefined && options.maintype.toLowerCase() !== "message") {
    throw new TypeError(`message content has maintype "message", not ${JSON.stringify(options.maintype)}`);
  }
  let cte = options.cte;
  if (subtype === "partial") throw new TypeError("message/partial is not supported for message objects");
  if (subtype === "rfc822") {
    if (cte !== undefined && !["7bit", "8bit", "binary"].includes(cte)) {
      throw new TypeError(`message/rfc822 parts do not support cte "${cte}" (RFC 2046 section 5.2.1)`);
    }
    cte ??= "8bit";
  } else if (subtype === "external-body") {
    if (cte !== undefined && cte !== "7bit") {
      throw new TypeError(`message/external-body parts do not support cte "${cte}" (RFC 2046 section 5.2.3)`);
    }
    cte = "7bit";
  } else {
    cte ??= "7bit";
  }
  prepareSet(msg, "message", subtype, options.headers);
  msg.setPayload([message]);
  msg.append("Content-Transfer-Encoding", cte);
  finalizeSet(msg, options);
}

function makeRawDataManager(): ContentManager {
  const manager = new ContentManager();
  manager.addGetHandler("text", getTextContent);
  for (const maintype of ["audio", "image", "video", "application", "font", "model"]) {
    manager.addGetHandler(maintype, getNonTextContent);
  }
  // As Python's raw_data_manager: the embedded message for rfc822 and external-body.
  manager.addGetHandler("message/rfc822", getMessageContent);
  manager.addGetHandler("message/external-body", getMessageContent);
  manager.addGetHandler("message", getUnknownMessageContent);
  manager.addSetHandler("string", setTextContent);
  manager.addSetHandler("bytes", setBytesContent);
  manager.addSetHandler("message", setMessageContent);
  return manager;
}

/** The content manager of the modern policies (Python's `raw_data_manager`). */
export const rawDataManager: ContentManager = makeRawDataManager();
