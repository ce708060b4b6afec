/**
 * mailport: compose and send email from TypeScript. A port of Python's `email`
 * package (messages, headers, policies, MIME) and of `aiosmtplib` (the SMTP client).
 *
 * @packageDocumentation
 */
export { Message, MIMEPart, EmailMessage } from "./email/message.js";
export type { HeaderValue, Payload, SerializeOptions, ParamOptions, SetParamOptions } from "./email/message.js";
export {
  Policy,
  EmailPolicy,
  Compat32,
  policy,
  defaultPolicy,
  SMTP as SMTPPolicy,
  SMTPUTF8 as SMTPUTF8Policy,
  HTTP as HTTPPolicy,
  strict as strictPolicy,
  compat32,
} from "./email/policy.js";
export type { PolicyOptions, ResolvedPolicyOptions, HeaderFactory, StoredHeaderValue, DefectHolder } from "./email/policy.js";
export type { ParamValue } from "./email/params.js";
export { ContentManager, rawDataManager } from "./email/contentmanager.js";
export type {
  SetContentOptions,
  GetContentOptions,
  ContentTransferEncoding,
  Content,
  GetHandler,
  SetHandler,
  ContentKind,
} from "./email/contentmanager.js";
export { Generator, BytesGenerator } from "./email/generator.js";
export type { GeneratorOptions, FlattenOptions } from "./email/generator.js";
export {
  MIMEBase,
  MIMENonMultipart,
  MIMEMultipart,
  MIMEText,
  MIMEApplication,
  MIMEImage,
  MIMEAudio,
  MIMEMessage,
} from "./email/mime.js";
export type { MIMEOptions, MIMEEncodedOptions } from "./email/mime.js";
export { encodeBase64, encodeQuopri, encode7or8bit, encodeNoop } from "./email/encoders.js";
export type { Encoder } from "./email/encoders.js";
export * from "./email/errors.js";
export {
  Address,
  Group,
  HeaderRegistry,
  TypedHeader,
  UnstructuredHeader,
  UniqueUnstructuredHeader,
  DateHeader,
  UniqueDateHeader,
  AddressHeader,
  UniqueAddressHeader,
  SingleAddressHeader,
  UniqueSingleAddressHeader,
  MIMEVersionHeader,
  ParameterizedMIMEHeader,
  ContentTypeHeader,
  ContentDispositionHeader,
  ContentTransferEncodingHeader,
  MessageIDHeader,
} from "./email/headerregistry.js";
export type { AddressInit, GroupInit, HeaderInput, BaseHeader, HeaderClass, HeaderRegistryOptions } from "./email/headerregistry.js";
export { Header, decodeHeader, makeHeader } from "./email/header.js";
export type { HeaderOptions, HeaderEncodeOptions, MakeHeaderOptions, DecodedChunk, HeaderErrors } from "./email/header.js";
export { RawHeaderValue } from "./email/rawheader.js";
export { Charset, addCharset, addAlias, addCodec, canonicalCharsetName, isKnownCharset, encodeText, decodeBytes } from "./email/charset.js";
export type { HeaderEncoding, BodyEncoding } from "./email/charset.js";
export {
  formatAddr,
  parseAddr,
  getAddresses,
  formatDate,
  formatDatetime,
  parseDateToDatetime,
  makeMsgid,
  localtime,
  quote,
  unquote,
  encodeRfc2231,
  decodeRfc2231,
  collapseRfc2231Value,
  decodeParams,
} from "./email/utils.js";
export type { AddressPair, Rfc2231Value, DecodedParam, ParsedDate } from "./email/utils.js";
export { parseDate, formatDateWithOffset } from "./email/dates.js";
export {
  messageFromBytes,
  messageFromString,
  BytesParser,
  Parser,
  BytesHeaderParser,
  HeaderParser,
  BytesFeedParser,
  FeedParser,
  MAX_NESTING_DEPTH,
} from "./email/parser.js";
export type { ParseOptions, ParserOptions, ParseCallOptions, FeedParserOptions, ParsedMessage } from "./email/parser.js";

export {
  EmailValidationError,
  EMAIL_INIT_FIELDS,
  KNOWN_EXTENSIONS,
  emailFromObject,
  emailFromObjectAsync,
  guessContentType,
  isEmailInit,
  unknownEmailInitFields,
  validateEmailInit,
} from "./email/fromobject.js";
export type {
  EmailInit,
  EmailAddressInit,
  EmailAddressListInit,
  EmailAttachmentInit,
  EmailHeadersInit,
  AttachmentContent,
} from "./email/fromobject.js";

// The SMTP client (aiosmtplib).
export * from "./smtp/index.js";
