/**
 * The parse tree of a structured header value, after the token classes of Python's
 * `email._header_value_parser`. A tree is made of {@link TokenList}s (named after the
 * RFC 5322 / RFC 2045 rule they represent, in `tokenType`) whose leaves are
 * {@link Terminal}s.
 *
 * Every token has three renderings:
 * - `toString()`: a canonical form of the source (quoted pairs minimal, encoded words
 *   decoded), as Python's `str(token)`;
 * - `value`: the semantic value (white space and comments collapse to one space);
 * - {@link foldText}: what the folder writes (as `toString()`, except that encoded
 *   words the caller wrote are kept as written).
 *
 * @module
 */
import { MessageDefect } from "./errors.js";

/** White space inside header values. */
export const WSP = new Set([" ", "\t"]);
/** Characters that start CFWS. */
export const CFWS_LEADER = new Set([" ", "\t", "("]);
/** RFC 5322 specials. */
export const SPECIALS = new Set([..."()<>@,:;.\\\"[]"]);
/** Characters that end an atom. */
export const ATOM_ENDS = new Set([...SPECIALS, ...WSP]);
/** Characters that end a dot-atom. */
export const DOT_ATOM_ENDS = new Set([...ATOM_ENDS].filter((c) => c !== "."));
/** Characters that end a phrase ('.', '"' and '(' do not, to support obs-phrase). */
export const PHRASE_ENDS = new Set([...SPECIALS].filter((c) => c !== "." && c !== '"' && c !== "("));
/** RFC 2045 tspecials. */
export const TSPECIALS = new Set([...[...SPECIALS].filter((c) => c !== "."), "/", "?", "="]);
/** Characters that end an RFC 2045 token. */
export const TOKEN_ENDS = new Set([...TSPECIALS, ...WSP]);
/** Characters that may not appear in an RFC 2231 attribute. */
export const ASPECIALS = new Set([...TSPECIALS, "*", "'", "%"]);
/** Characters that end an RFC 2231 attribute. */
export const ATTRIBUTE_ENDS = new Set([...ASPECIALS, ...WSP]);
/** Characters that end an RFC 2231 extended attribute (which may hold `%XX`). */
export const EXTENDED_ATTRIBUTE_ENDS = new Set([...ATTRIBUTE_ENDS].filter((c) => c !== "%"));

/** White space as Python's `str.isspace` sees it (used by strip/split in the port). */
export const PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);
const ANY_SPACE = new RegExp(`[${PY_SPACE}]+`, "g");

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(LEADING_SPACE, "").replace(TRAILING_SPACE, "");
}
/** Python's `str.lstrip()`. */
export function pyLstrip(text: string): string {
  return text.replace(LEADING_SPACE, "");
}
/** Python's `str.rstrip()`. */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING_SPACE, "");
}
/** Python's `"".join(text.split())`: every white space removed. */
export function removeSpace(text: string): string {
  return text.replace(ANY_SPACE, "");
}

/** Whether `text` holds any character of `set`. */
export function hasAny(text: string, set: ReadonlySet<string>): boolean {
  for (const ch of text) if (set.has(ch)) return true;
  return false;
}

/** `text` in double quotes, with `\` and `"` escaped (Python's `quote_string`). */
export function quoteString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Any node of a parse tree. */
export type Token = TokenList | Terminal;

// ------------------------------------------------------------------ terminals

/** A leaf of the parse tree: a run of characters with a token type. */
export abstract class Terminal {
  // Constant flags live on the prototype (see the defaults() calls below) and defects
  // are allocated on first use: hostile values make hundreds of thousands of tokens.
  declare readonly isTerminal: true;
  /** May the folder turn this token into an encoded word? */
  declare asEwAllowed: boolean;
  /** May the folder merge this token's encoded word with the previous one? */
  declare ewCombineAllowed: boolean;
  /** Is a fold before this token a good (major syntactic) break? */
  declare syntacticBreak: boolean;
  declare private ownDefects: MessageDefect[] | undefined;
  /** Problems found in this token. */
  get defects(): MessageDefect[] {
    return (this.ownDefects ??= []);
  }
  set defects(defects: MessageDefect[]) {
    this.ownDefects = defects;
  }

