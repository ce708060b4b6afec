/**
 * The Python names of mailport's members and options where the mechanical rule
 * (camelCase back to snake_case) does not give them, and where to look them up in Python
 * 3.11 to check them. python-names.ts renders them into docs/python-to-typescript.md.
 */

/**
 * What a member ports, by `Owner.member` (`Owner.static member` for a static one), where
 * the rule does not say. A plain name is a Python attribute, method or keyword argument
 * (checked against Python when its owner has {@link PYTHON_LOOKUP} targets); text in
 * backticks is Python code; text in parentheses explains; `—` marks a mailport addition.
 * Every member of an export with no Python counterpart is an addition without a row here.
 */
export const MEMBER_PYTHON_NAMES: Readonly<Record<string, string>> = {
  // email.message
  "Message.toString": "`str(msg)`",
  "Message.copy": "(`copy.copy(msg)`)",
  "Message.length": "`len(msg)`",
  "Message.getHeader": "(`msg[name]` under a modern policy: a header object)",
  "Message.getAllHeaders": "(`msg.get_all(name)` under a modern policy: header objects)",
  "Message.has": "`name in msg`",
  "Message.append": "`msg[name] = value`",
  "Message.set": "`del msg[name]; msg[name] = value`",
  "Message.delete": "`del msg[name]`",
  "Message.[Symbol.iterator]": "`iter(msg)`",
  "EmailMessage.static fromObject": "—",
  "EmailMessage.static fromObjectAsync": "—",
  "SerializeOptions.maxHeaderLength": "maxheaderlen",
  // email.policy
  "Policy.mangleFrom": "mangle_from_",
  "Policy.isModern": "—",
  "Policy.verifyGeneratedHeaders": "(`verify_generated_headers`, Python 3.13)",
  "PolicyOptions.verifyGeneratedHeaders": "(`verify_generated_headers=`, Python 3.13)",
  "PolicyOptions.mangleFrom": "mangle_from_",
  // email.generator
  "GeneratorOptions.mangleFrom": "mangle_from_",
  "GeneratorOptions.maxHeaderLength": "maxheaderlen",
  // email.mime
  "MIMEOptions.params": "(`**_params`)",
  "MIMEEncodedOptions.encoder": "_encoder",
  // email.headerregistry
  "Address.toString": "`str(address)`",
  "Address.equals": "`address == other`",
  "Group.toString": "`str(group)`",
  "Group.equals": "`group == other`",
  "HeaderRegistry.classFor": "`registry[name]`",
  "HeaderRegistry.create": "`registry(name, value)`",
  "TypedHeader.toString": "`str(header)`",
  "DateHeader.utcOffset": "(`header.datetime.utcoffset()`)",
  "BaseHeader.toString": "`str(header)`",
  // email.header
  "Header.toString": "`str(header)`",
  "Header.equals": "`header == other`",
  "HeaderOptions.maxLineLength": "maxlinelen",
  "HeaderEncodeOptions.maxLineLength": "maxlinelen",
  "MakeHeaderOptions.maxLineLength": "maxlinelen",
  "RawHeaderValue.bytes": "—",
  "RawHeaderValue.toString": "—",
  "RawHeaderValue.static needed": "—",
  // email.charset
  "Charset.encodeBody": "(`text.encode(charset.output_codec)`)",
  "Charset.toString": "`str(charset)`",
  "Charset.equals": "`charset == other`",
  // email.utils
  "ParsedDate.date": "(the first nine items of the `parsedate_tz` tuple, as a date)",
  "ParsedDate.utcOffset": "(the tenth item: the offset from UTC in seconds)",
  // email.parser
  "BytesParser.policy": "(`parser.parser.policy`: the policy of the `Parser` it wraps)",
  "ParseOptions.headersOnly": "headersonly",
  "ParseCallOptions.headersOnly": "headersonly",
  // aiosmtplib
  "SMTP.options": "(the attributes `hostname`, `port`, `use_tls` ... the client keeps its settings in)",
  "SMTP.isTls": "—",
  "SMTP.bdat": "—",
  "SMTP.authCramMd5": "auth_crammd5",
  "SMTP.send": "—",
  "SMTP.[Symbol.asyncDispose]": "(`__aexit__`: the end of `async with`)",
  "SMTP.static connect": "—",
  "CallOptions.signal": "—",
  "ConnectOptions.signal": "—",
  "ResolvedSMTPOptions.username": "(`_login_username`, private)",
  "ResolvedSMTPOptions.password": "(`_login_password`, private)",
  "ResolvedSMTPOptions.oauthTokenGenerator": "(private)",
  "ResolvedSMTPOptions.startTls": "(`_start_tls_on_connect`, private)",
  "ResolvedSMTPOptions.dsn": "—",
  "ResolvedSMTPOptions.hooks": "—",
  "ResolvedSMTPOptions.logLevel": "—",
  "ResolvedSMTPOptions.logger": "—",
  "ResolvedSMTPOptions.chunking": "—",
  "SMTPOptions.dsn": "—",
  "SMTPOptions.hooks": "—",
  "SMTPOptions.logLevel": "—",
  "SMTPOptions.logger": "—",
  "SMTPOptions.chunking": "—",
  "SendmailOptions.dsn": "—",
  "SendOptions.signal": "—",
  "SendResult.errors": "(the first item of the tuple)",
  "SendResult.response": "(the second item of the tuple)",
  "SendResult.accepted": "—",
  "SendResult.rejected": "—",
  "SendResult.envelope": "—",
  "SendResult.messageId": "—",
  "SendResult.messageSize": "—",
  "SendResult.envelopeTime": "—",
  "SendResult.messageTime": "—",
  "SMTPResponse.toString": "`str(response)`",
  "SMTPResponseException.command": "—",
  "SMTPResponseException.response": "—",
  "EsmtpCapabilities.extensions": "(the first item of the tuple)",
  "EsmtpCapabilities.authMethods": "(the second item of the tuple)",
};

