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
 * Everywhere in the object, `null` and `undefined` mean "not given" (objects parsed from
 * JSON carry `null`, objects spread from others carry `undefined`), and a field the object
 * may not have is refused, never dropped.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { MessageError } from "./errors.js";
import { Address, ContentTypeHeader } from "./headerregistry.js";
import { EmailMessage, type MIMEPart } from "./message.js";
import { defaultPolicy } from "./policy.js";
import { getAddresses } from "./utils.js";

/** An address: `"Ada <ada@example.com>"`, a bare `"ada@example.com"`, or `{ email, name }`. */
export type EmailAddressInit =
  | string
  | {
      /** The address itself, `local@domain`. */
      readonly email: string;
      /** The display name: any text (non-ASCII is encoded as the policy requires). */
      readonly name?: string | null | undefined;
    };

/** One address or several. */
export type EmailAddressListInit = EmailAddressInit | readonly EmailAddressInit[];

/**
 * Extra headers: a record of name to value, or a list of `{ name, value }` (kept in order,
 * repeats allowed for headers that may repeat). A header whose value is `null` or
 * `undefined` is left out.
 */
export type EmailHeadersInit =
  | Readonly<Record<string, string | null | undefined>>
  | ReadonlyArray<{
      /** The header name: printable ASCII without a colon. */
      readonly name: string;
      /** The value on one line (no CR, LF or NUL); folded on output. */
      readonly value: string | null | undefined;
    }>;

/** The content of an attachment: text, bytes, or a `Blob`. */
export type AttachmentContent = string | Uint8Array | ArrayBuffer | Blob;

/** An attachment, or an inline part of the html (with `contentId` and `disposition: "inline"`). */
export interface EmailAttachmentInit {
  /** The file name shown to the reader (the `filename` parameter of Content-Disposition). */
  readonly filename: string;
  /** The content; a string is the content itself unless `contentEncoding` is `"base64"`. Give `content` or `path`, not both. */
  readonly content?: AttachmentContent | null | undefined;
  /** How a string `content` is given: `"raw"` (default) or `"base64"`. */
  readonly contentEncoding?: "raw" | "base64" | null | undefined;
  /** A file to read the content from, when there is no `content`. */
  readonly path?: string | null | undefined;
  /**
   * `type/subtype`, optionally with parameters (`"text/csv; charset=utf-8"`); default
   * guessed from `filename` (see {@link guessContentType}).
   */
  readonly contentType?: string | null | undefined;
  /** The Content-ID the html refers to (`cid:logo`); angle brackets are added when missing. */
  readonly contentId?: string | null | undefined;
  /** Default `"inline"` when there is a `contentId`, else `"attachment"`. */
  readonly disposition?: "attachment" | "inline" | null | undefined;
}

