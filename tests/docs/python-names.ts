/**
 * The Python-to-TypeScript name table (docs/python-to-typescript.md), generated from what
 * src/index.ts really exports (read with the TypeScript compiler): every root export,
 * and every public member and option of the exported classes, interfaces and object
 * types, each with the Python name it ports (recorded below and in
 * python-member-names.ts, or else the mechanical snake_case form of the mailport name).
 *
 * Regenerate the page after changing the exports, their members or the tables:
 *
 *     npm run docs:names
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { MEMBER_PYTHON_NAMES } from "./python-member-names.js";

/** One root export of mailport. */
export interface RootExport {
  readonly name: string;
  readonly kind: "class" | "function" | "type" | "constant";
  /** The first sentence of its TSDoc. */
  readonly summary: string;
}

/** One public member of an exported class, interface or object type. */
export interface PublicMember {
  /** The export that declares it. */
  readonly owner: string;
  readonly name: string;
  readonly kind: "method" | "property";
  readonly isStatic: boolean;
}

function firstSentence(text: string): string {
  const flat = text
    .replace(/\{@link\s+([^}|\s]+)(?:\s*\|\s*([^}]+))?\}/g, (_all, target: string, label?: string) => `\`${label ?? target}\``)
    .replace(/\s+/g, " ")
    .trim();
  const end = flat.search(/\.(\s|$)/);
  return (end < 0 ? flat : flat.slice(0, end)).replace(/\|/g, "\\|");
}

const ROOT = path.resolve(import.meta.dirname, "../..");

interface EntryPoint {
  readonly checker: ts.TypeChecker;
  /** The root exports, each with the symbol it stands for. */
  readonly exports: ReadonlyArray<{ readonly name: string; readonly target: ts.Symbol }>;
}

let entryPoint: EntryPoint | undefined;

/** src/index.ts read by the compiler, once. */
function readEntryPoint(): EntryPoint {
  if (entryPoint) return entryPoint;
  const entry = path.join(ROOT, "src/index.ts");
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error("cannot read the exports of src/index.ts");
  const exports = checker.getExportsOfModule(module).map((symbol) => ({
    name: symbol.name,
    target: symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
  }));
  entryPoint = { checker, exports };
  return entryPoint;
}

/** Every name src/index.ts exports, values and types, in declaration order. */
export function rootExports(): RootExport[] {
  const { checker, exports } = readEntryPoint();
  return exports.map(({ name, target }) => {
    const kind: RootExport["kind"] =
      target.flags & ts.SymbolFlags.Class
        ? "class"
        : target.flags & ts.SymbolFlags.Function
          ? "function"
          : target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)
            ? "type"
            : "constant";
    const summary = firstSentence(ts.displayPartsToString(target.getDocumentationComment(checker)));
    return { name, kind, summary };
  });
}

/** Whether a declaration is hidden from users: private, protected, `#private` or `@internal` (TypeDoc leaves these out too). */
function isHidden(declaration: ts.Declaration): boolean {
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  const name = ts.getNameOfDeclaration(declaration);
  if (name && ts.isPrivateIdentifier(name)) return true;
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal");
}

const METHOD_KINDS = new Set([ts.SyntaxKind.MethodDeclaration, ts.SyntaxKind.MethodSignature]);

/**
 * The public members `container` declares itself (a class, an interface, or the object
 * literal type of a type alias), leaving out those that override a base type's member:
 * a member is listed once, under the type that introduces it.
 */
function ownMembers(owner: string, container: ts.Node, properties: readonly ts.Symbol[], inherited: ReadonlySet<string>, isStatic: boolean): PublicMember[] {
  const members: PublicMember[] = [];
  for (const property of properties) {
    if (inherited.has(property.name) || property.name === "prototype") continue;
    const declaration = property.declarations?.find((d) => d.parent === container);
    if (!declaration || isHidden(declaration) || ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Override) continue;
    const kind = METHOD_KINDS.has(declaration.kind) ? "method" : "property";
    // A symbol-keyed member is named as written: `[Symbol.iterator]`.
    const name = ts.getNameOfDeclaration(declaration);
    members.push({ owner, name: name && ts.isComputedPropertyName(name) ? name.getText() : property.name, kind, isStatic });
  }
  return members;
}

function namesOf(types: readonly ts.Type[], checker: ts.TypeChecker): Set<string> {
  return new Set(types.flatMap((type) => checker.getPropertiesOfType(type).map((property) => property.name)));
}

