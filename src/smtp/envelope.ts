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
import { EmailMessage, type Message } from "../email/message.js";
import { compat32, defaultPolicy } from "../email/policy.js";
import { getAddresses, makeMsgid } from "../email/utils.js";

/**
 * The bare address of `address` (`"Jane <jane@example.com>"` gives `"jane@example.com"`),
 * parsed as Python's `email.utils.parseaddr`; text that does not parse is returned trimmed.
 */
export function parseAddress(address: string): string {
  const parsed = getAddresses([address])[0]?.[1] ?? "";
  return parsed || address.trim();
}

/**
 * The address as MAIL and RCPT take it: `<address>`. An empty address, or `<>`, is the
 * null reverse-path `<>` (aiosmtplib would send `<<>>` for the latter).
 */
export function quoteAddress(address: string): string {
  const parsed = parseAddress(address);
  if (parsed === "<>") return "<>";
  return `<${parsed}>`;
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

/** The bare addresses in some header values; empty ones (groups such as `undisclosed:;`) are left out. */
function addressesIn(values: readonly string[]): string[] {
  if (values.length === 0) return [];
  return getAddresses([...values])
    .map(([, address]) => address)
    .filter((address) => address !== "");
}

/**
 * The envelope sender a message's headers give (RFC 5322, 3.6.2 and 3.6.6): `Sender` if
 * present, else `From`; with exactly one `Resent-Date`, `Resent-Sender` or else
 * `Resent-From`. `undefined` when there is none.
 * @throws TypeError when the message has more than one Resent- block
 */
export function extractSender(message: Message): string | undefined {
  const resent = isResent(message);
  const senderHeader = resent ? "Resent-Sender" : "Sender";
  const fromHeader = resent ? "Resent-From" : "From";
  const name = message.has(senderHeader) ? senderHeader : fromHeader;
  const value = message.get(name);
  if (value === undefined) return undefined;
  return addressesIn([value])[0];
}

/**
 * The envelope recipients a message's headers give: every address of `To`, `Cc` and `Bcc`
 * in that order (`Resent-To`, `Resent-Cc`, `Resent-Bcc` with exactly one `Resent-Date`).
 * @throws TypeError when the message has more than one Resent- block
 */
export function extractRecipients(message: Message): string[] {
  const names = isResent(message) ? ["Resent-To", "Resent-Cc", "Resent-Bcc"] : ["To", "Cc", "Bcc"];
  return names.flatMap((name) => addressesIn(message.getAll(name)));
}

/** How to flatten a message for sending. */
export interface FlattenMessageOptions {
  /** Write non-ASCII headers as UTF-8 (the server takes SMTPUTF8). Ignored for legacy messages. */
  readonly utf8: boolean;
  /** `"8bit"` when the server takes 8BITMIME; `"7bit"` transfer-encodes 8-bit bodies. */
  readonly cteType: "7bit" | "8bit";
}

/**
 * The bytes of `message` as they are sent: a copy without `Bcc` and `Resent-Bcc` (the
 * caller's message is left alone), written with CRLF line endings by `policy.default`
 * (an `EmailMessage`) or `compat32` (any other message), as aiosmtplib does.
 */
export function flattenMessage(message: Message, options: FlattenMessageOptions): Uint8Array {
  const copy = message.copy();
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
  if (!isEmailInit(init)) throw new EmailValidationError("An email message must be a plain object.");
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
  const from = extractSender(message) ?? "";
  const at = from.lastIndexOf("@");
  const domain = at >= 0 ? from.slice(at + 1).replace(/[\s<>\x00-\x1f\x7f]/g, "") : "";
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

/** Whether a message given to a sending method is a plain object ({@link EmailInit}) rather than a message object. */
export function isMessageInit(value: unknown): value is EmailInit {
  return isEmailInit(value);
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
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
  const end = /\r?\n\r?\n/.exec(text);
  const header = (end ? text.slice(0, end.index) : text).replace(/\r?\n[ \t]/g, " ");
  const match = /^message-id[ \t]*:(.*)$/im.exec(header);
  return match?.[1]?.trim() || undefined;
}
