/**
 * Parsers for header values, after Python's `email._header_value_parser`: unstructured
 * text with RFC 2047 encoded words, address lists (RFC 5322 with the obsolete forms),
 * msg-id, MIME-Version, and Content-Type / Content-Disposition / Content-Transfer-Encoding
 * with RFC 2231 parameters.
 *
 * Parsers never throw on bad input: they record defects on the tokens and carry on, as
 * Python's do. Unlike Python's, they work on a cursor rather than on copies of the
 * remaining text, so that parsing stays linear in the length of the value even for
 * hostile input; comments nested deeper than {@link MAX_COMMENT_DEPTH} are kept as text.
 *
 * @module
 */
import { canonicalCharsetName } from "./charset.js";
import { decodeEncodedWord, decodeCharset, isKnownCharset, decodeAscii, undecodableWordDefect } from "./encodedwords.js";
import {
  HeaderMissingRequiredValue,
  HeaderParseError,
  InvalidHeaderDefect,
  MessageDefect,
  NonASCIILocalPartDefect,
  NonPrintableDefect,
  ObsoleteHeaderDefect,
  UndecodableBytesDefect,
} from "./errors.js";
import {
  AddrSpec,
  AddressList,
  AddressToken,
  AngleAddr,
  Atom,
  Attribute,
  BareQuotedString,
  CFWSList,
  CFWS_LEADER,
  Comment,
  ContentDispositionToken,
  ContentTransferEncodingToken,
  ContentTypeToken,
  DisplayName,
  Domain,
  DomainLiteral,
  DotAtom,
  DotAtomText,
  EWWhiteSpaceTerminal,
  EncodedWord,
  EncodedWordGap,
  GroupList,
  GroupToken,
  InvalidMailbox,
  InvalidMessageIDToken,
  InvalidParameter,
  LocalPart,
  MIMEVersionToken,
  Mailbox,
  MailboxList,
  MessageIDToken,
  MimeParameters,
  MsgID,
  NameAddr,
  NoFoldLiteral,
  ObsLocalPart,
  ObsRoute,
  PHRASE_ENDS,
  Parameter,
  Phrase,
  QuotedString,
  SPECIALS,
  Section,
  Terminal,
  Token,
  TokenList,
  Token_,
  UnstructuredTokenList,
  Value,
  ValueTerminal,
  WSP,
  WhiteSpaceTerminal,
  WordRun,
  ATOM_ENDS,
  TOKEN_ENDS,
  ATTRIBUTE_ENDS,
  EXTENDED_ATTRIBUTE_ENDS,
  PY_SPACE,
  dotToken,
  listSeparator,
  pyStrip,
  routeComponentMarker,
} from "./headertokens.js";

/** Comments nested deeper than this are kept as comment text (Python overflows its stack). */
export const MAX_COMMENT_DEPTH = 200;

/** An encoded word was found but is not well formed. */
class InvalidEwError extends HeaderParseError {
  override name = "HeaderParseError";
}

// ------------------------------------------------------------------ cursor

/** The text being parsed and how far the parser has got. */
export class Cursor {
  private readonly nextFound = new Map<string, [from: number, at: number]>();
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}
  get eof(): boolean {
    return this.pos >= this.text.length;
  }
  /** The character `offset` after the cursor, or `""` at the end. */
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  /** The rest of the text (short form, for messages). */
  snippet(): string {
    const rest = this.text.slice(this.pos, this.pos + 60);
    return this.text.length - this.pos > 60 ? `${rest}...` : rest;
  }
  rest(): string {
    return this.text.slice(this.pos);
  }
  /**
   * The next index of `needle` at or after `from`, or -1. Remembers the last answer,
   * so repeated searches that move forward do not rescan the text.
   */
  indexOf(needle: string, from: number): number {
    const cached = this.nextFound.get(needle);
    if (cached && cached[0] <= from && (cached[1] === -1 || from <= cached[1])) return cached[1];
    const at = this.text.indexOf(needle, from);
    this.nextFound.set(needle, [from, at]);
    return at;
  }
}

function at(c: Cursor): string {
  return c.peek();
}

// ------------------------------------------------------------------ helpers

/**
 * Runs a parse with stack traces off: defects are Error objects, and a hostile value can
 * hold hundreds of thousands of them; capturing a stack for each would dominate the time.
 */
function withoutStacks<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const NON_PRINTABLE = /[\x00-\x20\x7f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PY_SPACE_CHAR = new RegExp(`[${PY_SPACE}]`);
const HEXDIGIT = /^[0-9a-fA-F]$/;

function validateXtext(token: Terminal): void {
  const nonPrintables = token.text.match(NON_PRINTABLE);
  if (nonPrintables) token.defects.push(new NonPrintableDefect(nonPrintables.join("")));
  if (LONE_SURROGATE.test(token.text)) {
    token.defects.push(new UndecodableBytesDefect("Non-ASCII characters found in header token"));
  }
}

/**
 * `report`, called only for a message not reported before through the function returned:
 * each kind of defect once per token (Python reports every occurrence, a million of them
 * for a million words).
 */
function onceEach<Rest extends unknown[]>(report: (message: string, ...rest: Rest) => void): (message: string, ...rest: Rest) => void {
  const reported = new Set<string>();
  return (message, ...rest) => {
    if (reported.has(message)) return;
    reported.add(message);
    report(message, ...rest);
  };
}

/** Whether the character with code `code` is white space as Python's `str.isspace` sees it. */
function isPySpaceCode(code: number): boolean {
  if (code < 0x80) return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20);
  return code === 0x85 || code === 0xa0 || (code >= 0x1680 && PY_SPACE_CHAR.test(String.fromCharCode(code)));
}

/**
 * The ASCII characters of `chars` as a table indexed by character code: the per-character
 * loops look characters up here rather than in the shared sets (which, imported from
 * another module, also cost a property read each under some loaders).
 */
function asciiTable(chars: ReadonlySet<string>): Uint8Array {
  const table = new Uint8Array(128);
  for (const ch of chars) if (ch.charCodeAt(0) < 128) table[ch.charCodeAt(0)] = 1;
  return table;
}
const ATOM_END = asciiTable(ATOM_ENDS);
const SPECIAL = asciiTable(SPECIALS);
const PHRASE_END = asciiTable(PHRASE_ENDS);

/** Whether the character at `i` of `s` is one of the table's (false past the end and for non-ASCII). */
function isIn(table: Uint8Array, s: string, i: number): boolean {
  return table[s.charCodeAt(i)] === 1;
}

/**
 * Reads printables and quoted pairs up to an unescaped character of `endchars` or
 * white space, unquoting the pairs (Python's `_get_ptext_to_endchars`).
 */
function getPtextToEndchars(c: Cursor, endchars: string): { text: string; hadQp: boolean } {
  let out = "";
  let escape = false;
  let hadQp = false;
  const s = c.text;
  let i = c.pos;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === " " || ch === "\t") break;
    if (ch === "\\") {
      if (escape) {
        escape = false;
        hadQp = true;
      } else {
        escape = true;
        continue;
      }
    }
    if (escape) escape = false;
    else if (endchars.includes(ch)) break;
    out += ch;
  }
  c.pos = i;
  return { text: out, hadQp };
}

/** FWS: white space (as Python, any leading white space of its `str.lstrip`). */
export function getFws(c: Cursor): WhiteSpaceTerminal {
  const start = c.pos;
  skipFws(c);
  return new WhiteSpaceTerminal(c.text.slice(start, c.pos), "fws");
}

/** Reads up to the next space or tab. */
function readToWsp(c: Cursor): string {
  const s = c.text;
  let i = c.pos;
  while (i < s.length && s[i] !== " " && s[i] !== "\t") i++;
  const out = s.slice(c.pos, i);
  c.pos = i;
  return out;
}

// ------------------------------------------------------------------ encoded words

/**
 * encoded-word = "=?" charset "?" encoding "?" encoded-text "?="
 * @throws HeaderParseError when there is no encoded word at the cursor (InvalidEwError
 *   when one starts but is malformed).
 */
export function getEncodedWord(c: Cursor): EncodedWord {
  if (!c.startsWith("=?")) throw new HeaderParseError(`expected encoded word but found ${c.snippet()}`);
  const start = c.pos;
  const bodyStart = start + 2;
  let end = c.indexOf("?=", bodyStart);
  if (end < 0) throw new HeaderParseError(`expected encoded word but found ${c.snippet()}`);
  // Count the '?' of the token, stopping at three: a well-formed word has exactly two.
  let questions = 0;
  for (let i = bodyStart; i < end && questions < 3; i++) if (c.text[i] === "?") questions++;
  let after = end + 2;
  const s = c.text;
  if (questions < 2 && after + 1 < s.length && HEXDIGIT.test(s[after]!) && HEXDIGIT.test(s[after + 1]!)) {
    // The ? after the encoding was followed by an =XX escape.
    const next = c.indexOf("?=", after);
    end = next < 0 ? s.length : next;
    after = next < 0 ? s.length : next + 2;
    questions = 0;
    for (let i = bodyStart; i < end && questions < 3; i++) if (s[i] === "?") questions++;
  }
  if (questions !== 2) {
    throw new InvalidEwError(`encoded word format invalid: '${s.slice(start, Math.min(end + 2, start + 80))}'`);
  }
  const tok = s.slice(bodyStart, end);
  const ew = new EncodedWord();
  if (/\S\s+\S/.test(pyStrip(tok)) || pyStrip(tok).split(new RegExp(`[${PY_SPACE}]+`)).length > 1) {
    ew.defects.push(new InvalidHeaderDefect("whitespace inside encoded word"));
  }
  let decoded;
  try {
    decoded = decodeEncodedWord(`=?${tok}?=`);
  } catch {
    throw new InvalidEwError(`encoded word format invalid: '=?${tok.slice(0, 80)}?='`);
  }
  c.pos = Math.min(after, s.length);
  ew.source = `=?${tok}?=`;
  ew.charset = decoded.charset;
  ew.lang = decoded.lang;
  ew.octets = decoded.octets;
  ew.defects.push(...decoded.defects);
  ew.undecodable = decoded.defects.some((d) => d instanceof UndecodableBytesDefect);
  setEncodedWordText(ew, decoded.text, !isKnownCharset(decoded.charset));
  if (!c.eof && !WSP.has(c.peek())) {
    ew.defects.push(new InvalidHeaderDefect("missing trailing whitespace after encoded-word"));
  }
  return ew;
}