/** A message as a plain object. `null` and `undefined` both mean "not given". */
export interface EmailInit {
  /** The author (the From header and the envelope sender): exactly one address, alone or in an array. */
  readonly from: EmailAddressInit | readonly [EmailAddressInit];
  /** The To recipients; may be empty when there are Cc or Bcc recipients. */
  readonly to: EmailAddressListInit;
  /** The Subject: not empty, one line (no CR, LF or NUL), any text (encoded as the policy requires). */
  readonly subject: string;
  /** The plain text body. At least one of `text` and `html` is needed. */
  readonly text?: string | null | undefined;
  /** The html body. */
  readonly html?: string | null | undefined;
  /** The Cc recipients: named in the Cc header, and sent the message. */
  readonly cc?: EmailAddressListInit | null | undefined;
  /** Recipients that get the message without being named in it (no Bcc header is sent). */
  readonly bcc?: EmailAddressListInit | null | undefined;
  /** Where replies should go (the Reply-To header), when not to the author. */
  readonly replyTo?: EmailAddressListInit | null | undefined;
  /**
   * Extra headers, appended after the others. Refused: Content-* and MIME-Version (the
   * content sets them), From, To, Cc, Bcc, Reply-To and Subject (use the fields), and a
   * header that may appear once (Date, Message-ID, Sender ...) given twice.
   */
  readonly headers?: EmailHeadersInit | null | undefined;
  /**
   * Files attached to the message, in order; with html, also its inline parts (those with
   * a `contentId`, whose `disposition` is then `"inline"` by default).
   */
  readonly attachments?: readonly EmailAttachmentInit[] | null | undefined;
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

/** null and undefined both mean "not given". */
function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** The keys of `object` whose values are given (neither null nor undefined), in its order. */
function givenKeys(object: object): string[] {
  return Object.entries(object)
    .filter(([, value]) => !isAbsent(value))
    .map(([key]) => key);
}

/**
 * The fields of `init` that an {@link EmailInit} does not have (`tags`, `metadata` ...),
 * in the object's order; a field whose value is `null` or `undefined` counts as not there.
 * Other SDKs take some of these; mailport refuses them rather than dropping them silently.
 */
export function unknownEmailInitFields(init: object): string[] {
  return givenKeys(init).filter((key) => !EMAIL_INIT_FIELDS.includes(key));
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
 * The file name extensions {@link guessContentType} knows. Where Python 3.11's built-in
 * `mimetypes` table knows an extension too, the type is Python's, except:
 * - `js`, `mjs`: `text/javascript` (RFC 9239, section 6; Python 3.12 agrees), not the
 *   obsolete `application/javascript`;
 * - `vcf`: `text/vcard` (RFC 6350, section 10.1), not the unregistered `text/x-vcard`;
 * - `tgz`: `application/gzip` (RFC 6713): the bytes are gzip. Python answers
 *   `application/x-tar` with the encoding `gzip` on the side, which an attachment has no
 *   header to carry.
 * Python's `eml`, `mht`, `mhtml` and `nws` (`message/rfc822`) are left out: an attachment
 * here cannot be `message/*` (it would have to be a parsed message), so such a file goes
 * as `application/octet-stream`. Python lacks the Office Open XML and OpenDocument types,
 * `ics`, `md`, `yaml`, `log`, the compressed archives, `ogg`, `flac`, `m4a`, `mkv` and
 * the fonts; those are the IANA registrations (or the common `x-` types where none exists).
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  // Text
  txt: "text/plain",
  log: "text/plain",
  htm: "text/html",
  html: "text/html",
  css: "text/css",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  ics: "text/calendar",
  vcf: "text/vcard",
  md: "text/markdown",
  markdown: "text/markdown",
  js: "text/javascript",
  mjs: "text/javascript",
  xml: "text/xml",
  vtt: "text/vtt",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  rtf: "application/rtf",
  // Documents
  pdf: "application/pdf",
  ps: "application/postscript",
  eps: "application/postscript",
  doc: "application/msword",
  dot: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
  pps: "application/vnd.ms-powerpoint",
  pot: "application/vnd.ms-powerpoint",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
  epub: "application/epub+zip",
  // Archives
  zip: "application/zip",
  gz: "application/gzip",
  tgz: "application/gzip",
  tar: "application/x-tar",
  bz2: "application/x-bzip2",
  xz: "application/x-xz",
  "7z": "application/x-7z-compressed",
  rar: "application/vnd.rar",
  // Images
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  gif: "image/gif",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  webp: "image/webp",
  avif: "image/avif",
  heic: "image/heic",
  heif: "image/heif",
  ico: "image/vnd.microsoft.icon",
  tif: "image/tiff",
  tiff: "image/tiff",
  // Audio
  mp3: "audio/mpeg",
  wav: "audio/x-wav",
  m4a: "audio/mp4",
  aac: "audio/aac",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/opus",
  flac: "audio/flac",
  mid: "audio/midi",
  midi: "audio/midi",
  aif: "audio/x-aiff",
  aiff: "audio/x-aiff",
  // Video
  mp4: "video/mp4",
  m4v: "video/mp4",
  mpeg: "video/mpeg",
  mpg: "video/mpeg",
  mov: "video/quicktime",
  qt: "video/quicktime",
  webm: "video/webm",
  avi: "video/x-msvideo",
  ogv: "video/ogg",
  mkv: "video/x-matroska",
  // Fonts (RFC 8081)
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
});