  constructor(
    /** The characters of the token (quoted pairs already unquoted). */
    readonly text: string,
    /** The name of the grammar rule, e.g. `"atext"`, `"fws"`, `"ptext"`. */
    public tokenType: string,
  ) {}

  toString(): string {
    return this.text;
  }
  /** The semantic value. */
  abstract get value(): string;
  /** Defects of this token (terminals have no children). */
  get allDefects(): MessageDefect[] {
    return this.ownDefects ? [...this.ownDefects] : [];
  }
  /** Whether the token starts with folding white space. */
  abstract startsWithFws(): boolean;
  /** Comments inside the token (none for a terminal). */
  get comments(): string[] {
    return [];
  }
}

defaults(Terminal, { isTerminal: true, asEwAllowed: true, ewCombineAllowed: true, syntacticBreak: true });

/** A terminal whose value is its text. */
export class ValueTerminal extends Terminal {
  get value(): string {
    return this.text;
  }
  startsWithFws(): boolean {
    return false;
  }
}

/**
 * Plain words and the blanks between them, read as one token where the grammar has an
 * atom (with its white space) per word: a hostile local part of a million words would
 * otherwise hold millions of tokens. Its text is the source; its value has each run of
 * blanks as one space, as the atoms' values would (atext holds no blanks).
 */
export class WordRun extends ValueTerminal {
  override get value(): string {
    return collapseBlanks(this.text);
  }
}

/** `text` with every run of spaces and tabs as one space (a loop: a global regex replace is slow on megabytes). */
function collapseBlanks(text: string): string {
  if (!/\t| {2}/.test(text)) return text;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09) continue;
    let end = i + 1;
    while (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09) end++;
    if (end - i > 1 || code === 0x09) {
      parts.push(text.slice(start, i));
      start = end;
      parts.push(" ");
    }
    i = end - 1;
  }
  parts.push(text.slice(start));
  return parts.join("");
}

/** A run of white space (or comment text); its value is one space. */
export class WhiteSpaceTerminal extends Terminal {
  get value(): string {
    return " ";
  }
  startsWithFws(): boolean {
    return true;
  }
}

/**
 * White space between two encoded words: it disappears when the value is decoded
 * (RFC 2047 section 6.2), but is written back when the words are written as they came.
 */
export class EWWhiteSpaceTerminal extends WhiteSpaceTerminal {
  override get value(): string {
    return "";
  }
  override toString(): string {
    return "";
  }
}

// ------------------------------------------------------------------ lists

/** An inner node of the parse tree. */
export class TokenList {
  declare readonly isTerminal: false;
  /** The name of the grammar rule; may be changed to an `invalid-` form by the parser. */
  declare tokenType: string;
  /** The children, in order. */
  items: Token[];
  /** Is a fold before this token a good (major syntactic) break? */
  declare syntacticBreak: boolean;
  /** May the folder merge this token's encoded words with previous ones? */
  declare ewCombineAllowed: boolean;
  /** When set, overrides whether the folder may encode this token (else: all children may). */
  declare protected ewAllowed: boolean | undefined;
  declare private ownDefects: MessageDefect[] | undefined;
  /** Problems found in this token (not in its children: see {@link TokenList.allDefects}). */
  get defects(): MessageDefect[] {
    return (this.ownDefects ??= []);
  }
  set defects(defects: MessageDefect[]) {
    this.ownDefects = defects;
  }

  constructor(items: Iterable<Token> = []) {
    this.items = [...items];
  }