/** Makes `text` the children of `ew`: runs of white space and of other characters. */
function setEncodedWordText(ew: EncodedWord, text: string, unknownCharset: boolean): void {
  ew.items = [];
  const cursor = new Cursor(text);
  while (!cursor.eof) {
    if (WSP.has(cursor.peek())) {
      ew.push(getFws(cursor));
      continue;
    }
    const chars = readToWsp(cursor);
    const vtext = new ValueTerminal(chars, "vtext");
    validateXtext(vtext);
    // Octets of an unknown charset are U+FFFD here (Python keeps them as surrogates, which
    // its token check reports). In a known charset the word's own UndecodableBytesDefect
    // says it once (Python reports the word, and each token of its text again).
    if (unknownCharset && chars.includes("\ufffd")) {
      vtext.defects.push(new UndecodableBytesDefect("Non-ASCII characters found in header token"));
    }
    ew.push(vtext);
  }
}

/** The most adjacent words merged to mend split characters (a character is at most 4 octets, one a word). */
const MAX_SPLIT_WORDS = 4;

function replacementCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\ufffd"); i >= 0; i = text.indexOf("\ufffd", i + 1)) n++;
  return n;
}

/**
 * `next` follows `previous` with nothing but white space between them. When `previous`
 * has octets its charset cannot decode, a mailer may have split a multi-byte character
 * between the two words (RFC 2047 section 5 forbids it, but it happens): their octets
 * are decoded together, and if that gives fewer U+FFFD than decoding each alone, `next`
 * is merged into `previous`, which then stands for both words. The merged word is
 * encoded again if the header is refolded, so the split character is never written
 * half as it came and half encoded again. (Python gets the same text from its surrogate
 * escapes in unstructured headers, and U+FFFD in display names.)
 * @returns whether `next` was merged (the caller drops it, and the white space before it).
 */
function mergeSplitCharacter(previous: EncodedWord, next: EncodedWord): boolean {
  if (!previous.undecodable || previous.words >= MAX_SPLIT_WORDS) return false;
  if (canonicalCharsetName(previous.charset) !== canonicalCharsetName(next.charset)) return false;
  const octets = Buffer.concat([previous.octets, next.octets]);
  const joined = decodeCharset(octets, previous.charset);
  if (replacementCount(joined.text) >= replacementCount(previous.toString()) + replacementCount(next.toString())) return false;
  const undecodable = (d: MessageDefect): boolean => d instanceof UndecodableBytesDefect;
  previous.defects = [...previous.defects.filter((d) => !undecodable(d)), ...next.defects.filter((d) => !undecodable(d))];
  if (joined.undecodable) {
    previous.defects.push(undecodableWordDefect(previous.charset));
  }
  previous.source = "";
  previous.octets = octets;
  previous.undecodable = joined.undecodable;
  previous.words += next.words;
  setEncodedWordText(previous, joined.text, false);
  return true;
}

/** Whether `tok` holds something shaped like an encoded word (Python's rfc2047_matcher), in linear time. */
function looksLikeEncodedWord(tok: string): boolean {
  // Positions of the next "?=" and the next "\n" at or after each index, from the right.
  const n = tok.length;
  let nextClose = -1;
  let nextNewline = -1;
  const closeAfter = new Int32Array(n + 1).fill(-1);
  const newlineAfter = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    if (tok[i] === "?" && tok[i + 1] === "=") nextClose = i;
    if (tok[i] === "\n") nextNewline = i;
    closeAfter[i] = nextClose;
    newlineAfter[i] = nextNewline;
  }
  let nextQuestion = -1;
  const questionAfter = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    if (tok[i] === "?") nextQuestion = i;
    questionAfter[i] = nextQuestion;
  }
  for (let i = 0; i + 1 < n; i++) {
    if (tok[i] !== "=" || tok[i + 1] !== "?") continue;
    const q = questionAfter[i + 2] ?? -1;
    if (q < 0) return false;
    if (!"qQbB".includes(tok[q + 1] ?? "x") || tok[q + 2] !== "?") continue;
    const close = closeAfter[q + 3] ?? -1;
    if (close < 0) continue;
    const nl = newlineAfter[q + 3] ?? -1;
    if (nl < 0 || nl >= close) return true;
  }
  return false;
}

/**
 * unstructured: runs of text and white space, with RFC 2047 encoded words decoded
 * (white space between two encoded words disappears from the value).
 */
export function getUnstructured(value: string): UnstructuredTokenList {
  return withoutStacks(() => getUnstructuredNow(value));
}

function getUnstructuredNow(value: string): UnstructuredTokenList {
  const c = new Cursor(value);
  const unstructured = new UnstructuredTokenList();
  while (!c.eof) {
    if (WSP.has(c.peek())) {
      unstructured.push(getFws(c));
      continue;
    }
    let validEw = true;
    if (c.startsWith("=?")) {
      const start = c.pos;
      try {
        const token = getEncodedWord(c);
        let haveWs = true;
        if (unstructured.length > 0 && unstructured.at(-1)!.tokenType !== "fws") {
          unstructured.defects.push(new InvalidHeaderDefect("missing whitespace before encoded word"));
          haveWs = false;
        }
        if (haveWs && unstructured.length > 1 && unstructured.at(-2)!.tokenType === "encoded-word") {
          const ws = unstructured.items.at(-1) as Terminal;
          unstructured.items[unstructured.length - 1] = new EWWhiteSpaceTerminal(ws.text, "fws");
        }
        const before = unstructured.at(haveWs ? -2 : -1);
        if (before instanceof EncodedWord && mergeSplitCharacter(before, token)) {
          if (haveWs) unstructured.items.pop();
          continue;
        }
        unstructured.push(token);
        continue;
      } catch (err) {
        c.pos = start;
        if (err instanceof InvalidEwError) validEw = false;
        else if (!(err instanceof HeaderParseError)) throw err;
      }
    }
    const start = c.pos;
    let tok = readToWsp(c);
    if (validEw && tok.includes("=?") && looksLikeEncodedWord(tok)) {
      const cut = tok.indexOf("=?");
      tok = tok.slice(0, cut);
      c.pos = start + cut;
    }
    const vtext = new ValueTerminal(tok, "vtext");
    validateXtext(vtext);
    unstructured.push(vtext);
  }
  return unstructured;
}

// ------------------------------------------------------------------ RFC 5322 lexical tokens

function getQpCtext(c: Cursor): WhiteSpaceTerminal {
  const { text } = getPtextToEndchars(c, "()");
  const ptext = new WhiteSpaceTerminal(text, "ptext");
  validateXtext(ptext);
  return ptext;
}

function getQcontent(c: Cursor): ValueTerminal {
  const { text } = getPtextToEndchars(c, '"');
  const ptext = new ValueTerminal(text, "ptext");
  validateXtext(ptext);
  return ptext;
}

function getAtext(c: Cursor): ValueTerminal {
  const s = c.text;
  let i = c.pos;
  while (i < s.length && !isIn(ATOM_END, s, i)) i++;
  if (i === c.pos) throw new HeaderParseError(`expected atext but found '${c.snippet()}'`);
  const atext = new ValueTerminal(s.slice(c.pos, i), "atext");
  c.pos = i;
  validateXtext(atext);
  return atext;
}

/** bare-quoted-string = DQUOTE *([FWS] qcontent) [FWS] DQUOTE */
export function getBareQuotedString(c: Cursor): BareQuotedString {
  if (at(c) !== '"') throw new HeaderParseError(`expected '"' but found '${c.snippet()}'`);
  const bqs = new BareQuotedString();
  c.pos++;
  if (at(c) === '"') bqs.push(getQcontent(c));
  let ewDefect = false; // reported once (Python: once per encoded word)
  while (!c.eof && at(c) !== '"') {
    let token: Token;
    const plainEnd = bqs.length >= WORD_RUNS_AFTER ? plainQuotedTextEnd(c) : c.pos;
    if (plainEnd > c.pos) {
      // Past WORD_RUNS_AFTER tokens, plain text and blanks are one token (the same text).
      token = new ValueTerminal(c.text.slice(c.pos, plainEnd), "ptext");
      c.pos = plainEnd;
    } else if (WSP.has(at(c))) {
      token = getFws(c);
    } else if (c.startsWith("=?")) {
      let validEw = false;
      const start = c.pos;
      try {
        token = getEncodedWord(c);
        if (!ewDefect) bqs.defects.push(new InvalidHeaderDefect("encoded word inside quoted string"));
        ewDefect = true;
        validEw = true;
      } catch (err) {
        if (!(err instanceof HeaderParseError)) throw err;
        c.pos = start;
        token = getQcontent(c);
      }
      if (validEw && bqs.length > 1) {
        const last = bqs.at(-1)!;
        if (last.tokenType === "fws" && bqs.at(-2)!.tokenType === "encoded-word") {
          bqs.items[bqs.length - 1] = new EWWhiteSpaceTerminal((last as Terminal).text, "fws");
        }
      }
    } else {
      token = getQcontent(c);
    }
    bqs.push(token);
  }
  if (c.eof) {
    bqs.defects.push(new InvalidHeaderDefect("end of header inside quoted string"));
    return bqs;
  }
  c.pos++;
  return bqs;
}

/**
 * Where the run of plain quoted text at the cursor ends: printable characters (no
 * quote, backslash or control character) and blanks, stopping at a token boundary
 * before anything the reader treats otherwise (an encoded word, white space other
 * than blanks), so that reading the run as one token gives the same text and defects.
 */
function plainQuotedTextEnd(c: Cursor): number {
  const s = c.text;
  let i = c.pos;
  for (;;) {
    if (s.startsWith("=?", i)) return i;
    let code = s.charCodeAt(i);
    while (code > 0x20 && code !== 0x7f && code !== 0x22 && code !== 0x5c && (code < 0xd800 || code > 0xdfff)) {
      code = s.charCodeAt(++i);
    }
    if (code !== 0x20 && code !== 0x09) return i;
    let j = i;
    while (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09) j++;
    if (isPySpaceCode(s.charCodeAt(j)) || s.startsWith("=?", j)) return i;
    i = j;
  }
}

/**
 * comment = "(" *([FWS] ccontent) [FWS] ")"; nested comments are read without
 * recursion, and nesting beyond {@link MAX_COMMENT_DEPTH} is kept as text.
 */