/** The extensions {@link guessContentType} knows (lower case, without the dot). */
export const KNOWN_EXTENSIONS: readonly string[] = Object.freeze(Object.keys(CONTENT_TYPES));

/**
 * The content type of a file, from its name's extension (case-insensitive), for the
 * common kinds of attachment listed in {@link KNOWN_EXTENSIONS}: text, documents
 * (PDF, Microsoft Office old and new, OpenDocument), archives, images, audio, video and
 * fonts. Where Python's built-in `mimetypes` table knows the extension, the answer is
 * Python's, except the RFCs' `text/javascript` for js and mjs, `text/vcard` for vcf and
 * `application/gzip` for tgz. Anything else is `application/octet-stream`.
 *
 * @example
 * guessContentType("Report.PDF") // "application/pdf"
 * guessContentType("minutes.docx") // "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
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

/** The objects of an EmailInit that have a fixed set of fields. */
type Shape = "message" | "attachment" | "address" | "header";

const FIELDS: Readonly<Record<Shape, readonly string[]>> = {
  message: EMAIL_INIT_FIELDS,
  attachment: ["filename", "content", "contentEncoding", "path", "contentType", "contentId", "disposition"],
  address: ["email", "name"],
  header: ["name", "value"],
};

/**
 * Names other SDKs use, and common slips, that are not a field's name written differently
 * (those are found by {@link suggestion} itself); keyed by {@link looseName}.
 */
const SLIPS: Readonly<Record<Shape, Readonly<Record<string, string>>>> = {
  message: {
    sender: "from",
    recipients: "to",
    reply: "replyTo",
    body: "text",
    plain: "text",
    plaintext: "text",
    textbody: "text",
    htmlbody: "html",
    header: "headers",
    attachment: "attachments",
    files: "attachments",
  },
  attachment: {
    cid: "contentId",
    id: "contentId",
    type: "contentType",
    mimetype: "contentType",
    mime: "contentType",
    encoding: "contentEncoding",
    data: "content",
    body: "content",
    name: "filename",
    file: "path",
    filepath: "path",
    inline: "disposition",
    contentdisposition: "disposition",
  },
  address: { address: "email", mail: "email", emailaddress: "email", displayname: "name" },
  header: { key: "name", header: "name", field: "name", val: "value", content: "value" },
};

/** A name in lower case without `_` and `-`, to compare spellings (`content_id`, `ContentID`). */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/**
 * The edit distance of `a` and `b`, a swap of two neighbours counting as one edit
 * (`nmae` is one edit from `name`).
 */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The field `key` was probably meant to be, if any: the same name spelt differently
 * (`content_id`), another SDK's name for it (`cid`), or a typo (`filname`: at most one
 * edit in a short name, two in a longer one).
 */
function suggestion(key: string, shape: Shape): string | undefined {
  const loose = looseName(key);
  const spelt = FIELDS[shape].find((field) => looseName(field) === loose) ?? SLIPS[shape][loose];
  if (spelt !== undefined) return spelt;
  const allowed = loose.length <= 4 ? 1 : 2;
  const [closest] = FIELDS[shape]
    .map((field) => ({ field, distance: editDistance(loose, looseName(field)) }))
    .filter(({ distance }) => distance <= allowed)
    .sort((x, y) => x.distance - y.distance);
  return closest?.field;
}

/** `cid (did you mean contentId?), foo` */
function describeFields(keys: readonly string[], shape: Shape): string {
  return keys
    .map((key) => {
      const meant = suggestion(key, shape);
      return meant === undefined ? key : `${key} (did you mean ${meant}?)`;
    })
    .join(", ");
}

/**
 * Refuses the fields of `object` that a `shape` does not have (null and undefined ones
 * aside). `where` names the object: `Attachment "logo.png"`.
 */
function checkFields(object: object, shape: Shape, where: string): void {
  const unknown = givenKeys(object).filter((key) => !FIELDS[shape].includes(key));
  if (unknown.length === 0) return;
  const what = unknown.length === 1 ? "an unknown field" : "unknown fields";
  fail(`${where} has ${what}: ${describeFields(unknown, shape)}.`);
}

