/**
 * A mail transaction as far as it can be prepared without the server: the envelope checked
 * and reduced to addr-specs, the caller's ESMTP parameters checked, the DSN options
 * resolved, the raw message checked. `send()` does this before it connects, and the
 * client before it writes anything. Once the server's extensions are known,
 * {@link wireEnvelope} says how the addresses go on the wire.
 *
 * @internal Used by the client and `send()`; not part of the public API.
 * @module
 */
import type { Message } from "../email/message.js";
import { checkDsnOptions, dsnRcptParameters, type DSNOptions } from "./dsn.js";
import { envelopeAddress, extractRecipients, extractSender, localPartIsNonAscii, withAsciiDomain } from "./envelope.js";
import { SMTPNotSupported } from "./errors.js";
import { checkCommandArgument, isNonAscii } from "./protocol.js";

/** The parts of a send's options that shape the transaction. */
export interface TransactionOptions {
  readonly mailOptions?: readonly string[] | undefined;
  readonly rcptOptions?: readonly string[] | undefined;
  readonly dsn?: DSNOptions | false | undefined;
}

/** A checked transaction, ready for a server. */
export interface Transaction {
  /** The sender as the caller gave it (for errors). */
  readonly sender: string;
  /** The sender's addr-spec; `""` for the null reverse-path. */
  readonly from: string;
  /** The recipients as the caller gave them (the keys of `errors`, `accepted`, `rejected`). */
  readonly recipients: readonly string[];
  /** The recipients' addr-specs, in the same order. */
  readonly to: readonly string[];
  /** The caller's MAIL parameters, without SMTPUTF8 (added when it is used). */
  readonly mailOptions: readonly string[];
  /** The caller's RCPT parameters. */
  readonly rcptOptions: readonly string[];
  /** Whether the caller asked for SMTPUTF8 in `mailOptions`. */
  readonly smtpUtf8: boolean;
  /** The DSN options in force: the send's, else the client's. */
  readonly dsn: DSNOptions | undefined;
}

/**
 * Checks a list of ESMTP parameters.
 * @param what names the list in error messages ("mailOptions" ...)
 * @throws TypeError when it is not an array of ASCII strings without control characters
 */
export function checkOptionList(options: readonly string[] | undefined, what: string): string[] {
  if (options === undefined) return [];
  if (!Array.isArray(options)) throw new TypeError(`the ${what} must be an array of strings`);
  const one = what.replace(/s$/, "");
  return options.map((option: unknown) => {
    checkCommandArgument(option, one);
    if (isNonAscii(option)) throw new TypeError(`the ${one} ${JSON.stringify(option)} is not ASCII`);
    if (option === "" || /\s/.test(option)) {
      throw new TypeError(`the ${one} ${JSON.stringify(option)} must be one parameter, without spaces`);
    }
    return option;
  });
}

/**
 * A raw message as bytes.
 * @throws TypeError for a string that is not ASCII (its encoding would be a guess) or a
 *   value that is neither a string nor a Uint8Array
 */
export function toAsciiBytes(message: string | Uint8Array): Uint8Array {
  if (message instanceof Uint8Array) return message;
  checkRawMessage(message);
  return Buffer.from(message, "latin1");
}

/**
 * Checks a raw message without copying it.
 * @throws as {@link toAsciiBytes}
 */
export function checkRawMessage(message: unknown): asserts message is string | Uint8Array {
  if (message instanceof Uint8Array) return;
  if (typeof message !== "string") throw new TypeError("a message must be a string or a Uint8Array");
  if (isNonAscii(message)) {
    throw new TypeError("a message given as a string must be ASCII; pass the bytes (a Uint8Array) to send 8-bit data");
  }
}

/** Parameters mailport writes itself, from the message and the server's extensions. */
const COMPUTED_MAIL_PARAMETERS = /^(SIZE|BODY)=/i;

/**
 * Checks a transaction's envelope and options (RFC 5321 addresses, ESMTP parameters,
 * DSN options).
 * @param clientDsn the client's `dsn`, used unless `options.dsn` replaces it
 * @throws TypeError for no recipients, an address that is not exactly one mailbox, a
 *   parameter holding a control character, a space or non-ASCII text, `SIZE=` or `BODY=`
 *   in `mailOptions` (mailport computes them), DSN parameters given both ways, or bad
 *   `dsn` options
 */
