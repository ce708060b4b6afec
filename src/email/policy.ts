/**
 * Policies: every serialization and parsing choice of the message model, after
 * Python's `email.policy`. The generator has no switches of its own; it asks the policy.
 *
 * @module
 */
import { AddressHeader, HeaderRegistry } from "./headerregistry.js";
import type { BaseHeader, HeaderInput } from "./headerregistry.js";
import { Header } from "./header.js";
import { HeaderWriteError, InvalidHeaderError, MessageDefect } from "./errors.js";
import type { ContentManager } from "./contentmanager.js";
import { rawDataManager } from "./contentmanager.js";
import { RawHeaderValue } from "./rawheader.js";
import { isUtf8 } from "node:buffer";

/** What a header factory makes: a typed header object. */
export type HeaderFactory = (name: string, value: HeaderInput) => BaseHeader;

/**
 * What a message stores for one header: a raw source string (from the parser,
 * possibly folded), the raw octets of a non-UTF-8 source header, a typed header
 * (modern policies), or a legacy {@link Header}.
 */
export type StoredHeaderValue = string | RawHeaderValue | BaseHeader | Header;

/** The settable attributes of a policy. Every one is optional in {@link Policy.clone}. */
export interface PolicyOptions {
  /** Line separator used in output: `"\n"` (default) or `"\r\n"` (SMTP, HTTP). */
  readonly linesep?: string;
  /** Fold header lines longer than this, a non-negative integer; `0` or `Infinity` means never fold. Default 78. */
  readonly maxLineLength?: number;
  /** Write non-ASCII headers as UTF-8 (RFC 6532) instead of RFC 2047 encoded words. Default false (modern policies only). */
  readonly utf8?: boolean;
  /** `"8bit"` allows 8-bit bodies in output; `"7bit"` transfer-encodes them. Default `"8bit"`. */
  readonly cteType?: "7bit" | "8bit";
  /** Throw the first defect found instead of recording it. Default false. */
  readonly raiseOnDefect?: boolean;
  /** Escape body lines that start with "From " as ">From ". Default false (true in compat32). */
  readonly mangleFrom?: boolean;
  /** Check that each folded header cannot be read as more than one header. Default true. */
  readonly verifyGeneratedHeaders?: boolean;
  /** When to refold headers read from a source: `"none"`, `"long"` (default) or `"all"` (modern policies only). */
  readonly refoldSource?: "none" | "long" | "all";
  /** Makes typed header objects from names and values (modern policies only). */
  readonly headerFactory?: HeaderFactory;
  /** The rules behind `getContent` and `setContent` (modern policies only). */
  readonly contentManager?: ContentManager;
}

/** Every policy attribute, as a resolved policy holds them. */
export type ResolvedPolicyOptions = Required<PolicyOptions>;


const POLICY_KEYS: readonly (keyof PolicyOptions)[] = [
  "linesep",
  "maxLineLength",
  "utf8",
  "cteType",
  "raiseOnDefect",
  "mangleFrom",
  "verifyGeneratedHeaders",
  "refoldSource",
  "headerFactory",
  "contentManager",
];

/** The attributes of compat32: Python's Compat32 has no utf8, refold_source, header_factory or content_manager. */
const COMPAT32_KEYS: readonly (keyof PolicyOptions)[] = [
  "linesep",
  "maxLineLength",
  "cteType",
  "raiseOnDefect",
  "mangleFrom",
  "verifyGeneratedHeaders",
];

/** Any object that collects defects. */
export interface DefectHolder {
  /** The defects found so far, in the order found; {@link Policy.registerDefect} appends to it. */
  readonly defects: MessageDefect[];
}

/**
 * The base of every policy. Policies are immutable: {@link Policy.clone} makes a changed copy.
 */
export abstract class Policy implements ResolvedPolicyOptions {
  readonly linesep: string;
  readonly maxLineLength: number;
  readonly utf8: boolean;
  readonly cteType: "7bit" | "8bit";
  readonly raiseOnDefect: boolean;
  readonly mangleFrom: boolean;
  readonly verifyGeneratedHeaders: boolean;
  readonly refoldSource: "none" | "long" | "all";
  readonly headerFactory: HeaderFactory;
  readonly contentManager: ContentManager;