function isBlank(address: unknown): boolean {
  return isAbsent(address) || (typeof address === "string" && address.trim() === "");
}

/** The addresses given for a field, one or an array; blank ones (null, "", white space) left out. */
function addressList(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((address) => !isBlank(address));
}

/** One address as a header value, checked. */
function addressText(address: unknown, field: string): string {
  if (typeof address === "string") {
    const parsed = getAddresses([address]);
    if (parsed.length === 0 || parsed.some(([, spec]) => spec === "" || !spec.includes("@"))) {
      fail(`Invalid ${field} address ${JSON.stringify(address)}.`);
    }
    return address.trim();
  }
  if (typeof address !== "object" || address === null || Array.isArray(address)) {
    fail(`Each ${field} address must be a string or { email, name }.`);
  }
  const { email, name } = address as { email?: unknown; name?: unknown };
  checkFields(address, "address", typeof email === "string" ? `The ${field} address ${JSON.stringify(email)}` : `A ${field} address`);
  if (typeof email !== "string") fail(`Each ${field} address must be a string or { email, name }.`);
  if (!isAbsent(name) && typeof name !== "string") fail(`The name of ${field} address ${JSON.stringify(email)} must be a string.`);
  try {
    return new Address({ displayName: name ?? "", addrSpec: email }).toString();
  } catch (error) {
    throw new EmailValidationError(`Invalid ${field} address ${JSON.stringify(email)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The header value of an address field, checked; `undefined` when it has no address. */
function addressHeader(value: unknown, field: string): string | undefined {
  const texts = addressList(value).map((address) => addressText(address, field));
  return texts.length === 0 ? undefined : texts.join(", ");
}

/** An attachment as checked: defaults applied, absent options gone. */
interface CheckedAttachment {
  readonly filename: string;
  /** With `base64`, the base64 text (checked); exactly one of `content` and `path` is set. */
  readonly content: AttachmentContent | undefined;
  readonly base64: boolean;
  readonly path: string | undefined;
  readonly maintype: string;
  readonly subtype: string;
  /** Parameters given with the content type (lower-case names). */
  readonly params: Readonly<Record<string, string>>;
  /** In angle brackets. */
  readonly cid: string | undefined;
  readonly disposition: "attachment" | "inline";
}

/**
 * An attachment's `contentType`: `type/subtype` with any parameters, read with the
 * Content-Type header's own parser.
 */
function contentTypeOf(value: unknown, filename: string): { type: string; params: Readonly<Record<string, string>> } {
  const bad = (): never =>
    fail(`The contentType of attachment "${filename}" must be "type/subtype", optionally with parameters ("text/csv; charset=utf-8").`);
  if (typeof value !== "string" || /[\r\n\0]/.test(value)) return bad();
  const typePart = value.split(";", 1)[0]!.trim();
  if (!CONTENT_TYPE.test(typePart)) return bad();
  const header = new ContentTypeHeader("Content-Type", value);
  if (header.defects.length > 0) return bad();
  return { type: header.contentType, params: header.params };
}

function isContent(value: unknown): value is AttachmentContent {
  return typeof value === "string" || value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Blob;
}

/** One attachment, checked; `index` names it when it has no file name. */
function checkAttachment(attachment: unknown, index: number): CheckedAttachment {
  if (typeof attachment !== "object" || attachment === null || Array.isArray(attachment)) {
    fail("Each attachment must be an object.");
  }
  const a = attachment as Record<string, unknown>;
  const named = typeof a["filename"] === "string" && a["filename"] !== "";
  checkFields(a, "attachment", named ? `Attachment ${JSON.stringify(a["filename"])}` : `The attachment at index ${index}`);
  if (!named) fail("Each attachment requires a filename.");
  const filename = a["filename"] as string;
  const { content, path, contentEncoding, contentType, contentId, disposition } = a;
  if (isAbsent(content) && isAbsent(path)) fail(`Attachment "${filename}" requires content or path.`);
  if (!isAbsent(content) && !isAbsent(path)) fail(`Attachment "${filename}" has both content and path; give one of them.`);
  if (!isAbsent(content) && !isContent(content)) {
    fail(`The content of attachment "${filename}" must be a string, a Uint8Array, an ArrayBuffer or a Blob.`);
  }
  if (!isAbsent(path) && (typeof path !== "string" || path === "")) {
    fail(`The path of attachment "${filename}" must be a file path.`);
  }
  if (!isAbsent(contentEncoding) && contentEncoding !== "raw" && contentEncoding !== "base64") {
    fail(`The contentEncoding of attachment "${filename}" must be "raw" or "base64".`);
  }
  const base64 = contentEncoding === "base64";
  if (base64 && typeof content !== "string") {
    fail(`The contentEncoding "base64" of attachment "${filename}" applies to string content only.`);
  }
  if (base64 && !BASE64.test((content as string).replace(/\s+/g, ""))) {
    fail(`The content of attachment "${filename}" is not valid base64.`);
  }
  const given = isAbsent(contentType) ? undefined : contentTypeOf(contentType, filename);
  const type = given?.type ?? guessContentType(filename);
  if (type.startsWith("multipart/") || type.startsWith("message/")) {
    fail(`Attachment "${filename}" cannot be of type ${type}.`);
  }
  if (!isAbsent(contentId) && (typeof contentId !== "string" || !/^<?[\x21-\x3b\x3d\x3f-\x7e]+>?$/.test(contentId))) {
    fail(`The contentId of attachment "${filename}" must be printable ASCII without spaces.`);
  }
  if (!isAbsent(disposition) && disposition !== "attachment" && disposition !== "inline") {
    fail(`The disposition of attachment "${filename}" must be "attachment" or "inline".`);
  }
  const [maintype, subtype] = type.split("/") as [string, string];
  const params = given?.params ?? {};
  const cid = typeof contentId === "string" ? (contentId.startsWith("<") ? contentId : `<${contentId}>`) : undefined;
  return {
    filename,
    content: isAbsent(content) ? undefined : (content as AttachmentContent),
    base64,
    path: isAbsent(path) ? undefined : (path as string),
    maintype,
    subtype,
    params,
    cid,
    disposition: (disposition as "attachment" | "inline" | null | undefined) ?? (cid !== undefined ? "inline" : "attachment"),
  };
}

/** The headers the fields set: `headers` may not give them. */
const FIELD_HEADERS: Readonly<Record<string, string>> = {
  from: "from",
  to: "to",
  cc: "cc",
  bcc: "bcc",
  "reply-to": "replyTo",
  subject: "subject",
};

/** The extra headers, checked, in order; those without a value left out. */
function headerEntries(headers: unknown): Array<readonly [string, string]> {
  if (isAbsent(headers)) return [];
  if (typeof headers !== "object") fail("The headers must be a record of name to value or an array of { name, value }.");
  const entries: Array<{ name: unknown; value: unknown }> = Array.isArray(headers)
    ? (headers as unknown[]).flatMap((entry, index) => {
        if (isAbsent(entry)) return [];
        if (typeof entry !== "object" || Array.isArray(entry)) {
          fail("Each entry of the headers array must be an object { name, value }.");
        }
        const { name } = entry as { name?: unknown };
        checkFields(entry, "header", typeof name === "string" ? `The headers entry ${name}` : `The headers entry at index ${index}`);
        return [entry as { name: unknown; value: unknown }];
      })
    : Object.entries(headers as Record<string, unknown>).map(([name, value]) => ({ name, value }));
  const counts = new Map<string, number>();
  const checked: Array<readonly [string, string]> = [];
  for (const { name, value } of entries) {
    if (typeof name !== "string" || !/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
      fail(`Invalid header name ${JSON.stringify(name)}.`);
    }
    if (isAbsent(value)) continue;
    if (typeof value !== "string") fail(`The value of header ${name} must be a string.`);
    if (/[\r\n\0]/.test(value)) fail(`The value of header ${name} cannot contain CR, LF or NUL.`);
    const lower = name.toLowerCase();
    if (/^(content-|mime-version$)/.test(lower)) {
      fail(`The ${name} header is set from the message's content and cannot be given in headers.`);
    }
    const field = FIELD_HEADERS[lower];
    if (field !== undefined) fail(`The ${name} header is set from the ${field} field and cannot be given in headers.`);
    const count = (counts.get(lower) ?? 0) + 1;
    counts.set(lower, count);
    const maxCount = defaultPolicy.headerMaxCount(name);
    if (maxCount !== undefined && count > maxCount) {
      fail(`The ${name} header may appear only once in a message, and headers gives it more than once.`);
    }
    checked.push([name, value]);
  }
  return checked;
}