  get length(): number {
    return this.items.length;
  }
  /** The child at `index` (negative counts from the end). */
  at(index: number): Token | undefined {
    return this.items.at(index);
  }
  push(...tokens: Token[]): void {
    // A small list is made again at its exact size: an array grown by push keeps room
    // for 16 more children, and a hostile value makes millions of small lists.
    if (this.items.length < 8) this.items = this.items.concat(tokens);
    else for (const token of tokens) this.items.push(token);
  }
  /** Appends every token of `tokens` (any number of them). */
  extend(tokens: readonly Token[]): void {
    for (const token of tokens) this.items.push(token);
  }
  /** Puts tokens before the first child. */
  prepend(...tokens: Token[]): void {
    this.items = tokens.concat(this.items); // at its exact size, as push
  }

  toString(): string {
    let out = "";
    for (const item of this.items) out += item.toString();
    return out;
  }
  /** The semantic value of the subtree. */
  get value(): string {
    let out = "";
    for (const item of this.items) out += item.value;
    return out;
  }
  /** The defects of this token and of every token below it. */
  get allDefects(): MessageDefect[] {
    const out: MessageDefect[] = this.ownDefects ? [...this.ownDefects] : [];
    for (const item of this.items) for (const defect of item.allDefects) out.push(defect);
    return out;
  }
  startsWithFws(): boolean {
    return this.items[0]?.startsWithFws() ?? false;
  }
  /** May the folder encode this token as encoded words? */
  get asEwAllowed(): boolean {
    if (this.ewAllowed !== undefined) return this.ewAllowed;
    return this.items.every((item) => item.asEwAllowed);
  }
  /** Whether this token may never be encoded, whatever its children (an addr-spec, a domain...). */
  get neverEncoded(): boolean {
    return this.ewAllowed === false;
  }
  /** The contents of the comments in the subtree. */
  get comments(): string[] {
    const out: string[] = [];
    for (const item of this.items) for (const comment of item.comments) out.push(comment);
    return out;
  }
}

defaults(TokenList, {
  isTerminal: false,
  tokenType: "token-list",
  syntacticBreak: true,
  ewCombineAllowed: true,
  ewAllowed: undefined,
});

/** Sets the defaults of a token class on its prototype. */
function defaults(cls: abstract new (...args: never[]) => unknown, values: Record<string, unknown>): void {
  Object.assign(cls.prototype as object, values);
}

function list(tokenType: string, ewAllowed?: boolean): typeof TokenList {
  const cls = class extends TokenList {};
  defaults(cls, ewAllowed === undefined ? { tokenType } : { tokenType, ewAllowed });
  return cls;
}

/** White space and comments; its value is one space. */
export class WhiteSpaceTokenList extends TokenList {
  override get value(): string {
    return " ";
  }
  override get comments(): string[] {
    return this.items.filter((x): x is Comment => x.tokenType === "comment").map((c) => c.content);
  }
}

/** Comments and folding white space. */
export class CFWSList extends WhiteSpaceTokenList {
}
defaults(CFWSList, { tokenType: "cfws" });

/**
 * White space between two encoded words of a phrase: it is not part of the value
 * (RFC 2047 section 6.2), but is written back when the words are written as they came.
 */
export class EncodedWordGap extends CFWSList {
  override get value(): string {
    return "";
  }
}

/** A parenthesized comment, possibly nested. */
export class Comment extends WhiteSpaceTokenList {
  override toString(): string {
    let out = "(";
    for (const item of this.items) {
      out += item.tokenType === "comment" ? item.toString() : item.toString().replace(/\\/g, "\\\\").replace(/[()]/g, "\\$&");
    }
    return out + ")";
  }
  /** The text between the parentheses, nested comments included. */
  get content(): string {
    return this.items.map(String).join("");
  }
  override get comments(): string[] {
    return [this.content];
  }
}
defaults(Comment, { tokenType: "comment" });

