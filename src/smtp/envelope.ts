/**
 * Between the message model and the wire: the envelope (sender and recipients) a message's
 * headers give, SMTP's `<address>` form, and the bytes of a message as they are sent
 * (without Bcc). The only module of `smtp/` that uses `email/`.
 *
 * @module
 */
import {
  EmailValidationError,
  emailFromObjectAsync,
  isEmailInit,
  unknownEmailInitFields,
  type EmailInit,
} from "../email/fromobject.js";
import { InvalidHeaderDefect, NonASCIILocalPartDefect } from "../email/errors.js";
import { AddressHeader } from "../email/headerregistry.js";
import { EmailMessage, Message } from "../email/message.js";
import { compat32, defaultPolicy } from "../email/policy.js";
import { makeMsgid } from "../email/utils.js";
import { domainToASCII } from "node:url";
import { checkCommandArgument, isNonAscii } from "./protocol.js";

/** RFC 5322 atext, plus any non-ASCII character (RFC 6531). */
const DOT_STRING = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~\u0080-\u{10FFFF}-]+(?:\.[A-Za-z0-9!#$%&'*+\/=?^_`{|}~\u0080-\u{10FFFF}-]+)*$/u;
/** What a quoted local part may hold here: RFC 5321's qtextSMTP and quoted-pairSMTP, less space, < and >. */
const QUOTABLE = /^[\x21\x23-\x3b\x3d\x3f-\x7e"\\\u0080-\u{10FFFF}]+$/u;
/** A domain label (RFC 5321 sub-domain), a U-label's characters allowed (RFC 6531). */
const LABEL = /^[A-Za-z0-9\u0080-\u{10FFFF}](?:[A-Za-z0-9\u0080-\u{10FFFF}-]*[A-Za-z0-9\u0080-\u{10FFFF}])?$/u;
/** An address literal (RFC 5321 4.1.3): `[` dcontent `]`. */
const ADDRESS_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]+\]$/;

/** Why `username`@`domain` cannot be an RFC 5321 mailbox, or `undefined` when it can. */
function mailboxProblem(username: string, domain: string): string | undefined {
  if (username === "") return "it has no local part";
  if (domain === "") return "it has no domain";
  if (!DOT_STRING.test(username) && !QUOTABLE.test(username)) {
    return "its local part holds a space, < or >, which servers could read as the end of the address";
  }
  if (!ADDRESS_LITERAL.test(domain) && !(domain.length <= 255 && domain.split(".").every((label) => label.length <= 63 && LABEL.test(label)))) {
    return `its domain ${JSON.stringify(domain)} is not a domain name or an address literal such as [192.0.2.1]`;
  }
  return undefined;
}

/** `username`@`domain` as RFC 5321 writes it: the local part quoted when it is not a dot-string. */
function mailboxText(username: string, domain: string): string {
  const local = DOT_STRING.test(username) ? username : `"${username.replace(/(["\\])/g, "\\$1")}"`;
  return `${local}@${domain}`;
}

/**
 * Addresses already read by {@link envelopeAddress}, and the addr-spec each gave: the
 * same sender and recipients come back message after message, and reading one with the
 * RFC 5322 parser costs tens of microseconds. Only addresses that were accepted are kept
 * (the result depends on nothing but the text), the oldest dropped first.
 */
const mailboxes = new Map<string, string>();
const MAX_REMEMBERED = 1024;
const MAX_REMEMBERED_LENGTH = 512;

/**
 * The addr-spec an envelope address stands for (RFC 5321's Mailbox), checked. Accepts
 * `a@example.com`, `<a@example.com>` and `Name <a@example.com>` (the display name is
 * dropped); with `nullAllowed`, `""` and `<>` are the null reverse-path and give `""`.
 * Anything else, such as two addresses, a group, text after the address, a missing
 * domain or a control character, is refused: raw text never reaches the wire.
 * @param what names the address in the error message ("sender", "recipient" ...)
 * @throws TypeError naming the value when it is not exactly one mailbox
 */
export function envelopeAddress(address: string, what = "address", options: { nullAllowed?: boolean } = {}): string {
  const known = mailboxes.get(address);
  if (known !== undefined) return known;
  checkCommandArgument(address, what);
  const trimmed = address.trim();
  if (trimmed === "" || trimmed === "<>") {
    if (options.nullAllowed) return "";
    throw new TypeError(`the ${what} ${JSON.stringify(address)} is empty; only the sender can be the null address <>`);
  }
  const mailbox = parseMailbox(address, trimmed, what);
  if (address.length <= MAX_REMEMBERED_LENGTH) {
    mailboxes.set(address, mailbox);
    if (mailboxes.size > MAX_REMEMBERED) mailboxes.delete(mailboxes.keys().next().value as string);
  }
  return mailbox;
}

/**
 * The addr-spec of a non-empty envelope address (`trimmed`, as the caller wrote it:
 * `address`), read with the RFC 5322 parser and checked as RFC 5321 requires.
 * @throws TypeError as {@link envelopeAddress}
 */
function parseMailbox(address: string, trimmed: string, what: string): string {
  const header = new AddressHeader("To", trimmed);
  const mailbox = header.groups.length === 1 && header.groups[0]?.displayName === null ? header.addresses[0] : undefined;
  const problem =
    mailbox === undefined || header.addresses.length !== 1
      ? "it must be a@example.com, <a@example.com> or Name <a@example.com>"
      : // A UTF-8 local part is a defect in a header, and RFC 6531's business here.
        (header.defects.find((defect) => !(defect instanceof NonASCIILocalPartDefect))?.message ??
        mailboxProblem(mailbox.username, mailbox.domain));
  if (mailbox === undefined || problem !== undefined) {
    throw new TypeError(`the ${what} ${JSON.stringify(address)} is not one email address: ${problem}`);
  }
  return mailboxText(mailbox.username, mailbox.domain);
}

/**
 * The bare address of `address` (`"Jane <jane@example.com>"` gives `"jane@example.com"`),
 * as aiosmtplib's `parse_address`, but strict: `""` and `<>` give `""` (the null
 * reverse-path), and text that is not exactly one address is refused, where aiosmtplib
 * would return it as it is (and send it). Accepted: `a@example.com`, `<a@example.com>`,
 * `Name <a@example.com>`, domain literals (`ops@[192.0.2.1]`), UTF-8 addresses.
 * @throws TypeError when `address` is not exactly one mailbox, or holds a control character
 */
export function parseAddress(address: string): string {
  return envelopeAddress(address, "address", { nullAllowed: true });
}

/**
 * The address as MAIL and RCPT take it: `<address>`. An empty address, or `<>`, is the
 * null reverse-path `<>` (aiosmtplib would send `<<>>` for the latter).
 * @throws TypeError as {@link parseAddress}
 */
export function quoteAddress(address: string): string {
  return `<${parseAddress(address)}>`;
}

/** Whether an addr-spec's local part is not ASCII: only SMTPUTF8 can carry it (RFC 6531). */
export function localPartIsNonAscii(addrSpec: string): boolean {
  return isNonAscii(addrSpec.slice(0, addrSpec.lastIndexOf("@")));
}

/**
 * An addr-spec with an internationalized domain written as A-labels (`b@bücher.example`
 * gives `b@xn--bcher-kva.example`), for a server without SMTPUTF8. The local part must be
 * ASCII.
 * @throws TypeError when the domain is not a valid IDN
 */
export function withAsciiDomain(addrSpec: string): string {
  const at = addrSpec.lastIndexOf("@");
  const domain = addrSpec.slice(at + 1);
  if (!isNonAscii(domain)) return addrSpec;
  const ascii = domainToASCII(domain);
  if (ascii === "") throw new TypeError(`the domain of ${JSON.stringify(addrSpec)} is not a valid internationalized domain name`);
  return `${addrSpec.slice(0, at)}@${ascii}`;
}

/** Which header block gives the envelope: the Resent-* one when there is exactly one. */
function isResent(message: Message): boolean {
  const resentDates = message.getAll("Resent-Date");
  if (resentDates.length > 1) {
    throw new TypeError(
      "the message has more than one Resent- header block (several Resent-Date headers); " +
        "pass sender and recipients explicitly",
    );
  }
  return resentDates.length === 1;
}

/**
 * The addr-specs of a message's address headers named `name`, in order; groups such as
 * `undisclosed-recipients:;` give none. The typed headers are read (so `ops@[192.0.2.1]`
 * is kept), for a legacy `Message` too.
 * @throws TypeError when a header holds something that is not an address, or an address
 *   that cannot be sent: no address is ever left out silently
 */
function addressesOf(message: Message, name: string): string[] {
  return message.getAllHeaders(name).flatMap((header) => {
    if (!(header instanceof AddressHeader)) return [];
    const broken = header.defects.find((defect) => defect instanceof InvalidHeaderDefect);
    if (broken) {
      throw new TypeError(`the ${name} header ${JSON.stringify(String(header))} cannot be read as addresses: ${broken.message}`);
    }
    return header.addresses.map((address) => {
      const problem = mailboxProblem(address.username, address.domain);
      if (problem !== undefined) {
        throw new TypeError(`the address ${JSON.stringify(address.addrSpec)} of the ${name} header cannot be sent: ${problem}`);
      }
      return mailboxText(address.username, address.domain);
    });
  });
}

/**
 * The envelope sender a message's headers give (RFC 5322, 3.6.2 and 3.6.6): `Sender` if
 * present, else `From` (its first address); with exactly one `Resent-Date`,
 * `Resent-Sender` or else `Resent-From`. `undefined` when there is none.
 * @throws TypeError when the message has more than one Resent- block, or the header does
 *   not hold addresses that can be sent
 */
export function extractSender(message: Message): string | undefined {
  const resent = isResent(message);
  const senderHeader = resent ? "Resent-Sender" : "Sender";
  const fromHeader = resent ? "Resent-From" : "From";
  const name = message.has(senderHeader) ? senderHeader : fromHeader;
  if (!message.has(name)) return undefined;
  const first = addressesOf(message, name)[0];
  if (first === undefined) throw new TypeError(`the ${name} header holds no address`);
  return first;
}

/**
 * The envelope recipients a message's headers give: every address of `To`, `Cc` and `Bcc`
 * in that order (`Resent-To`, `Resent-Cc`, `Resent-Bcc` with exactly one `Resent-Date`).
 * @throws TypeError when the message has more than one Resent- block, or a header holds
 *   something that is not an address
 */
export function extractRecipients(message: Message): string[] {
  const names = isResent(message) ? ["Resent-To", "Resent-Cc", "Resent-Bcc"] : ["To", "Cc", "Bcc"];
  return names.flatMap((name) => addressesOf(message, name));
}

/** How to flatten a message for sending. */
export interface FlattenMessageOptions {
  /** Write non-ASCII headers as UTF-8 (the server takes SMTPUTF8). Ignored for legacy messages. */
  readonly utf8: boolean;
  /** `"8bit"` when the server takes 8BITMIME; `"7bit"` transfer-encodes 8-bit bodies. */
  readonly cteType: "7bit" | "8bit";
}

/**
 * A copy of the message and of every part under it (the header lists and the tree), the
 * bodies shared: the generator writes boundaries into the parts it flattens.
 */
function copyTree<T extends Message>(message: T): T {
  const copy = message.copy();
  const parts = copy.getPayload();
  if (Array.isArray(parts)) copy.setPayload(parts.map(copyTree));
  return copy;
}

/**
 * The bytes of `message` as they are sent: a copy without `Bcc` and `Resent-Bcc`, written
 * with CRLF line endings by `policy.default` (an `EmailMessage`) or `compat32` (any other
 * message), as aiosmtplib does. The caller's message and its parts are left as they are
 * (aiosmtplib's shallow copy lets the generator add boundaries to the caller's parts).
 */
export function flattenMessage(message: Message, options: FlattenMessageOptions): Uint8Array {
  const copy = copyTree(message);
  copy.delete("Bcc");
  copy.delete("Resent-Bcc");
  const policy =
    message instanceof EmailMessage
      ? defaultPolicy.clone({ linesep: "\r\n", utf8: options.utf8, cteType: options.cteType })
      : compat32.clone({ linesep: "\r\n", cteType: options.cteType });
  return copy.asBytes({ policy });
}

/**
 * Builds the message an {@link EmailInit} describes, for sending: fields SMTP cannot
 * carry are refused first (`smtp does not support these EmailMessage fields: tags,
 * metadata.`, naming those present), then the object is checked and built with
 * `EmailMessage.fromObjectAsync` (files and Blobs are read now), and a Message-ID is
 * added when `headers` did not give one (its domain the From address's).
 * @throws EmailValidationError (`code` `"validation_error"`) before anything is sent
 */
export async function messageFromInit(init: EmailInit): Promise<EmailMessage> {
  if (typeof init !== "object" || init === null) throw new EmailValidationError("An email message must be an object.");
  // An instance of the caller's own class counts for its own enumerable fields.
  if (!isEmailInit(init)) init = { ...(init as object) } as EmailInit;
  const unsupported = unknownEmailInitFields(init);
  if (unsupported.length > 0) {
    throw new EmailValidationError(`smtp does not support these EmailMessage fields: ${unsupported.join(", ")}.`);
  }
  const message = await emailFromObjectAsync(init);
  addMessageId(message);
  return message;
}

/**
 * Adds a Message-ID to `message` when it has none, with the sender's domain (else the
 * host name), as a submission agent should (RFC 5322 3.6.4, RFC 6409 8.3).
 */
function addMessageId(message: Message): void {
  if (message.has("Message-ID")) return;
  let domain = "";
  try {
    const from = withAsciiDomain(extractSender(message) ?? "");
    domain = from.includes("@") ? from.slice(from.lastIndexOf("@") + 1) : "";
  } catch {
    // A sender that cannot be read is refused later, when the envelope is made; the
    // Message-ID then takes the host name.
  }
  message.set("Message-ID", domain ? makeMsgid({ domain }) : makeMsgid());
}

/**
 * `message` itself when it has a Message-ID, else a copy with one added (the caller's
 * message is not changed).
 */
export function withMessageId(message: Message): Message {
  if (message.has("Message-ID")) return message;
  const copy = message.copy();
  addMessageId(copy);
  return copy;
}

/**
 * Whether a message given to a sending method is to be read as an {@link EmailInit}: any
 * object that is not a message object (`Message` and its subclasses) or bytes, a plain
 * object or an instance of the caller's own class.
 */
export function isMessageInit(value: unknown): value is EmailInit {
  return typeof value === "object" && value !== null && !(value instanceof Message) && !(value instanceof Uint8Array);
}

/** The Message-ID of a message object, trimmed; `undefined` when it has none. */
export function messageIdOf(message: Message): string | undefined {
  const value = message.get("Message-ID");
  return value === undefined ? undefined : String(value).trim() || undefined;
}

/**
 * The Message-ID header of a raw message (its header block unfolded), trimmed;
 * `undefined` when it has none.
 */
export function rawMessageId(data: Uint8Array): string | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Only the header block is read as text, however large the body.
  const header = bytes.toString("latin1", 0, headerEnd(bytes)).replace(/\r?\n[ \t]/g, " ");
  const match = /^message-id[ \t]*:(.*)$/im.exec(header);
  return match?.[1]?.trim() || undefined;
}

/** Where a raw message's header block ends: at the line ending before its first empty line (else the end). */
function headerEnd(bytes: Buffer): number {
  for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, lf + 1)) {
    const next = lf + (bytes[lf + 1] === 0x0d ? 2 : 1);
    if (bytes[next] === 0x0a) return bytes[lf - 1] === 0x0d ? lf - 1 : lf;
  }
  return bytes.length;
}
