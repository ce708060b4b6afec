/**
 * The message model: the legacy `Message` (Python's `email.message.Message`),
 * `MIMEPart` and `EmailMessage` (Python 3's modern API).
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { Charset } from "./charset.js";
import { MAX_LINE_OCTETS, longestLine } from "./encoders.js";
import * as base64mime from "./base64mime.js";
import * as quoprimime from "./quoprimime.js";
import { decodeBytes, encodeText } from "./charset.js";
import type { SetContentOptions, GetContentOptions } from "./contentmanager.js";
import {
  HeaderParseError,
  InvalidHeaderError,
  MessageDefect,
  MultipartConversionError,
  UndecodableBytesDefect,
} from "./errors.js";
import { Header } from "./header.js";
import { addSourceDefect, type BaseHeader, type HeaderInput } from "./headerregistry.js";
import { formatParam, splitParams, valueBeforeParams, type ParamValue } from "./params.js";
import { compat32, defaultPolicy, Policy, type StoredHeaderValue } from "./policy.js";
import { flattenToBytes, flattenToString } from "./generator.js";
import { RawHeaderValue } from "./rawheader.js";
import { collapseRfc2231Value, decodeParams, unquote } from "./utils.js";
import { emailFromObject, emailFromObjectAsync, type EmailInit } from "./fromobject.js";

/** A value accepted by the header-setting methods. */
export type HeaderValue = HeaderInput | Header | BaseHeader;

/**
 * What a message holds as its body: encoded text (`string`), raw octets to be written
 * as they are (`Uint8Array`, for 8bit and binary content), sub-messages (multipart and
 * message/rfc822), or nothing.
 */
export type Payload = string | Uint8Array | Message[] | undefined;

/** Options of {@link Message.asBytes} and {@link Message.asString}. */
export interface SerializeOptions {
  /** The policy to serialize with; defaults to the message's own. */
  readonly policy?: Policy;
  /** Write the Unix "From " envelope line first, when the message has one. */
  readonly unixfrom?: boolean;
  /** Fold headers at this length instead of the policy's (asString only, as Python). */
  readonly maxHeaderLength?: number;
}

/** Options of the parameter methods ({@link Message.getParam} and friends). */
export interface ParamOptions {
  /** The header holding the parameters; default `Content-Type`. */
  readonly header?: string;
  /** Quote values when writing and unquote them when reading; default true. */
  readonly requote?: boolean;
}

/** Options of {@link Message.setParam}. */
export interface SetParamOptions extends ParamOptions {
  /** Charset for an RFC 2231 encoded value. */
  readonly charset?: string;
  /** Language for an RFC 2231 encoded value. */
  readonly language?: string;
  /** Replace the header in place rather than deleting and appending it. */
  readonly replace?: boolean;
}

const SEMISPACE = "; ";

/** A header as a message stores it: the name as given and the stored value. */
type HeaderEntry = [string, StoredHeaderValue];

/**
 * What each stored header gave out last, by policy. Without it every accessor
 * (getContentType, getParams, getFilename, getContent ...) parsed the header's value
 * again: a megabyte Content-Type cost seconds a call. A header replaced by set(),
 * replaceHeader() or anything else is a new entry, so nothing stale is ever handed out.
 */
const fetched = new WeakMap<HeaderEntry, Map<Policy, string | BaseHeader | Header>>();

/**
 * The stored header as `policy` hands it out (Python's `header_fetch_parse`), parsed once
 * per entry and policy (see `fetched`). A legacy `Header` or source text read through a
 * modern policy (a compat32 message's getHeader()) is parsed from its text; source octets
 * that are not UTF-8 give the typed header an UndecodableBytesDefect, as in Python.
 */
function fetchHeader(policy: Policy, entry: HeaderEntry): string | BaseHeader | Header {
  let byPolicy = fetched.get(entry);
  const known = byPolicy?.get(policy);
  if (known !== undefined) return known;
  const [name, value] = entry;
  const header = policy.headerFetchParse(name, policy.isModern && value instanceof Header ? value.toString() : value);
  if (value instanceof RawHeaderValue && typeof header !== "string" && !(header instanceof Header) && !isUtf8(value.bytes)) {
    addSourceDefect(header, new UndecodableBytesDefect(`the ${name} header holds octets that are not UTF-8 (shown as U+FFFD)`));
  }
  if (!byPolicy) fetched.set(entry, (byPolicy = new Map()));
  byPolicy.set(policy, header);
  return header;
}

/** How a value that is not what was asked for reads in an error message. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object of type ${value.constructor?.name ?? "Object"}`;
  return `a ${typeof value}`;
}

/**
 * The legacy message class (Python's `email.message.Message`): headers as an ordered,
 * case-insensitive, multi-valued mapping, a payload, and the legacy MIME helpers.
 * Its default policy is {@link compat32}; new code should use {@link EmailMessage}.
 */
export class Message {
  /** The policy that governs this message's headers and serialization. */
  policy: Policy;
  /** Text before the first boundary of a multipart body, or `undefined`. */
  preamble: string | undefined = undefined;
  /** Text after the closing boundary of a multipart body, or `undefined`. */
  epilogue: string | undefined = undefined;
  /** Problems found while parsing or building this message. */
  defects: MessageDefect[] = [];