  /**
   * For subclasses: makes a frozen policy of `defaults` with `overrides` applied.
   *
   * @param defaults every attribute's value when not overridden
   * @param overrides the attributes to change; `undefined` ones are ignored
   * @param known the attributes this kind of policy has
   * @throws TypeError for an attribute not in `known`, or a value of the wrong kind
   *   (a `linesep` other than `"\n"`, `"\r\n"` or `"\r"`, a negative `maxLineLength` ...)
   */
  protected constructor(defaults: ResolvedPolicyOptions, overrides: PolicyOptions = {}, known: readonly (keyof PolicyOptions)[] = POLICY_KEYS) {
    const merged = { ...defaults, ...definedEntries(new.target.name, overrides, known) } as ResolvedPolicyOptions;
    validateOptions(this.constructor.name, merged);
    this.linesep = merged.linesep;
    this.maxLineLength = merged.maxLineLength === 0 ? Infinity : merged.maxLineLength;
    this.utf8 = merged.utf8;
    this.cteType = merged.cteType;
    this.raiseOnDefect = merged.raiseOnDefect;
    this.mangleFrom = merged.mangleFrom;
    this.verifyGeneratedHeaders = merged.verifyGeneratedHeaders;
    this.refoldSource = merged.refoldSource;
    this.headerFactory = merged.headerFactory;
    this.contentManager = merged.contentManager;
    Object.freeze(this);
  }

  /** The attributes of this policy that `clone` carries over, as a plain object. */
  protected options(keys: readonly (keyof PolicyOptions)[] = POLICY_KEYS): PolicyOptions {
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = this[key];
    return out as PolicyOptions;
  }

  /**
   * A copy of this policy with some attributes changed.
   * @throws TypeError for an attribute that policies do not have or a value of the wrong kind.
   */
  abstract clone(overrides: PolicyOptions): Policy;

  /** Whether this is a modern (EmailMessage) policy rather than compat32. */
  abstract readonly isModern: boolean;

  /**
   * Records `defect` on `holder`, or throws it when `raiseOnDefect` is set.
   * @throws MessageDefect when the policy raises on defects.
   */
  handleDefect(holder: DefectHolder, defect: MessageDefect): void {
    if (this.raiseOnDefect) throw defect;
    this.registerDefect(holder, defect);
  }

  /** Appends `defect` to `holder.defects`. */
  registerDefect(holder: DefectHolder, defect: MessageDefect): void {
    holder.defects.push(defect);
  }

  /** How many times a header of this name may appear, or `undefined` for no limit. */
  headerMaxCount(_name: string): number | undefined {
    return undefined;
  }

  /**
   * Splits the source lines of one header (the first line and its continuation lines,
   * each with its line ending) into a name and a raw value to store.
   */
  headerSourceParse(sourceLines: readonly string[]): [string, string] {
    const first = sourceLines[0] ?? "";
    const colon = first.indexOf(":");
    const name = first.slice(0, colon);
    let value = first.slice(colon + 1).replace(/^[ \t]+/, "") + sourceLines.slice(1).join("");
    value = value.replace(/[\r\n]+$/, "");
    return [name, value];
  }

  /** Validates a caller's header and turns it into what the message stores. */
  abstract headerStoreParse(name: string, value: HeaderInput | Header | BaseHeader): [string, StoredHeaderValue];

  /** Turns a stored header into what `get()` hands out. */
  abstract headerFetchParse(name: string, value: StoredHeaderValue): string | BaseHeader | Header;

  /** Serializes one header as text: `Name: value` plus line separator, folded and encoded. */
  abstract fold(name: string, value: StoredHeaderValue): string;

  /** Serializes one header as bytes, as {@link Policy.fold} but for a bytes generator. */
  abstract foldBinary(name: string, value: StoredHeaderValue): Uint8Array;
}

function definedEntries(policyName: string, options: PolicyOptions, known: readonly (keyof PolicyOptions)[]): PolicyOptions {
  if (typeof options !== "object" || options === null) throw new TypeError(`${policyName}: the overrides must be an object`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(known as readonly string[]).includes(key)) {
      const modernOnly = (POLICY_KEYS as readonly string[]).includes(key);
      throw new TypeError(
        modernOnly
          ? `"${key}" is not an attribute of ${policyName} (as in Python, only the modern policies have it)`
          : `"${key}" is not a policy attribute (known: ${known.join(", ")})`,
      );
    }
    if (value !== undefined) out[key] = value;
  }
  return out as PolicyOptions;
}