/** An EmailInit as checked: every header in order, the bodies, the attachments. */
interface CheckedInit {
  /** From, To, Cc, Bcc, Reply-To and Subject as present, then the extra headers. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly text: string | undefined;
  readonly html: string | undefined;
  readonly attachments: readonly CheckedAttachment[];
}

/** A body: a non-empty string, or `undefined`. */
function body(value: unknown, what: string): string | undefined {
  if (isAbsent(value) || value === "") return undefined;
  if (typeof value !== "string") fail(`The ${what} content must be a string.`);
  return value;
}

/** Checks an EmailInit (see {@link validateEmailInit}) and returns what it describes. */
function checkEmailInit(init: unknown): CheckedInit {
  if (typeof init !== "object" || init === null) fail("An email message must be an object.");
  const unknown = unknownEmailInitFields(init);
  if (unknown.length > 0) fail(`EmailMessage.fromObject does not support these fields: ${describeFields(unknown, "message")}.`);
  const m = init as Record<string, unknown>;
  const from = addressList(m["from"]);
  if (from.length === 0) fail("Email message requires a from address.");
  if (from.length > 1) fail("Email message takes a single from address.");
  if ([m["to"], m["cc"], m["bcc"]].every((value) => addressList(value).length === 0)) {
    fail("Email message requires at least one recipient.");
  }
  const subject = m["subject"];
  if (typeof subject !== "string" || subject === "") fail("Email message requires a subject.");
  if (/[\r\n\0]/.test(subject)) fail("The subject cannot contain CR, LF or NUL.");
  if ([m["text"], m["html"]].every((value) => typeof value !== "string" || value === "")) {
    fail("Email message requires either html or text content.");
  }
  const text = body(m["text"], "text");
  const html = body(m["html"], "html");
  const attachments = m["attachments"];
  if (!isAbsent(attachments) && !Array.isArray(attachments)) fail("The attachments must be an array.");
  const checkedAttachments = ((attachments as unknown[] | null | undefined) ?? []).flatMap((attachment, index) =>
    isAbsent(attachment) ? [] : [checkAttachment(attachment, index)],
  );
  // The shapes, once the contract's checks have passed.
  const fromText = addressText(from[0], "from");
  if (getAddresses([fromText]).length > 1) fail("Email message takes a single from address.");
  const headers: Array<readonly [string, string]> = [["From", fromText]];
  for (const [name, field] of [
    ["To", "to"],
    ["Cc", "cc"],
    ["Bcc", "bcc"],
    ["Reply-To", "replyTo"],
  ] as const) {
    const value = addressHeader(m[field], field);
    if (value !== undefined) headers.push([name, value]);
  }
  headers.push(["Subject", subject], ...headerEntries(m["headers"]));
  return { headers, text, html, attachments: checkedAttachments };
}

/**
 * Checks an {@link EmailInit}, in this order, throwing the first problem found:
 * - `Email message requires a from address.`
 * - `Email message requires at least one recipient.` (To, Cc and Bcc together)
 * - `Email message requires a subject.` (a missing or empty subject)
 * - `Email message requires either html or text content.` (neither is a non-empty string)
 * - `Attachment "<filename>" requires content or path.`
 * then the shape of every value (addresses, headers, attachment options). Before all
 * these, fields an EmailInit does not have are refused
 * (`EmailMessage.fromObject does not support these fields: tags.`), and so are unknown
 * fields of an attachment, an address or a header entry
 * (`Attachment "logo.png" has an unknown field: cid (did you mean contentId?).`).
 * `null` and `undefined` mean "not given" everywhere. Files named by `path` are not read
 * here.
 *
 * @throws EmailValidationError (`code` `"validation_error"`) for any problem
 */
export function validateEmailInit(init: unknown): asserts init is EmailInit {
  checkEmailInit(init);
}

// -----------------------------------------------------------------------------------------
// Building

/** The bytes or text of an attachment, once read. */
type ResolvedContent = string | Uint8Array;

function resolveInline(attachment: CheckedAttachment): ResolvedContent | undefined {
  const { content } = attachment;
  if (typeof content === "string") {
    return attachment.base64 ? new Uint8Array(Buffer.from(content, "base64")) : content;
  }
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content.slice(0));
  return undefined;
}

