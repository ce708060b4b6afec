/**
 * Helpers for addresses, dates, message ids and RFC 2231 parameters, after Python's
 * `email.utils` (with the address parsing of `email._parseaddr`).
 *
 * Address parsing is strict by default, with the rules Python adopted for
 * CVE-2023-27043: anything ambiguous gives `["", ""]` rather than a guess that could
 * put a display name where an address belongs.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { domainToASCII } from "node:url";
import { Charset, decodeBytes, encodeText, isKnownCharset } from "./charset.js";
import { formatDateWithOffset, parseDate } from "./dates.js";
import { InvalidHeaderError } from "./errors.js";

export { parseDate } from "./dates.js";
export type { ParsedDate } from "./dates.js";

// ---------------------------------------------------------------------------
// Quoting

/**
 * Escapes backslashes and double quotes for use inside a quoted string (Python's
 * `email.utils.quote`); does not add the surrounding quotes.
 */
export function quote(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/**
 * Removes one level of quoting (Python's `email.utils.unquote`): `"..."` loses its quotes
 * and its `\\` and `\"` escapes, `<...>` loses its angle brackets; anything else is returned as is.
 */
export function unquote(s: string): string {
  if (s.length > 1) {
    if (s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replace(/\\\\/g, "\\").replace(/\\"/g, '"');
    if (s.startsWith("<") && s.endsWith(">")) return s.slice(1, -1);
  }
  return s;
}

// ---------------------------------------------------------------------------
// Address parsing (the algorithm of Python's email._parseaddr.AddrlistClass)

const SPECIALS = '()<>@,:;."[]';
const LWS = " \t";
const CR = "\r\n";
const FWS = LWS + CR;
const ATOM_ENDS = SPECIALS + LWS + CR;
// obs-phrase allows "." in display names.
const PHRASE_ENDS = ATOM_ENDS.replace(".", "");

/** A (display name, address) pair, as Python's 2-tuple. */
export type AddressPair = [string, string];

/** What {@link AddressListParser} reads when an item opens a group. */
const GROUP_START = Symbol("group start");

/** A lenient RFC 2822 address-list parser, as Python's `_parseaddr.AddrlistClass`. */
class AddressListParser {
  private pos = 0;
  private comments: string[] = [];

  constructor(private readonly field: string) {}

  private at(): string {
    return this.field[this.pos] ?? "";
  }

  private more(): boolean {
    return this.pos < this.field.length;
  }

  /** Skips white space and collects comments; returns the white space (without CR/LF) skipped. */
  private skip(): string {
    let ws = "";
    while (this.more()) {
      const c = this.at();
      if (LWS.includes(c) || c === "\n" || c === "\r") {
        if (c !== "\n" && c !== "\r") ws += c;
        this.pos += 1;
      } else if (c === "(") {
        this.comments.push(this.comment());
      } else {
        break;
      }
    }
    return ws;
  }

  parseAll(): AddressPair[] {
    const result: AddressPair[] = [];
    while (this.more()) {
      const found = this.address();
      if (found.length > 0) for (const pair of found) result.push(pair);
      else result.push(["", ""]);
    }
    return result;
  }

  /**
   * The next address, or all the addresses of a group. Python recurses into nested
   * groups; this counts their depth instead, so a hostile value cannot exhaust the stack.
   */
  private address(): AddressPair[] {
    const first = this.item();
    if (first !== GROUP_START) return first;
    const found: AddressPair[] = [];
    let depth = 1;
    while (this.more()) {
      this.skip();
      if (this.more() && this.at() === ";") {
        this.pos += 1;
        depth -= 1;
        if (depth === 0) break;
        // The end of a nested group ends an item of the enclosing one.
        this.endItem();
        continue;
      }
      const next = this.item();
      if (next === GROUP_START) depth += 1;
      else for (const pair of next) found.push(pair);
    }
    this.endItem();
    return found;
  }

  /** One item of an address list: its addresses, or {@link GROUP_START} after a group's ":". */
  private item(): AddressPair[] | typeof GROUP_START {
    this.comments = [];
    this.skip();
    const oldPos = this.pos;
    const oldComments = this.comments;
    const phrase = this.phraseList();
    this.skip();
    let found: AddressPair[] = [];
    if (!this.more()) {
      // No domain: technically a bad address.
      if (phrase.length > 0) found = [[this.comments.join(" "), phrase[0]!]];
    } else if (".@".includes(this.at())) {
      // Just an addr-spec: start over and read it as one.
      this.pos = oldPos;
      this.comments = oldComments;
      const spec = this.addrSpec();
      found = [[this.comments.join(" "), spec]];
    } else if (this.at() === ":") {
      this.pos += 1;
      return GROUP_START;
    } else if (this.at() === "<") {
      const route = this.routeAddr();
      const name = phrase.join(" ");
      found = [[this.comments.length > 0 ? `${name} (${this.comments.join(" ")})` : name, route]];
    } else if (phrase.length > 0) {
      found = [[this.comments.join(" "), phrase[0]!]];
    } else if (SPECIALS.includes(this.at())) {
      this.pos += 1;
    }
    this.endItem();
    return found;
  }

  /** After an item: white space, comments and one separating comma. */
  private endItem(): void {
    this.skip();
    if (this.more() && this.at() === ",") this.pos += 1;
  }

  /** A route address `<@route:addr-spec>`; the route is skipped. */
  private routeAddr(): string {
    let expectRoute = false;
    this.pos += 1;
    this.skip();
    let spec = "";
    while (this.more()) {
      if (expectRoute) {
        this.domain();
        expectRoute = false;
      } else if (this.at() === ">") {
        this.pos += 1;
        break;
      } else if (this.at() === "@") {
        this.pos += 1;
        expectRoute = true;
      } else if (this.at() === ":") {
        this.pos += 1;
      } else {
        spec = this.addrSpec();
        this.pos += 1;
        break;
      }
      this.skip();
    }
    return spec;
  }

  private addrSpec(): string {
    const parts: string[] = [];
    const dropTrailingSpace = (): void => {
      if (parts.length > 0 && parts[parts.length - 1]!.trim() === "") parts.pop();
    };
    this.skip();
    while (this.more()) {
      let preserveWs = true;
      const c = this.at();
      if (c === ".") {
        dropTrailingSpace();
        parts.push(".");
        this.pos += 1;
        preserveWs = false;
      } else if (c === '"') {
        parts.push(`"${quote(this.quoted())}"`);
      } else if (ATOM_ENDS.includes(c)) {
        dropTrailingSpace();
        break;
      } else {
        parts.push(this.atom(ATOM_ENDS));
      }
      const ws = this.skip();
      if (preserveWs && ws) parts.push(ws);
    }
    if (!this.more() || this.at() !== "@") return parts.join("");
    parts.push("@");
    this.pos += 1;
    this.skip();
    const domain = this.domain();
    // An invalid domain gives no address, rather than the local part alone.
    if (!domain) return "";
    return parts.join("") + domain;
  }

  private domain(): string {
    const parts: string[] = [];
    while (this.more()) {
      const c = this.at();
      if (LWS.includes(c)) {
        this.pos += 1;
      } else if (c === "(") {
        this.comments.push(this.comment());
      } else if (c === "[") {
        parts.push(`[${this.delimited("[", "]\r", false)}]`);
      } else if (c === ".") {
        this.pos += 1;
        parts.push(".");
      } else if (c === "@") {
        // bpo-34155: a second "@" (a@evil.example@good.example) makes the domain invalid.
        return "";
      } else if (ATOM_ENDS.includes(c)) {
        break;
      } else {
        parts.push(this.atom(ATOM_ENDS));
      }
    }
    return parts.join("");
  }

  private delimited(begin: string, ends: string, allowComments: boolean): string {
    if (this.at() !== begin) return "";
    let out = "";
    let escaped = false;
    this.pos += 1;
    while (this.more()) {
      const c = this.at();
      if (escaped) {
        out += c;
        escaped = false;
      } else if (ends.includes(c)) {
        this.pos += 1;
        break;
      } else if (allowComments && c === "(") {
        out += this.comment();
        continue;
      } else if (c === "\\") {
        escaped = true;
      } else {
        out += c;
      }
      this.pos += 1;
    }
    return out;
  }

  private quoted(): string {
    return this.delimited('"', '"\r', false);
  }

  private comment(): string {
    return this.delimited("(", ")\r", true);
  }

  private atom(ends: string): string {
    let out = "";
    while (this.more() && !ends.includes(this.at())) {
      out += this.at();
      this.pos += 1;
    }
    return out;
  }

  private phraseList(): string[] {
    const words: string[] = [];
    while (this.more()) {
      const c = this.at();
      if (FWS.includes(c)) this.pos += 1;
      else if (c === '"') words.push(this.quoted());
      else if (c === "(") this.comments.push(this.comment());
      else if (PHRASE_ENDS.includes(c)) break;
      else words.push(this.atom(PHRASE_ENDS));
    }
    return words;
  }
}

function addressList(field: string): AddressPair[] {
  return field ? new AddressListParser(field).parseAll() : [];
}

/** Characters with backslash escapes kept as pairs: [position, text]. */
function* escapedChars(s: string): Generator<[number, string]> {
  let escape = false;
  let pos = 0;
  for (pos = 0; pos < s.length; pos++) {
    const ch = s[pos]!;
    if (escape) {
      yield [pos, `\\${ch}`];
      escape = false;
    } else if (ch === "\\") {
      escape = true;
    } else {
      yield [pos, ch];
    }
  }
  if (escape) yield [pos - 1, "\\"];
}

/** Removes the quoted strings (display names) of a header value. */
function stripQuotedNames(s: string): string {
  if (!s.includes('"')) return s;
  let start = 0;
  let open: number | null = null;
  const out: string[] = [];
  for (const [pos, ch] of escapedChars(s)) {
    if (ch !== '"') continue;
    if (open === null) {
      open = pos;
    } else {
      if (start !== open) out.push(s.slice(start, open));
      start = pos + 1;
      open = null;
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out.join("");
}

/** Whether the parentheses outside quoted strings balance. */
function parenthesesBalance(s: string): boolean {
  let open = 0;
  for (const [, ch] of escapedChars(stripQuotedNames(s))) {
    if (ch === "(") open += 1;
    else if (ch === ")" && --open < 0) return false;
  }
  return open === 0;
}

/** The post-CVE-2023-27043 checks: unbalanced parentheses make a value unusable. */
function preParse(values: readonly string[]): string[] {
  return values.map((v) => (parenthesesBalance(v) ? v : "('', '')"));
}

/** A "[" left in an address means a domain literal failed to parse. */
function postParse(pairs: readonly AddressPair[]): AddressPair[] {
  return pairs.map((p) => (p[1].includes("[") ? ["", ""] : p));
}

/**
 * Splits an address header value into its display name and address (Python's
 * `email.utils.parseaddr`).
 *
 * Strict (default): the rules Python adopted for CVE-2023-27043. Unbalanced
 * parentheses, a failed domain literal, or a value that holds more than one address
 * give `["", ""]`.
 * With `strict: false`, the old lenient parser: the first address found, whatever follows.
 *
 * @example
 * parseAddr('"Doe, Jane" <jane@example.com>') // ["Doe, Jane", "jane@example.com"]
 * parseAddr("alice@example.org)<bob@example.org>") // ["", ""]
 */
export function parseAddr(text: string, options: { strict?: boolean } = {}): AddressPair {
  if (typeof text !== "string") return ["", ""];
  if (options.strict === false) return addressList(text)[0] ?? ["", ""];
  const pairs = postParse(addressList(preParse([text])[0]!));
  if (pairs.length !== 1) return ["", ""];
  return pairs[0]!;
}

/**
 * Parses the values of address headers (e.g. every To and Cc value) into (display name,
 * address) pairs (Python's `email.utils.getaddresses`). An address that cannot be parsed
 * gives `["", ""]` in its place.
 *
 * Strict (default): the values must not yield more addresses than their commas (outside
 * quoted names) allow; otherwise the result is `[["", ""]]`, as Python 3.13 returns, since
 * something was misread (`"alice@example.com <bob@example.com>"` is not two addresses).
 * With `strict: false`, the old lenient parser.
 */
export function getAddresses(values: readonly string[], options: { strict?: boolean } = {}): AddressPair[] {
  const texts = values.map(String);
  if (options.strict === false) return addressList(texts.join(", "));
  const checked = preParse(texts);
  const result = postParse(addressList(checked.join(", ")));
  let expected = 0;
  for (const v of checked) expected += 1 + (stripQuotedNames(v).match(/,/g)?.length ?? 0);
  if (result.length !== expected) return [["", ""]];
  return result;
}

// ---------------------------------------------------------------------------
// Address formatting

const NEEDS_QUOTES = /[\][\\()<>@,:;".]/;

/**
 * Formats a (display name, address) pair for an address header (Python's
 * `email.utils.formataddr`): without a name, the address alone; a name with specials is
 * quoted and escaped; a non-ASCII name becomes an RFC 2047 encoded word in `charset`
 * (default utf-8).
 *
 * @example
 * formatAddr(["Doe, Jane", "jane@example.com"]) // '"Doe, Jane" <jane@example.com>'
 * formatAddr(["Jürgen", "j@example.de"])        // "=?utf-8?q?J=C3=BCrgen?= <j@example.de>"
 * @throws InvalidHeaderError when either part contains CR or LF (it would inject a header),
 *   or the address is not ASCII (as Python, which raises UnicodeEncodeError).
 * @throws CharsetError when the name cannot be encoded in `charset`.
 */
export function formatAddr(pair: readonly [string | null | undefined, string], charset: string | Charset = "utf-8"): string {
  const [name, address] = pair;
  if (/[\r\n]/.test(address) || (name && /[\r\n]/.test(name))) {
    throw new InvalidHeaderError("a display name or address may not contain CR or LF");
  }
  if (!/^[\x00-\x7f]*$/.test(address)) {
    throw new InvalidHeaderError(`the address must be ASCII: ${JSON.stringify(address)}`);
  }
  if (!name) return address;
  if (!/^[\x00-\x7f]*$/.test(name)) {
    const cs = typeof charset === "string" ? new Charset(charset) : charset;
    return `${cs.headerEncode(name)} <${address}>`;
  }
  const q = NEEDS_QUOTES.test(name) ? '"' : "";
  return `${q}${name.replace(/[\\"]/g, "\\$&")}${q} <${address}>`;
}

// ---------------------------------------------------------------------------
// Dates

/**
 * The current or given time as an RFC 5322 date (Python's `email.utils.formatdate`):
 * in UTC with the zone `-0000` by default, `GMT` with `usegmt`, or in the local time zone
 * with `localtime` (which overrides `usegmt`, as in Python).
 *
 * @param timeval - seconds since the epoch (as Python) or a Date; default now.
 * @throws RangeError when `timeval` is not a valid time.
 */
export function formatDate(timeval?: number | Date, options: { localtime?: boolean; usegmt?: boolean } = {}): string {
  const date = timeval === undefined ? new Date() : timeval instanceof Date ? timeval : new Date(timeval * 1000);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid time: ${String(timeval)}`);
  if (options.localtime) return formatDateWithOffset(date, localOffset(date));
  if (options.usegmt) return formatDateWithOffset(date, 0, { usegmt: true });
  return formatDateWithOffset(date, null);
}

/**
 * Formats a Date as an RFC 5322 date (Python's `email.utils.format_datetime`).
 *
 * A Date is an instant, so it is written in `utcOffset` minutes east of UTC, default 0
 * (`+0000`); `utcOffset: null` writes `-0000`, Python's form for a naive datetime.
 *
 * @throws TypeError when `usegmt` is asked with an offset other than 0.
 * @throws RangeError for an invalid Date or offset.
 */
export function formatDatetime(date: Date, options: { usegmt?: boolean; utcOffset?: number | null } = {}): string {
  const offset = options.utcOffset === undefined ? 0 : options.utcOffset;
  return formatDateWithOffset(date, offset, { usegmt: options.usegmt ?? false });
}

/**
 * Parses a date header value into a Date (Python's `email.utils.parsedate_to_datetime`).
 * A date without zone or with `-0000` is read as UTC. Use {@link parseDate} to keep the offset.
 *
 * @throws TypeError when `text` is not a string.
 * @throws RangeError when the text is not a date (Python raises ValueError).
 */
export function parseDateToDatetime(text: string): Date {
  if (typeof text !== "string") throw new TypeError(`a date must be a string, not ${typeof text}`);
  const parsed = parseDate(text);
  if (parsed === undefined) throw new RangeError(`invalid date value or format ${JSON.stringify(text)}`);
  return parsed.date;
}

function localOffset(date: Date): number {
  // getTimezoneOffset is minutes west of UTC; -0 would print as "+0000" anyway.
  return -date.getTimezoneOffset() || 0;
}

/**
 * The local time zone's offset at an instant (Python's `email.utils.localtime`, which
 * returns an aware datetime): the same instant and the offset, in minutes east of UTC,
 * the system's time zone has there.
 *
 * @param date - default now.
 */
export function localtime(date: Date = new Date()): {
  /** The same instant as `date` (a copy). */
  date: Date;
  /** The system time zone's offset from UTC at that instant, in minutes east (`120` for +0200). */
  utcOffset: number;
} {
  return { date: new Date(date.getTime()), utcOffset: localOffset(date) };
}

// ---------------------------------------------------------------------------
// Message ids

/** RFC 5322 dot-atom-text: atext runs separated by single dots. */
const DOT_ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
/** RFC 5322 no-fold-literal: `[` dtext `]`. */
const NO_FOLD_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]*\]$/;

/** The right side of a msg-id for `domain`: itself, or its A-label; undefined when there is none. */
function msgidDomain(domain: string): string | undefined {
  if (DOT_ATOM_TEXT.test(domain) || NO_FOLD_LITERAL.test(domain)) return domain;
  if (!/[^\x00-\x7f]/.test(domain)) return undefined;
  const aLabel = domainToASCII(domain);
  return DOT_ATOM_TEXT.test(aLabel) ? aLabel : undefined;
}

/**
 * A new unique Message-ID (Python's `email.utils.make_msgid`):
 * `<hundredths-of-seconds.pid.random64[.idstring]@domain>`, the random part from `crypto`.
 * A non-ASCII domain is written as its IDNA A-label.
 *
 * @param options.idstring - a string to strengthen uniqueness: letters, digits, dots and
 *   `!#$%&'*+-/=?^_\`{|}~` (RFC 5322 atext), not starting or ending with a dot.
 * @param options.domain - the part after "@", a domain or a `[literal]`; default the host
 *   name (`os.hostname()`, or `localhost` when it is not a valid domain; Python uses the
 *   fully qualified name).
 * @throws TypeError when `idstring` or `domain` would make an invalid msg-id (RFC 5322
 *   §3.6.4): an `@`, white space or other characters outside atext, or a domain that is
 *   not a domain (Python writes such ids as they come).
 */
export function makeMsgid(options: { idstring?: string; domain?: string } = {}): string {
  const idstring = options.idstring;
  if (idstring !== undefined && (typeof idstring !== "string" || !DOT_ATOM_TEXT.test(idstring))) {
    throw new TypeError(
      `makeMsgid: idstring ${JSON.stringify(idstring)} would make an invalid Message-ID; use letters, digits, ` +
        `dots and !#$%&'*+-/=?^_\`{|}~ only (no "@", no white space)`,
    );
  }
  let domain: string;
  if (options.domain === undefined) {
    domain = msgidDomain(hostname()) ?? "localhost";
  } else {
    const checked = typeof options.domain === "string" ? msgidDomain(options.domain) : undefined;
    if (checked === undefined) {
      throw new TypeError(
        `makeMsgid: domain ${JSON.stringify(options.domain)} would make an invalid Message-ID; give a domain ` +
          `name (example.com) or a domain literal ([192.0.2.1])`,
      );
    }
    domain = checked;
  }
  const timeval = Math.floor(Date.now() / 10);
  const random = randomBytes(8).readBigUInt64BE();
  return `<${timeval}.${process.pid}.${random}${idstring === undefined ? "" : `.${idstring}`}@${domain}>`;
}

// ---------------------------------------------------------------------------
// RFC 2231

/** An RFC 2231 value: [charset, language, text]; charset and language null when absent. */
export type Rfc2231Value = [string | null, string | null, string];

/**
 * Splits an RFC 2231 value `charset'language'text` (Python's `decode_rfc2231`); a value
 * with fewer than two apostrophes is `[null, null, value]`.
 */
export function decodeRfc2231(s: string): Rfc2231Value {
  const first = s.indexOf("'");
  const second = first < 0 ? -1 : s.indexOf("'", first + 1);
  if (second < 0) return [null, null, s];
  return [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
}

/** Percent-encodes bytes, leaving RFC 3986 unreserved characters (Python's `urllib.parse.quote(safe='')`). */
function percentEncode(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Encodes a parameter value as RFC 2231 `charset'language'percent-encoded-text` (Python's
 * `encode_rfc2231`). Without charset and language, only the percent-encoded text
 * (which then must be ASCII). Where Python writes `None` for a missing charset given a
 * language, this writes an empty charset.
 *
 * @throws CharsetError when the text cannot be encoded in the charset (us-ascii when none).
 */
export function encodeRfc2231(s: string, charset?: string, language?: string): string {
  const encoded = percentEncode(encodeText(s, charset || "us-ascii"));
  if (charset === undefined && language === undefined) return encoded;
  return `${charset ?? ""}'${language ?? ""}'${encoded}`;
}

const RFC2231_CONTINUATION = /^([A-Za-z0-9_]+)\*(?:([0-9]+)\*?)?$/;

/** Python's `urllib.parse.unquote(s, encoding="latin-1")`: each %XX is the character U+00XX. */
function percentDecodeLatin1(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A decoded parameter value: a quoted string, or an RFC 2231 [charset, language, quoted text]. */
export type DecodedParam = [string, string | Rfc2231Value];

/**
 * Decodes a parameter list (Python's `decode_params`): joins RFC 2231 continuations
 * (`name*0`, `name*1*`, ...) in numeric order, percent-decodes the extended (`*`) segments,
 * and splits charset and language off extended values. The first pair (the header's main
 * value) is kept as it is; other values come back quoted (`"..."`), extended ones as
 * `[charset, language, '"text"']` where each character of the text stands for one byte.
 */
export function decodeParams(params: readonly (readonly [string, string])[]): DecodedParam[] {
  if (params.length === 0) return [];
  const out: DecodedParam[] = [[params[0]![0], params[0]![1]]];
  const continuations = new Map<string, Array<{ num: number | null; value: string; encoded: boolean }>>();
  for (const [rawName, rawValue] of params.slice(1)) {
    const encoded = rawName.endsWith("*");
    const value = unquote(rawValue);
    const m = RFC2231_CONTINUATION.exec(rawName);
    if (m) {
      const name = m[1]!;
      const num = m[2] === undefined ? null : Number(m[2]);
      const list = continuations.get(name) ?? [];
      list.push({ num, value, encoded });
      continuations.set(name, list);
    } else {
      out.push([rawName, `"${quote(value)}"`]);
    }
  }
  for (const [name, parts] of continuations) {
    // Python sorts (num, value, encoded) tuples; a missing number sorts first here
    // (Python cannot compare None with a number and raises).
    parts.sort(
      (a, b) =>
        (a.num ?? -1) - (b.num ?? -1) ||
        (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) ||
        Number(a.encoded) - Number(b.encoded),
    );
    let extended = false;
    const joined = parts
      .map((p) => {
        if (!p.encoded) return p.value;
        extended = true;
        return percentDecodeLatin1(p.value);
      })
      .join("");
    const value = quote(joined);
    if (extended) {
      const [charset, language, text] = decodeRfc2231(value);
      out.push([name, [charset, language, `"${text}"`]]);
    } else {
      out.push([name, `"${value}"`]);
    }
  }
  return out;
}

/**
 * Turns a parameter value into text (Python's `collapse_rfc2231_value`): a plain value is
 * unquoted; an RFC 2231 value's text (one character per byte) is decoded in its charset
 * (`fallbackCharset`, default us-ascii, when it names none). An unknown charset gives the
 * unquoted raw text, as Python.
 *
 * @param options.errors - `"replace"` (default) puts U+FFFD for undecodable bytes;
 *   `"strict"` throws CharsetError.
 */
export function collapseRfc2231Value(
  value: string | Rfc2231Value | readonly [string | null, string | null, string],
  options: { errors?: "replace" | "strict"; fallbackCharset?: string } = {},
): string {
  if (typeof value === "string") return unquote(value);
  const [charsetName, , text] = value;
  const charset = charsetName ?? options.fallbackCharset ?? "us-ascii";
  if (!isKnownCharset(charset)) return unquote(text);
  // Python's raw-unicode-escape: U+0000..U+00FF are bytes, anything above becomes \uXXXX text.
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0xff) bytes.push(cp);
    else {
      const escape = cp > 0xffff ? `\\U${cp.toString(16).padStart(8, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
      for (const c of escape) bytes.push(c.charCodeAt(0));
    }
  }
  return decodeBytes(Uint8Array.from(bytes), charset, { errors: options.errors ?? "replace" });
}