  /** @internal the stored headers, in order: [name as given, stored value]. */
  protected headerList: HeaderEntry[] = [];
  /** @internal */
  protected payload: Payload = undefined;
  /** @internal the charset set by {@link Message.setCharset}. */
  protected charset: Charset | undefined = undefined;
  /** @internal */
  protected unixfrom: string | undefined = undefined;
  /** @internal */
  protected defaultType = "text/plain";

  /**
   * Makes an empty message: no headers, no payload.
   *
   * @param policy the policy its headers and serialization follow; default {@link compat32}
   * @throws TypeError when `policy` is not a {@link Policy}
   */
  constructor(policy: Policy = compat32) {
    if (!(policy instanceof Policy)) {
      throw new TypeError(`a message's policy must be a Policy (policy.default, policy.SMTP, compat32 ...), not ${describe(policy)}`);
    }
    this.policy = policy;
  }

  // ---------------------------------------------------------------- output

  /**
   * The message serialized as text. As in Python, the legacy `Message` does not fold
   * headers here unless `maxHeaderLength` is given; `EmailMessage` folds by its policy.
   */
  asString(options: SerializeOptions = {}): string {
    const policy = options.policy ?? this.policy;
    const maxHeaderLength = options.maxHeaderLength ?? this.defaultMaxHeaderLength(policy);
    return flattenToString(this, {
      policy: maxHeaderLength === undefined ? policy : policy.clone({ maxLineLength: maxHeaderLength }),
      unixfrom: options.unixfrom ?? false,
      mangleFrom: false,
    });
  }

  /** @internal Python's `Message.as_string` passes maxheaderlen=0; `MIMEPart` passes the policy's. */
  protected defaultMaxHeaderLength(_policy: Policy): number | undefined {
    return 0;
  }

  /** The message serialized as bytes, ready for the wire when the policy is `SMTP`. */
  asBytes(options: SerializeOptions = {}): Uint8Array {
    return flattenToBytes(this, {
      policy: options.policy ?? this.policy,
      unixfrom: options.unixfrom ?? false,
      mangleFrom: false,
    });
  }

  /**
   * The same as {@link Message.asString} with no options, for every message class
   * (Python's `str()` of an `EmailMessage` writes UTF-8 headers; this follows the policy).
   */
  toString(): string {
    return this.asString();
  }

  /** A shallow copy: its own header list and defects, the same payload objects. */
  copy(): this {
    const clone = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(clone, this);
    clone.headerList = this.headerList.map(([n, v]) => [n, v]);
    clone.defects = [...this.defects];
    if (Array.isArray(this.payload)) clone.payload = [...this.payload];
    return clone;
  }

  // --------------------------------------------------------------- payload

  /** @internal The payload exactly as stored, for the generator. */
  rawPayload(): Payload {
    return this.payload;
  }

  /** Whether the payload is a list of sub-messages. */
  isMultipart(): boolean {
    return Array.isArray(this.payload);
  }

  /** Sets the Unix "From " line (without the trailing newline). */
  setUnixfrom(unixfrom: string | undefined): void {
    if (unixfrom !== undefined && /[\r\n]/.test(unixfrom)) {
      throw new InvalidHeaderError("the Unix From line must not contain CR or LF");
    }
    this.unixfrom = unixfrom;
  }

  /** The Unix "From " line, or `undefined`. */
  getUnixfrom(): string | undefined {
    return this.unixfrom;
  }

  /**
   * Appends a sub-message to a multipart payload (Python's `attach`).
   * @throws MultipartConversionError when the payload is already a non-multipart body.
   */
  attach(part: Message): void {
    if (!(part instanceof Message)) throw new TypeError("attach() takes a Message");
    if (this.payload === undefined) this.payload = [part];
    else if (Array.isArray(this.payload)) this.payload.push(part);
    else throw new MultipartConversionError("attach() is not valid on a message with a non-multipart payload");
  }

  /**
   * The payload (Python's `get_payload`).
   * - Without options: the sub-messages of a multipart, or the body as stored, as text
   *   (8-bit bodies decoded with their charset, undecodable bytes replaced).
   * - `{ i }`: the i-th sub-message of a multipart.
   * - `{ decode: true }`: the body with its transfer encoding undone, as bytes
   *   (`undefined` for a multipart).
   */
  getPayload(options: { decode: true }): Uint8Array | undefined;
  getPayload(options: { i: number }): Message;
  getPayload(options?: { decode?: false }): string | Message[] | undefined;
  getPayload(options: { i?: number; decode?: boolean } = {}): string | Uint8Array | Message | Message[] | undefined {
    const payload = this.payload;
    if (Array.isArray(payload)) {
      if (options.decode) return undefined;
      if (options.i === undefined) return payload;
      const part = payload[options.i];
      if (!part) throw new RangeError(`there is no part ${options.i} (the message has ${payload.length})`);
      return part;
    }
    if (options.i !== undefined) throw new TypeError("getPayload({ i }) needs a multipart payload");
    if (!options.decode) {
      if (payload instanceof Uint8Array) {
        const charset = this.getContentCharset() ?? "us-ascii";
        try {
          return decodeBytes(payload, charset, { errors: "replace" });
        } catch {
          return decodeBytes(payload, "us-ascii", { errors: "replace" });
        }
      }
      return payload;
    }
    if (payload === undefined) return undefined;
    const raw = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    const cte = (this.get("content-transfer-encoding") ?? "").trim().toLowerCase();
    if (cte === "quoted-printable") return quoprimime.decodeBody(latin1(raw));
    if (cte === "base64") {
      const { bytes, defects } = base64mime.decodeWithDefects(latin1(raw).replace(/\r\n|\r|\n/g, ""));
      for (const defect of defects) this.policy.handleDefect(this, defect);
      return bytes;
    }
    return raw;
  }

