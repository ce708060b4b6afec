/**
 * Messages described as plain objects ({@link EmailInit}), as transactional-mail SDKs take
 * them: checking the object, and building the {@link EmailMessage} it describes with the
 * same calls a Python user would make (`set_content`, `add_alternative`, `add_related`,
 * `add_attachment`).
 *
 * The structure built, from the outside in:
 * - `multipart/mixed` when there are attachments (other than inline images of the html),
 * - `multipart/alternative` holding text then html when both are given,
 * - `multipart/related` holding the html then its inline parts (attachments with a
 *   `contentId` and `disposition: "inline"`) when there are any.
 * Each level exists only when needed: text alone is a single `text/plain` message.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { MessageError } from "./errors.js";
import { Address } from "./headerregistry.js";
import { EmailMessage, type MIMEPart } from "./message.js";
import { getAddresses } from "./utils.js";

/** An address: `"Ada <ada@example.com>"`, a bare `"ada@example.com"`, or `{ email, name }`. */
export type EmailAddressInit = string | { readonly email: string; readonly name?: string | undefined };

/** One address or several. */
export type EmailAddressListInit = EmailAddressInit | readonly EmailAddressInit[];

/** Extra headers: a record of name to value, or a list of `{ name, value }` (kept in order, repeats allowed). */
export type EmailHeadersInit =
  | Readonly<Record<string, string>>
  | ReadonlyArray<{ readonly name: string; readonly value: string }>;

/** The content of an attachment: text, bytes, or a `Blob`. */
export type AttachmentContent = string | Uint8Array | ArrayBuffer | Blob;

/** An attachment, or an inline part of the html (with `contentId` and `disposition: "inline"`). */
export interface EmailAttachmentInit {
  /** The file name shown to the reader (the `filename` parameter of Content-Disposition). */
  readonly filename: string;
  /** The content; a string is the content itself unless `contentEncoding` is `"base64"`. */
  readonly content?: AttachmentContent | undefined;
  /** How a string `content` is given: `"raw"` (default) or `"base64"`. */
  readonly contentEncoding?: "raw" | "base64" | undefined;
  /** A file to read the content from, when there is no `content`. */
  readonly path?: string | undefined;
  /** `type/subtype`; default guessed from `filename` (see {@link guessContentType}). */
  readonly contentType?: string | undefined;
  /** The Content-ID the html refers to (`cid:logo`); angle brackets are added when missing. */
  readonly contentId?: string | undefined;
  /** Default `"inline"` when there is a `contentId`, else `"attachment"`. */
  readonly disposition?: "attachment" | "inline" | undefined;
}

/** A message as a plain object. */
export interface EmailInit {
  /** The author (the From header and the envelope sender); an array must hold exactly one address. */
  readonly from: EmailAddressInit | readonly [EmailAddressInit];
  /** The To recipients; may be empty when there are Cc or Bcc recipients. */
  readonly to: EmailAddressListInit;
  readonly subject: string;
  /** The plain text body. At least one of `text` and `html` is needed. */
  readonly text?: string | undefined;
  /** The html body. */
  readonly html?: string | undefined;
  readonly cc?: EmailAddressListInit | undefined;
  /** Recipients that get the message without being named in it (no Bcc header is sent). */
  readonly bcc?: EmailAddressListInit | undefined;
  readonly replyTo?: EmailAddressListInit | undefined;
  /** Extra headers, appended after the others. Content-* and MIME-Version are refused. */
  readonly headers?: EmailHeadersInit | undefined;
  readonly attachments?: readonly EmailAttachmentInit[] | undefined;
}

/**
 * An {@link EmailInit} that cannot make a message. `code` is always `"validation_error"`.
 * Thrown before anything is sent.
 */
export class EmailValidationError extends MessageError {
  override name = "EmailValidationError";
  /** Always `"validation_error"`. */
  readonly code = "validation_error" as const;
}

/** The fields an {@link EmailInit} may have. */
export const EMAIL_INIT_FIELDS: readonly string[] = Object.freeze([
  "from",
  "to",
  "subject",
  "text",
  "html",
  "cc",
  "bcc",
  "replyTo",
  "headers",
  "attachments",
]);

