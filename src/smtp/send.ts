/**
 * The one-call way to send: connect, upgrade, log in, send, quit.
 *
 * @module
 */
import type { EmailInit } from "../email/fromobject.js";
import type { Message } from "../email/message.js";
import { SMTP, checkRawEnvelope, sendLastMessage, type SendResult, type SMTPOptions } from "./client.js";
import { isMessageInit, messageFromInit } from "./envelope.js";
import { checkRawMessage, prepareMessageTransaction, prepareTransaction, type Transaction } from "./transaction.js";

/** Options of {@link send}: the connection options of {@link SMTP}, the envelope, and a signal. */
export interface SendOptions extends SMTPOptions {
  /** The envelope sender; required for a raw message, else taken from the headers. */
  readonly sender?: string | undefined;
  /** The envelope recipients; required for a raw message, else taken from the headers. */
  readonly recipients?: string | readonly string[] | undefined;
  /** ESMTP parameters for MAIL FROM. */
  readonly mailOptions?: readonly string[] | undefined;
  /** ESMTP parameters for every RCPT TO. */
  readonly rcptOptions?: readonly string[] | undefined;
  /** Aborting stops the whole operation and closes the connection. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends one message and disconnects (aiosmtplib's `send`). `message` is an `EmailMessage`,
 * a legacy `Message`, a plain object ({@link EmailInit}), or a raw RFC 5322 message (a
 * string, which must be ASCII, or bytes). The client connects, upgrades with STARTTLS as
 * `startTls` says, logs in when `username` is given, sends, then QUITs. An EmailInit is
 * checked and built (its files read, a Message-ID added) before connecting; message
 * objects are sent as they are (with a Message-ID added to a copy when they have none).
 * For many messages over one session, use `SMTP.connect()` and `client.send()`.
 *
 * @returns the refused recipients (`errors`, empty when all were accepted), the server's
 *   reply to the message data, and the rest of {@link SendResult}
 * @throws TypeError before any connection for whatever can be checked without the server:
 *   a raw message without `sender` or `recipients`, a non-ASCII string message, no
 *   recipients, an address that is not exactly one mailbox or holds a control character,
 *   a message object without sender or recipient headers (or with headers that cannot be
 *   read as addresses), bad `mailOptions`, `rcptOptions` or `dsn`, bad connection options
 * @throws EmailValidationError before any connection for an EmailInit that cannot make a
 *   message (its messages are listed at `validateEmailInit`), or that has fields SMTP
 *   cannot carry (`smtp does not support these EmailMessage fields: tags, metadata.`)
 * @throws the errors of {@link SMTP.connect} and {@link SMTP.send}
 *
 * @example
 * const { errors } = await send(message, { hostname: "smtp.example.com", port: 587, startTls: true, username, password });
 * @example
 * const { messageId } = await send({ from: "ada@example.com", to: "bob@example.org", subject: "Hi", text: "Hello\n" }, { hostname: "127.0.0.1", port: 2525 });
 */
export async function send(
  message: Message | EmailInit | string | Uint8Array,
  options: SendOptions = {},
): Promise<SendResult> {
  const raw = typeof message === "string" || message instanceof Uint8Array;
  if (raw) {
    checkRawEnvelope(options);
  } else if (typeof message !== "object" || message === null) {
    throw new TypeError("the message must be a Message, an object describing one (EmailInit), a string or a Uint8Array");
  }
  const { sender, recipients, mailOptions, rcptOptions, signal, ...connection } = options;
  const client = new SMTP(connection);
  // Everything that can be checked without the server is checked before connecting.
  const prepared: Message | string | Uint8Array = raw
    ? message
    : isMessageInit(message)
      ? await messageFromInit(message)
      : (message as Message);
  const sendOptions = { mailOptions, rcptOptions, signal, sender, recipients };
  let transaction: Transaction;
  if (typeof prepared === "string" || prepared instanceof Uint8Array) {
    checkRawMessage(prepared);
    transaction = prepareTransaction(sender, recipients, sendOptions, client.options.dsn);
  } else {
    transaction = prepareMessageTransaction(prepared, sendOptions, client.options.dsn);
  }
  await client.connect({ signal });
  let result: SendResult;
  try {
    result = await sendLastMessage(client, prepared, sendOptions, transaction);
  } catch (error) {
    // As aiosmtplib: still say goodbye when the connection survived the error.
    await client[Symbol.asyncDispose]().catch(() => undefined);
    throw error;
  }
  await client[Symbol.asyncDispose]();
  return result;
}