  /**
   * Sets the payload (Python's `set_payload`). With a `charset`, text is encoded in the
   * charset's output charset and transfer-encoded as the charset prescribes.
   */
  setPayload(payload: Payload, charset?: string | Charset): void {
    if (typeof payload === "string" && charset !== undefined) {
      const cs = charset instanceof Charset ? charset : new Charset(charset);
      this.payload = encodeText(payload, cs.getOutputCharset());
    } else {
      this.payload = payload instanceof Uint8Array ? Uint8Array.from(payload) : payload;
    }
    if (charset !== undefined) this.setCharset(charset);
  }

  /**
   * Sets the charset of the payload (Python's `set_charset`): adds MIME-Version,
   * Content-Type's charset parameter and a Content-Transfer-Encoding, and transfer-encodes
   * the payload accordingly. `null` removes the charset parameter.
   */
  setCharset(charset: string | Charset | null): void {
    if (charset === null) {
      this.delParam("charset");
      this.charset = undefined;
      return;
    }
    const cs = charset instanceof Charset ? charset : new Charset(charset);
    this.charset = cs;
    if (!this.has("MIME-Version")) this.addHeader("MIME-Version", "1.0");
    if (!this.has("Content-Type")) {
      this.addHeader("Content-Type", "text/plain", { charset: cs.getOutputCharset() });
    } else {
      this.setParam("charset", cs.getOutputCharset());
    }
    if (this.has("Content-Transfer-Encoding")) return;
    const raw =
      this.payload instanceof Uint8Array
        ? this.payload
        : typeof this.payload === "string"
          ? encodeText(this.payload, cs.getOutputCharset())
          : undefined;
    let bodyEncoding = cs.getBodyEncoding();
    if ((bodyEncoding === "7bit" || bodyEncoding === "8bit") && raw !== undefined && (longestLine(raw) > MAX_LINE_OCTETS || raw.includes(0))) {
      // RFC 5322 §2.1.1 and §2.3: no line over 998 octets and no NUL, which Python's
      // 7bit/8bit would write. Quoted-printable keeps an ASCII-compatible charset
      // readable; a stateful 7-bit one (ISO-2022) must not be cut by soft line breaks, so base64.
      bodyEncoding = STATEFUL_CHARSET.test(cs.getOutputCharset()) ? "base64" : "quoted-printable";
    }
    if (bodyEncoding === "quoted-printable" || bodyEncoding === "base64") {
      if (raw !== undefined && raw.length > 0) {
        this.payload =
          bodyEncoding === "base64" ? base64mime.encodeBody(raw) : quoprimime.encodeBody(raw, { maxLineLength: 76 });
      }
      this.addHeader("Content-Transfer-Encoding", bodyEncoding);
    } else {
      this.append("Content-Transfer-Encoding", isSevenBit(this.payload) ? "7bit" : "8bit");
    }
  }

  /** The charset set by {@link Message.setCharset}, or `undefined`. */
  getCharset(): Charset | undefined {
    return this.charset;
  }

  // --------------------------------------------------------------- headers

  /** How many header fields the message has (duplicates counted). */
  get length(): number {
    return this.headerList.length;
  }