/**
 * The fields of `init` that an {@link EmailInit} does not have (`tags`, `metadata` ...),
 * in the object's order. Other SDKs take some of these; mailport refuses them rather than
 * dropping them silently.
 */
export function unknownEmailInitFields(init: object): string[] {
  return Object.keys(init).filter((key) => !EMAIL_INIT_FIELDS.includes(key));
}

/**
 * Whether `value` is a plain object to be read as an {@link EmailInit} (and not a message
 * object, a string or bytes).
 */
export function isEmailInit(value: unknown): value is EmailInit {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// -----------------------------------------------------------------------------------------
// Content types

/**
 * The file name extensions {@link guessContentType} knows, each with the type Python's
 * built-in `mimetypes` table gives it, except three that Python 3.11 gets wrong or lacks:
 * `js` is `text/javascript` (RFC 9239; Python 3.12 agrees), `ics` is `text/calendar`
 * (RFC 5545, section 8.1) and `gz` is `application/gzip` (RFC 6713).
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  txt: "text/plain",
  htm: "text/html",
  html: "text/html",
  css: "text/css",
  csv: "text/csv",
  ics: "text/calendar",
  js: "text/javascript",
  json: "application/json",
  xml: "text/xml",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  webp: "image/webp",
  ico: "image/vnd.microsoft.icon",
  tif: "image/tiff",
  tiff: "image/tiff",
  mp3: "audio/mpeg",
  wav: "audio/x-wav",
  mp4: "video/mp4",
  mpeg: "video/mpeg",
});

/** The extensions {@link guessContentType} knows (lower case, without the dot). */
export const KNOWN_EXTENSIONS: readonly string[] = Object.freeze(Object.keys(CONTENT_TYPES));

/**
 * The content type of a file, from its name's extension (case-insensitive), with Python's
 * `mimetypes` answers for a small built-in table: txt, htm, html, css, csv, ics, js, json,
 * xml, pdf, zip, gz, doc, xls, ppt, png, jpg, jpeg, gif, bmp, svg, webp, ico, tif, tiff,
 * mp3, wav, mp4, mpeg (for ics, js and gz, the RFCs' types; Python 3.11 has none for ics
 * and gz, and application/javascript for js). Anything else is `application/octet-stream`.
 *
 * @example
 * guessContentType("Report.PDF") // "application/pdf"
 */
export function guessContentType(filename: string): string {
  const dot = filename.lastIndexOf(".");
  if (dot < 0) return "application/octet-stream";
  return CONTENT_TYPES[filename.slice(dot + 1).toLowerCase()] ?? "application/octet-stream";
}

// -----------------------------------------------------------------------------------------
// Validation

const CONTENT_TYPE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\/([!#$%&'*+.^_`|~0-9A-Za-z-]+)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fail(message: string): never {
  throw new EmailValidationError(message);
}

function addressList(value: EmailAddressListInit | undefined): EmailAddressInit[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...(value as readonly EmailAddressInit[])] : [value as EmailAddressInit];
}

/** The address as a header value, checked. */
function addressText(address: unknown, field: string): string {
  if (typeof address === "string") {
    const parsed = getAddresses([address]);
    if (parsed.length === 0 || parsed.some(([, spec]) => spec === "" || !spec.includes("@"))) {
      fail(`Invalid ${field} address ${JSON.stringify(address)}.`);
    }
    return address.trim();
  }
  if (typeof address !== "object" || address === null || typeof (address as { email?: unknown }).email !== "string") {
    fail(`Each ${field} address must be a string or { email, name }.`);
  }
  const { email, name } = address as { email: string; name?: unknown };
  if (name !== undefined && typeof name !== "string") fail(`The name of ${field} address ${JSON.stringify(email)} must be a string.`);
  try {
    return new Address({ displayName: name ?? "", addrSpec: email }).toString();
  } catch (error) {
    throw new EmailValidationError(`Invalid ${field} address ${JSON.stringify(email)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function isBlank(address: unknown): boolean {
  return address === undefined || address === null || (typeof address === "string" && address.trim() === "");
}

function checkAttachment(attachment: unknown): asserts attachment is EmailAttachmentInit {
  if (typeof attachment !== "object" || attachment === null) fail("Each attachment must be an object.");
  const a = attachment as Record<string, unknown>;
  if (typeof a["filename"] !== "string" || a["filename"] === "") fail("Each attachment requires a filename.");
  const filename = a["filename"];
  const content = a["content"];
  if (content === undefined && a["path"] === undefined) fail(`Attachment "${filename}" requires content or path.`);
  if (
    content !== undefined &&
    typeof content !== "string" &&
    !(content instanceof Uint8Array) &&
    !(content instanceof ArrayBuffer) &&
    !(content instanceof Blob)
  ) {
    fail(`The content of attachment "${filename}" must be a string, a Uint8Array, an ArrayBuffer or a Blob.`);
  }
  if (a["path"] !== undefined && (typeof a["path"] !== "string" || a["path"] === "")) {
    fail(`The path of attachment "${filename}" must be a file path.`);
  }
  const encoding = a["contentEncoding"];
  if (encoding !== undefined && encoding !== "raw" && encoding !== "base64") {
    fail(`The contentEncoding of attachment "${filename}" must be "raw" or "base64".`);
  }
  if (encoding === "base64" && typeof content === "string" && !BASE64.test(content.replace(/\s+/g, ""))) {
    fail(`The content of attachment "${filename}" is not valid base64.`);
  }
  if (a["contentType"] !== undefined && (typeof a["contentType"] !== "string" || !CONTENT_TYPE.test(a["contentType"]))) {
    fail(`The contentType of attachment "${filename}" must be "type/subtype".`);
  }
  const type = (typeof a["contentType"] === "string" ? a["contentType"] : guessContentType(filename)).toLowerCase();
  if (type.startsWith("multipart/") || type.startsWith("message/")) {
    fail(`Attachment "${filename}" cannot be of type ${type}.`);
  }
  const contentId = a["contentId"];
  if (contentId !== undefined && (typeof contentId !== "string" || !/^<?[\x21-\x3b\x3d\x3f-\x7e]+>?$/.test(contentId))) {
    fail(`The contentId of attachment "${filename}" must be printable ASCII without spaces.`);
  }
  const disposition = a["disposition"];
  if (disposition !== undefined && disposition !== "attachment" && disposition !== "inline") {
    fail(`The disposition of attachment "${filename}" must be "attachment" or "inline".`);
  }
}

function headerEntries(headers: unknown): Array<{ name: string; value: string }> {
  if (headers === undefined || headers === null) return [];
  const entries: Array<{ name: unknown; value: unknown }> = Array.isArray(headers)
    ? (headers as Array<{ name: unknown; value: unknown }>).map((entry) =>
        typeof entry === "object" && entry !== null ? entry : { name: undefined, value: undefined },
      )
    : typeof headers === "object"
      ? Object.entries(headers as Record<string, unknown>).map(([name, value]) => ({ name, value }))
      : fail("The headers must be a record of name to value or an array of { name, value }.");
  return entries.map(({ name, value }) => {
    if (typeof name !== "string" || !/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      fail(`Invalid header name ${JSON.stringify(name)}.`);
    }
    if (typeof value !== "string") fail(`The value of header ${name} must be a string.`);
    if (/[\r\n\0]/.test(value)) fail(`The value of header ${name} cannot contain CR, LF or NUL.`);
    if (/^(content-|mime-version$)/i.test(name)) {
      fail(`The ${name} header is set from the message's content and cannot be given in headers.`);
    }
    return { name, value };
  });
}

