/**
 * Typed headers, after Python's `email.headerregistry`: {@link Address} and
 * {@link Group}, one header class per kind of value (unstructured text, dates, address
 * lists, MIME-Version, Content-Type and friends, Message-ID), and the
 * {@link HeaderRegistry} that picks the class from the header name.
 *
 * A header is made from a string (parsed, with problems recorded as `defects`, never
 * thrown) or from typed values (addresses, a `Date`). Its `toString()` is the decoded
 * value; {@link BaseHeader.fold} writes it for the wire as a policy says.
 *
 * @module
 */
import { domainToASCII } from "node:url";
import { formatDateWithOffset, parseDate } from "./dates.js";
import {
  HeaderMissingRequiredValue,
  HeaderWriteError,
  InvalidDateDefect,
  InvalidHeaderError,
  MessageDefect,
} from "./errors.js";
import { refoldParseTree } from "./headerfolding.js";
import {
  AddrSpec,
  CFWSList,
  ContentDispositionToken,
  ContentTransferEncodingToken,
  ContentTypeToken,
  DOT_ATOM_ENDS,
  Domain,
  DomainLiteral,
  HeaderLabel,
  HeaderTokens,
  MIMEVersionToken,
  SPECIALS,
  TokenList,
  ValueTerminal,
  type Token,
  WhiteSpaceTerminal,
  hasAny,
  quoteString,
} from "./headertokens.js";
import {
  getAddressList,
  getUnstructured,
  parseAddrSpec,
  parseContentDispositionHeader,
  parseContentTransferEncodingHeader,
  parseContentTypeHeader,
  parseMessageId,
  parseMimeVersion,
} from "./headervalueparser.js";
import type { Policy } from "./policy.js";

const FORBIDDEN = /[\r\n\0]/;

// ------------------------------------------------------------------ Address and Group

/** What {@link Address} is made from. */
export interface AddressInit {
  /** The display name, as text (quoted and encoded on output as needed). Default `""`. */
  readonly displayName?: string;
  /** The local part, unquoted. Default `""`. */
  readonly username?: string;
  /** The domain. Default `""`. */
  readonly domain?: string;
  /** `local@domain` as written in a header (quoted local part allowed), instead of username and domain. */
  readonly addrSpec?: string;
}

/**
 * One email address: a display name, a user name and a domain (Python's
 * `email.headerregistry.Address`). Immutable.
 *
 * @example
 * new Address({ displayName: "Smith, Bob", addrSpec: "bob@example.com" }).toString()
 * // '"Smith, Bob" <bob@example.com>'
 */
export class Address {
  /** The display name, decoded. */
  readonly displayName: string;
  /** The local part, unquoted. */
  readonly username: string;
  /** The domain. */
  readonly domain: string;