/** The root exports a class or interface extends, by name. */
export function basesOf(owner: string): string[] {
  const { exports } = readEntryPoint();
  const exported = new Set(exports.map((item) => item.name));
  const declaration = exports.find((item) => item.name === owner)?.target.declarations?.[0];
  if (!declaration || !(ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration))) return [];
  return (declaration.heritageClauses ?? [])
    .filter((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)
    .flatMap((clause) => clause.types.map((type) => type.expression.getText()))
    .filter((name) => exported.has(name));
}

/**
 * Every public member of every exported class, interface and object type, in declaration
 * order: instance and static methods, properties and accessors, and the fields of option
 * objects.
 */
export function publicMembers(): PublicMember[] {
  const { checker, exports } = readEntryPoint();
  return exports.flatMap(({ name, target }) => {
    const declaration = target.declarations?.[0];
    if (!declaration) return [];
    if (ts.isClassDeclaration(declaration)) {
      const instance = checker.getDeclaredTypeOfSymbol(target) as ts.InterfaceType;
      const constructor = checker.getTypeOfSymbol(target);
      const bases = checker.getBaseTypes(instance);
      const staticBases = bases.flatMap((base) => (base.symbol ? [checker.getTypeOfSymbol(base.symbol)] : []));
      return [
        ...ownMembers(name, declaration, checker.getPropertiesOfType(instance), namesOf(bases, checker), false),
        ...ownMembers(name, declaration, checker.getPropertiesOfType(constructor), namesOf(staticBases, checker), true),
      ];
    }
    if (ts.isInterfaceDeclaration(declaration)) {
      const type = checker.getDeclaredTypeOfSymbol(target) as ts.InterfaceType;
      return ownMembers(name, declaration, checker.getPropertiesOfType(type), namesOf(checker.getBaseTypes(type), checker), false);
    }
    if (ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type)) {
      return ownMembers(name, declaration.type, checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(target)), new Set(), false);
    }
    return [];
  });
}

/**
 * What each export ports. A dotted name is importable from Python 3.11 (the tests check
 * it); `aiosmtplib.` names come from aiosmtplib 3; text in parentheses explains; `—`
 * means mailport has it and Python has no counterpart.
 */