export function getComment(c: Cursor): Comment {
  if (!c.eof && at(c) !== "(") throw new HeaderParseError(`expected '(' but found '${c.snippet()}'`);
  const root = new Comment();
  const stack: Comment[] = [root];
  let tooDeep = 0; // parentheses opened beyond the depth limit, kept as text
  c.pos++;
  while (stack.length > 0) {
    const current = stack[stack.length - 1]!;
    if (c.eof) {
      for (const open of stack) open.defects.push(new InvalidHeaderDefect("end of header inside comment"));
      return root;
    }
    const ch = at(c);
    if (ch === ")" && tooDeep === 0) {
      c.pos++;
      stack.pop();
    } else if (WSP.has(ch)) {
      current.push(getFws(c));
    } else if (ch === "(" && tooDeep === 0 && stack.length < MAX_COMMENT_DEPTH) {
      c.pos++;
      const inner = new Comment();
      current.push(inner);
      stack.push(inner);
    } else if ((ch === "(" || ch === ")") && (tooDeep > 0 || ch === "(")) {
      if (tooDeep === 0) current.defects.push(new InvalidHeaderDefect("comments nested too deeply; kept as text"));
      tooDeep += ch === "(" ? 1 : -1;
      c.pos++;
      current.push(new WhiteSpaceTerminal(ch, "ptext"));
    } else {
      current.push(getQpCtext(c));
    }
  }
  return root;
}

/** CFWS = (1*([FWS] comment) [FWS]) / FWS */
export function getCfws(c: Cursor): CFWSList {
  const cfws = new CFWSList();
  while (!c.eof && CFWS_LEADER.has(at(c))) {
    cfws.push(WSP.has(at(c)) ? getFws(c) : getComment(c));
  }
  return cfws;
}

/** quoted-string = [CFWS] bare-quoted-string [CFWS] */
export function getQuotedString(c: Cursor): QuotedString {
  const qs = new QuotedString();
  if (CFWS_LEADER.has(at(c))) qs.push(getCfws(c));
  qs.push(getBareQuotedString(c));
  if (CFWS_LEADER.has(at(c))) qs.push(getCfws(c));
  return qs;
}

/** atom = [CFWS] 1*atext [CFWS]; the atext may be an encoded word. */
export function getAtom(c: Cursor): Atom {
  const atom = new Atom();
  if (CFWS_LEADER.has(at(c))) atom.push(getCfws(c));
  if (!c.eof && ATOM_ENDS.has(at(c))) throw new HeaderParseError(`expected atom but found '${c.snippet()}'`);
  atom.push(encodedWordOr(c, getAtext));
  if (CFWS_LEADER.has(at(c))) atom.push(getCfws(c));
  return atom;
}

function encodedWordOr(c: Cursor, fallback: (c: Cursor) => Token): Token {
  if (c.startsWith("=?")) {
    const start = c.pos;
    try {
      return getEncodedWord(c);
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      c.pos = start;
    }
  }
  return fallback(c);
}

/** dot-text = 1*atext *("." 1*atext) */
export function getDotAtomText(c: Cursor): DotAtomText {
  const dat = new DotAtomText();
  if (c.eof || ATOM_ENDS.has(at(c))) {
    throw new HeaderParseError(`expected atom at a start of dot-atom-text but found '${c.snippet()}'`);
  }
  const start = c.pos;
  while (!c.eof && !ATOM_ENDS.has(at(c))) {
    dat.push(getAtext(c));
    if (at(c) === ".") {
      dat.push(dotToken());
      c.pos++;
    }
  }
  if (dat.at(-1)!.tokenType === "dot") {
    c.pos = start;
    throw new HeaderParseError(`expected atom at end of dot-atom-text but found '${c.snippet()}'`);
  }
  return dat;
}