  /**
   * @throws TypeError when `addrSpec` is given together with `username` or `domain`, or a
   *   part is not a string.
   * @throws InvalidHeaderError when a part holds CR, LF or NUL, or `addrSpec` is not a
   *   complete, valid addr-spec.
   */
  constructor(init: AddressInit = {}) {
    if (typeof init !== "object" || init === null) throw new TypeError("new Address() takes an options object");
    for (const key of ["displayName", "username", "domain", "addrSpec"] as const) {
      const part = init[key];
      if (part !== undefined && typeof part !== "string") {
        throw new TypeError(`Address ${key} must be a string, not ${typeof part}`);
      }
      if (part !== undefined && FORBIDDEN.test(part)) {
        throw new InvalidHeaderError(`invalid Address ${key} ${JSON.stringify(part)}: address parts cannot contain CR, LF or NUL`);
      }
    }
    let username = init.username ?? "";
    let domain = init.domain ?? "";
    if (init.addrSpec !== undefined) {
      if (username || domain) {
        throw new TypeError("addrSpec cannot be given together with username or domain");
      }
      let parsed;
      try {
        parsed = parseAddrSpec(init.addrSpec);
      } catch (err) {
        throw new InvalidHeaderError(`invalid addrSpec ${JSON.stringify(init.addrSpec)}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (parsed.rest) {
        throw new InvalidHeaderError(
          `invalid addrSpec: only '${parsed.token.toString()}' could be parsed from ${JSON.stringify(init.addrSpec)}`,
        );
      }
      const defect = parsed.token.allDefects[0];
      if (defect) {
        throw new InvalidHeaderError(`invalid addrSpec ${JSON.stringify(init.addrSpec)}: ${defect.message}`, {
          cause: defect,
        });
      }
      username = parsed.token.localPart ?? "";
      domain = parsed.token.domain ?? "";
    }
    this.displayName = init.displayName ?? "";
    this.username = username;
    this.domain = domain;
    Object.freeze(this);
  }

  /** @internal An address read from a parsed header: no validation, as Python's parser path. */
  static fromParts(displayName: string, username: string, domain: string): Address {
    const address = Object.create(Address.prototype) as { -readonly [K in keyof Address]: Address[K] };
    address.displayName = displayName;
    address.username = username;
    address.domain = domain;
    return Object.freeze(address) as Address;
  }

  /** `username@domain`, the user name quoted when it is not a dot-atom; `<>` when both are empty. */
  get addrSpec(): string {
    let lp = this.username;
    if (hasAny(lp, DOT_ATOM_ENDS)) lp = quoteString(lp);
    if (this.domain) return `${lp}@${this.domain}`;
    if (!lp) return "<>";
    return lp;
  }

  /** `Name <user@domain>` with the name quoted when it holds specials, or the bare addr-spec. */
  toString(): string {
    let disp = this.displayName;
    if (hasAny(disp, SPECIALS)) disp = quoteString(disp);
    if (disp) {
      const spec = this.addrSpec === "<>" ? "" : this.addrSpec;
      return `${disp} <${spec}>`;
    }
    return this.addrSpec;
  }

  /** Whether the display name, user name and domain are the same. */
  equals(other: Address): boolean {
    return (
      other instanceof Address &&
      this.displayName === other.displayName &&
      this.username === other.username &&
      this.domain === other.domain
    );
  }
}

/** What {@link Group} is made from. */
export interface GroupInit {
  /** The group's name; `null` (default) for a list of addresses that is not a group. */
  readonly displayName?: string | null;
  /** The members. Default none. */
  readonly addresses?: readonly Address[];
}

/**
 * A named group of addresses, `Name: a@b, c@d;` (Python's `email.headerregistry.Group`).
 * A group without a display name stands for its addresses outside any group.
 */
export class Group {
  /** The group's name, or `null` for addresses outside a group. */
  readonly displayName: string | null;
  /** The members. */
  readonly addresses: readonly Address[];

  /**
   * @throws TypeError when the display name is not a string or null, or a member is not an {@link Address}.
   * @throws InvalidHeaderError when the display name holds CR, LF or NUL.
   */
  constructor(init: GroupInit = {}) {
    const displayName = init.displayName ?? null;
    if (displayName !== null && typeof displayName !== "string") {
      throw new TypeError(`Group displayName must be a string or null, not ${typeof displayName}`);
    }
    if (displayName !== null && FORBIDDEN.test(displayName)) {
      throw new InvalidHeaderError(`invalid Group displayName ${JSON.stringify(displayName)}: it contains CR, LF or NUL`);
    }
    const addresses = [...(init.addresses ?? [])];
    for (const address of addresses) {
      if (!(address instanceof Address)) throw new TypeError("Group addresses must be Address objects");
    }
    this.displayName = displayName;
    this.addresses = Object.freeze(addresses);
    Object.freeze(this);
  }

  /** @internal A group read from a parsed header: no validation. */
  static fromParts(displayName: string | null, addresses: readonly Address[]): Group {
    const group = Object.create(Group.prototype) as { -readonly [K in keyof Group]: Group[K] };
    group.displayName = displayName;
    group.addresses = Object.freeze([...addresses]);
    return Object.freeze(group) as Group;
  }

  /**
   * `Name: a@b, c@d;`, or, without a display name, the addresses separated by commas
   * (Python writes `None:` there when there is not exactly one address).
   */
  toString(): string {
    const members = this.addresses.map(String).join(", ");
    if (this.displayName === null) return members;
    const disp = hasAny(this.displayName, SPECIALS) ? quoteString(this.displayName) : this.displayName;
    return `${disp}:${members ? ` ${members}` : ""};`;
  }

  /** Whether the display name and the addresses (in order) are the same. */
  equals(other: Group): boolean {
    return (
      other instanceof Group &&
      this.displayName === other.displayName &&
      this.addresses.length === other.addresses.length &&
      this.addresses.every((a, i) => a.equals(other.addresses[i]!))
    );
  }
}

// ------------------------------------------------------------------ headers

/**
 * What a header can be made from: text; for address headers also an {@link Address}, a
 * {@link Group}, or an array mixing them with address strings; for date headers a `Date`.
 */
export type HeaderInput = string | Address | Group | readonly (string | Address | Group)[] | Date;

/** Every typed header. `toString()` is the decoded value (Python's `str(header)`). */
export interface BaseHeader {
  /** The header name as given. */
  readonly name: string;
  /** Problems found while parsing the value. */
  readonly defects: readonly MessageDefect[];
  /** 1 for headers that may appear once in a message, else `undefined`. */
  readonly maxCount: number | undefined;
  /** The decoded value. */
  toString(): string;
  /**
   * `Name: value` plus the policy's line separator, folded and encoded as the policy says
   * (utf8, maxLineLength, linesep).
   * @throws HeaderParseError when the policy's line length is too small to hold an encoded word.
   */
  fold(options: { policy: Policy }): string;
}

/** What the parse step of a header class produces. */
interface Parsed {
  readonly parseTree: TokenList;
  readonly decoded: string;
  readonly defects: MessageDefect[];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date";
  if (value instanceof Address) return "an Address";
  if (value instanceof Group) return "a Group";
  return typeof value;
}

function requireString(name: string, value: HeaderInput, what: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`the value of the ${name} header must be ${what}, not ${describe(value)}`);
  }
  return value;
}

/**
 * The common part of every header class: the name, the parse tree, the decoded value,
 * the defects, and folding.
 */
export abstract class TypedHeader implements BaseHeader {
  readonly name: string;
  readonly defects: readonly MessageDefect[];
  /** @internal */
  protected readonly parseTree: TokenList;
  readonly #decoded: string;

  /** @internal subclasses parse, then hand over the result */
  protected constructor(name: string, parsed: Parsed) {
    if (typeof name !== "string") throw new TypeError("a header name must be a string");
    this.name = name;
    this.parseTree = parsed.parseTree;
    this.#decoded = parsed.decoded;
    this.defects = Object.freeze([...parsed.defects]);
  }

  get maxCount(): number | undefined {
    return undefined;
  }

  /** @internal See {@link addSourceDefect}. */
  addSourceDefect(defect: MessageDefect): void {
    (this as { defects: readonly MessageDefect[] }).defects = Object.freeze([...this.defects, defect]);
  }

  toString(): string {
    return this.#decoded;
  }

  fold(options: { policy: Policy }): string {
    const policy = options?.policy;
    if (!policy || typeof policy.linesep !== "string") throw new TypeError("fold() needs { policy }");
    const tree = this.treeToFold(policy);
    const header = new HeaderTokens([
      new HeaderLabel([new ValueTerminal(this.name, "header-name"), new ValueTerminal(":", "header-sep")]),
    ]);
    if (tree.length > 0) header.push(new CFWSList([new WhiteSpaceTerminal(" ", "fws")]));
    header.push(tree);
    return refoldParseTree(header, {
      linesep: policy.linesep,
      maxLineLength: policy.maxLineLength,
      utf8: policy.utf8,
    });
  }

  /** @internal The parse tree as `policy` writes it; subclasses adapt it (addresses without utf8). */
  protected treeToFold(_policy: Policy): TokenList {
    return this.parseTree;
  }
}

/**
 * @internal Adds to a header a defect of its source that its text cannot show: the
 * message hands headers their source octets as text, so octets that are not UTF-8 are
 * U+FFFD by then (Python keeps them as surrogate escapes, which its parser reports as an
 * UndecodableBytesDefect). Headers of other classes are left alone.
 */
export function addSourceDefect(header: BaseHeader, defect: MessageDefect): void {
  if (header instanceof TypedHeader) header.addSourceDefect(defect);
}

/** The constructor of a header class, as the registry uses it. */
export type HeaderClass = new (name: string, value: HeaderInput) => BaseHeader;

/** Free text (Subject, Comments, X-anything): encoded words decoded. */
export class UnstructuredHeader extends TypedHeader {
  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree = getUnstructured(requireString(name, value, "a string"));
    super(name, { parseTree: tree, decoded: tree.toString(), defects: tree.allDefects });
  }
}

/** An unstructured header that may appear once (Subject). */
export class UniqueUnstructuredHeader extends UnstructuredHeader {
  override get maxCount(): number | undefined {
    return 1;
  }
}

function parseDateValue(name: string, value: HeaderInput): Parsed & { date: Date | undefined; utcOffset: number | null } {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`the value of the ${name} header is an invalid Date`);
    const decoded = formatDateWithOffset(value, 0);
    return { date: new Date(value.getTime()), utcOffset: 0, decoded, parseTree: getUnstructured(decoded), defects: [] };
  }
  const text = requireString(name, value, "a string or a Date");
  if (!text) {
    return { date: undefined, utcOffset: null, decoded: "", parseTree: new TokenList(), defects: [new HeaderMissingRequiredValue()] };
  }
  const parsed = parseDate(text);
  if (!parsed) {
    // Python drops the text from the folded header; it is kept here.
    return {
      date: undefined,
      utcOffset: null,
      decoded: text,
      parseTree: getUnstructured(text),
      defects: [new InvalidDateDefect("Invalid date value or format")],
    };
  }
  const decoded = formatDateWithOffset(parsed.date, parsed.utcOffset);
  return { date: parsed.date, utcOffset: parsed.utcOffset, decoded, parseTree: getUnstructured(decoded), defects: [] };
}

/** A date (Date, Resent-Date): the value is re-written in RFC 5322 form, keeping its UTC offset. */
export class DateHeader extends TypedHeader {
  /** The instant, or `undefined` when the value is not a date. */
  readonly datetime: Date | undefined;
  /** Minutes east of UTC the date was written in; `null` for `-0000` (zone unknown) or no date. */
  readonly utcOffset: number | null;

  /**
   * @param value - a date string (parsed as Python's `parsedate_to_datetime`) or a `Date`
   *   (written in UTC, `+0000`).
   * @throws TypeError when the value is neither a string nor a valid Date.
   */
  constructor(name: string, value: HeaderInput) {
    const parsed = parseDateValue(name, value);
    super(name, parsed);
    this.datetime = parsed.date;
    this.utcOffset = parsed.utcOffset;
  }
}

/** A date header that may appear once (Date, Orig-Date). */
export class UniqueDateHeader extends DateHeader {
  override get maxCount(): number | undefined {
    return 1;
  }
}

/** The groups of an address-list string, and the parse behind them. */
function parseAddressText(text: string): { tree: TokenList; groups: Group[] } {
  const tree = getAddressList(text);
  const groups = tree.addresses.map((addr) =>
    Group.fromParts(
      addr.displayName ?? null,
      addr.allMailboxes.map((mb) => Address.fromParts(mb.displayName || "", mb.localPart || "", mb.domain || "")),
    ),
  );
  return { tree, groups };
}

function parseAddressValue(name: string, value: HeaderInput): Parsed & { groups: Group[] } {
  if (typeof value === "string") {
    const { tree, groups } = parseAddressText(value);
    return { parseTree: tree, groups, decoded: groups.map(String).join(", "), defects: tree.allDefects };
  }
  const items: readonly unknown[] = Array.isArray(value) ? value : [value];
  const defects: MessageDefect[] = [];
  const groups = items.flatMap((item) => {
    if (item instanceof Group) return [item];
    if (item instanceof Address) return [Group.fromParts(null, [item])];
    if (typeof item === "string") {
      // Python takes the string as an address without parsing it (its `addresses` then
      // holds strings); it is parsed here, as a string value would be.
      if (FORBIDDEN.test(item)) throw new InvalidHeaderError(`an address of the ${name} header contains CR, LF or NUL`);
      const { tree, groups: parsed } = parseAddressText(item);
      defects.push(...tree.allDefects);
      return parsed;
    }
    throw new TypeError(
      `the value of the ${name} header must be a string, an Address, a Group, or an array of those, not ${describe(item)}` +
        (Array.isArray(value) ? " in the array" : ""),
    );
  });
  const decoded = groups.map(String).join(", ");
  for (const group of groups) {
    for (const part of [group.displayName ?? "", ...group.addresses.flatMap((a) => [a.displayName, a.username, a.domain])]) {
      if (FORBIDDEN.test(part)) throw new InvalidHeaderError(`the ${name} header would contain CR, LF or NUL`);
    }
  }
  return { parseTree: getAddressList(decoded), groups, decoded, defects };
}

/** An address list (To, Cc, From, Reply-To...). */
export class AddressHeader extends TypedHeader {
  /** The groups of the value; addresses outside a group are each in a group with a null display name. */
  readonly groups: readonly Group[];
  /** Every address, groups flattened. */
  readonly addresses: readonly Address[];

  /**
   * @param value - a string (parsed), or an {@link Address}, a {@link Group} or an array
   *   of them and of address strings (each parsed).
   * @throws TypeError when the value is of another type.
   */
  constructor(name: string, value: HeaderInput) {
    const parsed = parseAddressValue(name, value);
    super(name, parsed);
    this.groups = Object.freeze(parsed.groups);
    this.addresses = Object.freeze(parsed.groups.flatMap((g) => g.addresses));
  }

  /**
   * @internal Without utf8, a non-ASCII domain is written as its IDNA A-label and a non-ASCII local
   * part is refused: RFC 2047 §5 forbids encoded words in an addr-spec (Python writes them).
   * @throws HeaderWriteError for a non-ASCII local part, or a domain with no A-label.
   */
  protected override treeToFold(policy: Policy): TokenList {
    return policy.utf8 || !NON_ASCII.test(this.parseTree.toString()) ? this.parseTree : asciiAddrSpecs(this.name, this.parseTree);
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `tree` with every non-ASCII domain replaced by its A-label (copied where it changes,
 * the header's own tree untouched).
 * @throws HeaderWriteError for a non-ASCII local part or a domain that has no A-label.
 */
function asciiAddrSpecs(name: string, tree: TokenList): TokenList {
  const visit = (token: TokenList): TokenList => {
    if (token instanceof Domain || token instanceof DomainLiteral) {
      if (!NON_ASCII.test(token.domain)) return token;
      const aLabel = token instanceof Domain ? domainToASCII(token.domain) : "";
      if (!aLabel) {
        throw new HeaderWriteError(
          `the ${name} header holds the domain ${JSON.stringify(token.domain)}, which has no ASCII (IDNA) form; ` +
            `write it with a utf8 policy such as policy.SMTPUTF8`,
        );
      }
      return withItems(token, [new ValueTerminal(aLabel, "atext")]);
    }
    if (token instanceof AddrSpec && NON_ASCII.test(token.localPart ?? "")) {
      throw new HeaderWriteError(
        `the ${name} header holds the address ${JSON.stringify(token.addrSpec)}, whose local part is not ASCII: ` +
          `it can only be written with a utf8 policy such as policy.SMTPUTF8 (RFC 6532), never as an encoded word (RFC 2047 §5)`,
      );
    }
    // Comments hold no addresses (and may nest deeply); everything else is shallow.
    if (token.tokenType === "cfws" || token.tokenType === "comment") return token;
    let changed = false;
    const items = token.items.map((item) => {
      if (item.isTerminal) return item;
      const out = visit(item);
      changed ||= out !== item;
      return out;
    });
    return changed ? withItems(token, items) : token;
  };
  return visit(tree);
}

/** A shallow copy of `token` (same class, type and defects) with other children. */
function withItems<T extends TokenList>(token: T, items: Token[]): T {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(token) as object) as T, token);
  copy.items = items;
  return copy;
}

/** An address header that may appear once (To, Cc, Bcc, From, Reply-To). */
export class UniqueAddressHeader extends AddressHeader {
  override get maxCount(): number | undefined {
    return 1;
  }
}

/** A header that holds one address (Sender, Resent-Sender). */
export class SingleAddressHeader extends AddressHeader {
  /**
   * The one address.
   * @throws InvalidHeaderError when the value does not hold exactly one address.
   */
  get address(): Address {
    const only = this.addresses[0];
    if (this.addresses.length !== 1 || !only) {
      throw new InvalidHeaderError(`value of single address header ${this.name} is not a single address`);
    }
    return only;
  }
}

/** A single-address header that may appear once (Sender). */
export class UniqueSingleAddressHeader extends SingleAddressHeader {
  override get maxCount(): number | undefined {
    return 1;
  }
}

/** MIME-Version. */
export class MIMEVersionHeader extends TypedHeader {
  /** `"1.0"`, or `undefined` when the value is not a version. */
  readonly version: string | undefined;
  /** The major number, or `undefined` when the value is not a complete version. */
  readonly major: number | undefined;
  /** The minor number, or `undefined`. */
  readonly minor: number | undefined;

  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree: MIMEVersionToken = parseMimeVersion(requireString(name, value, "a string"));
    super(name, { parseTree: tree, decoded: tree.toString(), defects: tree.allDefects });
    this.minor = tree.minor;
    this.major = tree.minor === undefined ? undefined : tree.major;
    this.version = tree.minor === undefined ? undefined : `${this.major}.${this.minor}`;
  }

  override get maxCount(): number | undefined {
    return 1;
  }
}

type ParamTree = ContentTypeToken | ContentDispositionToken;

/** A header with `; name=value` parameters (Content-Type, Content-Disposition). */
export abstract class ParameterizedMIMEHeader extends TypedHeader {
  /** The parameters: names lower-cased, values decoded (RFC 2231 included). */
  readonly params: Readonly<Record<string, string>>;

  /** @internal subclasses parse, then hand over the tree */
  protected constructor(name: string, tree: ParamTree) {
    // As in Python: rendering the value interprets the parameters (recording their
    // defects on the tokens), then the defects are collected.
    const decoded = tree.toString();
    const defects = tree.allDefects;
    super(name, { parseTree: tree, decoded, defects });
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, paramValue] of tree.params) params[key.toLowerCase()] = paramValue;
    this.params = Object.freeze(params);
  }

  override get maxCount(): number | undefined {
    return 1;
  }
}

/** Content-Type. */
export class ContentTypeHeader extends ParameterizedMIMEHeader {
  /** The main type, lower-cased (`text` when the value is not valid). */
  readonly maintype: string;
  /** The subtype, lower-cased (`plain` when the value is not valid). */
  readonly subtype: string;

  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree = parseContentTypeHeader(requireString(name, value, "a string"));
    super(name, tree);
    this.maintype = tree.maintype;
    this.subtype = tree.subtype;
  }

  /** `maintype/subtype`. */
  get contentType(): string {
    return `${this.maintype}/${this.subtype}`;
  }
}

/** Content-Disposition. */
export class ContentDispositionHeader extends ParameterizedMIMEHeader {
  /** `inline`, `attachment`..., lower-cased, or `undefined` when the value has none. */
  readonly contentDisposition: string | undefined;

  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree = parseContentDispositionHeader(requireString(name, value, "a string"));
    super(name, tree);
    this.contentDisposition = tree.contentDisposition;
  }
}

/** Content-Transfer-Encoding. */
export class ContentTransferEncodingHeader extends TypedHeader {
  /** The mechanism, lower-cased (`7bit` when the value has none). */
  readonly cte: string;

  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree: ContentTransferEncodingToken = parseContentTransferEncodingHeader(requireString(name, value, "a string"));
    super(name, { parseTree: tree, decoded: tree.toString(), defects: tree.allDefects });
    this.cte = tree.cte;
  }

  override get maxCount(): number | undefined {
    return 1;
  }
}

/** Message-ID: a msg-id, never folded. */
export class MessageIDHeader extends TypedHeader {
  /** @throws TypeError when the value is not a string. */
  constructor(name: string, value: HeaderInput) {
    const tree = parseMessageId(requireString(name, value, "a string"));
    super(name, { parseTree: tree, decoded: tree.toString(), defects: tree.allDefects });
  }

  override get maxCount(): number | undefined {
    return 1;
  }
}

// ------------------------------------------------------------------ registry

const DEFAULT_HEADER_MAP: ReadonlyArray<readonly [string, HeaderClass]> = [
  ["subject", UniqueUnstructuredHeader],
  ["date", UniqueDateHeader],
  ["resent-date", DateHeader],
  ["orig-date", UniqueDateHeader],
  ["sender", UniqueSingleAddressHeader],
  ["resent-sender", SingleAddressHeader],
  ["to", UniqueAddressHeader],
  ["resent-to", AddressHeader],
  ["cc", UniqueAddressHeader],
  ["resent-cc", AddressHeader],
  ["bcc", UniqueAddressHeader],
  ["resent-bcc", AddressHeader],
  ["from", UniqueAddressHeader],
  ["resent-from", AddressHeader],
  ["reply-to", UniqueAddressHeader],
  ["mime-version", MIMEVersionHeader],
  ["content-type", ContentTypeHeader],
  ["content-disposition", ContentDispositionHeader],
  ["content-transfer-encoding", ContentTransferEncodingHeader],
  ["message-id", MessageIDHeader],
];

/** Options of {@link HeaderRegistry}. */
export interface HeaderRegistryOptions {
  /** The class for names that are not mapped; default {@link UnstructuredHeader}. */
  readonly defaultClass?: HeaderClass;
  /** Start from Python's map of names to classes (default true). */
  readonly useDefaultMap?: boolean;
}

/**
 * Makes typed headers, choosing the class from the header name (Python's
 * `HeaderRegistry`; `create` is Python's `registry(name, value)`).
 *
 * @example
 * const to = new HeaderRegistry().create("To", "Bob <bob@example.com>") as AddressHeader;
 * to.addresses[0].username // "bob"
 */
export class HeaderRegistry {
  private readonly registry = new Map<string, HeaderClass>();
  private readonly defaultClass: HeaderClass;

  /** @throws TypeError when `defaultClass` is not a constructor. */
  constructor(options: HeaderRegistryOptions = {}) {
    const defaultClass = options.defaultClass ?? UnstructuredHeader;
    if (typeof defaultClass !== "function") throw new TypeError("defaultClass must be a header class");
    this.defaultClass = defaultClass;
    if (options.useDefaultMap ?? true) for (const [name, cls] of DEFAULT_HEADER_MAP) this.registry.set(name, cls);
  }

  /**
   * Makes `cls` the class for headers called `name` (case-insensitive).
   * @throws TypeError when `cls` is not a constructor.
   */
  mapToType(name: string, cls: HeaderClass): void {
    if (typeof cls !== "function") throw new TypeError("mapToType() needs a header class");
    this.registry.set(name.toLowerCase(), cls);
  }

  /** The class used for headers called `name`. */
  classFor(name: string): HeaderClass {
    return this.registry.get(name.toLowerCase()) ?? this.defaultClass;
  }

  /**
   * A typed header for `name` made from `value`: strings are parsed (problems become
   * defects), addresses and dates are rendered.
   * @throws TypeError when the value's type does not suit the header (an Address for
   *   Subject, a string array...).
   * @throws InvalidHeaderError when typed values hold CR, LF or NUL.
   */
  create(name: string, value: HeaderInput): BaseHeader {
    const cls = this.classFor(name);
    return new cls(name, value);
  }
}