function validateOptions(policyName: string, o: ResolvedPolicyOptions): void {
  if (typeof o.linesep !== "string" || !/^(\r\n|\n|\r)$/.test(o.linesep)) {
    throw new TypeError(`${policyName}: linesep must be "\\n", "\\r\\n" or "\\r", got ${JSON.stringify(o.linesep)}`);
  }
  const max = o.maxLineLength;
  if (typeof max !== "number" || !(Number.isInteger(max) || max === Infinity) || max < 0) {
    throw new TypeError(
      `${policyName}: maxLineLength must be a non-negative integer (0 or Infinity: no folding), got ${String(max)}`,
    );
  }
  if (o.cteType !== "7bit" && o.cteType !== "8bit") {
    throw new TypeError(`${policyName}: cteType must be "7bit" or "8bit", got ${JSON.stringify(o.cteType)}`);
  }
  if (o.refoldSource !== "none" && o.refoldSource !== "long" && o.refoldSource !== "all") {
    throw new TypeError(`${policyName}: refoldSource must be "none", "long" or "all"`);
  }
  for (const key of ["utf8", "raiseOnDefect", "mangleFrom", "verifyGeneratedHeaders"] as const) {
    if (typeof o[key] !== "boolean") throw new TypeError(`${policyName}: ${key} must be a boolean`);
  }
}

const CONTROL_CHARACTER = /[\r\n\0]/;

/**
 * Refuses a header name or value that holds CR, LF or NUL, or a name that is not
 * a valid RFC 5322 field name. Applied at assignment, for every policy.
 * @throws InvalidHeaderError
 */
export function validateHeaderAssignment(name: string, value: unknown): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidHeaderError("a header name must be a non-empty string");
  }
  if (CONTROL_CHARACTER.test(name)) {
    throw new InvalidHeaderError(`header name ${JSON.stringify(name)} contains a CR, LF or NUL character`);
  }
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
    throw new InvalidHeaderError(
      `header name ${JSON.stringify(name)} is not valid: only printable ASCII without spaces or colons is allowed`,
    );
  }
  const text = typeof value === "string" ? value : value instanceof Header ? value.toString() : undefined;
  if (text !== undefined && CONTROL_CHARACTER.test(text)) {
    const which = /\0/.test(text) ? "NUL" : "CR or LF";
    throw new InvalidHeaderError(
      `the value of header "${name}" contains a ${which} character, which could inject headers or body; ` +
        `pass a single-line value (folding is done on output)`,
    );
  }
}

const UTF8 = new TextEncoder();
const NON_ASCII = /[^\x00-\x7f]/;

function encodeLine(text: string): Uint8Array {
  return UTF8.encode(text);
}

/**
 * The policy of Python 3's `email` package: typed headers, RFC 2047/2231 on output,
 * `EmailMessage` from the parser. `policy.default` is an instance.
 */
export class EmailPolicy extends Policy {
  get isModern(): boolean {
    return true;
  }

  /**
   * Makes a policy that is `policy.default` with `overrides` applied; `clone` on a named
   * policy is the usual way to get one.
   *
   * @param overrides attributes that differ from the defaults of `policy.default`
   * @throws TypeError for an unknown attribute or a value of the wrong kind
   */
  constructor(overrides: PolicyOptions = {}) {
    super(EMAIL_POLICY_DEFAULTS(), overrides);
  }

  clone(overrides: PolicyOptions): EmailPolicy {
    return new EmailPolicy({ ...this.options(), ...overrides });
  }

  override headerMaxCount(name: string): number | undefined {
    return this.headerFactory(name, "").maxCount;
  }

  headerStoreParse(name: string, value: HeaderInput | Header | BaseHeader): [string, StoredHeaderValue] {
    if (isBaseHeader(value) && value.name.toLowerCase() === name.toLowerCase()) {
      validateHeaderAssignment(name, value.toString());
      return [name, value];
    }
    // A typed header of another name, or a legacy Header, is taken as its text.
    const input = value instanceof Header || isBaseHeader(value) ? value.toString() : value;
    validateHeaderAssignment(name, input);
    return [name, this.headerFactory(name, input)];
  }

  headerFetchParse(name: string, value: StoredHeaderValue): BaseHeader {
    if (isBaseHeader(value)) return value;
    return this.headerFactory(name, unfold(value.toString()));
  }

  fold(name: string, value: StoredHeaderValue): string {
    if (value instanceof RawHeaderValue && isUtf8(value.bytes)) {
      // UTF-8 source text is written as it came, as asBytes() writes its octets.
      const lines = value.toString().split(/\r\n|\r|\n/);
      return this.sourceOrRefolded(name, value, () => `${name}: ${lines.join(this.linesep)}${this.linesep}`, (line) => line);
    }
    return this.foldText(name, value, true);
  }

  foldBinary(name: string, value: StoredHeaderValue): Uint8Array {
    if (value instanceof RawHeaderValue) {
      // Octets in an unknown charset go back out as they came, unless 7-bit output is required.
      return this.sourceOrRefolded(name, value, () => rawHeaderLine(name, value.bytes, this.linesep), encodeLine);
    }
    return encodeLine(this.foldText(name, value, this.cteType === "7bit"));
  }