/** An unstructured value: text, white space and encoded words. */
export class UnstructuredTokenList extends list("unstructured") {}
/** A phrase: words, and in the obsolete syntax dots and comments. */
export class Phrase extends list("phrase") {}
/** An atom or a quoted string. */
export class Word extends list("word") {}
/** Atom text (or an encoded word) with the CFWS around it. */
export class Atom extends list("atom") {}
/** An RFC 2045 token (a MIME type, subtype or mechanism) with the CFWS around it. */
export class Token_ extends list("token") {}
/** A dot-atom with the CFWS around it. */
export class DotAtom extends list("dot-atom") {}
/** The text of a dot-atom. Never encoded: it is a local part, a domain or a msg-id (Python allows it, and can turn an address into an encoded word). */
export class DotAtomText extends list("dot-atom-text", false) {}
/** The `[...]` right part of a msg-id. */
export class NoFoldLiteral extends list("no-fold-literal", false) {}
/** A local part in the obsolete syntax (words and dots with CFWS between). */
export class ObsLocalPart extends list("obs-local-part", false) {}
/** `Name:` at the start of a folded header. */
export class HeaderLabel extends list("header-label", false) {}
/** A whole header for the folder: the label and the value. */
export class HeaderTokens extends list("header") {}

/** An RFC 2047 encoded word; its children are the decoded text. */
export class EncodedWord extends TokenList {
  /**
   * The word as written in the source, `=?charset?q?text?=`, which the folder writes back
   * as it came; `""` when it must be encoded again from its text (the parser clears it on
   * words that share a character split between them).
   */
  source = "";
  /** The charset named in the word. */
  charset = "";
  /** The RFC 2231 language named in the word. */
  lang = "";
  /** The octets the word stands for, before the charset was applied. */
  octets: Uint8Array = new Uint8Array(0);
  /** Whether some of those octets could not be decoded in the charset. */
  undecodable = false;
  /** How many adjacent source words this one stands for (more than one when they split a character). */
  words = 1;
}
defaults(EncodedWord, { tokenType: "encoded-word" });

/** A quoted string with the CFWS around it. */
export class QuotedString extends TokenList {
  private bare(): TokenList | undefined {
    return this.items.find((x): x is TokenList => x.tokenType === "bare-quoted-string");
  }
  /** The unquoted content. */
  get content(): string | undefined {
    return this.bare()?.value;
  }
  /** The value with the quotes kept (white space around collapsed). */
  get quotedValue(): string {
    return this.items.map((x) => (x.tokenType === "bare-quoted-string" ? x.toString() : x.value)).join("");
  }
  /** The unquoted content without the surrounding CFWS. */
  get strippedValue(): string | undefined {
    return this.bare()?.value;
  }
}
defaults(QuotedString, { tokenType: "quoted-string" });

/** The quotes and what is between them. */
export class BareQuotedString extends QuotedString {
  override toString(): string {
    return quoteString(this.items.map(String).join(""));
  }
  override get value(): string {
    return this.items.map(String).join("");
  }
}
defaults(BareQuotedString, { tokenType: "bare-quoted-string" });

/** An address list, as in To and Cc. */
export class AddressList extends TokenList {
  get addresses(): AddressToken[] {
    return this.items.filter((x): x is AddressToken => x.tokenType === "address");
  }
  get allMailboxes(): MailboxLike[] {
    return this.addresses.flatMap((a) => a.allMailboxes);
  }
}
defaults(AddressList, { tokenType: "address-list" });

/** A mailbox, an invalid mailbox or a group. */
export class AddressToken extends TokenList {
  /** The group's display name; `undefined` for a mailbox. */
  get displayName(): string | undefined {
    const first = this.items[0];
    return first instanceof GroupToken ? first.displayName : undefined;
  }
  get allMailboxes(): MailboxLike[] {
    const first = this.items[0];
    if (!(first instanceof TokenList)) return [];
    if (first.tokenType === "mailbox" || first.tokenType === "invalid-mailbox") return [first as unknown as MailboxLike];
    return first instanceof GroupToken ? first.allMailboxes : [];
  }
}
defaults(AddressToken, { tokenType: "address" });