/**
 * Checks an {@link EmailInit}, in this order, throwing the first problem found:
 * - `Email message requires a from address.`
 * - `Email message requires at least one recipient.` (To, Cc and Bcc together)
 * - `Email message requires a subject.` (a missing or empty subject)
 * - `Email message requires either html or text content.` (neither is a non-empty string)
 * - `Attachment "<filename>" requires content or path.`
 * then the shape of every value (addresses, headers, attachment options).
 * Files named by `path` are not read here.
 *
 * @throws EmailValidationError (`code` `"validation_error"`) for any problem, including
 *   fields an EmailInit does not have
 */
export function validateEmailInit(init: unknown): asserts init is EmailInit {
  if (typeof init !== "object" || init === null) fail("An email message must be an object.");
  const unknown = unknownEmailInitFields(init);
  if (unknown.length > 0) fail(`EmailMessage.fromObject does not support these fields: ${unknown.join(", ")}.`);
  const m = init as Record<string, unknown>;
  const from = m["from"];
  if (isBlank(from) || (Array.isArray(from) && from.length === 0)) fail("Email message requires a from address.");
  if (Array.isArray(from) && from.length > 1) fail("Email message takes a single from address.");
  const recipients = [m["to"], m["cc"], m["bcc"]].flatMap((value) => addressList(value as EmailAddressListInit));
  if (recipients.filter((address) => !isBlank(address)).length === 0) {
    fail("Email message requires at least one recipient.");
  }
  if (typeof m["subject"] !== "string" || m["subject"] === "") fail("Email message requires a subject.");
  if (/[\r\n\0]/.test(m["subject"])) fail("The subject cannot contain CR, LF or NUL.");
  const text = m["text"];
  const html = m["html"];
  if ((typeof text !== "string" || text === "") && (typeof html !== "string" || html === "")) {
    fail("Email message requires either html or text content.");
  }
  if (text !== undefined && typeof text !== "string") fail("The text content must be a string.");
  if (html !== undefined && typeof html !== "string") fail("The html content must be a string.");
  const attachments = m["attachments"];
  if (attachments !== undefined && !Array.isArray(attachments)) fail("The attachments must be an array.");
  for (const attachment of (attachments as unknown[] | undefined) ?? []) checkAttachment(attachment);
  // The shapes, once the contract's checks have passed.
  addressText(Array.isArray(from) ? from[0] : from, "from");
  for (const field of ["to", "cc", "bcc", "replyTo"] as const) {
    for (const address of addressList(m[field] as EmailAddressListInit)) {
      if (!isBlank(address)) addressText(address, field);
    }
  }
  headerEntries(m["headers"]);
}