  /**
   * A header read from a source with 8-bit octets: `source()` (the line as it came)
   * unless the output must be 7-bit or the policy refolds it. A refold that cannot be
   * written (an address whose local part is not ASCII, under a policy without utf8)
   * gives the source line back when 8-bit output is allowed: refolding a read header is
   * cosmetic, and must not make a received message impossible to write.
   */
  private sourceOrRefolded<T>(name: string, value: RawHeaderValue, source: () => T, encode: (line: string) => T): T {
    if (this.cteType !== "7bit" && !this.needsRefold(name, value.toString())) return source();
    try {
      return encode(this.headerFactory(name, unfold(value.toString())).fold({ policy: this }));
    } catch (error) {
      if (error instanceof HeaderWriteError && this.cteType !== "7bit") return source();
      throw error;
    }
  }

  private needsRefold(name: string, value: string): boolean {
    const lines = value.split(/\r\n|\r|\n/);
    const max = this.maxLineLength;
    return (
      this.refoldSource === "all" ||
      (this.refoldSource === "long" &&
        ((lines[0]?.length ?? 0) + name.length + 2 > max || lines.slice(1).some((l) => l.length > max)))
    );
  }

  private foldText(name: string, value: StoredHeaderValue, refoldBinary: boolean): string {
    if (isBaseHeader(value)) return value.fold({ policy: this });
    if (value instanceof Header || value instanceof RawHeaderValue) {
      const text = value instanceof Header ? checkedHeader(name, value).toString() : value.toString();
      return this.headerFactory(name, unfold(text)).fold({ policy: this });
    }
    const lines = value.split(/\r\n|\r|\n/);
    // A non-ASCII string is a caller's text (source octets are RawHeaderValue): it needs
    // RFC 2047 unless the output may carry UTF-8 headers.
    const needsEncoding = /[^\x00-\x7f]/.test(value) && (refoldBinary || !this.utf8);
    if (this.needsRefold(name, value) || needsEncoding) {
      return this.headerFactory(name, lines.join("")).fold({ policy: this });
    }
    return `${name}: ${lines.join(this.linesep)}${this.linesep}`;
  }
}

/**
 * The policy of Python's legacy `email` API: headers are kept as strings (or legacy
 * {@link Header} objects), folded with the legacy algorithm, and the parser makes `Message`.
 */
export class Compat32 extends Policy {
  get isModern(): boolean {
    return false;
  }

  /**
   * @param overrides attributes that differ from the defaults of `policy.compat32`
   * @throws TypeError for an attribute only the modern policies have (`utf8`,
   *   `refoldSource`, `headerFactory`, `contentManager`), as Python raises
   */
  constructor(overrides: PolicyOptions = {}) {
    super({ ...EMAIL_POLICY_DEFAULTS(), mangleFrom: true }, overrides, COMPAT32_KEYS);
  }

  /** @throws TypeError as the constructor */
  clone(overrides: PolicyOptions): Compat32 {
    return new Compat32({ ...this.options(COMPAT32_KEYS), ...overrides });
  }

  headerStoreParse(name: string, value: HeaderInput | Header | BaseHeader): [string, StoredHeaderValue] {
    if (value instanceof Header) {
      validateHeaderAssignment(name, value.toString());
      return [name, value];
    }
    if (isBaseHeader(value)) {
      validateHeaderAssignment(name, value.toString());
      return [name, value.toString()];
    }
    if (typeof value !== "string") {
      // The legacy API stores strings; render typed values the way the modern one would.
      const header = EMAIL_POLICY_DEFAULTS().headerFactory(name, value);
      validateHeaderAssignment(name, header.toString());
      return [name, header.toString()];
    }
    validateHeaderAssignment(name, value);
    return [name, value];
  }

  headerFetchParse(_name: string, value: StoredHeaderValue): string | Header {
    if (value instanceof Header) return value;
    return value.toString();
  }

  fold(name: string, value: StoredHeaderValue): string {
    return this.foldLegacy(name, value);
  }

  foldBinary(name: string, value: StoredHeaderValue): Uint8Array {
    if (value instanceof RawHeaderValue && this.cteType !== "7bit") {
      return rawHeaderLine(name, value.bytes, this.linesep);
    }
    return encodeLine(this.foldLegacy(name, value));
  }