/** Mailbox-like tokens as the registry reads them. */
export interface MailboxLike {
  readonly displayName: string | undefined;
  readonly localPart: string | undefined;
  readonly domain: string | undefined;
}

/** The mailboxes of a group. */
export class MailboxList extends TokenList {
  get allMailboxes(): MailboxLike[] {
    return this.items
      .filter((x) => x.tokenType === "mailbox" || x.tokenType === "invalid-mailbox")
      .map((x) => x as unknown as MailboxLike);
  }
}
defaults(MailboxList, { tokenType: "mailbox-list" });

/** What is between the colon and the semicolon of a group. */
export class GroupList extends TokenList {
  get allMailboxes(): MailboxLike[] {
    const first = this.items[0];
    return first instanceof MailboxList && first.tokenType === "mailbox-list" ? first.allMailboxes : [];
  }
}
defaults(GroupList, { tokenType: "group-list" });

/** A group: `display-name ":" [group-list] ";"`. */
export class GroupToken extends TokenList {
  get allMailboxes(): MailboxLike[] {
    const third = this.items[2];
    return third instanceof GroupList ? third.allMailboxes : [];
  }
  get displayName(): string | undefined {
    const first = this.items[0];
    return first instanceof DisplayName ? first.displayName : undefined;
  }
}
defaults(GroupToken, { tokenType: "group" });

/** Common shape of tokens that lead to an addr-spec. */
interface AddrParts {
  readonly localPart: string | undefined;
  readonly domain: string | undefined;
  readonly route: string[] | undefined;
  readonly addrSpec: string | undefined;
}

function addrParts(token: Token | undefined): AddrParts | undefined {
  if (
    token instanceof AddrSpec ||
    token instanceof AngleAddr ||
    token instanceof NameAddr ||
    token instanceof Mailbox ||
    token instanceof InvalidMailbox
  ) {
    return token;
  }
  return undefined;
}

/** A display name and an angle address. */
export class NameAddr extends TokenList implements AddrParts {
  get displayName(): string | undefined {
    if (this.items.length === 1) return undefined;
    const first = this.items[0];
    return first instanceof DisplayName ? first.displayName : undefined;
  }
  get localPart(): string | undefined {
    return addrParts(this.items.at(-1))?.localPart;
  }
  get domain(): string | undefined {
    return addrParts(this.items.at(-1))?.domain;
  }
  get route(): string[] | undefined {
    return addrParts(this.items.at(-1))?.route;
  }
  get addrSpec(): string | undefined {
    return addrParts(this.items.at(-1))?.addrSpec;
  }
}
defaults(NameAddr, { tokenType: "name-addr" });

/** `<addr-spec>`, possibly with an obsolete route, or `<>`. */
export class AngleAddr extends TokenList implements AddrParts {
  private spec(): AddrSpec | undefined {
    return this.items.find((x): x is AddrSpec => x.tokenType === "addr-spec");
  }
  get localPart(): string | undefined {
    return this.spec()?.localPart;
  }
  get domain(): string | undefined {
    return this.spec()?.domain;
  }
  get route(): string[] | undefined {
    return this.items.find((x): x is ObsRoute => x.tokenType === "obs-route")?.domains;
  }
  get addrSpec(): string | undefined {
    const spec = this.spec();
    if (!spec) return "<>";
    if (spec.localPart) return spec.addrSpec;
    return quoteString(spec.localPart ?? "") + spec.addrSpec;
  }
}
defaults(AngleAddr, { tokenType: "angle-addr" });

/** An obsolete source route, `@a,@b:`. */
export class ObsRoute extends TokenList {
  get domains(): string[] {
    return this.items.filter((x): x is Domain => x.tokenType === "domain").map((d) => d.domain);
  }
}
defaults(ObsRoute, { tokenType: "obs-route" });