/** dot-atom = [CFWS] dot-atom-text [CFWS]; may be an encoded word instead. */
export function getDotAtom(c: Cursor): DotAtom {
  const start = c.pos;
  const dotAtom = new DotAtom();
  try {
    if (CFWS_LEADER.has(at(c))) dotAtom.push(getCfws(c));
    dotAtom.push(encodedWordOr(c, getDotAtomText));
    if (CFWS_LEADER.has(at(c))) dotAtom.push(getCfws(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return dotAtom;
}

/** word = atom / quoted-string, with leading CFWS spliced into the word. */
export function getWord(c: Cursor): Token {
  const start = c.pos;
  let leader: CFWSList | undefined;
  if (CFWS_LEADER.has(at(c))) leader = getCfws(c);
  let token: TokenList;
  try {
    if (c.eof) throw new HeaderParseError("Expected 'atom' or 'quoted-string' but found nothing.");
    if (at(c) === '"') token = getQuotedString(c);
    else if (SPECIALS.has(at(c))) {
      throw new HeaderParseError(`Expected 'atom' or 'quoted-string' but found '${c.snippet()}'`);
    } else token = getAtom(c);
  } catch (err) {
    c.pos = start;
    throw err;
  }
  if (leader) token.prepend(leader);
  return token;
}

/** phrase = 1*word / obs-phrase; past {@link WORD_RUNS_AFTER} tokens, runs of plain words become one {@link WordRun}. */
export function getPhrase(c: Cursor): Phrase {
  const phrase = new Phrase();
  const items: Token[] = [];
  const obsolete = onceEach((message) => phrase.defects.push(new ObsoleteHeaderDefect(message)));
  const runs = new WordRuns(c.text);
  try {
    items.push(getWord(c));
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    phrase.defects.push(new InvalidHeaderDefect("phrase does not start with word"));
  }
  while (!c.eof && !PHRASE_ENDS.has(at(c))) {
    if (runs.extend(c) > 0) continue;
    runs.finish();
    if (at(c) === ".") {
      items.push(dotToken());
      obsolete("period in 'phrase'");
      c.pos++;
      continue;
    }
    let token: Token;
    try {
      token = getWord(c);
      if (joinAdjacentEncodedWords(items.at(-1), token)) continue;
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      if (!CFWS_LEADER.has(at(c))) throw err;
      token = getCfws(c);
      obsolete("comment found without atom");
    }
    items.push(token);
    if (items.length >= WORD_RUNS_AFTER) runs.start(token, c);
  }
  runs.finish();
  phrase.items = [...items]; // at its exact size
  return phrase;
}

/**
 * Drops from the value the white space between two adjacent encoded words of a phrase,
 * as RFC 2047 section 6.2 requires (Python keeps it, so that a display name split
 * across encoded words, "=?utf-8?q?Gr=C3=BC?= =?utf-8?q?=C3=9Fe?=", reads "Grü ße"),
 * and mends a character split between the two words (see {@link mergeSplitCharacter}).
 * @returns whether `next` was merged into `previous` (the caller drops it).
 */
function joinAdjacentEncodedWords(previous: Token | undefined, next: Token): boolean {
  if (!(previous instanceof Atom) || !(next instanceof Atom)) return false;
  const first = next.at(0);
  if (!(first instanceof EncodedWord)) return false;
  const last = previous.at(-1);
  let ew: Token | undefined = last;
  if (!(last instanceof EncodedWord)) {
    // White space between the words (a word directly after another has none).
    ew = previous.at(-2);
    if (!(ew instanceof EncodedWord) || !(last instanceof CFWSList)) return false;
    if (!last.items.every((t) => t.tokenType === "fws")) return false;
    if (!(last instanceof EncodedWordGap)) {
      previous.items[previous.length - 1] = new EncodedWordGap(last.items.map((t) => new EWWhiteSpaceTerminal((t as Terminal).text, "fws")));
    }
  }
  if (!mergeSplitCharacter(ew as EncodedWord, first)) return false;
  // `next` is now part of `previous`: the gap goes, what followed `next` stays.
  if (previous.at(-1) !== ew) previous.items.pop();
  previous.extend(next.items.slice(1));
  return true;
}

// ------------------------------------------------------------------ look-ahead

/*
 * An address is a group (display-name ":"), a name-addr (display-name "<") or an
 * addr-spec; Python tries each in turn, reading the display name twice before it gets
 * to an addr-spec, which a hostile value of a million words makes slow. These scanners
 * find where getPhrase would stop without building anything, so that only the rule
 * that can succeed is tried. They mirror the readers below character for character.
 */

/** Skips what getFws reads. */
function skipFws(c: Cursor): void {
  const s = c.text;
  let i = c.pos;
  while (i < s.length && isPySpaceCode(s.charCodeAt(i))) i++;
  c.pos = i;
}

/** Skips what getPtextToEndchars reads: up to space, tab or an unescaped character of `endchars`. */
function skipPtext(c: Cursor, endchars: string): void {
  const s = c.text;
  let i = c.pos;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === " " || ch === "\t") break;
    if (ch === "\\") {
      i++;
      if (i < s.length && s[i] !== " " && s[i] !== "\t") i++;
      continue;
    }
    if (endchars.includes(ch)) break;
    i++;
  }
  c.pos = i;
}

/** Skips what getComment reads (the cursor is at "("). */
function skipComment(c: Cursor): void {
  let depth = 0;
  do {
    if (c.eof) return;
    const ch = c.peek();
    if (ch === "(" || ch === ")") {
      depth += ch === "(" ? 1 : -1;
      c.pos++;
    } else if (WSP.has(ch)) skipFws(c);
    else skipPtext(c, "()");
  } while (depth > 0);
}

/** Skips what getCfws reads. */
function skipCfws(c: Cursor): void {
  for (;;) {
    const code = c.text.charCodeAt(c.pos);
    if (code === 0x20 || code === 0x09) skipFws(c);
    else if (code === 0x28) skipComment(c);
    else return;
  }
}

/** Skips an encoded word as getEncodedWord reads it; false (cursor unmoved) when it would fail. */
function skipEncodedWord(c: Cursor): boolean {
  const start = c.pos;
  try {
    getEncodedWord(c);
    return true;
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    c.pos = start;
    return false;
  }
}

/** Skips what getBareQuotedString reads (the cursor is at the opening quote). */
function skipBareQuotedString(c: Cursor): void {
  c.pos++;
  while (!c.eof && c.peek() !== '"') {
    if (WSP.has(c.peek())) skipFws(c);
    else if (!(c.startsWith("=?") && skipEncodedWord(c))) skipPtext(c, '"');
  }
  if (!c.eof) c.pos++;
}

/** Skips what getWord reads; false (cursor unmoved) where getWord would throw. */
function skipWord(c: Cursor): boolean {
  const start = c.pos;
  skipCfws(c);
  if (c.eof || (isIn(SPECIAL, c.text, c.pos) && c.peek() !== '"')) {
    c.pos = start;
    return false;
  }
  if (c.peek() === '"') skipBareQuotedString(c);
  else if (!(c.startsWith("=?") && skipEncodedWord(c))) {
    const s = c.text;
    let i = c.pos;
    while (i < s.length && !isIn(ATOM_END, s, i)) i++;
    c.pos = i;
  }
  skipCfws(c);
  return true;
}

/**
 * The character at which {@link getPhrase} would stop reading, `""` at the end of the
 * value, without moving the cursor. (getPhrase cannot fail: a word that cannot be read
 * is either a PHRASE_ENDS character, which ends it, or CFWS, which it reads as such.)
 */
function phraseStop(c: Cursor): string {
  const start = c.pos;
  skipPhrase(c);
  const stop = c.peek();
  c.pos = start;
  return stop;
}

/** Skips what getPhrase reads. */
function skipPhrase(c: Cursor): void {
  skipWord(c);
  while (!c.eof && !isIn(PHRASE_END, c.text, c.pos)) {
    if (c.peek() === ".") c.pos++;
    else if (!skipWord(c)) skipCfws(c);
  }
}

/** local-part = dot-atom / quoted-string / obs-local-part */
export function getLocalPart(c: Cursor): LocalPart {
  const begin = c.pos;
  const localPart = new LocalPart();
  let leader: CFWSList | undefined;
  if (CFWS_LEADER.has(at(c))) leader = getCfws(c);
  if (c.eof) {
    c.pos = begin;
    throw new HeaderParseError(`expected local-part but found '${c.snippet()}'`);
  }
  let token: TokenList;
  try {
    token = getDotAtom(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    try {
      token = getWord(c) as TokenList;
    } catch (err2) {
      if (!(err2 instanceof HeaderParseError)) throw err2;
      if (at(c) !== "\\" && PHRASE_ENDS.has(at(c))) {
        c.pos = begin;
        throw err2;
      }
      token = new TokenList();
    }
  }
  if (leader) token.prepend(leader);
  localPart.push(token);
  if (!c.eof && (at(c) === "\\" || !PHRASE_ENDS.has(at(c)))) {
    const obs = reparseAsObsLocalPart(c, localPart.toString(), begin);
    if (obs.tokenType === "invalid-obs-local-part") {
      localPart.defects.push(new InvalidHeaderDefect("local-part is not dot-atom, quoted-string, or obs-local-part"));
    } else {
      localPart.defects.push(new ObsoleteHeaderDefect("local-part is not a dot-atom (contains CFWS)"));
    }
    localPart.items[0] = obs;
  }
  if (/[^\x00-\x7f]/.test(localPart.value)) {
    localPart.defects.push(new NonASCIILocalPartDefect("local-part contains non-ASCII characters)"));
  }
  return localPart;
}

/**
 * Python re-parses `str(local_part) + rest` as an obs-local-part. When the canonical
 * text is the source text (the usual case) this parses the source in place; otherwise
 * it parses the concatenation and maps the cursor back onto the source.
 */
function reparseAsObsLocalPart(c: Cursor, canonical: string, begin: number): ObsLocalPart {
  if (c.text.slice(begin, c.pos) === canonical) {
    c.pos = begin;
    return getObsLocalPart(c);
  }
  const joined = new Cursor(canonical + c.rest());
  const obs = getObsLocalPart(joined);
  c.pos = c.pos + Math.max(0, joined.pos - canonical.length);
  return obs;
}

/**
 * How many tokens a local part or phrase holds before plain words are gathered into
 * {@link WordRun}s. No mail has local parts or display names this long, so the folder
 * still finds a token per word in real headers; hostile ones stay small in memory.
 */
const WORD_RUNS_AFTER = 500;

/** The parts of an atom of plain text: [blanks] atext [blanks], or undefined when it is not one. */
function plainAtom(token: Token): { leader?: CFWSList; text: ValueTerminal; trailer?: CFWSList } | undefined {
  if (!(token instanceof Atom)) return undefined;
  const items = token.items;
  let i = 0;
  const leader = items[0] instanceof CFWSList && isBlanks(items[0]) ? (items[i++] as CFWSList) : undefined;
  const text = items[i++];
  if (!(text instanceof ValueTerminal) || text.tokenType !== "atext") return undefined;
  const trailer = items[i];
  if (trailer !== undefined && !(trailer instanceof CFWSList && isBlanks(trailer))) return undefined;
  if (i + (trailer ? 1 : 0) !== items.length) return undefined;
  return { leader, text, trailer: trailer as CFWSList | undefined };
}

/** Whether a CFWS token is spaces and tabs only. */
function isBlanks(cfws: CFWSList): boolean {
  const only = cfws.items[0];
  return cfws.items.length === 1 && only instanceof WhiteSpaceTerminal && /^[ \t]+$/.test(only.text);
}

/** Whether getAtext takes this character without a defect (no control character, no lone surrogate). */
function isPlainAtext(code: number): boolean {
  if (code < 0x80) return code > 0x20 && code !== 0x7f && ATOM_END[code] !== 1;
  return code < 0xd800 || code > 0xdfff;
}

/**
 * Gathers the plain words (atext and the blanks after it) that follow a plain atom of a
 * local part or phrase into that atom, as one {@link WordRun}, reading them straight
 * from the text: no token is made per word. Anything else (an encoded word, a quoted
 * string, a comment, a character that makes a defect) is left to the caller's reader.
 */
class WordRuns {
  private atom: Atom | undefined;
  private leader: CFWSList | undefined;
  private defects: MessageDefect[] = [];
  private textStart = 0;
  private textEnd = 0;
  private trailerEnd = 0;
  private grown = false;

  /** Starts a run on `token`, just read (the cursor right after it), if it is a plain atom ending in blanks. */
  start(token: Token, c: Cursor): void {
    this.finish();
    const plain = plainAtom(token);
    if (!plain?.trailer) return;
    this.atom = token as Atom;
    this.leader = plain.leader;
    this.defects = plain.text.allDefects;
    this.trailerEnd = c.pos;
    this.textEnd = c.pos - plain.trailer.toString().length;
    this.textStart = this.textEnd - plain.text.text.length;
  }

  /** Reads the plain words at the cursor into the run; returns how many. */
  extend(c: Cursor): number {
    if (!this.atom || this.trailerEnd === this.textEnd || c.pos !== this.trailerEnd) return 0;
    const s = c.text;
    let words = 0;
    for (;;) {
      const start = c.pos;
      if (s.startsWith("=?", start)) break;
      let i = start;
      while (i < s.length && isPlainAtext(s.charCodeAt(i))) i++;
      if (i === start || (i < s.length && !isIn(ATOM_END, s, i))) break;
      let j = i;
      while (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09) j++;
      // Other white space or a comment after the blanks would be part of the atom's CFWS.
      if (j > i && j < s.length && (isPySpaceCode(s.charCodeAt(j)) || s[j] === "(")) break;
      this.textEnd = i;
      this.trailerEnd = j;
      this.grown = true;
      c.pos = j;
      words++;
      if (j === i) break; // no blanks after the word: the run ends with it
    }
    return words;
  }

  /** Writes the words read into the run's atom, and ends the run. */
  finish(): void {
    const atom = this.atom;
    if (!atom) return;
    this.atom = undefined;
    if (!this.grown) return;
    this.grown = false;
    // The Cursor's text is the source: the run is a slice of it, not a copy.
    const text = new WordRun(this.cursorText.slice(this.textStart, this.textEnd), "atext");
    for (const defect of this.defects) text.defects.push(defect);
    const items: Token[] = this.leader ? [this.leader, text] : [text];
    if (this.trailerEnd > this.textEnd) {
      items.push(new CFWSList([new WhiteSpaceTerminal(this.cursorText.slice(this.textEnd, this.trailerEnd), "fws")]));
    }
    atom.items = items;
  }

  constructor(private readonly cursorText: string) {}
}

/** obs-local-part = word *("." word); runs of plain words become one {@link WordRun}. */
export function getObsLocalPart(c: Cursor): ObsLocalPart {
  const obs = new ObsLocalPart();
  const defect = onceEach((message) => obs.defects.push(new InvalidHeaderDefect(message)));
  let lastNonWsWasDot = false;
  const runs = new WordRuns(c.text);
  while (!c.eof && (at(c) === "\\" || !PHRASE_ENDS.has(at(c)))) {
    if (runs.extend(c) > 0) {
      defect("missing '.' between words");
      continue;
    }
    runs.finish();
    if (at(c) === ".") {
      // A run of dots is one token.
      const start = c.pos;
      while (at(c) === ".") c.pos++;
      if (lastNonWsWasDot || c.pos - start > 1) defect("invalid repeated '.'");
      obs.push(new ValueTerminal(c.text.slice(start, c.pos), "dot"));
      lastNonWsWasDot = true;
      continue;
    }
    if (at(c) === "\\") {
      // So is a run of backslashes.
      const start = c.pos;
      while (at(c) === "\\") c.pos++;
      obs.push(new ValueTerminal(c.text.slice(start, c.pos), "misplaced-special"));
      defect("'\\' character outside of quoted-string/ccontent");
      lastNonWsWasDot = false;
      continue;
    }
    if (obs.length > 0 && obs.at(-1)!.tokenType !== "dot") defect("missing '.' between words");
    let token: Token;
    try {
      token = getWord(c);
      lastNonWsWasDot = false;
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      if (!CFWS_LEADER.has(at(c))) throw err;
      token = getCfws(c);
    }
    obs.push(token);
    if (obs.length >= WORD_RUNS_AFTER) runs.start(token, c);
  }
  runs.finish();
  const first = obs.at(0);
  const last = obs.at(-1);
  if (first?.tokenType === "dot" || (first?.tokenType === "cfws" && obs.at(1)?.tokenType === "dot")) {
    obs.defects.push(new InvalidHeaderDefect("Invalid leading '.' in local part"));
  }
  if (last?.tokenType === "dot" || (last?.tokenType === "cfws" && obs.at(-2)?.tokenType === "dot")) {
    obs.defects.push(new InvalidHeaderDefect("Invalid trailing '.' in local part"));
  }
  if (obs.defects.length > 0) obs.tokenType = "invalid-obs-local-part";
  return obs;
}

/** dtext run of a domain literal, quoted pairs unquoted. */
function getDtext(c: Cursor): ValueTerminal {
  const { text, hadQp } = getPtextToEndchars(c, "[]");
  const ptext = new ValueTerminal(text, "ptext");
  if (hadQp) ptext.defects.push(new ObsoleteHeaderDefect("quoted printable found in domain-literal"));
  validateXtext(ptext);
  return ptext;
}

function earlyDomainLiteralEnd(c: Cursor, dl: DomainLiteral): boolean {
  if (!c.eof) return false;
  dl.defects.push(new InvalidHeaderDefect("end of input inside domain-literal"));
  dl.push(new ValueTerminal("]", "domain-literal-end"));
  return true;
}

/** domain-literal = [CFWS] "[" *([FWS] dtext) [FWS] "]" [CFWS] */
export function getDomainLiteral(c: Cursor): DomainLiteral {
  const start = c.pos;
  const dl = new DomainLiteral();
  const fail = (message: string): never => {
    c.pos = start;
    throw new HeaderParseError(message);
  };
  if (CFWS_LEADER.has(at(c))) dl.push(getCfws(c));
  if (c.eof) fail("expected domain-literal");
  if (at(c) !== "[") fail(`expected '[' at start of domain-literal but found '${c.snippet()}'`);
  c.pos++;
  if (earlyDomainLiteralEnd(c, dl)) return dl;
  dl.push(new ValueTerminal("[", "domain-literal-start"));
  if (WSP.has(at(c))) dl.push(getFws(c));
  dl.push(getDtext(c));
  if (earlyDomainLiteralEnd(c, dl)) return dl;
  if (WSP.has(at(c))) dl.push(getFws(c));
  if (earlyDomainLiteralEnd(c, dl)) return dl;
  if (at(c) !== "]") fail(`expected ']' at end of domain-literal but found '${c.snippet()}'`);
  dl.push(new ValueTerminal("]", "domain-literal-end"));
  c.pos++;
  if (CFWS_LEADER.has(at(c))) dl.push(getCfws(c));
  return dl;
}

/** domain = dot-atom / domain-literal / obs-domain */
export function getDomain(c: Cursor): Domain {
  const start = c.pos;
  const domain = new Domain();
  let leader: CFWSList | undefined;
  try {
    if (CFWS_LEADER.has(at(c))) leader = getCfws(c);
    if (c.eof) throw new HeaderParseError(`expected domain but found '${c.snippet()}'`);
    if (at(c) === "[") {
      const token = getDomainLiteral(c);
      if (leader) token.prepend(leader);
      domain.push(token);
      return domain;
    }
    let token: TokenList;
    try {
      token = getDotAtom(c);
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      token = getAtom(c);
    }
    if (at(c) === "@") throw new HeaderParseError("Invalid Domain");
    if (leader) token.prepend(leader);
    domain.push(token);
    if (at(c) === ".") {
      domain.defects.push(new ObsoleteHeaderDefect("domain is not a dot-atom (contains CFWS)"));
      if (domain.at(0)!.tokenType === "dot-atom") domain.items = [...(domain.at(0) as TokenList).items];
      while (at(c) === ".") {
        domain.push(dotToken());
        c.pos++;
        domain.push(getAtom(c));
      }
    }
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return domain;
}

/** addr-spec = local-part "@" domain */
export function getAddrSpec(c: Cursor): AddrSpec {
  const start = c.pos;
  const addrSpec = new AddrSpec();
  try {
    addrSpec.push(getLocalPart(c));
    if (c.eof || at(c) !== "@") {
      addrSpec.defects.push(new InvalidHeaderDefect("addr-spec local part with no domain"));
      return addrSpec;
    }
    addrSpec.push(new ValueTerminal("@", "address-at-symbol"));
    c.pos++;
    addrSpec.push(getDomain(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return addrSpec;
}

/** obs-route = obs-domain-list ":" */
export function getObsRoute(c: Cursor): ObsRoute {
  const start = c.pos;
  const route = new ObsRoute();
  const fail = (message: string): never => {
    c.pos = start;
    throw new HeaderParseError(message);
  };
  try {
    while (!c.eof && (at(c) === "," || CFWS_LEADER.has(at(c)))) {
      if (CFWS_LEADER.has(at(c))) route.push(getCfws(c));
      else {
        route.push(listSeparator());
        c.pos++;
      }
    }
    if (c.eof || at(c) !== "@") fail(`expected obs-route domain but found '${c.snippet()}'`);
    route.push(routeComponentMarker());
    c.pos++;
    route.push(getDomain(c));
    while (at(c) === ",") {
      route.push(listSeparator());
      c.pos++;
      if (c.eof) break;
      if (CFWS_LEADER.has(at(c))) route.push(getCfws(c));
      if (at(c) === "@") {
        route.push(routeComponentMarker());
        c.pos++;
        route.push(getDomain(c));
      }
    }
    if (c.eof) fail("end of header while parsing obs-route");
    if (at(c) !== ":") fail(`expected ':' marking end of obs-route but found '${c.snippet()}'`);
  } catch (err) {
    c.pos = start;
    throw err;
  }
  route.push(new ValueTerminal(":", "end-of-obs-route-marker"));
  c.pos++;
  return route;
}

/** angle-addr = [CFWS] "<" addr-spec ">" [CFWS] / obs-angle-addr */
export function getAngleAddr(c: Cursor): AngleAddr {
  const start = c.pos;
  const angle = new AngleAddr();
  try {
    if (CFWS_LEADER.has(at(c))) angle.push(getCfws(c));
    if (c.eof || at(c) !== "<") throw new HeaderParseError(`expected angle-addr but found '${c.snippet()}'`);
    angle.push(new ValueTerminal("<", "angle-addr-start"));
    c.pos++;
    if (at(c) === ">") {
      angle.push(new ValueTerminal(">", "angle-addr-end"));
      angle.defects.push(new InvalidHeaderDefect("null addr-spec in angle-addr"));
      c.pos++;
      return angle;
    }
    let token: TokenList;
    try {
      token = getAddrSpec(c);
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      try {
        token = getObsRoute(c);
        angle.defects.push(new ObsoleteHeaderDefect("obsolete route specification in angle-addr"));
      } catch (err2) {
        if (!(err2 instanceof HeaderParseError)) throw err2;
        throw new HeaderParseError(`expected addr-spec or obs-route but found '${c.snippet()}'`);
      }
      angle.push(token);
      token = getAddrSpec(c);
    }
    angle.push(token);
    if (at(c) === ">") c.pos++;
    else angle.defects.push(new InvalidHeaderDefect("missing trailing '>' on angle-addr"));
    angle.push(new ValueTerminal(">", "angle-addr-end"));
    if (CFWS_LEADER.has(at(c))) angle.push(getCfws(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return angle;
}

/** display-name = phrase (the phrase's tokens, in a display-name token). */
export function getDisplayName(c: Cursor): DisplayName {
  const phrase = getPhrase(c);
  const dn = new DisplayName(phrase.items);
  dn.defects = [...phrase.defects];
  return dn;
}

/** name-addr = [display-name] angle-addr */
export function getNameAddr(c: Cursor): NameAddr {
  const start = c.pos;
  const nameAddr = new NameAddr();
  try {
    let leader: CFWSList | undefined;
    if (CFWS_LEADER.has(at(c))) {
      leader = getCfws(c);
      if (c.eof) throw new HeaderParseError(`expected name-addr but found '${leader.toString()}'`);
    }
    if (at(c) !== "<") {
      if (PHRASE_ENDS.has(at(c))) throw new HeaderParseError(`expected name-addr but found '${c.snippet()}'`);
      const token = getDisplayName(c);
      if (c.eof) throw new HeaderParseError(`expected name-addr but found '${token.toString()}'`);
      if (leader) {
        const first = token.at(0);
        if (first instanceof TokenList) first.prepend(leader);
        else token.prepend(leader);
        leader = undefined;
      }
      nameAddr.push(token);
    }
    const token = getAngleAddr(c);
    if (leader) token.prepend(leader);
    nameAddr.push(token);
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return nameAddr;
}

/**
 * mailbox = name-addr / addr-spec
 * @param stop - where a phrase read at the cursor stops ({@link phraseStop}), if known:
 *   a name-addr is only tried when it is "<".
 */
export function getMailbox(c: Cursor, stop: string = phraseStop(c)): Mailbox {
  const mailbox = new Mailbox();
  let token: TokenList;
  try {
    if (stop !== "<") throw new HeaderParseError("not a name-addr: no '<' after the display name");
    token = getNameAddr(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    try {
      token = getAddrSpec(c);
    } catch (err2) {
      if (!(err2 instanceof HeaderParseError)) throw err2;
      throw new HeaderParseError(`expected mailbox but found '${c.snippet()}'`);
    }
  }
  if (token.allDefects.some((d) => d instanceof InvalidHeaderDefect)) mailbox.tokenType = "invalid-mailbox";
  mailbox.push(token);
  return mailbox;
}

/** Everything up to a character of `endchars`, as an invalid mailbox. */
function getInvalidMailbox(c: Cursor, endchars: string): InvalidMailbox {
  const invalid = new InvalidMailbox();
  readInvalidText(c, invalid, endchars);
  return invalid;
}

/**
 * Reads text that fits no rule, up to a character of `endchars` outside quotes and
 * comments, into `into`: phrases and misplaced specials (Python's error recovery).
 * Past {@link WORD_RUNS_AFTER} tokens the rest is kept as one `invalid-text` terminal
 * of source text (not looked into for defects), so that a hostile value does not
 * become millions of tokens.
 */
function readInvalidText(c: Cursor, into: TokenList, endchars: string): void {
  let count = 0;
  while (!c.eof && !endchars.includes(at(c))) {
    if (count++ === WORD_RUNS_AFTER) {
      const start = c.pos;
      while (!c.eof && !endchars.includes(at(c))) {
        if (PHRASE_ENDS.has(at(c))) c.pos++;
        else skipPhrase(c);
      }
      into.push(new ValueTerminal(c.text.slice(start, c.pos), "invalid-text"));
      return;
    }
    if (PHRASE_ENDS.has(at(c))) {
      into.push(new ValueTerminal(at(c), "misplaced-special"));
      c.pos++;
    } else {
      into.push(getPhrase(c));
    }
  }
}

/** mailbox-list = (mailbox *("," mailbox)) / obs-mbox-list, up to ';' or the end. */
export function getMailboxList(c: Cursor): MailboxList {
  const list = new MailboxList();
  while (!c.eof && at(c) !== ";") {
    try {
      list.push(getMailbox(c));
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      if (CFWS_LEADER.has(at(c))) {
        const leader = getCfws(c);
        if (c.eof || ",;".includes(at(c))) {
          list.push(leader);
          list.defects.push(new ObsoleteHeaderDefect("empty element in mailbox-list"));
        } else {
          const token = getInvalidMailbox(c, ",;");
          token.prepend(leader);
          list.push(token);
          list.defects.push(new InvalidHeaderDefect("invalid mailbox in mailbox-list"));
        }
      } else if (at(c) === ",") {
        list.defects.push(new ObsoleteHeaderDefect("empty element in mailbox-list"));
      } else {
        list.push(getInvalidMailbox(c, ",;"));
        list.defects.push(new InvalidHeaderDefect("invalid mailbox in mailbox-list"));
      }
    }
    if (!c.eof && !",;".includes(at(c))) {
      const mailbox = list.at(-1);
      const token = getInvalidMailbox(c, ",;");
      if (mailbox instanceof TokenList) {
        mailbox.tokenType = "invalid-mailbox";
        mailbox.extend(token.items);
      } else {
        list.push(token);
      }
      list.defects.push(new InvalidHeaderDefect("invalid mailbox in mailbox-list"));
    }
    if (at(c) === ",") {
      list.push(listSeparator());
      c.pos++;
    }
  }
  return list;
}

/** group-list = mailbox-list / CFWS / obs-group-list */
export function getGroupList(c: Cursor): GroupList {
  const groupList = new GroupList();
  if (c.eof) {
    groupList.defects.push(new InvalidHeaderDefect("end of header before group-list"));
    return groupList;
  }
  let leader: CFWSList | undefined;
  if (CFWS_LEADER.has(at(c))) {
    leader = getCfws(c);
    if (c.eof) {
      groupList.defects.push(new InvalidHeaderDefect("end of header in group-list"));
      groupList.push(leader);
      return groupList;
    }
    if (at(c) === ";") {
      groupList.push(leader);
      return groupList;
    }
  }
  const token = getMailboxList(c);
  if (token.allMailboxes.length === 0) {
    if (leader) groupList.push(leader);
    groupList.extend(token.items);
    groupList.defects.push(new ObsoleteHeaderDefect("group-list with empty entries"));
    return groupList;
  }
  if (leader) token.prepend(leader);
  groupList.push(token);
  return groupList;
}

/** group = display-name ":" [group-list] ";" [CFWS] */
export function getGroup(c: Cursor): GroupToken {
  const start = c.pos;
  const group = new GroupToken();
  try {
    const dn = getDisplayName(c);
    if (c.eof || at(c) !== ":") {
      throw new HeaderParseError(`expected ':' at end of group display name but found '${c.snippet()}'`);
    }
    group.push(dn);
    group.push(new ValueTerminal(":", "group-display-name-terminator"));
    c.pos++;
    if (at(c) === ";") {
      group.push(new ValueTerminal(";", "group-terminator"));
      c.pos++;
      return group;
    }
    group.push(getGroupList(c));
    if (c.eof) group.defects.push(new InvalidHeaderDefect("end of header in group"));
    else if (at(c) !== ";") throw new HeaderParseError(`expected ';' at end of group but found ${c.snippet()}`);
    group.push(new ValueTerminal(";", "group-terminator"));
    c.pos++;
    if (CFWS_LEADER.has(at(c))) group.push(getCfws(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  c.pos = Math.min(c.pos, c.text.length);
  return group;
}

/** address = mailbox / group */
export function getAddress(c: Cursor): AddressToken {
  const address = new AddressToken();
  let token: TokenList;
  // A group and a name-addr both start with a display name: look once at what ends it.
  const stop = phraseStop(c);
  try {
    if (stop !== ":") throw new HeaderParseError("not a group: no ':' after the display name");
    token = getGroup(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    try {
      token = getMailbox(c, stop);
    } catch (err2) {
      if (!(err2 instanceof HeaderParseError)) throw err2;
      throw new HeaderParseError(`expected address but found '${c.snippet()}'`);
    }
  }
  address.push(token);
  return address;
}

/** address-list = (address *("," address)) / obs-addr-list; reads the whole value. */
export function getAddressList(value: string): AddressList {
  return withoutStacks(() => getAddressListNow(value));
}

function getAddressListNow(value: string): AddressList {
  const c = new Cursor(value);
  const list = new AddressList();
  while (!c.eof) {
    try {
      list.push(getAddress(c));
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      if (CFWS_LEADER.has(at(c))) {
        const leader = getCfws(c);
        if (c.eof || at(c) === ",") {
          list.push(leader);
          list.defects.push(new ObsoleteHeaderDefect("address-list entry with no content"));
        } else {
          const token = getInvalidMailbox(c, ",");
          token.prepend(leader);
          list.push(new AddressToken([token]));
          list.defects.push(new InvalidHeaderDefect("invalid address in address-list"));
        }
      } else if (at(c) === ",") {
        list.defects.push(new ObsoleteHeaderDefect("empty element in address-list"));
      } else {
        list.push(new AddressToken([getInvalidMailbox(c, ",")]));
        list.defects.push(new InvalidHeaderDefect("invalid address in address-list"));
      }
    }
    if (!c.eof && at(c) !== ",") {
      const last = list.at(-1);
      const mailbox = last instanceof TokenList ? last.at(0) : undefined;
      const token = getInvalidMailbox(c, ",");
      if (mailbox instanceof TokenList) {
        mailbox.tokenType = "invalid-mailbox";
        mailbox.extend(token.items);
      } else {
        list.push(new AddressToken([token]));
      }
      list.defects.push(new InvalidHeaderDefect("invalid address in address-list"));
    }
    if (!c.eof) {
      list.push(listSeparator());
      c.pos++;
    }
  }
  return list;
}

/**
 * Parses a complete addr-spec (`local@domain`) strictly.
 * @returns the token and the text left over after it.
 * @throws HeaderParseError when no addr-spec can be read at all.
 */
export function parseAddrSpec(value: string): { token: AddrSpec; rest: string } {
  const c = new Cursor(value);
  const token = getAddrSpec(c);
  return { token, rest: c.rest() };
}

// ------------------------------------------------------------------ msg-id

function getNoFoldLiteral(c: Cursor): NoFoldLiteral {
  const start = c.pos;
  const literal = new NoFoldLiteral();
  if (c.eof) throw new HeaderParseError(`expected no-fold-literal but found '${c.snippet()}'`);
  if (at(c) !== "[") throw new HeaderParseError(`expected '[' at the start of no-fold-literal but found '${c.snippet()}'`);
  literal.push(new ValueTerminal("[", "no-fold-literal-start"));
  c.pos++;
  literal.push(getDtext(c));
  if (c.eof || at(c) !== "]") {
    const found = c.snippet();
    c.pos = start;
    throw new HeaderParseError(`expected ']' at the end of no-fold-literal but found '${found}'`);
  }
  literal.push(new ValueTerminal("]", "no-fold-literal-end"));
  c.pos++;
  return literal;
}

/** msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS] */
export function getMsgId(c: Cursor): MsgID {
  const msgId = new MsgID();
  if (CFWS_LEADER.has(at(c))) msgId.push(getCfws(c));
  if (c.eof || at(c) !== "<") throw new HeaderParseError(`expected msg-id but found '${c.snippet()}'`);
  msgId.push(new ValueTerminal("<", "msg-id-start"));
  c.pos++;
  let token: Token;
  try {
    token = getDotAtomText(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    try {
      token = getObsLocalPart(c);
      msgId.defects.push(new ObsoleteHeaderDefect("obsolete id-left in msg-id"));
    } catch (err2) {
      if (!(err2 instanceof HeaderParseError)) throw err2;
      throw new HeaderParseError(`expected dot-atom-text or obs-id-left but found '${c.snippet()}'`);
    }
  }
  msgId.push(token);
  if (c.eof || at(c) !== "@") {
    msgId.defects.push(new InvalidHeaderDefect("msg-id with no id-right"));
    if (at(c) === ">") {
      msgId.push(new ValueTerminal(">", "msg-id-end"));
      c.pos++;
    }
    return msgId;
  }
  msgId.push(new ValueTerminal("@", "address-at-symbol"));
  c.pos++;
  try {
    token = getDotAtomText(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    try {
      token = getNoFoldLiteral(c);
    } catch (err2) {
      if (!(err2 instanceof HeaderParseError)) throw err2;
      try {
        token = getDomain(c);
        msgId.defects.push(new ObsoleteHeaderDefect("obsolete id-right in msg-id"));
      } catch (err3) {
        if (!(err3 instanceof HeaderParseError)) throw err3;
        throw new HeaderParseError(
          `expected dot-atom-text, no-fold-literal or obs-id-right but found '${c.snippet()}'`,
        );
      }
    }
  }
  msgId.push(token);
  if (at(c) === ">") c.pos++;
  else msgId.defects.push(new InvalidHeaderDefect("missing trailing '>' on msg-id"));
  msgId.push(new ValueTerminal(">", "msg-id-end"));
  if (CFWS_LEADER.has(at(c))) msgId.push(getCfws(c));
  return msgId;
}

/** message-id = msg-id; anything else is kept as unstructured text with a defect. */
export function parseMessageId(value: string): MessageIDToken {
  return withoutStacks(() => parseMessageIdNow(value));
}

function parseMessageIdNow(value: string): MessageIDToken {
  const c = new Cursor(value);
  let messageId = new MessageIDToken();
  try {
    messageId.push(getMsgId(c));
    if (!c.eof) messageId.defects.push(new InvalidHeaderDefect(`Unexpected ${JSON.stringify(c.snippet())}`));
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    messageId = new InvalidMessageIDToken(getUnstructured(value).items);
    messageId.defects.push(new InvalidHeaderDefect(`Invalid msg-id: ${err.message}`));
  }
  return messageId;
}

// ------------------------------------------------------------------ MIME-Version

const DIGITS = /^[0-9]+$/;

/** mime-version = [CFWS] 1*digit [CFWS] "." [CFWS] 1*digit [CFWS] */
export function parseMimeVersion(value: string): MIMEVersionToken {
  return withoutStacks(() => parseMimeVersionNow(value));
}

function parseMimeVersionNow(value: string): MIMEVersionToken {
  const c = new Cursor(value);
  const mv = new MIMEVersionToken();
  if (c.eof) {
    mv.defects.push(new HeaderMissingRequiredValue("Missing MIME version number (eg: 1.0)"));
    return mv;
  }
  if (CFWS_LEADER.has(at(c))) {
    mv.push(getCfws(c));
    if (c.eof) mv.defects.push(new HeaderMissingRequiredValue("Expected MIME version number but found only CFWS"));
  }
  let start = c.pos;
  while (!c.eof && at(c) !== "." && !CFWS_LEADER.has(at(c))) c.pos++;
  let digits = value.slice(start, c.pos);
  if (!DIGITS.test(digits)) {
    mv.defects.push(new InvalidHeaderDefect(`Expected MIME major version number but found ${JSON.stringify(digits)}`));
    mv.push(new ValueTerminal(digits, "xtext"));
  } else {
    mv.major = Number.parseInt(digits, 10);
    mv.push(new ValueTerminal(digits, "digits"));
  }
  if (CFWS_LEADER.has(at(c))) mv.push(getCfws(c));
  if (c.eof || at(c) !== ".") {
    if (mv.major !== undefined) mv.defects.push(new InvalidHeaderDefect("Incomplete MIME version; found only major number"));
    if (!c.eof) mv.push(new ValueTerminal(c.rest(), "xtext"));
    return mv;
  }
  mv.push(new ValueTerminal(".", "version-separator"));
  c.pos++;
  if (CFWS_LEADER.has(at(c))) mv.push(getCfws(c));
  if (c.eof) {
    if (mv.major !== undefined) mv.defects.push(new InvalidHeaderDefect("Incomplete MIME version; found only major number"));
    return mv;
  }
  start = c.pos;
  while (!c.eof && !CFWS_LEADER.has(at(c))) c.pos++;
  digits = value.slice(start, c.pos);
  if (!DIGITS.test(digits)) {
    mv.defects.push(new InvalidHeaderDefect(`Expected MIME minor version number but found ${JSON.stringify(digits)}`));
    mv.push(new ValueTerminal(digits, "xtext"));
  } else {
    mv.minor = Number.parseInt(digits, 10);
    mv.push(new ValueTerminal(digits, "digits"));
  }
  if (CFWS_LEADER.has(at(c))) mv.push(getCfws(c));
  if (!c.eof) {
    mv.defects.push(new InvalidHeaderDefect("Excess non-CFWS text after MIME version"));
    mv.push(new ValueTerminal(c.rest(), "xtext"));
  }
  return mv;
}

// ------------------------------------------------------------------ MIME parameters

function readRun(c: Cursor, ends: ReadonlySet<string>, tokenType: string, what: string): ValueTerminal {
  const s = c.text;
  let i = c.pos;
  while (i < s.length && !ends.has(s[i]!)) i++;
  if (i === c.pos) throw new HeaderParseError(`expected ${what} but found ${JSON.stringify(c.snippet())}`);
  const token = new ValueTerminal(s.slice(c.pos, i), tokenType);
  c.pos = i;
  validateXtext(token);
  return token;
}

const getTtext = (c: Cursor): ValueTerminal => readRun(c, TOKEN_ENDS, "ttext", "ttext");
const getAttrtext = (c: Cursor): ValueTerminal => readRun(c, ATTRIBUTE_ENDS, "attrtext", "attrtext");
const getExtendedAttrtext = (c: Cursor): ValueTerminal =>
  readRun(c, EXTENDED_ATTRIBUTE_ENDS, "extended-attrtext", "extended attrtext");

function getInvalidParameter(c: Cursor): InvalidParameter {
  const invalid = new InvalidParameter();
  readInvalidText(c, invalid, ";");
  return invalid;
}

/** token = [CFWS] 1*ttext [CFWS] (RFC 2045) */
export function getToken(c: Cursor): Token_ {
  const start = c.pos;
  const token = new Token_();
  try {
    if (CFWS_LEADER.has(at(c))) token.push(getCfws(c));
    if (!c.eof && TOKEN_ENDS.has(at(c))) throw new HeaderParseError(`expected token but found '${c.snippet()}'`);
    token.push(getTtext(c));
    if (CFWS_LEADER.has(at(c))) token.push(getCfws(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return token;
}

function getAttributeWith(c: Cursor, ends: ReadonlySet<string>, run: (c: Cursor) => ValueTerminal): Attribute {
  const start = c.pos;
  const attribute = new Attribute();
  try {
    if (CFWS_LEADER.has(at(c))) attribute.push(getCfws(c));
    if (!c.eof && ends.has(at(c))) throw new HeaderParseError(`expected token but found '${c.snippet()}'`);
    attribute.push(run(c));
    if (CFWS_LEADER.has(at(c))) attribute.push(getCfws(c));
  } catch (err) {
    c.pos = start;
    throw err;
  }
  return attribute;
}

function getSection(c: Cursor): Section {
  const start = c.pos;
  const section = new Section();
  if (at(c) !== "*") throw new HeaderParseError(`Expected section but found ${c.snippet()}`);
  section.push(new ValueTerminal("*", "section-marker"));
  c.pos++;
  if (!/[0-9]/.test(at(c))) {
    c.pos = start;
    throw new HeaderParseError(`Expected section number but found ${c.snippet()}`);
  }
  const digitsStart = c.pos;
  while (/[0-9]/.test(at(c))) c.pos++;
  const digits = c.text.slice(digitsStart, c.pos);
  if (digits[0] === "0" && digits !== "0") {
    section.defects.push(new InvalidHeaderDefect("section number has an invalid leading 0"));
  }
  section.number = Number.parseInt(digits, 10);
  section.push(new ValueTerminal(digits, "digits"));
  return section;
}

function getValue(c: Cursor): Value {
  const start = c.pos;
  const v = new Value();
  if (c.eof) throw new HeaderParseError("Expected value but found end of string");
  let leader: CFWSList | undefined;
  if (CFWS_LEADER.has(at(c))) leader = getCfws(c);
  if (c.eof) {
    c.pos = start;
    throw new HeaderParseError(`Expected value but found only ${leader?.toString() ?? ""}`);
  }
  let token: TokenList;
  try {
    token = at(c) === '"' ? getQuotedString(c) : getAttributeWith(c, EXTENDED_ATTRIBUTE_ENDS, getExtendedAttrtext);
  } catch (err) {
    c.pos = start;
    throw err;
  }
  if (leader) token.prepend(leader);
  v.push(token);
  return v;
}

/** parameter = attribute [section] ["*"] [CFWS] "=" value */
export function getParameter(c: Cursor): Parameter {
  const begin = c.pos;
  try {
    return getParameterAt(c);
  } catch (err) {
    c.pos = begin;
    throw err;
  }
}

function getParameterAt(c: Cursor): Parameter {
  const param = new Parameter();
  const attribute = getAttributeWith(c, ATTRIBUTE_ENDS, getAttrtext);
  param.push(attribute);
  if (c.eof || at(c) === ";") {
    param.defects.push(new InvalidHeaderDefect(`Parameter contains name (${attribute.toString()}) but no value`));
    return param;
  }
  if (at(c) === "*") {
    try {
      param.push(getSection(c));
      param.sectioned = true;
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
    }
    if (c.eof) throw new HeaderParseError("Incomplete parameter");
    if (at(c) === "*") {
      param.push(new ValueTerminal("*", "extended-parameter-marker"));
      c.pos++;
      param.extended = true;
    }
  }
  if (at(c) !== "=") throw new HeaderParseError("Parameter not followed by '='");
  param.push(new ValueTerminal("=", "parameter-separator"));
  c.pos++;
  if (CFWS_LEADER.has(at(c))) param.push(getCfws(c));

  // The "quoted extended value" hack: an extended value in double quotes is read as
  // if the quotes were not there, with a defect, when its content looks encoded.
  let outer: Cursor | undefined; // where parsing resumes after a quoted extended value
  let appendTo: TokenList = param;
  let cur = c;
  if (param.extended && at(c) === '"') {
    const quoteStart = c.pos;
    const qstring = getQuotedString(c);
    const inner = qstring.strippedValue ?? "";
    let semiValid = false;
    if (param.sectionNumber === 0) {
      if (inner[0] === "'") semiValid = true;
      else {
        const probe = new Cursor(inner);
        try {
          getAttrtext(probe);
          if (probe.peek() === "'") semiValid = true;
        } catch (err) {
          if (!(err instanceof HeaderParseError)) throw err;
          // Python lets this error escape get_parameter; the caller treats the parameter as invalid.
          throw err;
        }
      }
    } else {
      const probe = new Cursor(inner);
      try {
        getExtendedAttrtext(probe);
        if (probe.eof) semiValid = true;
      } catch {
        // not semi-valid
      }
    }
    if (semiValid) {
      param.defects.push(new InvalidHeaderDefect("Quoted string value for extended parameter is invalid"));
      param.push(qstring);
      const bare = qstring.items.find((t): t is BareQuotedString => t.tokenType === "bare-quoted-string");
      if (bare) {
        bare.items = [];
        appendTo = bare;
      }
      outer = c;
      cur = new Cursor(inner);
    } else {
      param.defects.push(
        new InvalidHeaderDefect("Parameter marked as extended but appears to have a quoted string value that is non-encoded"),
      );
      // Python reads the value again from the start of the quoted string.
      c.pos = quoteStart;
    }
  }

  let token: TokenList | undefined;
  if (at(cur) === "'") token = undefined;
  else token = getValue(cur);
  if (!param.extended || param.sectionNumber > 0) {
    if (cur.eof || at(cur) !== "'") {
      if (token) appendTo.push(token);
      return param;
    }
    param.defects.push(
      new InvalidHeaderDefect(
        "Apparent initial-extended-value but attribute was not marked as extended or was not initial section",
      ),
    );
  }
  if (cur.eof) {
    param.defects.push(new InvalidHeaderDefect("Missing required charset/lang delimiters"));
    if (token) appendTo.push(token);
    if (!outer) return param;
  } else {
    if (token) {
      let found: Token | undefined;
      for (const t of token.items) {
        found = t;
        if (t.tokenType === "extended-attrtext") break;
      }
      if (found) {
        appendTo.push(found);
        param.charset = found.value;
      }
    }
    if (at(cur) !== "'") {
      throw new HeaderParseError(`Expected RFC2231 char/lang encoding delimiter, but found ${JSON.stringify(cur.snippet())}`);
    }
    appendTo.push(new ValueTerminal("'", "RFC2231-delimiter"));
    cur.pos++;
    if (!cur.eof && at(cur) !== "'") {
      const lang = getAttrtext(cur);
      appendTo.push(lang);
      param.lang = lang.value;
      if (cur.eof || at(cur) !== "'") {
        throw new HeaderParseError(`Expected RFC2231 char/lang encoding delimiter, but found ${cur.snippet()}`);
      }
    }
    appendTo.push(new ValueTerminal("'", "RFC2231-delimiter"));
    cur.pos++;
  }
  if (outer) {
    // The rest of the quoted content is bare quoted-string content.
    const v = new Value();
    while (!cur.eof) {
      if (WSP.has(at(cur))) v.push(getFws(cur));
      else if (at(cur) === '"') {
        v.push(new ValueTerminal('"', "DQUOTE"));
        cur.pos++;
      } else v.push(getQcontent(cur));
    }
    appendTo.push(v);
    return param;
  }
  appendTo.push(getValue(cur));
  return param;
}

/** parameter *( ";" parameter ), after the leading ";". */
export function parseMimeParameters(c: Cursor): MimeParameters {
  const params = new MimeParameters();
  while (!c.eof) {
    try {
      params.push(getParameter(c));
    } catch (err) {
      if (!(err instanceof HeaderParseError)) throw err;
      let leader: CFWSList | undefined;
      if (CFWS_LEADER.has(at(c))) leader = getCfws(c);
      if (c.eof) {
        if (leader) params.push(leader);
        break;
      }
      if (at(c) === ";") {
        if (leader) params.push(leader);
        params.defects.push(new InvalidHeaderDefect("parameter entry with no content"));
      } else {
        const token = getInvalidParameter(c);
        if (leader && leader.length > 0) token.prepend(leader);
        params.push(token);
        params.defects.push(new InvalidHeaderDefect(`invalid parameter ${JSON.stringify(token.toString())}`));
      }
    }
    if (!c.eof && at(c) !== ";") {
      const param = params.at(-1);
      const token = getInvalidParameter(c);
      if (param instanceof TokenList) {
        param.tokenType = "invalid-parameter";
        param.extend(token.items);
      }
      params.defects.push(new InvalidHeaderDefect(`parameter with invalid trailing text ${JSON.stringify(token.toString())}`));
    }
    const last = params.at(-1);
    if (params.length > WORD_RUNS_AFTER && last instanceof Parameter && last.tokenType === "parameter") compactParameter(last);
    if (!c.eof) {
      params.push(new ValueTerminal(";", "parameter-separator"));
      c.pos++;
    }
  }
  // Interpreted on first use, outside the parse: defects made then must not capture stacks either.
  params.interpret = (tokens) => withoutStacks(() => interpretParams(tokens));
  return params;
}

/** Replaces the tokens of a parameter by one terminal of its text, keeping what is read of it (see Parameter.compact). */
function compactParameter(param: Parameter): void {
  const name = param.attributeName;
  if (name === undefined) return;
  const defects = param.allDefects;
  param.compact = { name, section: param.sectionNumber, value: param.paramValue };
  param.items = [new ValueTerminal(param.toString(), "parameter-text")];
  if (defects.length > 0) param.defects = defects;
}

function findMimeParameters(tokens: TokenList, c: Cursor): void {
  readInvalidText(c, tokens, ";");
  if (c.eof) return;
  tokens.push(new ValueTerminal(";", "parameter-separator"));
  c.pos++;
  tokens.push(parseMimeParameters(c));
}

/**
 * Python's `unquote_to_bytes`: %XX escapes become bytes, other characters their UTF-8.
 * One pass, no per-character allocation: a value of many megabytes decodes in linear time.
 */
function percentDecode(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      out[n++] = Number.parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (code < 0x80) {
      out[n++] = code;
    } else {
      const cp = text.codePointAt(i)!;
      const bytes = Buffer.from(String.fromCodePoint(cp), "utf8");
      out.set(bytes, n);
      n += bytes.length;
      if (cp > 0xffff) i++;
    }
  }
  return out.subarray(0, n);
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Octets of an RFC 2231 value decoded in `charset`; ASCII (U+FFFD for the rest) when the charset is unknown. */
function decodeExtendedValue(bytes: Uint8Array, charset: string): { text: string; undecodable: boolean } {
  return isKnownCharset(charset) ? decodeCharset(bytes, charset) : decodeAscii(bytes);
}

/**
 * The decoded parameters, in order of first appearance (Python's `MimeParameters.params`):
 * RFC 2231 sections joined in number order, duplicates ignored with a defect on the
 * duplicate. The octets of consecutive extended (`*N*`) sections are joined before they
 * are decoded in the charset, so that a character split between two sections survives
 * (Python decodes each section alone, with surrogate escapes that its header classes
 * later put back together; the raw tokens keep the broken halves).
 */
function interpretParams(tokens: MimeParameters): Array<[string, string]> {
  const byName = new Map<string, Array<[number, Parameter]>>();
  for (const token of tokens.items) {
    if (!token.tokenType.endsWith("parameter") || !(token instanceof Parameter)) continue;
    const name = token.attributeName;
    if (name === undefined) continue;
    let parts = byName.get(name);
    if (!parts) byName.set(name, (parts = []));
    parts.push([token.sectionNumber, token]);
  }
  const out: Array<[string, string]> = [];
  for (const [name, unsorted] of byName) {
    let parts = [...unsorted].sort((a, b) => a[0] - b[0]);
    const first = parts[0]![1];
    const charset = first.charset;
    if (!first.extended && parts.length > 1 && parts[1]![0] === 0) {
      parts[1]![1].defects.push(new InvalidHeaderDefect("duplicate parameter name; duplicate(s) ignored"));
      parts = parts.slice(0, 1);
    }
    const valueParts: string[] = [];
    // A run of extended sections: their octets, and the section that gets a decoding defect.
    let run: { octets: Uint8Array[]; first: Parameter } | undefined;
    const endRun = (): void => {
      if (!run) return;
      const decoded = decodeExtendedValue(Buffer.concat(run.octets), charset);
      if (decoded.undecodable) run.first.defects.push(new UndecodableBytesDefect());
      valueParts.push(decoded.text);
      run = undefined;
    };
    // Reported once per parameter, on its first offending section (Python: on each).
    const defect = onceEach((message: string, param: Parameter) => param.defects.push(new InvalidHeaderDefect(message)));
    let i = 0;
    for (const [sectionNumber, param] of parts) {
      if (sectionNumber !== i) {
        if (!param.extended) {
          defect("duplicate parameter name; duplicate ignored", param);
          continue;
        }
        defect("inconsistent RFC2231 parameter numbering", param);
      }
      i++;
      if (param.extended) {
        run ??= { octets: [], first: param };
        run.octets.push(percentDecode(param.paramValue));
      } else {
        endRun();
        valueParts.push(param.paramValue);
      }
    }
    endRun();
    out.push([name, valueParts.join("")]);
  }
  return out;
}

/** Content-Type: maintype "/" subtype *( ";" parameter ) */
export function parseContentTypeHeader(value: string): ContentTypeToken {
  return withoutStacks(() => parseContentTypeHeaderNow(value));
}

function parseContentTypeHeaderNow(value: string): ContentTypeToken {
  const c = new Cursor(value);
  const ctype = new ContentTypeToken();
  if (c.eof) {
    ctype.defects.push(new HeaderMissingRequiredValue("Missing content type specification"));
    return ctype;
  }
  let token: Token_;
  try {
    token = getToken(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    ctype.defects.push(new InvalidHeaderDefect(`Expected content maintype but found ${JSON.stringify(c.rest())}`));
    findMimeParameters(ctype, c);
    return ctype;
  }
  ctype.push(token);
  if (c.eof || at(c) !== "/") {
    ctype.defects.push(new InvalidHeaderDefect("Invalid content type"));
    if (!c.eof) findMimeParameters(ctype, c);
    return ctype;
  }
  ctype.maintype = pyStrip(token.value).toLowerCase();
  ctype.push(new ValueTerminal("/", "content-type-separator"));
  c.pos++;
  try {
    token = getToken(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    ctype.defects.push(new InvalidHeaderDefect(`Expected content subtype but found ${JSON.stringify(c.rest())}`));
    findMimeParameters(ctype, c);
    return ctype;
  }
  ctype.push(token);
  ctype.subtype = pyStrip(token.value).toLowerCase();
  if (c.eof) return ctype;
  if (at(c) !== ";") {
    ctype.defects.push(
      new InvalidHeaderDefect(`Only parameters are valid after content type, but found ${JSON.stringify(c.rest())}`),
    );
    ctype.maintype = "text";
    ctype.subtype = "plain";
    findMimeParameters(ctype, c);
    return ctype;
  }
  ctype.push(new ValueTerminal(";", "parameter-separator"));
  c.pos++;
  ctype.push(parseMimeParameters(c));
  return ctype;
}

/** Content-Disposition: disposition-type *( ";" parameter ) */
export function parseContentDispositionHeader(value: string): ContentDispositionToken {
  return withoutStacks(() => parseContentDispositionHeaderNow(value));
}

function parseContentDispositionHeaderNow(value: string): ContentDispositionToken {
  const c = new Cursor(value);
  const disp = new ContentDispositionToken();
  if (c.eof) {
    disp.defects.push(new HeaderMissingRequiredValue("Missing content disposition"));
    return disp;
  }
  let token: Token_;
  try {
    token = getToken(c);
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    disp.defects.push(new InvalidHeaderDefect(`Expected content disposition but found ${JSON.stringify(c.rest())}`));
    findMimeParameters(disp, c);
    return disp;
  }
  disp.push(token);
  disp.contentDisposition = pyStrip(token.value).toLowerCase();
  if (c.eof) return disp;
  if (at(c) !== ";") {
    disp.defects.push(
      new InvalidHeaderDefect(`Only parameters are valid after content disposition, but found ${JSON.stringify(c.rest())}`),
    );
    findMimeParameters(disp, c);
    return disp;
  }
  disp.push(new ValueTerminal(";", "parameter-separator"));
  c.pos++;
  disp.push(parseMimeParameters(c));
  return disp;
}

/** Content-Transfer-Encoding: mechanism */
export function parseContentTransferEncodingHeader(value: string): ContentTransferEncodingToken {
  return withoutStacks(() => parseContentTransferEncodingHeaderNow(value));
}

function parseContentTransferEncodingHeaderNow(value: string): ContentTransferEncodingToken {
  const c = new Cursor(value);
  const cte = new ContentTransferEncodingToken();
  if (c.eof) {
    cte.defects.push(new HeaderMissingRequiredValue("Missing content transfer encoding"));
    return cte;
  }
  try {
    const token = getToken(c);
    cte.push(token);
    cte.cte = pyStrip(token.value).toLowerCase();
  } catch (err) {
    if (!(err instanceof HeaderParseError)) throw err;
    cte.defects.push(new InvalidHeaderDefect(`Expected content transfer encoding but found ${JSON.stringify(c.rest())}`));
  }
  if (!c.eof) {
    cte.defects.push(new InvalidHeaderDefect("Extra text after content transfer encoding"));
    readInvalidText(c, cte, "");
  }
  return cte;
}