  /** The first value of header `name` as text, or `undefined` when there is none. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const entry of this.headerList) {
      if (entry[0].toLowerCase() === lower) return fetchHeader(this.policy, entry).toString();
    }
    return undefined;
  }

  /** Every value of header `name`, in order, as text (empty when there is none). */
  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    const out: string[] = [];
    for (const entry of this.headerList) {
      if (entry[0].toLowerCase() === lower) out.push(fetchHeader(this.policy, entry).toString());
    }
    return out;
  }

  /**
   * The first header `name` as a typed header object (address headers have `addresses`
   * and `groups`, date headers `datetime`, Content-Type and Content-Disposition `params`),
   * or `undefined`.
   */
  getHeader(name: string): BaseHeader | undefined {
    const lower = name.toLowerCase();
    const factory = this.policy.isModern ? this.policy : defaultPolicy;
    for (const entry of this.headerList) {
      if (entry[0].toLowerCase() === lower) return fetchHeader(factory, entry) as BaseHeader;
    }
    return undefined;
  }

  /** Every header `name` as typed header objects. */
  getAllHeaders(name: string): BaseHeader[] {
    const lower = name.toLowerCase();
    const factory = this.policy.isModern ? this.policy : defaultPolicy;
    return this.headerList
      .filter(([k]) => k.toLowerCase() === lower)
      .map((entry) => fetchHeader(factory, entry) as BaseHeader);
  }

  /** Whether header `name` is present. */
  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.headerList.some(([k]) => k.toLowerCase() === lower);
  }

  /**
   * Appends a header, as Python's `msg[name] = value`.
   * @throws InvalidHeaderError when the value holds CR, LF or NUL, or when a header that
   *   may appear once (per the policy) is already present.
   */
  append(name: string, value: HeaderValue): void {
    const maxCount = this.policy.headerMaxCount(name);
    if (maxCount !== undefined) {
      const lower = name.toLowerCase();
      const found = this.headerList.filter(([k]) => k.toLowerCase() === lower).length;
      if (found >= maxCount) {
        throw new InvalidHeaderError(
          `there may be at most ${maxCount} ${name} header${maxCount === 1 ? "" : "s"} in a message; ` +
            `use set() to replace it`,
        );
      }
    }
    this.headerList.push(this.policy.headerStoreParse(name, value));
  }

  /**
   * Sets header `name` to `value`: replaces the first occurrence in place, removes the
   * others, or appends when there is none.
   * @throws InvalidHeaderError when the value holds CR, LF or NUL.
   */
  set(name: string, value: HeaderValue): void {
    const stored = this.policy.headerStoreParse(name, value);
    const lower = name.toLowerCase();
    const index = this.headerList.findIndex(([k]) => k.toLowerCase() === lower);
    if (index < 0) {
      this.headerList.push(stored);
      return;
    }
    const kept = this.headerList.filter(([k], i) => i === index || k.toLowerCase() !== lower);
    kept[kept.findIndex(([k]) => k.toLowerCase() === lower)] = stored;
    this.headerList = kept;
  }

  /** Removes every occurrence of header `name`; does nothing when there is none. */
  delete(name: string): void {
    const lower = name.toLowerCase();
    this.headerList = this.headerList.filter(([k]) => k.toLowerCase() !== lower);
  }

  /**
   * Replaces the first header `name` in place, keeping its position and spelling.
   * @throws RangeError when there is no such header (Python's KeyError).
   */
  replaceHeader(name: string, value: HeaderValue): void {
    const lower = name.toLowerCase();
    const index = this.headerList.findIndex(([k]) => k.toLowerCase() === lower);
    if (index < 0) throw new RangeError(`there is no ${name} header to replace`);
    const original = this.headerList[index]![0];
    this.headerList[index] = this.policy.headerStoreParse(original, value);
  }

  /**
   * Appends a header with parameters (Python's `add_header`): each parameter is written
   * `name="value"` (underscores in names become hyphens), a non-ASCII value in RFC 2231
   * form, `null` as a bare name, and `[charset, language, value]` as RFC 2231 with that
   * charset and language.
   * @example msg.addHeader("Content-Disposition", "attachment", { filename: "bud.gif" })
   */
  addHeader(name: string, value: string | null, params: Readonly<Record<string, ParamValue | null>> = {}): void {
    const parts: string[] = [];
    for (const [key, paramValue] of Object.entries(params)) {
      parts.push(formatParam(key.replace(/_/g, "-"), paramValue));
    }
    if (value !== null) parts.unshift(value);
    this.append(name, parts.join(SEMISPACE));
  }

  /** Header names in order, duplicates included. */
  keys(): string[] {
    return this.headerList.map(([k]) => k);
  }

  /** Header values in order, as text. */
  values(): string[] {
    return this.headerList.map((entry) => fetchHeader(this.policy, entry).toString());
  }

  /** `[name, value]` pairs in order, values as text. */
  items(): Array<[string, string]> {
    return this.headerList.map((entry) => [entry[0], fetchHeader(this.policy, entry).toString()]);
  }

  /**
   * @internal Every header as this message's policy hands it out, in order, each parsed
   * once and kept for later accessors (the parser checks them under raiseOnDefect).
   */
  fetchedHeaders(): Array<string | BaseHeader | Header> {
    return this.headerList.map((entry) => fetchHeader(this.policy, entry));
  }

  /** `[name, stored value]` pairs as stored, for generators. */
  rawItems(): Array<[string, StoredHeaderValue]> {
    return this.headerList.map(([k, v]) => [k, v]);
  }

  /** @internal Stores a header as the parser read it, bypassing assignment checks. */
  setRaw(name: string, value: StoredHeaderValue): void {
    this.headerList.push([name, value]);
  }

  /** Iterates over the header names. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  // ---------------------------------------------------------- content type

  /** The content type, lower-cased (`text/plain` when absent or invalid, as RFC 2045 says). */
  getContentType(): string {
    const value = this.get("content-type");
    if (value === undefined) return this.getDefaultType();
    const ctype = valueBeforeParams(value).toLowerCase();
    return ctype.split("/").length === 2 ? ctype : "text/plain";
  }

  /** The main type of {@link Message.getContentType} (`text` of `text/plain`). */
  getContentMaintype(): string {
    return this.getContentType().split("/")[0]!;
  }

  /** The subtype of {@link Message.getContentType} (`plain` of `text/plain`). */
  getContentSubtype(): string {
    return this.getContentType().split("/")[1]!;
  }

  /** The type assumed without a Content-Type header: `text/plain`, or `message/rfc822` in a digest. */
  getDefaultType(): string {
    return this.defaultType;
  }

  /** Sets the type assumed without a Content-Type header. */
  setDefaultType(ctype: string): void {
    this.defaultType = ctype;
  }

  /**
   * The parameters of a header as `[name, value]` pairs, the first pair being the value
   * before the parameters (`["text/plain", ""]`). RFC 2231 values are decoded.
   * `undefined` when the header is absent.
   */
  getParams(options: ParamOptions = {}): Array<[string, string]> | undefined {
    const raw = this.rawParams(options.header ?? "content-type");
    if (raw === undefined) return undefined;
    const requote = options.requote ?? true;
    return raw.map(([k, v]) => [k, paramText(v, requote)]);
  }

  /**
   * The value of parameter `param` of a header (default Content-Type), with RFC 2231
   * encoding and continuations decoded; `undefined` when absent. (Python returns a
   * `(charset, language, value)` tuple for RFC 2231 values; this always gives the text.)
   */
  getParam(param: string, options: ParamOptions = {}): string | undefined {
    const raw = this.rawParams(options.header ?? "content-type");
    if (raw === undefined) return undefined;
    const lower = param.toLowerCase();
    for (const [k, v] of raw) {
      if (k.toLowerCase() === lower) return paramText(v, options.requote ?? true);
    }
    return undefined;
  }

  /** Decoded parameters of a header, values still quoted as Python's `_get_params_preserve` gives them. */
  private rawParams(header: string): Array<[string, string | [string | null, string | null, string]]> | undefined {
    const value = this.get(header);
    if (value === undefined) return undefined;
    const pairs: Array<[string, string]> = splitParams(value).map((piece) => {
      const eq = piece.indexOf("=");
      return eq < 0 ? [piece.trim(), ""] : [piece.slice(0, eq).trim(), piece.slice(eq + 1).trim()];
    });
    return decodeParams(pairs);
  }

  /**
   * Sets parameter `param` of a header (default Content-Type, created as `text/plain`
   * when absent). A non-ASCII value, or one given with `charset`, is written in RFC 2231 form.
   */
  setParam(param: string, value: string, options: SetParamOptions = {}): void {
    const header = options.header ?? "Content-Type";
    const requote = options.requote ?? true;
    const paramValue: ParamValue = options.charset
      ? [options.charset, options.language ?? "", value]
      : value;
    let ctype: string | undefined;
    if (!this.has(header) && header.toLowerCase() === "content-type") ctype = "text/plain";
    else ctype = this.get(header);
    if (this.getParam(param, { header }) === undefined) {
      ctype = ctype ? [ctype, formatParam(param, paramValue, requote)].join(SEMISPACE) : formatParam(param, paramValue, requote);
    } else {
      const parts: string[] = [];
      for (const [oldName, oldValue] of this.rawParams(header) ?? []) {
        parts.push(
          oldName.toLowerCase() === param.toLowerCase()
            ? formatParam(param, paramValue, requote)
            : formatParam(oldName, unquoteParam(oldValue, requote), requote),
        );
      }
      ctype = parts.join(SEMISPACE);
    }
    if (ctype === this.get(header)) return;
    if (options.replace && this.has(header)) this.replaceHeader(header, ctype);
    else {
      this.delete(header);
      this.append(header, ctype);
    }
  }

  /** Removes parameter `param` from a header (default Content-Type). */
  delParam(param: string, options: ParamOptions = {}): void {
    const header = options.header ?? "content-type";
    if (!this.has(header)) return;
    const requote = options.requote ?? true;
    const parts: string[] = [];
    for (const [name, value] of this.rawParams(header) ?? []) {
      if (name.toLowerCase() !== param.toLowerCase()) parts.push(formatParam(name, unquoteParam(value, requote), requote));
    }
    const ctype = parts.join(SEMISPACE);
    if (ctype !== this.get(header)) {
      this.delete(header);
      this.append(header, ctype);
    }
  }

  /**
   * Sets the main type and subtype of a header (default Content-Type), keeping its
   * parameters (Python's `set_type`).
   * @throws TypeError when `ctype` is not `maintype/subtype`.
   */
  setType(ctype: string, options: ParamOptions = {}): void {
    if (ctype.split("/").length !== 2) throw new TypeError(`"${ctype}" is not a maintype/subtype content type`);
    const header = options.header ?? "Content-Type";
    const requote = options.requote ?? true;
    if (header.toLowerCase() === "content-type") {
      this.delete("mime-version");
      this.append("MIME-Version", "1.0");
    }
    if (!this.has(header)) {
      this.append(header, ctype);
      return;
    }
    const params = this.rawParams(header) ?? [];
    this.delete(header);
    this.append(header, ctype);
    for (const [name, value] of params.slice(1)) this.setParam(name, paramText(value, requote), { header, requote });
  }

  /** The `filename` parameter of Content-Disposition, else the `name` parameter of Content-Type. */
  getFilename(): string | undefined {
    const filename =
      this.getParam("filename", { header: "content-disposition" }) ?? this.getParam("name", { header: "content-type" });
    return filename?.trim();
  }

  /** The multipart boundary (Content-Type's `boundary` parameter), or `undefined`. */
  getBoundary(): string | undefined {
    return this.getParam("boundary")?.replace(/\s+$/, "");
  }

  /**
   * Sets the multipart boundary, keeping Content-Type's other parameters and position.
   * @throws HeaderParseError when there is no Content-Type header.
   * @throws InvalidHeaderError for a boundary that RFC 2046 does not allow.
   */
  setBoundary(boundary: string): void {
    validateBoundary(boundary);
    const params = this.rawParams("content-type");
    if (params === undefined) throw new HeaderParseError("there is no Content-Type header to set a boundary on");
    const newParams: Array<[string, string]> = [];
    let found = false;
    for (const [name, value] of params) {
      if (name.toLowerCase() === "boundary") {
        newParams.push(["boundary", `"${boundary}"`]);
        found = true;
      } else newParams.push([name, typeof value === "string" ? value : formatParam(name, value).slice(name.length + 1)]);
    }
    if (!found) newParams.push(["boundary", `"${boundary}"`]);
    const text = newParams.map(([k, v]) => (v === "" ? k : `${k}=${v}`)).join(SEMISPACE);
    // Only Content-Type becomes a new entry: the others keep their parsed forms.
    this.headerList = this.headerList.map((entry) =>
      entry[0].toLowerCase() === "content-type" ? this.policy.headerStoreParse(entry[0], text) : entry,
    );
  }

  /** The charset parameter of Content-Type, lower-cased, or `undefined`. */
  getContentCharset(): string | undefined {
    const charset = this.getParam("charset");
    if (charset === undefined || /[^\x00-\x7f]/.test(charset)) return undefined;
    return charset.toLowerCase();
  }

  /** The charset of each part in {@link Message.walk} order (`undefined` where there is none). */
  getCharsets(): Array<string | undefined> {
    return [...this.walk()].map((part) => part.getContentCharset());
  }

  /** The disposition of Content-Disposition (`inline`, `attachment`), lower-cased, or `undefined`. */
  getContentDisposition(): string | undefined {
    const value = this.get("content-disposition");
    return value === undefined ? undefined : valueBeforeParams(value).toLowerCase();
  }

  /** This message and every part below it, depth first. */
  *walk(): Generator<Message> {
    yield this;
    if (Array.isArray(this.payload)) {
      for (const part of this.payload) yield* part.walk();
    }
  }
}