export const PYTHON_NAMES: Readonly<Record<string, string>> = {
  // email.message
  Message: "email.message.Message",
  MIMEPart: "email.message.MIMEPart",
  EmailMessage: "email.message.EmailMessage",
  HeaderValue: "(what `msg[name] = value` accepts)",
  Payload: "(what `Message.get_payload()` returns)",
  SerializeOptions: "(keyword arguments of `email.message.Message.as_string` / `as_bytes`)",
  ParamOptions: "(keyword arguments of `email.message.Message.get_param`)",
  SetParamOptions: "(keyword arguments of `email.message.Message.set_param`)",
  // email.policy
  Policy: "email.policy.Policy",
  EmailPolicy: "email.policy.EmailPolicy",
  Compat32: "email.policy.Compat32",
  policy: "email.policy",
  defaultPolicy: "email.policy.default",
  SMTPPolicy: "email.policy.SMTP",
  SMTPUTF8Policy: "email.policy.SMTPUTF8",
  HTTPPolicy: "email.policy.HTTP",
  strictPolicy: "email.policy.strict",
  compat32: "email.policy.compat32",
  PolicyOptions: "(keyword arguments of `email.policy.Policy.clone`)",
  HeaderFactory: "email.policy.EmailPolicy.header_factory",
  StoredHeaderValue: "(the `(name, value)` pairs a policy stores)",
  DefectHolder: "(anything with a `defects` list)",
  // email.contentmanager
  ContentManager: "email.contentmanager.ContentManager",
  rawDataManager: "email.contentmanager.raw_data_manager",
  SetContentOptions: "(keyword arguments of `email.message.EmailMessage.set_content`)",
  GetContentOptions: "(keyword arguments of `email.message.EmailMessage.get_content`)",
  ContentTransferEncoding: "(the `cte` values `set_content` accepts)",
  Content: "(what `get_content` returns)",
  GetHandler: "(a handler for `email.contentmanager.ContentManager.add_get_handler`)",
  SetHandler: "(a handler for `email.contentmanager.ContentManager.add_set_handler`)",
  ContentKind: "(the types `add_set_handler` is keyed by: str, bytes, Message)",
  // email.generator
  Generator: "email.generator.Generator",
  BytesGenerator: "email.generator.BytesGenerator",
  GeneratorOptions: "(arguments of `email.generator.Generator`)",
  FlattenOptions: "(keyword arguments of `email.generator.Generator.flatten`)",
  // email.mime
  MIMEBase: "email.mime.base.MIMEBase",
  MIMENonMultipart: "email.mime.nonmultipart.MIMENonMultipart",
  MIMEMultipart: "email.mime.multipart.MIMEMultipart",
  MIMEText: "email.mime.text.MIMEText",
  MIMEApplication: "email.mime.application.MIMEApplication",
  MIMEImage: "email.mime.image.MIMEImage",
  MIMEAudio: "email.mime.audio.MIMEAudio",
  MIMEMessage: "email.mime.message.MIMEMessage",
  MIMEOptions: "(keyword arguments of the `email.mime` classes)",
  MIMEEncodedOptions: "(the `_encoder` and parameters of `MIMEApplication`, `MIMEImage`, `MIMEAudio`)",
  // email.encoders
  encodeBase64: "email.encoders.encode_base64",
  encodeQuopri: "email.encoders.encode_quopri",
  encode7or8bit: "email.encoders.encode_7or8bit",
  encodeNoop: "email.encoders.encode_noop",
  Encoder: "(the `_encoder` argument of the `email.mime` classes)",
  // email.headerregistry
  Address: "email.headerregistry.Address",
  Group: "email.headerregistry.Group",
  HeaderRegistry: "email.headerregistry.HeaderRegistry",
  TypedHeader: "email.headerregistry.BaseHeader",
  UnstructuredHeader: "email.headerregistry.UnstructuredHeader",
  UniqueUnstructuredHeader: "email.headerregistry.UniqueUnstructuredHeader",
  DateHeader: "email.headerregistry.DateHeader",
  UniqueDateHeader: "email.headerregistry.UniqueDateHeader",
  AddressHeader: "email.headerregistry.AddressHeader",
  UniqueAddressHeader: "email.headerregistry.UniqueAddressHeader",
  SingleAddressHeader: "email.headerregistry.SingleAddressHeader",
  UniqueSingleAddressHeader: "email.headerregistry.UniqueSingleAddressHeader",
  MIMEVersionHeader: "email.headerregistry.MIMEVersionHeader",
  ParameterizedMIMEHeader: "email.headerregistry.ParameterizedMIMEHeader",
  ContentTypeHeader: "email.headerregistry.ContentTypeHeader",
  ContentDispositionHeader: "email.headerregistry.ContentDispositionHeader",
  ContentTransferEncodingHeader: "email.headerregistry.ContentTransferEncodingHeader",
  MessageIDHeader: "email.headerregistry.MessageIDHeader",
  AddressInit: "(arguments of `email.headerregistry.Address`)",
  GroupInit: "(arguments of `email.headerregistry.Group`)",
  HeaderInput: "(what a header can be set from: text, `Address`, `Group`, a date)",
  BaseHeader: "(the interface of every header object, as `str` plus `name`, `defects`, `fold`)",
  HeaderClass: "(a class `email.headerregistry.HeaderRegistry.map_to_type` takes)",
  HeaderRegistryOptions: "(arguments of `email.headerregistry.HeaderRegistry`)",
  // email.header
  Header: "email.header.Header",
  decodeHeader: "email.header.decode_header",
  makeHeader: "email.header.make_header",
  HeaderOptions: "(arguments of `email.header.Header`)",
  HeaderEncodeOptions: "(arguments of `email.header.Header.encode`)",
  MakeHeaderOptions: "(arguments of `email.header.make_header`)",
  DecodedChunk: "(the `(text, charset)` pairs of `decode_header`)",
  HeaderErrors: "(the `errors` argument of `email.header.Header.append`)",
  RawHeaderValue: "(a header read from 8-bit octets; Python keeps them in surrogate escapes)",
  // email.charset
  Charset: "email.charset.Charset",
  addCharset: "email.charset.add_charset",
  addAlias: "email.charset.add_alias",
  addCodec: "email.charset.add_codec",
  canonicalCharsetName: "—",
  isKnownCharset: "—",
  encodeText: "(`str.encode` with the charset's codec)",
  decodeBytes: "(`bytes.decode` with the charset's codec)",
  HeaderEncoding: "(`email.charset.QP`, `BASE64`, `SHORTEST` for headers)",
  BodyEncoding: "(`email.charset.QP`, `BASE64` for bodies)",
  // email.utils
  formatAddr: "email.utils.formataddr",
  parseAddr: "email.utils.parseaddr",
  getAddresses: "email.utils.getaddresses",
  formatDate: "email.utils.formatdate",
  formatDatetime: "email.utils.format_datetime",
  parseDateToDatetime: "email.utils.parsedate_to_datetime",
  makeMsgid: "email.utils.make_msgid",
  localtime: "email.utils.localtime",
  quote: "email.utils.quote",
  unquote: "email.utils.unquote",
  encodeRfc2231: "email.utils.encode_rfc2231",
  decodeRfc2231: "email.utils.decode_rfc2231",
  collapseRfc2231Value: "email.utils.collapse_rfc2231_value",
  decodeParams: "email.utils.decode_params",
  AddressPair: "(the `(realname, address)` tuple of `parseaddr`)",
  Rfc2231Value: "(the `(charset, language, value)` tuple of `decode_rfc2231`)",
  DecodedParam: "(the items `decode_params` returns)",
  ParsedDate: "(what `email.utils.parsedate_tz` returns, as a date and an offset)",
  parseDate: "email.utils.parsedate_tz",
  formatDateWithOffset: "(`email.utils.format_datetime` of an aware datetime)",
  // email.parser, email.feedparser
  messageFromBytes: "email.message_from_bytes",
  messageFromString: "email.message_from_string",
  BytesParser: "email.parser.BytesParser",
  Parser: "email.parser.Parser",
  BytesHeaderParser: "email.parser.BytesHeaderParser",
  HeaderParser: "email.parser.HeaderParser",
  BytesFeedParser: "email.feedparser.BytesFeedParser",
  FeedParser: "email.feedparser.FeedParser",
  MAX_NESTING_DEPTH: "— (a limit Python does not have)",
  ParseOptions: "(keyword arguments of `email.message_from_bytes`)",
  ParserOptions: "(arguments of `email.parser.Parser`)",
  ParseCallOptions: "(keyword arguments of `email.parser.Parser.parse`)",
  FeedParserOptions: "(arguments of `email.feedparser.FeedParser`)",
  ParsedMessage: "(what the parsers return)",
  // email.errors
  MessageError: "email.errors.MessageError",
  MessageParseError: "email.errors.MessageParseError",
  HeaderParseError: "email.errors.HeaderParseError",
  BoundaryError: "email.errors.BoundaryError",
  MultipartConversionError: "email.errors.MultipartConversionError",
  CharsetError: "email.errors.CharsetError",
  HeaderWriteError: "(email.errors.HeaderWriteError, Python 3.13)",
  InvalidHeaderError: "(the `ValueError` Python raises for CR or LF in a header)",
  MessageDefect: "email.errors.MessageDefect",
  NoBoundaryInMultipartDefect: "email.errors.NoBoundaryInMultipartDefect",
  StartBoundaryNotFoundDefect: "email.errors.StartBoundaryNotFoundDefect",
  CloseBoundaryNotFoundDefect: "email.errors.CloseBoundaryNotFoundDefect",
  FirstHeaderLineIsContinuationDefect: "email.errors.FirstHeaderLineIsContinuationDefect",
  MisplacedEnvelopeHeaderDefect: "email.errors.MisplacedEnvelopeHeaderDefect",
  MissingHeaderBodySeparatorDefect: "email.errors.MissingHeaderBodySeparatorDefect",
  MultipartInvariantViolationDefect: "email.errors.MultipartInvariantViolationDefect",
  InvalidMultipartContentTransferEncodingDefect: "email.errors.InvalidMultipartContentTransferEncodingDefect",
  UndecodableBytesDefect: "email.errors.UndecodableBytesDefect",
  UnknownCharsetDefect: "— (Python raises LookupError from get_content)",
  InvalidBase64PaddingDefect: "email.errors.InvalidBase64PaddingDefect",
  InvalidBase64CharactersDefect: "email.errors.InvalidBase64CharactersDefect",
  InvalidBase64LengthDefect: "email.errors.InvalidBase64LengthDefect",
  HeaderDefect: "email.errors.HeaderDefect",
  InvalidHeaderDefect: "email.errors.InvalidHeaderDefect",
  HeaderMissingRequiredValue: "email.errors.HeaderMissingRequiredValue",
  NonPrintableDefect: "email.errors.NonPrintableDefect",
  ObsoleteHeaderDefect: "email.errors.ObsoleteHeaderDefect",
  NonASCIILocalPartDefect: "email.errors.NonASCIILocalPartDefect",
  InvalidDateDefect: "email.errors.InvalidDateDefect",
  // aiosmtplib
  SMTP: "aiosmtplib.SMTP",
  send: "aiosmtplib.send",
  AUTH_METHODS: "aiosmtplib.SMTP.AUTH_METHODS",
  DEFAULT_TIMEOUT: "aiosmtplib.smtp.DEFAULT_TIMEOUT",
  SMTP_PORT: "aiosmtplib.smtp.SMTP_PORT",
  SMTP_STARTTLS_PORT: "aiosmtplib.smtp.SMTP_STARTTLS_PORT",
  SMTP_TLS_PORT: "aiosmtplib.smtp.SMTP_TLS_PORT",
  SMTPOptions: "(keyword arguments of `aiosmtplib.SMTP`)",
  ResolvedSMTPOptions: "(the attributes `aiosmtplib.SMTP` keeps its settings in)",
  ConnectOptions: "(keyword arguments of `aiosmtplib.SMTP.connect`)",
  CallOptions: "(the `timeout` keyword argument of every command)",
  AddressCommandOptions: "(keyword arguments of `aiosmtplib.SMTP.mail` / `rcpt` / `vrfy` / `expn`)",
  StartTlsOptions: "(keyword arguments of `aiosmtplib.SMTP.starttls`)",
  SendmailOptions: "(keyword arguments of `aiosmtplib.SMTP.sendmail`)",
  SendMessageOptions: "(keyword arguments of `aiosmtplib.SMTP.send_message`)",
  SendOptions: "(keyword arguments of `aiosmtplib.send`)",
  SendResult: "(the `(errors, response)` tuple `send` returns)",
  SMTPResponse: "aiosmtplib.SMTPResponse",
  SMTPStatus: "aiosmtplib.SMTPStatus",
  SMTPStatusCode: "(a member of `aiosmtplib.SMTPStatus`)",
  SMTPException: "aiosmtplib.SMTPException",
  SMTPServerDisconnected: "aiosmtplib.SMTPServerDisconnected",
  SMTPConnectError: "aiosmtplib.SMTPConnectError",
  SMTPTimeoutError: "aiosmtplib.SMTPTimeoutError",
  SMTPConnectTimeoutError: "aiosmtplib.SMTPConnectTimeoutError",
  SMTPReadTimeoutError: "aiosmtplib.SMTPReadTimeoutError",
  SMTPNotSupported: "aiosmtplib.SMTPNotSupported",
  SMTPResponseException: "aiosmtplib.SMTPResponseException",
  SMTPConnectResponseError: "aiosmtplib.SMTPConnectResponseError",
  SMTPHeloError: "aiosmtplib.SMTPHeloError",
  SMTPDataError: "aiosmtplib.SMTPDataError",
  SMTPAuthenticationError: "aiosmtplib.SMTPAuthenticationError",
  SMTPSenderRefused: "aiosmtplib.SMTPSenderRefused",
  SMTPRecipientRefused: "aiosmtplib.SMTPRecipientRefused",
  SMTPRecipientsRefused: "aiosmtplib.SMTPRecipientsRefused",
  parseEsmtpExtensions: "aiosmtplib.esmtp.parse_esmtp_extensions",
  EsmtpCapabilities: "(the `(extensions, auth_methods)` tuple of `parse_esmtp_extensions`)",
  extractRecipients: "aiosmtplib.email.extract_recipients",
  extractSender: "aiosmtplib.email.extract_sender",
  flattenMessage: "aiosmtplib.email.flatten_message",
  parseAddress: "aiosmtplib.email.parse_address",
  quoteAddress: "aiosmtplib.email.quote_address",
  FlattenMessageOptions: "(keyword arguments of `aiosmtplib.email.flatten_message`)",
};