  private foldLegacy(name: string, value: StoredHeaderValue): string {
    if ((typeof value === "string" || isBaseHeader(value)) && NON_ASCII.test(value.toString())) {
      // Python encodes the whole value, addresses included, as one encoded word, which
      // readers take for a display name without an address (RFC 2047 §5 (3) allows
      // encoded words in phrases only): address headers are written as the modern
      // policies write them, display names encoded, addresses as they are.
      const typed = isBaseHeader(value) ? value : EMAIL_POLICY_DEFAULTS().headerFactory(name, value);
      if (typed instanceof AddressHeader) return typed.fold({ policy: this });
    }
    let header: Header;
    if (value instanceof Header) {
      header = checkedHeader(name, value);
    } else if (value instanceof RawHeaderValue) {
      // Python writes source octets it cannot decode as unknown-8bit encoded words.
      header = new Header(value.bytes, { charset: "unknown-8bit", headerName: name });
    } else {
      header = new Header(value.toString(), { headerName: name });
    }
    const maxLineLength = Number.isFinite(this.maxLineLength) ? this.maxLineLength : 0;
    return `${name}: ${header.encode({ linesep: this.linesep, maxLineLength })}${this.linesep}`;
  }
}

/**
 * A legacy Header is stored as the caller's object (as Python does), which can change
 * after the checks made at assignment: it is checked again when written.
 * @throws HeaderWriteError when it now holds CR, LF or NUL
 */
function checkedHeader(name: string, header: Header): Header {
  if (CONTROL_CHARACTER.test(header.toString())) {
    throw new HeaderWriteError(
      `the ${name} header is a Header object that now holds a CR, LF or NUL character (changed after it was set): ` +
        `it cannot be written`,
    );
  }
  return header;
}

function isBaseHeader(value: unknown): value is BaseHeader {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Header) &&
    !(value instanceof RawHeaderValue) &&
    "fold" in value &&
    "name" in value
  );
}

/** `Name: ` + the source octets with their line breaks turned into `linesep` + `linesep`. */
function rawHeaderLine(name: string, bytes: Uint8Array, linesep: string): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1").split(/\r\n|\r|\n/).join(linesep);
  return Uint8Array.from(Buffer.concat([Buffer.from(`${name}: `, "latin1"), Buffer.from(text, "latin1"), Buffer.from(linesep, "latin1")]));
}

/** Removes folding (CRLF or LF followed by white space) from a raw header value. */
export function unfold(value: string): string {
  return value.replace(/\r\n|\r|\n/g, "");
}

// A function so that the defaults are built after every module has loaded.
function EMAIL_POLICY_DEFAULTS(): ResolvedPolicyOptions {
  return {
    linesep: "\n",
    maxLineLength: 78,
    utf8: false,
    cteType: "8bit",
    raiseOnDefect: false,
    mangleFrom: false,
    verifyGeneratedHeaders: true,
    refoldSource: "long",
    headerFactory: defaultHeaderFactory(),
    contentManager: rawDataManager,
  };
}

let sharedRegistry: HeaderFactory | undefined;
function defaultHeaderFactory(): HeaderFactory {
  if (!sharedRegistry) {
    const registry = new HeaderRegistry();
    sharedRegistry = (name, value) => registry.create(name, value);
  }
  return sharedRegistry;
}

/** Python's `email.policy.default`: `\n` line endings, 78-column folding, RFC 2047 for non-ASCII. */
export const defaultPolicy: EmailPolicy = new EmailPolicy();
/** Python's `email.policy.SMTP`: as default, with `\r\n` line endings. */
export const SMTP: EmailPolicy = defaultPolicy.clone({ linesep: "\r\n" });
/** Python's `email.policy.SMTPUTF8`: as SMTP, with UTF-8 headers (RFC 6532). */
export const SMTPUTF8: EmailPolicy = SMTP.clone({ utf8: true });
/** Python's `email.policy.HTTP`: `\r\n` line endings and no folding. */
export const HTTP: EmailPolicy = defaultPolicy.clone({ linesep: "\r\n", maxLineLength: Infinity });
/** Python's `email.policy.strict`: as default, but the first defect found is thrown. */
export const strict: EmailPolicy = defaultPolicy.clone({ raiseOnDefect: true });
/** Python's `email.policy.compat32`: the legacy API's behaviour. */
export const compat32: Compat32 = new Compat32();

/** The named policies, as Python's `email.policy` module exposes them. */
export const policy = {
  /**
   * Python's `email.policy.default`; also exported as {@link defaultPolicy}, since a
   * variable cannot be named `default`.
   */
  default: defaultPolicy,
  SMTP,
  SMTPUTF8,
  HTTP,
  strict,
  compat32,
} as const;