// -----------------------------------------------------------------------------------------
// Building

/** The bytes or text of an attachment, once read. */
type ResolvedContent = string | Uint8Array;

function resolveInline(attachment: EmailAttachmentInit): ResolvedContent | undefined {
  const { content } = attachment;
  if (typeof content === "string") {
    return attachment.contentEncoding === "base64" ? new Uint8Array(Buffer.from(content, "base64")) : content;
  }
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content.slice(0));
  return undefined;
}

function readFailure(attachment: EmailAttachmentInit, error: unknown): EmailValidationError {
  return new EmailValidationError(
    `Attachment "${attachment.filename}" could not be read from ${attachment.path}: ${(error as Error).message}`,
    { cause: error },
  );
}

function resolveSync(attachment: EmailAttachmentInit): ResolvedContent {
  const inline = resolveInline(attachment);
  if (inline !== undefined) return inline;
  if (attachment.content instanceof Blob) {
    fail(`Attachment "${attachment.filename}" has Blob content, which can only be read asynchronously: use EmailMessage.fromObjectAsync.`);
  }
  try {
    return new Uint8Array(readFileSync(attachment.path as string));
  } catch (error) {
    throw readFailure(attachment, error);
  }
}

async function resolveAsync(attachment: EmailAttachmentInit): Promise<ResolvedContent> {
  const inline = resolveInline(attachment);
  if (inline !== undefined) return inline;
  if (attachment.content instanceof Blob) return new Uint8Array(await attachment.content.arrayBuffer());
  try {
    return new Uint8Array(await readFile(attachment.path as string));
  } catch (error) {
    throw readFailure(attachment, error);
  }
}

function addressHeader(value: EmailAddressListInit | undefined, field: string): string | undefined {
  const texts = addressList(value).filter((address) => !isBlank(address)).map((address) => addressText(address, field));
  return texts.length === 0 ? undefined : texts.join(", ");
}