/** A name-addr or a bare addr-spec; its type becomes `invalid-mailbox` when it has defects. */
export class Mailbox extends TokenList implements AddrParts {
  get displayName(): string | undefined {
    const first = this.items[0];
    return first instanceof NameAddr && first.tokenType === "name-addr" ? first.displayName : undefined;
  }
  get localPart(): string | undefined {
    return addrParts(this.items[0])?.localPart;
  }
  get domain(): string | undefined {
    return addrParts(this.items[0])?.domain;
  }
  get route(): string[] | undefined {
    const first = this.items[0];
    return first instanceof NameAddr && first.tokenType === "name-addr" ? first.route : undefined;
  }
  get addrSpec(): string | undefined {
    return addrParts(this.items[0])?.addrSpec;
  }
}
defaults(Mailbox, { tokenType: "mailbox" });

/** Text where a mailbox was expected; it has no address parts. */
export class InvalidMailbox extends TokenList implements AddrParts {
  get displayName(): string | undefined {
    return undefined;
  }
  get localPart(): string | undefined {
    return undefined;
  }
  get domain(): string | undefined {
    return undefined;
  }
  get route(): string[] | undefined {
    return undefined;
  }
  get addrSpec(): string | undefined {
    return undefined;
  }
}
defaults(InvalidMailbox, { tokenType: "invalid-mailbox" });

/** The domain of an addr-spec (never encoded). */
export class Domain extends TokenList {
  /** The domain with all white space removed. */
  get domain(): string {
    return removeSpace(super.value);
  }
}
defaults(Domain, { tokenType: "domain", ewAllowed: false });

/** A domain literal, `[127.0.0.1]`. */
export class DomainLiteral extends TokenList {
  get domain(): string {
    return removeSpace(super.value);
  }
  get ip(): string | undefined {
    return this.items.find((x) => x.tokenType === "ptext")?.value;
  }
}
defaults(DomainLiteral, { tokenType: "domain-literal", ewAllowed: false });

/** `local-part@domain` (never encoded). */
export class AddrSpec extends TokenList implements AddrParts {
  get localPart(): string | undefined {
    const first = this.items[0];
    return first instanceof LocalPart ? first.localPart : undefined;
  }
  get domain(): string | undefined {
    if (this.items.length < 3) return undefined;
    const last = this.items.at(-1);
    return last instanceof Domain ? last.domain : undefined;
  }
  get route(): string[] | undefined {
    return undefined;
  }
  override get value(): string {
    const [a, b, c] = this.items;
    if (this.items.length < 3 || !b || !c) return a?.value ?? "";
    return pyRstrip(a!.value) + b.value + pyLstrip(c.value);
  }
  get addrSpec(): string {
    const local = this.localPart ?? "";
    const lp = hasAny(local, DOT_ATOM_ENDS) ? quoteString(local) : local;
    const domain = this.domain;
    return domain !== undefined ? `${lp}@${domain}` : lp;
  }
}
defaults(AddrSpec, { tokenType: "addr-spec", ewAllowed: false });

/** The display name of a mailbox or group; its value is quoted when it needs to be. */
export class DisplayName extends Phrase {

  /** The display name without surrounding CFWS, as text. */
  get displayName(): string {
    const res = [...this.items];
    if (res.length === 0) return "";
    const trim = (index: 0 | -1): void => {
      const at = index === 0 ? 0 : res.length - 1;
      const token = res[at];
      if (!token) return;
      if (token.tokenType === "cfws") {
        res.splice(at, 1);
      } else if (token instanceof TokenList) {
        const inner = index === 0 ? token.items[0] : token.items.at(-1);
        if (inner?.tokenType === "cfws") {
          res[at] = new TokenList(index === 0 ? token.items.slice(1) : token.items.slice(0, -1));
        }
      }
    };
    trim(0);
    trim(-1);
    return new TokenList(res).value;
  }