function readFailure(attachment: CheckedAttachment, error: unknown): EmailValidationError {
  return new EmailValidationError(
    `Attachment "${attachment.filename}" could not be read from ${attachment.path}: ${(error as Error).message}`,
    { cause: error },
  );
}

function resolveSync(attachment: CheckedAttachment): ResolvedContent {
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

async function resolveAsync(attachment: CheckedAttachment): Promise<ResolvedContent> {
  const inline = resolveInline(attachment);
  if (inline !== undefined) return inline;
  if (attachment.content instanceof Blob) return new Uint8Array(await attachment.content.arrayBuffer());
  try {
    return new Uint8Array(await readFile(attachment.path as string));
  } catch (error) {
    throw readFailure(attachment, error);
  }
}

function isInlineRelated(attachment: CheckedAttachment): boolean {
  return attachment.cid !== undefined && attachment.disposition === "inline";
}

function addPart(
  add: (content: string | Uint8Array, options: Parameters<MIMEPart["addAttachment"]>[1]) => void,
  attachment: CheckedAttachment,
  content: ResolvedContent,
): void {
  const { maintype, subtype, filename, disposition, cid } = attachment;
  const { charset, ...params } = attachment.params;
  const common = {
    filename,
    disposition,
    ...(cid !== undefined ? { cid } : {}),
    ...(Object.keys(params).length > 0 ? { params } : {}),
  };
  if (typeof content === "string" && maintype === "text") {
    // Text is encoded in the charset asked for (utf-8 when none is).
    add(content, { subtype, ...(charset !== undefined ? { charset } : {}), ...common });
  } else {
    // Bytes are sent as they are; a charset parameter only labels them.
    const labels = charset !== undefined ? { params: { ...params, charset } } : {};
    add(typeof content === "string" ? new Uint8Array(Buffer.from(content, "utf8")) : content, { maintype, subtype, ...common, ...labels });
  }
}

function build(init: CheckedInit, contents: readonly ResolvedContent[]): EmailMessage {
  const message = new EmailMessage();
  for (const [name, value] of init.headers) message.append(name, value);
  const { text, html, attachments } = init;
  if (text !== undefined) message.setContent(text);
  if (html !== undefined) {
    if (text !== undefined) message.addAlternative(html, { subtype: "html" });
    else message.setContent(html, { subtype: "html" });
  }
  // Inline parts go with the html (as Python's documentation builds such a message); with
  // no html there is nothing to relate them to, and they join the other attachments.
  const related = (attachment: CheckedAttachment): boolean => html !== undefined && isInlineRelated(attachment);
  const htmlPart = (): MIMEPart => (text !== undefined ? (message.getPayload({ i: 1 }) as MIMEPart) : message);
  attachments.forEach((attachment, i) => {
    if (!related(attachment)) return;
    const part = htmlPart();
    addPart((content, options) => part.addRelated(content, options), attachment, contents[i] as ResolvedContent);
  });
  attachments.forEach((attachment, i) => {
    if (related(attachment)) return;
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
 */
export function emailFromObject(init: EmailInit): EmailMessage {
  const checked = checkEmailInit(init);
  return build(checked, checked.attachments.map(resolveSync));
}

/**
 * As {@link emailFromObject}, reading files and `Blob`s asynchronously.
 * @throws as {@link emailFromObject}
 */
export async function emailFromObjectAsync(init: EmailInit): Promise<EmailMessage> {
  const checked = checkEmailInit(init);
  const contents = await Promise.all(checked.attachments.map(resolveAsync));
  return build(checked, contents);
}