function isInlineRelated(attachment: EmailAttachmentInit): boolean {
  return attachment.contentId !== undefined && (attachment.disposition ?? "inline") === "inline";
}

function addPart(
  add: (content: string | Uint8Array, options: Parameters<MIMEPart["addAttachment"]>[1]) => void,
  attachment: EmailAttachmentInit,
  content: ResolvedContent,
): void {
  const [maintype, subtype] = (attachment.contentType ?? guessContentType(attachment.filename)).toLowerCase().split("/") as [
    string,
    string,
  ];
  const disposition = attachment.disposition ?? (attachment.contentId !== undefined ? "inline" : "attachment");
  const cid =
    attachment.contentId === undefined
      ? undefined
      : attachment.contentId.startsWith("<")
        ? attachment.contentId
        : `<${attachment.contentId}>`;
  const common = { filename: attachment.filename, disposition, ...(cid !== undefined ? { cid } : {}) };
  if (typeof content === "string" && maintype === "text") {
    add(content, { subtype, ...common });
  } else {
    add(typeof content === "string" ? new Uint8Array(Buffer.from(content, "utf8")) : content, { maintype, subtype, ...common });
  }
}

function build(init: EmailInit, contents: readonly ResolvedContent[]): EmailMessage {
  const message = new EmailMessage();
  const from: unknown = Array.isArray(init.from) ? (init.from as unknown[])[0] : init.from;
  message.set("From", addressText(from, "from"));
  for (const [name, field, value] of [
    ["To", "to", init.to],
    ["Cc", "cc", init.cc],
    ["Bcc", "bcc", init.bcc],
    ["Reply-To", "replyTo", init.replyTo],
  ] as const) {
    const header = addressHeader(value, field);
    if (header !== undefined) message.set(name, header);
  }
  message.set("Subject", init.subject);
  for (const { name, value } of headerEntries(init.headers)) message.append(name, value);

  const text = init.text || undefined;
  const html = init.html || undefined;
  if (text !== undefined) message.setContent(text);
  if (html !== undefined) {
    if (text !== undefined) message.addAlternative(html, { subtype: "html" });
    else message.setContent(html, { subtype: "html" });
  }
  const attachments = init.attachments ?? [];
  // Inline parts go with the html (as Python's documentation builds such a message); with
  // no html there is nothing to relate them to, and they join the other attachments.
  const htmlPart = (): MIMEPart =>
    text !== undefined ? (message.getPayload({ i: 1 }) as MIMEPart) : message;
  attachments.forEach((attachment, i) => {
    if (html === undefined || !isInlineRelated(attachment)) return;
    const part = htmlPart();
    addPart((content, options) => part.addRelated(content, options), attachment, contents[i] as ResolvedContent);
  });
  attachments.forEach((attachment, i) => {
    if (html !== undefined && isInlineRelated(attachment)) return;
    addPart((content, options) => message.addAttachment(content, options), attachment, contents[i] as ResolvedContent);
  });
  return message;
}

/**
 * Builds the {@link EmailMessage} an {@link EmailInit} describes (see the module's
 * description for the structure). Files named by `path` are read synchronously, now; a
 * `Blob` cannot be read synchronously and is refused: use {@link emailFromObjectAsync}
 * (which `send()` and `SMTP.sendMessage()` use, reading files when sending).
 * No Date or Message-ID header is added (as Python's `EmailMessage`).
 *
 * @throws EmailValidationError as {@link validateEmailInit}, for a `Blob`, or for a file
 *   that cannot be read
 * @throws TypeError, InvalidHeaderError from the message model, for a header it refuses
 *   (a duplicate Subject in `headers` ...)
 */
export function emailFromObject(init: EmailInit): EmailMessage {
  validateEmailInit(init);
  return build(init, (init.attachments ?? []).map(resolveSync));
}

/**
 * As {@link emailFromObject}, reading files and `Blob`s asynchronously.
 * @throws as {@link emailFromObject}
 */
export async function emailFromObjectAsync(init: EmailInit): Promise<EmailMessage> {
  validateEmailInit(init);
  const contents = await Promise.all((init.attachments ?? []).map(resolveAsync));
  return build(init, contents);
}