/**
 * One part of a MIME message, with Python 3's content API (Python's `MIMEPart`):
 * `setContent`, `getContent`, `addAttachment` and friends. Its default policy is
 * `policy.default`. {@link EmailMessage} is the class for whole messages.
 */
export class MIMEPart extends Message {
  /**
   * Makes an empty part (or message): no headers, no payload; build it with
   * `set`, `setContent` and `addAttachment`.
   *
   * @param policy the policy its headers and serialization follow; default `policy.default`
   */
  constructor(policy: Policy = defaultPolicy) {
    super(policy);
  }

  /** @internal modern parts fold headers by their policy in asString, as Python's MIMEPart. */
  protected override defaultMaxHeaderLength(policy: Policy): number | undefined {
    return Number.isFinite(policy.maxLineLength) ? policy.maxLineLength : 0;
  }

  /** Whether Content-Disposition says `attachment`. */
  isAttachment(): boolean {
    return this.getContentDisposition() === "attachment";
  }

  /**
   * The best candidate for the body: the first part, depth first, whose type comes
   * earliest in `preferencelist` (`related`, `html`, `plain`), skipping attachments.
   */
  getBody(preferencelist: readonly string[] = ["related", "html", "plain"]): MIMEPart | undefined {
    let bestRank = preferencelist.length;
    let body: MIMEPart | undefined;
    for (const [rank, part] of findBody(this, preferencelist)) {
      if (rank < bestRank) {
        bestRank = rank;
        body = part;
        if (rank === 0) break;
      }
    }
    return body;
  }