/** The Python column for `name`: recorded, or marked as not yet recorded. */
export function pythonNameOf(name: string): string {
  return PYTHON_NAMES[name] ?? "— (mailport only)";
}

/** A dotted Python name that Python 3.11 can import (not a note in parentheses, not aiosmtplib). */
export function isCheckableEmailName(python: string): boolean {
  return /^email(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(python);
}

function cell(python: string): string {
  if (python.startsWith("(") || python.startsWith("—")) return python.replace(/^\((.*)\)$/, "$1");
  return `\`${python}\``;
}

/** The section a root export belongs to in the table. */
function section(python: string): string {
  if (python.includes("aiosmtplib")) return "The SMTP client (aiosmtplib)";
  if (python.startsWith("—") && !python.includes("limit")) return "mailport only";
  return "Messages (Python's email package)";
}

/** Whether an export has no Python counterpart, and so neither have its members. */
function isMailportOnly(owner: string): boolean {
  return pythonNameOf(owner).startsWith("—");
}

/**
 * Whether an export's members stand for keyword arguments (`SetContentOptions`,
 * `AddressInit` ...), not attributes; `ResolvedSMTPOptions` is the settings a client keeps.
 */
export function isKeywordOwner(owner: string): boolean {
  return /(Options|Init)$/.test(owner) && !owner.startsWith("Resolved");
}

/** The mechanical Python form of a camelCase name: `getContentType` becomes `get_content_type`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** What a member ports: a Python attribute or keyword name, Python code, an explanation, or nothing. */
export type MemberPython =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "code"; readonly text: string }
  | { readonly kind: "note"; readonly text: string }
  | { readonly kind: "none" };