  override get value(): string {
    const quote = this.defects.length > 0 || this.items.some((x) => x.tokenType === "quoted-string");
    if (this.items.length !== 0 && quote) {
      const first = this.items[0]!;
      const last = this.items.at(-1)!;
      const startsCfws = first.tokenType === "cfws" || (first instanceof TokenList && first.items[0]?.tokenType === "cfws");
      const endsCfws = last.tokenType === "cfws" || (last instanceof TokenList && last.items.at(-1)?.tokenType === "cfws");
      return (startsCfws ? " " : "") + quoteString(this.displayName) + (endsCfws ? " " : "");
    }
    return super.value;
  }
}
defaults(DisplayName, { tokenType: "display-name", ewCombineAllowed: false });

/** The local part of an addr-spec (never encoded). */
export class LocalPart extends TokenList {

  override get value(): string {
    const first = this.items[0];
    if (first instanceof QuotedString && first.tokenType === "quoted-string") return first.quotedValue;
    return first?.value ?? "";
  }

  /** The local part with white space removed around it and around its dots. */
  get localPart(): string {
    const first = this.items[0];
    const tokens: Token[] = first instanceof TokenList ? [...first.items] : first ? [first] : [];
    const dot = new ValueTerminal(".", "dot");
    tokens.push(dot);
    const res: Token[] = [dot];
    let last: Token = dot;
    let lastIsList = false;
    for (const tok of tokens) {
      if (tok.tokenType === "cfws") continue;
      if (lastIsList && tok.tokenType === "dot" && last instanceof TokenList && last.items.at(-1)?.tokenType === "cfws") {
        res[res.length - 1] = new TokenList(last.items.slice(0, -1));
      }
      const isList = tok instanceof TokenList;
      if (isList && last.tokenType === "dot" && tok.items[0]?.tokenType === "cfws") {
        res.push(new TokenList(tok.items.slice(1)));
      } else {
        res.push(tok);
      }
      last = res[res.length - 1]!;
      lastIsList = isList;
    }
    return new TokenList(res.slice(1, -1)).value;
  }
}
defaults(LocalPart, { tokenType: "local-part", ewAllowed: false });

/** A MIME-Version value, with its major and minor numbers. */
export class MIMEVersionToken extends TokenList {
  major: number | undefined = undefined;
  minor: number | undefined = undefined;
}
defaults(MIMEVersionToken, { tokenType: "mime-version" });

/** The name of a MIME parameter. */
export class Attribute extends TokenList {
  get strippedValue(): string | undefined {
    return this.items.find((x) => x.tokenType.endsWith("attrtext"))?.value;
  }
}
defaults(Attribute, { tokenType: "attribute" });

/** The `*N` section number of an RFC 2231 parameter. */
export class Section extends TokenList {
  number = 0;
}
defaults(Section, { tokenType: "section" });

/** The value of a MIME parameter: a token or a quoted string. */
export class Value extends TokenList {
  get strippedValue(): string {
    let token = this.items[0];
    if (token?.tokenType === "cfws") token = this.items[1];
    if (
      token &&
      (token.tokenType.endsWith("quoted-string") ||
        token.tokenType.endsWith("attribute") ||
        token.tokenType.endsWith("extended-attribute"))
    ) {
      return (token as QuotedString | Attribute).strippedValue ?? "";
    }
    return this.value;
  }
}
defaults(Value, { tokenType: "value" });

/** One MIME parameter, `name=value`, possibly an RFC 2231 section or extended value. */
export class Parameter extends TokenList {
  sectioned = false;
  extended = false;
  charset = "us-ascii";
  lang = "";
  /**
   * Set by the parser on the parameters of a value past its first few hundred tokens:
   * what is read of the parameter, its tokens having been replaced by one terminal of
   * its text (a hostile value holds a million parameters, a dozen tokens each).
   */
  compact: { readonly name: string; readonly section: number; readonly value: string } | undefined = undefined;
  get sectionNumber(): number {
    if (this.compact) return this.compact.section;
    const second = this.items[1];
    return this.sectioned && second instanceof Section ? second.number : 0;
  }
  /** The name, without white space; undefined when the parameter has none. */
  get attributeName(): string | undefined {
    if (this.compact) return this.compact.name;
    const first = this.items[0];
    return first?.tokenType === "attribute" ? pyStrip(first.value) : undefined;
  }
  /** The raw value (still %-encoded when extended). */
  get paramValue(): string {
    if (this.compact) return this.compact.value;
    for (const token of this.items) {
      if (token.tokenType === "value") return (token as Value).strippedValue;
      if (token.tokenType === "quoted-string" && token instanceof TokenList) {
        for (const inner of token.items) {
          if (inner.tokenType === "bare-quoted-string" && inner instanceof TokenList) {
            for (const v of inner.items) if (v.tokenType === "value") return (v as Value).strippedValue;
          }
        }
      }
    }
    return "";
  }
}
defaults(Parameter, { tokenType: "parameter" });