export function prepareTransaction(
  sender: unknown,
  recipients: unknown,
  options: TransactionOptions,
  clientDsn: DSNOptions | undefined,
): Transaction {
  if (typeof sender !== "string") throw new TypeError(`the sender must be a string, got ${typeof sender}`);
  if (typeof recipients !== "string" && !Array.isArray(recipients)) {
    throw new TypeError("the recipients must be a string or an array of strings");
  }
  const recipientList: unknown[] = typeof recipients === "string" ? [recipients] : [...(recipients as unknown[])];
  if (recipientList.length === 0) throw new TypeError("at least one recipient is needed");
  const from = envelopeAddress(sender, "sender", { nullAllowed: true });
  const to = recipientList.map((recipient) => {
    if (typeof recipient !== "string") throw new TypeError(`a recipient must be a string, got ${typeof recipient}`);
    return envelopeAddress(recipient, "recipient");
  });
  const given = checkOptionList(options.mailOptions, "mailOptions");
  for (const option of given) {
    if (COMPUTED_MAIL_PARAMETERS.test(option)) {
      throw new TypeError(
        `the mailOption ${JSON.stringify(option)} is written by mailport (SIZE= from the message, ` +
          "BODY=8BITMIME when the message has 8-bit data and the server offers 8BITMIME); leave it out",
      );
    }
  }
  const isSmtpUtf8 = (option: string): boolean => option.toUpperCase() === "SMTPUTF8";
  const rcptOptions = checkOptionList(options.rcptOptions, "rcptOptions");
  const dsn = options.dsn === undefined ? clientDsn : options.dsn === false ? undefined : checkDsnOptions(options.dsn);
  if (dsn !== undefined) {
    const twice =
      given.find((option) => /^(RET|ENVID)=/i.test(option)) ?? rcptOptions.find((option) => /^(NOTIFY|ORCPT)=/i.test(option));
    if (twice !== undefined) {
      throw new TypeError(`the parameter ${JSON.stringify(twice)} is given both in the options and by dsn; give it one way`);
    }
    // ORCPT values are checked now, before anything is sent.
    for (const address of to) dsnRcptParameters(dsn, orcptAddress(address));
  }
  return Object.freeze({
    sender,
    from,
    recipients: Object.freeze(recipientList as string[]),
    to: Object.freeze(to),
    mailOptions: Object.freeze(given.filter((option) => !isSmtpUtf8(option))),
    rcptOptions: Object.freeze(rcptOptions),
    smtpUtf8: given.some(isSmtpUtf8),
    dsn,
  });
}

/** The envelope and options a message object gives. */
export interface MessageTransactionOptions extends TransactionOptions {
  readonly sender?: string | undefined;
  readonly recipients?: string | readonly string[] | undefined;
}

/**
 * As {@link prepareTransaction}, the sender and recipients taken from the message's
 * headers unless given.
 * @throws TypeError as {@link prepareTransaction}, and when the message has no sender or
 *   no recipient, or headers that cannot be read as addresses
 */
export function prepareMessageTransaction(
  message: Message,
  options: MessageTransactionOptions,
  clientDsn: DSNOptions | undefined,
): Transaction {
  const sender = options.sender ?? extractSender(message);
  if (sender === undefined) throw new TypeError("No From header provided in message");
  const recipients = options.recipients ?? extractRecipients(message);
  if (options.recipients === undefined && recipients.length === 0) throw new TypeError("No recipient headers provided in message");
  return prepareTransaction(sender, recipients, options, clientDsn);
}

/** The envelope as it goes on the wire to one server. */
export interface WireEnvelope {
  readonly from: string;
  readonly to: readonly string[];
  /** Whether the transaction uses SMTPUTF8 (addresses and headers in UTF-8). */
  readonly utf8: boolean;
}

/**
 * How the addresses go to a server: as they are, with SMTPUTF8, when an address is not
 * ASCII (or the caller asked for SMTPUTF8) and the server offers it; else in ASCII, with
 * internationalized domains written as A-labels (RFC 5890).
 * @throws SMTPNotSupported when an address has a non-ASCII local part, or the caller asked
 *   for SMTPUTF8, and the server does not offer SMTPUTF8
 */
export function wireEnvelope(transaction: Transaction, serverOffersSmtpUtf8: boolean): WireEnvelope {
  const addresses = [transaction.from, ...transaction.to];
  if (serverOffersSmtpUtf8 && (transaction.smtpUtf8 || addresses.some(isNonAscii))) {
    return { from: transaction.from, to: transaction.to, utf8: true };
  }
  if (transaction.smtpUtf8) throw new SMTPNotSupported("SMTPUTF8 is not supported by this server");
  const unicode = addresses.find(localPartIsNonAscii);
  if (unicode !== undefined) {
    throw new SMTPNotSupported(
      `An address containing non-ASCII characters was provided, but SMTPUTF8 is not supported by this server: ${unicode}`,
    );
  }
  return { from: withAsciiDomain(transaction.from), to: transaction.to.map(withAsciiDomain), utf8: false };
}

/** The RCPT parameters for one recipient (an addr-spec as sent): the caller's, then the DSN ones. */
export function rcptParameters(transaction: Transaction, address: string): string[] {
  if (transaction.dsn === undefined) return [...transaction.rcptOptions];
  return [...transaction.rcptOptions, ...dsnRcptParameters(transaction.dsn, orcptAddress(address))];
}

/** ORCPT's rfc822 address type is ASCII: an internationalized domain is given as A-labels. */
function orcptAddress(address: string): string {
  return localPartIsNonAscii(address) ? address : withAsciiDomain(address);
}