/** The key of a member in {@link MEMBER_PYTHON_NAMES}. */
export function memberKey(member: Pick<PublicMember, "owner" | "name" | "isStatic">): string {
  return `${member.owner}.${member.isStatic ? "static " : ""}${member.name}`;
}

/** The Python a member ports: recorded, else nothing for a mailport-only export, else the snake_case name. */
export function memberPythonOf(member: PublicMember): MemberPython {
  const recorded = MEMBER_PYTHON_NAMES[memberKey(member)];
  if (recorded === undefined) {
    return isMailportOnly(member.owner) ? { kind: "none" } : { kind: "name", name: snakeCase(member.name) };
  }
  if (recorded.startsWith("—")) return { kind: "none" };
  if (recorded.startsWith("`")) return { kind: "code", text: recorded };
  if (recorded.startsWith("(")) return { kind: "note", text: recorded.slice(1, -1) };
  return { kind: "name", name: recorded };
}

function memberCells(member: PublicMember): [string, string] {
  const call = member.kind === "method" ? "()" : "";
  const mailport = `\`${member.isStatic ? "static " : ""}${member.name}${call}\``;
  const python = memberPythonOf(member);
  switch (python.kind) {
    case "name":
      return [mailport, `\`${python.name}${isKeywordOwner(member.owner) ? "=" : call}\``];
    case "code":
    case "note":
      return [mailport, python.text.replace(/\|/g, "\\|")];
    case "none":
      return [mailport, "— (mailport only)"];
  }
}

