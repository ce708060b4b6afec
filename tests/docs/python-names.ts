/**
 * The Python-to-TypeScript name table (docs/python-to-typescript.md), generated from what
 * src/index.ts really exports (read with the TypeScript compiler) and the Python name
 * each export ports, recorded below.
 *
 * Regenerate the page after changing the exports or the table:
 *
 *     npx tsx tests/docs/python-names.ts
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** One root export of mailport. */
export interface RootExport {
  readonly name: string;
  readonly kind: "class" | "function" | "type" | "constant";
  /** The first sentence of its TSDoc. */
  readonly summary: string;
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

/** Every name src/index.ts exports, values and types, in declaration order. */
export function rootExports(): RootExport[] {
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
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const kind: RootExport["kind"] =
      target.flags & ts.SymbolFlags.Class
        ? "class"
        : target.flags & ts.SymbolFlags.Function
          ? "function"
          : target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)
            ? "type"
            : "constant";
    const summary = firstSentence(ts.displayPartsToString(target.getDocumentationComment(checker)));
    return { name: symbol.name, kind, summary };
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

/** Methods and attributes: snake_case names become camelCase, with these exceptions. */
const MEMBER_NAMES: ReadonlyArray<readonly [string, string, string]> = [
  ["`msg[name]`, `msg.get(name)`", "`msg.get(name)`", "the first value, as text"],
  ["`msg.get_all(name)`", "`msg.getAll(name)`", ""],
  ["`msg[name] = value`", "`msg.append(name, value)`", "adds a header, as Python's assignment does"],
  ["`del msg[name]; msg[name] = value`", "`msg.set(name, value)`", "replaces every header of that name"],
  ["`del msg[name]`", "`msg.delete(name)`", ""],
  ["`name in msg`", "`msg.has(name)`", ""],
  ["`len(msg)`", "`msg.length`", ""],
  ["`msg.keys()`, `values()`, `items()`", "`msg.keys()`, `values()`, `items()`", ""],
  ["`msg.as_string()`, `msg.as_bytes()`, `str(msg)`, `bytes(msg)`", "`msg.asString()`, `msg.asBytes()`, `String(msg)`", ""],
  ["`msg.set_content(...)`, `get_content()`", "`msg.setContent(...)`, `getContent()`", "keyword arguments become an options object"],
  ["`msg.add_alternative`, `add_related`, `add_attachment`", "`msg.addAlternative`, `addRelated`, `addAttachment`", ""],
  ["`msg.get_body(preferencelist=...)`", "`msg.getBody([...])`", ""],
  ["`msg.iter_attachments()`, `iter_parts()`, `walk()`", "`msg.iterAttachments()`, `iterParts()`, `walk()`", "generators"],
  ["`msg.get_content_type()`, `get_param`, `set_param`, `get_filename`, `get_boundary`", "`msg.getContentType()`, `getParam`, `setParam`, `getFilename`, `getBoundary`", ""],
  ["`msg.get_payload(i=..., decode=...)`, `set_payload`, `attach`", "`msg.getPayload({ i, decode })`, `setPayload`, `attach`", ""],
  ["`msg.defects`", "`msg.defects`", ""],
  ["`policy.clone(**kw)`", "`policy.clone({ ... })`", ""],
  ["`max_line_length=None` (no folding)", "`maxLineLength: Infinity`", ""],
  ["`Address(display_name, username, domain, addr_spec)`", "`new Address({ displayName, username, domain, addrSpec })`", ""],
  ["`header.addresses`, `groups`, `params`, `datetime`", "`header.addresses`, `groups`, `params`, `datetime`", ""],
  ["`async with SMTP(...) as smtp:`", "`await using smtp = new SMTP(...)`", "`SMTP` is `AsyncDisposable`"],
  ["`await smtp.connect(**kw)`, `quit()`, `close()`", "`await smtp.connect({ ... })`, `quit()`, `close()`", ""],
  ["`smtp.send_message(msg, sender=..., recipients=...)`", "`smtp.sendMessage(msg, { sender, recipients })`", ""],
  ["`smtp.sendmail(sender, recipients, message)`", "`smtp.sendmail(sender, recipients, message)`", ""],
  ["`smtp.ehlo()`, `helo()`, `mail()`, `rcpt()`, `data()`, `rset()`, `noop()`, `vrfy()`, `expn()`, `help()`, `starttls()`, `login()`", "the same names", ""],
  ["`smtp.auth_crammd5`, `auth_plain`, `auth_login`, `auth_xoauth2`", "`smtp.authCramMd5`, `authPlain`, `authLogin`, `authXoauth2`", ""],
  ["`smtp.execute_command(*args)`", "`smtp.executeCommand(...args)`", ""],
  ["`smtp.is_connected`, `esmtp_extensions`, `server_auth_methods`, `supports_extension()`", "`smtp.isConnected`, `esmtpExtensions`, `serverAuthMethods`, `supportsExtension()`", ""],
  ["`hostname=`, `port=`, `use_tls=`, `start_tls=`, `validate_certs=`, `cert_bundle=`, `client_cert=`, `client_key=`, `tls_context=`, `local_hostname=`, `source_address=`, `socket_path=`, `sock=`, `oauth_token_generator=`", "`hostname`, `port`, `useTls`, `startTls`, `validateCerts`, `certBundle`, `clientCert`, `clientKey`, `tlsContext`, `localHostname`, `sourceAddress`, `socketPath`, `sock`, `oauthTokenGenerator`", "options of `SMTP` and `send()`"],
  ["`timeout=` (seconds)", "`timeout` (seconds) and `signal` (an `AbortSignal`)", "see timeouts.md"],
  ["`SMTPStatus.completed` (an `IntEnum`)", "`SMTPStatus.completed` (a number)", ""],
  ["`response.code`, `response.message`, `str(response)`", "`response.code`, `response.message`, `String(response)`", ""],
  ["`error.code`, `error.message`, `error.recipients`, `error.sender`, `error.recipient`", "the same names", ""],
];

/** The markdown of docs/python-to-typescript.md. */
export function renderNameTable(exports: readonly RootExport[] = rootExports()): string {
  const lines = [
    "# Python to TypeScript: every ported name",
    "",
    "<!-- Generated by `npx tsx tests/docs/python-names.ts` from the exports of src/index.ts; do not edit by hand. -->",
    "",
    "mailport ports Python's `email` package and `aiosmtplib`. The naming rule: Python names",
    "become camelCase (`set_content` becomes `setContent`, `use_tls` becomes `useTls`),",
    "keyword arguments become one options object, tuples become named objects (or small",
    "arrays where Python code unpacks them), and classes, including every exception class,",
    "keep their Python names. Everything is imported from `\"mailport\"`.",
    "",
    "The first table lists every name mailport exports, generated from its entry point, with",
    "the Python name it ports; a test checks that no export is missing. Names in the second",
    "column that are not in code font describe what a TypeScript type stands for in Python.",
    "The second table shows the methods and idioms that do not follow from the rule alone.",
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
  lines.push("## Methods and idioms", "", "| Python | mailport | Note |", "|---|---|---|");
  for (const [python, mailport, note] of MEMBER_NAMES) lines.push(`| ${python} | ${mailport} | ${note} |`);
  lines.push("");
  lines.push("Where mailport behaves differently from Python on purpose, see [divergences.md](divergences.md).", "");
  return lines.join("\n");
}

/** Where the table is written. */
export const TABLE_FILE = path.join(ROOT, "docs/python-to-typescript.md");

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(TABLE_FILE, renderNameTable());
  process.stdout.write(`wrote ${path.relative(ROOT, TABLE_FILE)}\n`);
}