/**
 * Where the Python names of an export's members are looked up, by export: Python
 * expressions (evaluated after importing the email package's modules) whose attribute,
 * or whose call's keyword argument, each member's Python name must be. An export whose
 * Python name is a dotted `email.` name is looked up there too.
 */
export const PYTHON_LOOKUP: Readonly<Record<string, readonly string[]>> = {
  Message: ["email.message.Message()"],
  SerializeOptions: ["email.message.Message.as_string", "email.message.Message.as_bytes"],
  ParamOptions: ["email.message.Message.get_param", "email.message.Message.get_params", "email.message.Message.del_param"],
  SetParamOptions: ["email.message.Message.set_param"],
  Policy: ["email.policy.default"],
  PolicyOptions: ["email.policy.default"],
  SetContentOptions: [
    "email.contentmanager.set_text_content",
    "email.contentmanager.set_bytes_content",
    "email.contentmanager.set_message_content",
  ],
  GetContentOptions: ["email.contentmanager.get_text_content"],
  GeneratorOptions: ["email.generator.Generator"],
  FlattenOptions: ["email.generator.Generator.flatten"],
  MIMEOptions: ["email.mime.base.MIMEBase"],
  MIMEEncodedOptions: ["email.mime.application.MIMEApplication"],
  TypedHeader: ["email.headerregistry.BaseHeader", "email.policy.default.header_factory('Subject', 'x')"],
  AddressInit: ["email.headerregistry.Address"],
  GroupInit: ["email.headerregistry.Group"],
  BaseHeader: ["email.headerregistry.BaseHeader", "email.policy.default.header_factory('Subject', 'x')"],
  HeaderRegistryOptions: ["email.headerregistry.HeaderRegistry"],
  HeaderOptions: ["email.header.Header"],
  HeaderEncodeOptions: ["email.header.Header.encode"],
  MakeHeaderOptions: ["email.header.make_header"],
  Charset: ["email.charset.Charset()"],
  BytesParser: ["email.parser.BytesParser()"],
  Parser: ["email.parser.Parser()"],
  BytesFeedParser: ["email.feedparser.BytesFeedParser()"],
  FeedParser: ["email.feedparser.FeedParser()"],
  ParseOptions: ["email.parser.Parser", "email.parser.BytesParser.parse"],
  ParserOptions: ["email.parser.Parser"],
  ParseCallOptions: ["email.parser.Parser.parse"],
  NonPrintableDefect: ["email.errors.NonPrintableDefect('x')"],
};