/** The heading of an export's member table, as the page writes it. */
export function memberHeading(owner: string): string {
  return `### \`${owner}\``;
}

function renderMembers(members: readonly PublicMember[]): string[] {
  const lines = [
    "## Members and options",
    "",
    "Every public method, property and option of the classes and types above, generated from",
    "their declarations; a test checks that none is missing. A member is listed under the",
    "class or type that introduces it (an override is not listed again). Options objects",
    "stand for keyword arguments, shown as `name=`. The Python name is the snake_case form",
    "of the mailport name unless recorded otherwise; the email package's names are checked",
    "against Python 3.11. \"— (mailport only)\" marks an addition with no Python counterpart.",
    "",
  ];
  const byOwner = new Map<string, PublicMember[]>();
  for (const member of members) byOwner.set(member.owner, [...(byOwner.get(member.owner) ?? []), member]);
  for (const [owner, owned] of byOwner) {
    const bases = basesOf(owner);
    const also = bases.length > 0 ? ` Also has the ${isKeywordOwner(owner) ? "options" : "members"} of ${bases.map((base) => `\`${base}\``).join(", ")}.` : "";
    lines.push(memberHeading(owner), "", `Python: ${cell(pythonNameOf(owner))}.${also}`, "", "| mailport | Python |", "|---|---|");
    for (const member of owned) lines.push(`| ${memberCells(member).join(" | ")} |`);
    lines.push("");
  }
  return lines;
}

/** Idioms that no member row shows on its own. */
const IDIOMS: ReadonlyArray<readonly [string, string, string]> = [
  ["`msg[name]`", "`msg.get(name)`", "the first value, as text"],
  ["`msg[name] = value`", "`msg.append(name, value)`", "adds a header, as Python's assignment does"],
  ["`del msg[name]; msg[name] = value`", "`msg.set(name, value)`", "replaces every header of that name"],
  ["`del msg[name]`", "`msg.delete(name)`", ""],
  ["`name in msg`", "`msg.has(name)`", ""],
  ["`len(msg)`", "`msg.length`", ""],
  ["`str(msg)`, `bytes(msg)`", "`String(msg)`, `msg.asBytes()`", "`String(msg)` is `msg.asString()`, headers as the policy says (Python's `str()` of an `EmailMessage` writes UTF-8 headers)"],
  ["`f(x, key=value)`", "`f(x, { key: value })`", "keyword arguments become one options object, as in `policy.clone({ ... })`"],
  ["`msg.get_payload(i=..., decode=...)`", "`msg.getPayload({ i, decode })`", ""],
  ["`for part in msg.walk():`", "`for (const part of msg.walk())`", "`walk`, `iterParts` and `iterAttachments` are generators"],
  ["`max_line_length=None` (no folding)", "`maxLineLength: Infinity`", ""],
  ["`Address(display_name, username, domain, addr_spec)`", "`new Address({ displayName, username, domain, addrSpec })`", ""],
  ["`async with SMTP(...) as smtp:`", "`await using smtp = new SMTP(...)`", "`SMTP` is `AsyncDisposable`"],
  ["`timeout=` (seconds)", "`timeout` (seconds) and `signal` (an `AbortSignal`)", "see timeouts.md"],
  ["`SMTPStatus.completed` (an `IntEnum`)", "`SMTPStatus.completed` (a number)", ""],
  ["`errors, response = await send(...)`", "`const { errors, response } = await send(...)`", "tuples become named objects"],
];

/** The markdown of docs/python-to-typescript.md. */
export function renderNameTable(exports: readonly RootExport[] = rootExports(), members: readonly PublicMember[] = publicMembers()): string {
  const lines = [
    "# Python to TypeScript: every ported name",
    "",
    "<!-- Generated by `npm run docs:names` (tests/docs/python-names.ts) from the declarations of src/index.ts; do not edit by hand. -->",
    "",
    "mailport ports Python's `email` package and `aiosmtplib`. The naming rule: Python names",
    "become camelCase (`set_content` becomes `setContent`, `use_tls` becomes `useTls`),",
    "keyword arguments become one options object, tuples become named objects (or small",
    "arrays where Python code unpacks them), and classes, including every exception class,",
    "keep their Python names. Everything is imported from `\"mailport\"`.",
    "",
    "The first tables list every name mailport exports, generated from its entry point, with",
    "the Python name it ports. Names in the second column that are not in code font describe",
    "what a TypeScript type stands for in Python. Then come the idioms that do not follow",
    "from the rule alone, and every public member and option of the exported classes and types.",
    "",
  ];
  const groups = new Map<string, RootExport[]>();
  for (const item of exports) {
    const key = section(pythonNameOf(item.name));
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const title of ["Messages (Python's email package)", "The SMTP client (aiosmtplib)", "mailport only"]) {
    const items = groups.get(title);
    if (!items?.length) continue;
    lines.push(`## ${title}`, "");
    if (title === "mailport only") {
      lines.push("These have no Python counterpart.", "");
      lines.push("| mailport | kind | What it is |", "|---|---|---|");
      for (const item of items) lines.push(`| \`${item.name}\` | ${item.kind} | ${item.summary || "—"} |`);
    } else {
      lines.push("| mailport | kind | Python |", "|---|---|---|");
      for (const item of items) lines.push(`| \`${item.name}\` | ${item.kind} | ${cell(pythonNameOf(item.name))} |`);
    }
    lines.push("");
  }
  lines.push("## Idioms", "", "| Python | mailport | Note |", "|---|---|---|");
  for (const [python, mailport, note] of IDIOMS) lines.push(`| ${python} | ${mailport} | ${note} |`);
  lines.push("");
  lines.push(...renderMembers(members));
  lines.push("Where mailport behaves differently from Python on purpose, see [divergences.md](divergences.md).", "");
  return lines.join("\n");
}

/** Where the table is written. */
export const TABLE_FILE = path.join(ROOT, "docs/python-to-typescript.md");

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(TABLE_FILE, renderNameTable());
  process.stdout.write(`wrote ${path.relative(ROOT, TABLE_FILE)}\n`);
}