  /**
   * The parts that are not candidates for the body: in multipart/related everything but
   * the root, otherwise every part but the first text/plain, text/html, multipart/related
   * and multipart/alternative that is not an attachment.
   */
  *iterAttachments(): Generator<MIMEPart> {
    const [maintype, subtype] = this.getContentType().split("/");
    if (maintype !== "multipart" || subtype === "alternative") return;
    const payload = this.payload;
    if (!Array.isArray(payload)) return;
    const parts = [...payload] as MIMEPart[];
    if (subtype === "related") {
      const start = this.getParam("start");
      if (start) {
        const index = parts.findIndex((p) => p.get("content-id") === start);
        if (index >= 0) {
          parts.splice(index, 1);
          yield* parts;
          return;
        }
      }
      yield* parts.slice(1);
      return;
    }
    const seen = new Set<string>();
    for (const part of parts) {
      const [pMain, pSub] = part.getContentType().split("/") as [string, string];
      const bodyType = BODY_TYPES.has(`${pMain}/${pSub}`);
      if (bodyType && !(part instanceof MIMEPart && part.isAttachment()) && !seen.has(pSub)) {
        seen.add(pSub);
        continue;
      }
      yield part;
    }
  }

  /** The sub-parts of a multipart, in order (nothing for other types). */
  *iterParts(): Generator<MIMEPart> {
    if (Array.isArray(this.payload)) yield* this.payload as MIMEPart[];
  }