/** Text where a parameter was expected. */
export class InvalidParameter extends Parameter {
}
defaults(InvalidParameter, { tokenType: "invalid-parameter" });

/** The parameters after a Content-Type or Content-Disposition value. */
export class MimeParameters extends TokenList {
  /** Set by the parser: works out the decoded parameters (recording defects on the parameter tokens). */
  interpret: ((tokens: MimeParameters) => Array<[string, string]>) | undefined = undefined;
  private interpreted: Array<[string, string]> | undefined = undefined;
  /**
   * The decoded parameters, in order of first appearance. Worked out on first use, as
   * Python does, so defects found here are on the tokens but not in a header's defects.
   */
  get params(): Array<[string, string]> {
    this.interpreted ??= this.interpret?.(this) ?? [];
    return this.interpreted;
  }
  override toString(): string {
    const out = this.params.map(([name, value]) => (value ? `${name}=${quoteString(value)}` : name)).join("; ");
    return out ? ` ${out}` : "";
  }
}
defaults(MimeParameters, { tokenType: "mime-parameters", syntacticBreak: false });

/** Content-Type and Content-Disposition values. */
export class ParameterizedHeaderValue extends TokenList {
  get params(): Array<[string, string]> {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const token = this.items[i];
      if (token instanceof MimeParameters) return token.params;
    }
    return [];
  }
}
defaults(ParameterizedHeaderValue, { syntacticBreak: false, ewAllowed: false });

/** A Content-Type value; `maintype`/`subtype` are text/plain when it is invalid. */
export class ContentTypeToken extends ParameterizedHeaderValue {
  maintype = "text";
  subtype = "plain";
}
defaults(ContentTypeToken, { tokenType: "content-type" });

/** A Content-Disposition value. */
export class ContentDispositionToken extends ParameterizedHeaderValue {
  contentDisposition: string | undefined = undefined;
}
defaults(ContentDispositionToken, { tokenType: "content-disposition" });

/** A Content-Transfer-Encoding value. */
export class ContentTransferEncodingToken extends TokenList {
  cte = "7bit";
}
defaults(ContentTransferEncodingToken, { tokenType: "content-transfer-encoding", ewAllowed: false });

/** A msg-id; it is never folded. */
export class MsgID extends TokenList {
}
defaults(MsgID, { tokenType: "msg-id", ewAllowed: false });
/** A Message-ID value. */
export class MessageIDToken extends MsgID {
}
defaults(MessageIDToken, { tokenType: "message-id" });
/** A Message-ID value that is not a msg-id, kept as unstructured text. */
export class InvalidMessageIDToken extends MessageIDToken {
}
defaults(InvalidMessageIDToken, { tokenType: "invalid-message-id" });

/** Makes a `.` terminal. */
export function dotToken(): ValueTerminal {
  return new ValueTerminal(".", "dot");
}

/** Makes a `,` list separator: never encoded, not a syntactic break. */
export function listSeparator(): ValueTerminal {
  const sep = new ValueTerminal(",", "list-separator");
  sep.asEwAllowed = false;
  sep.syntacticBreak = false;
  return sep;
}

/** Makes the `@` of an obsolete route. */
export function routeComponentMarker(): ValueTerminal {
  return new ValueTerminal("@", "route-component-marker");
}