  /**
   * The content, decoded by the policy's content manager: text as a string (decoded with
   * its charset), other leaf types as bytes, message/rfc822 as the embedded message.
   */
  getContent(options: GetContentOptions = {}): string | Uint8Array | MIMEPart {
    return this.policy.contentManager.getContent(this, options);
  }

  /**
   * Sets the content through the policy's content manager, replacing every Content-*
   * header: a string becomes text/* (`subtype` default `plain`, `charset` default utf-8),
   * a `Uint8Array` needs `maintype` and `subtype`, a message becomes message/rfc822.
   * @throws TypeError on a multipart, or for content and options that do not fit.
   */
  setContent(content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    this.policy.contentManager.setContent(this, content, options);
  }

  /** Turns this part into multipart/related, moving existing content into a first sub-part. */
  makeRelated(boundary?: string): void {
    this.makeMultipart("related", ["alternative", "mixed"], boundary);
  }

  /** Turns this part into multipart/alternative, moving existing content into a first sub-part. */
  makeAlternative(boundary?: string): void {
    this.makeMultipart("alternative", ["mixed"], boundary);
  }

  /** Turns this part into multipart/mixed, moving existing content into a first sub-part. */
  makeMixed(boundary?: string): void {
    this.makeMultipart("mixed", [], boundary);
  }

  /**
   * What makeRelated, makeAlternative and makeMixed (and so the `add*` methods) do: turns
   * this part into multipart/`subtype`, refusing the `disallowed` subtypes.
   */
  protected makeMultipart(subtype: string, disallowed: readonly string[], boundary: string | undefined): void {
    if (this.getContentMaintype() === "multipart") {
      const existing = this.getContentSubtype();
      if ([...disallowed, subtype].includes(existing)) {
        throw new MultipartConversionError(`cannot convert multipart/${existing} to multipart/${subtype}`);
      }
    }
    const keep: Array<[string, StoredHeaderValue]> = [];
    const moved: Array<[string, StoredHeaderValue]> = [];
    for (const entry of this.headerList) {
      (entry[0].toLowerCase().startsWith("content-") ? moved : keep).push(entry);
    }
    if (moved.length > 0) {
      const part = this.newPart();
      part.headerList = moved;
      part.payload = this.payload;
      this.payload = [part];
    } else {
      this.payload = [];
    }
    this.headerList = keep;
    this.append("Content-Type", `multipart/${subtype}`);
    if (boundary !== undefined) this.setBoundary(boundary);
  }

  /** @internal a new, empty part of the kind used for sub-parts. */
  protected newPart(): MIMEPart {
    return new MIMEPart(this.policy);
  }

  private addMultipart(
    subtype: "related" | "alternative" | "mixed",
    content: string | Uint8Array | Message,
    options: SetContentOptions,
    disposition: string | undefined,
  ): void {
    if (this.getContentMaintype() !== "multipart" || this.getContentSubtype() !== subtype) {
      if (subtype === "related") this.makeRelated();
      else if (subtype === "alternative") this.makeAlternative();
      else this.makeMixed();
    }
    const part = this.newPart();
    part.setContent(content, options);
    if (disposition && !part.has("content-disposition")) part.append("Content-Disposition", disposition);
    this.attach(part);
  }

  /** Adds a part to a multipart/related (converting this part first), inline by default. */
  addRelated(content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    this.addMultipart("related", content, options, "inline");
  }

  /** Adds a part to a multipart/alternative (converting this part first). */
  addAlternative(content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    this.addMultipart("alternative", content, options, undefined);
  }

  /** Adds a part to a multipart/mixed (converting this part first), as an attachment by default. */
  addAttachment(content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    this.addMultipart("mixed", content, options, "attachment");
  }

  /** Removes every header and the payload. */
  clear(): void {
    this.headerList = [];
    this.payload = undefined;
  }

  /** Removes the Content-* headers and the payload, keeping the other headers. */
  clearContent(): void {
    this.headerList = this.headerList.filter(([k]) => !k.toLowerCase().startsWith("content-"));
    this.payload = undefined;
  }
}

/**
 * An email message with Python 3's API (Python's `email.message.EmailMessage`). Unlike a
 * MIMEPart it gets `MIME-Version: 1.0` when `setContent`, a `make*` or an `add*` method
 * gives it content (its sub-parts do not: Python adds it to them too).
 *
 * @example
 * const msg = new EmailMessage();
 * msg.set("From", "Ada <ada@example.com>");
 * msg.set("To", "bob@example.org");
 * msg.set("Subject", "Hello");
 * msg.setContent("Hi Bob!\n");
 * const bytes = msg.asBytes({ policy: policy.SMTP });
 */
export class EmailMessage extends MIMEPart {
  /**
   * Builds a message from a plain object (see `emailFromObject` in `fromobject.ts`): text
   * and html as multipart/alternative, inline parts with a `contentId` under
   * multipart/related with the html, other attachments under multipart/mixed. Files named
   * by an attachment's `path` are read synchronously, now; for `Blob` content, or to read
   * without blocking, use {@link EmailMessage.fromObjectAsync}.
   * @throws EmailValidationError (`code` `"validation_error"`) for an object that cannot
   *   make a message, with the messages listed at `validateEmailInit`
   *
   * @example
   * const message = EmailMessage.fromObject({ from: "ada@example.com", to: "bob@example.org", subject: "Hi", text: "Hello\n" });
   */
  static fromObject(init: EmailInit): EmailMessage {
    return emailFromObject(init);
  }

  /**
   * As {@link EmailMessage.fromObject}, reading files and `Blob` content asynchronously.
   * @throws EmailValidationError as {@link EmailMessage.fromObject}
   */
  static fromObjectAsync(init: EmailInit): Promise<EmailMessage> {
    return emailFromObjectAsync(init);
  }

  /**
   * As {@link MIMEPart.setContent}, and adds `MIME-Version: 1.0` when missing. Only the
   * message itself carries MIME-Version; sub-parts made by `addAttachment` and friends
   * do not (Python adds it to them too).
   */
  override setContent(content: string | Uint8Array | Message, options: SetContentOptions = {}): void {
    super.setContent(content, options);
    this.addMimeVersion();
  }

  /**
   * As MIMEPart's, and adds `MIME-Version: 1.0` when missing: a message made multipart by
   * `makeRelated`, `makeAlternative`, `makeMixed` or the `add*` methods without
   * `setContent` carries it too (Python writes none anywhere then).
   */
  protected override makeMultipart(subtype: string, disallowed: readonly string[], boundary: string | undefined): void {
    super.makeMultipart(subtype, disallowed, boundary);
    this.addMimeVersion();
  }

  private addMimeVersion(): void {
    if (!this.has("MIME-Version")) this.append("MIME-Version", "1.0");
  }
}

const BODY_TYPES = new Set(["text/plain", "text/html", "multipart/related", "multipart/alternative"]);

function* findBody(part: MIMEPart, preferencelist: readonly string[]): Generator<[number, MIMEPart]> {
  if (part.isAttachment()) return;
  const [maintype, subtype] = part.getContentType().split("/") as [string, string];
  if (maintype === "text") {
    const rank = preferencelist.indexOf(subtype);
    if (rank >= 0) yield [rank, part];
    return;
  }
  if (maintype !== "multipart" || !part.isMultipart()) return;
  if (subtype !== "related") {
    for (const sub of part.iterParts()) yield* findBody(sub, preferencelist);
    return;
  }
  const rank = preferencelist.indexOf("related");
  if (rank >= 0) yield [rank, part];
  let candidate: MIMEPart | undefined;
  const start = part.getParam("start");
  if (start) candidate = [...part.iterParts()].find((sub) => sub.get("content-id") === start);
  candidate ??= part.iterParts().next().value ?? undefined;
  if (candidate) yield* findBody(candidate, preferencelist);
}

function paramText(value: string | [string | null, string | null, string], requote: boolean): string {
  if (typeof value !== "string") {
    return collapseRfc2231Value([value[0], value[1], requote ? unquote(value[2]) : value[2]]);
  }
  return requote ? unquote(value) : value;
}

function unquoteParam(value: string | [string | null, string | null, string], requote: boolean): ParamValue {
  if (typeof value !== "string") return [value[0], value[1], requote ? unquote(value[2]) : value[2]];
  return requote ? unquote(value) : value;
}

const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * Checks a boundary against RFC 2046's grammar: 1 to 70 characters from its set,
 * not ending in a space.
 * @throws InvalidHeaderError
 */
export function validateBoundary(boundary: string): void {
  if (!BOUNDARY.test(boundary)) {
    throw new InvalidHeaderError(
      `invalid multipart boundary ${JSON.stringify(boundary)}: RFC 2046 allows 1 to 70 characters ` +
        `from [0-9A-Za-z'()+_,-./:=? ], not ending in a space`,
    );
  }
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Charsets whose encoded text switches state with escape sequences. */
const STATEFUL_CHARSET = /^(iso-2022-|utf-7$|hz-)/i;

function isSevenBit(payload: Payload): boolean {
  if (payload === undefined || Array.isArray(payload)) return true;
  if (typeof payload === "string") return !/[^\x00-\x7f]/.test(payload);
  return payload.every((b) => b < 0x80);
}
