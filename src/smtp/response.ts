/**
 * Server replies: {@link SMTPResponse} and the reply codes of {@link SMTPStatus}.
 *
 * @module
 */

/**
 * One reply from the server: its three-digit code and its text (the lines of a multi-line
 * reply joined with `\n`, without the code prefixes). Immutable.
 *
 * @example
 * const reply = await smtp.noop();
 * reply.code;       // 250
 * String(reply);    // "250 OK"
 */
export class SMTPResponse {
  /** The reply code; -1 for a reply that could not be read. */
  readonly code: number;
  /** The reply text; lines of a multi-line reply are joined with `\n`. */
  readonly message: string;

  /**
   * Makes a frozen reply. The client makes these from what it reads; the values are not
   * checked, so that an unreadable reply can be reported as code -1.
   *
   * @param code the reply code
   * @param message the reply text
   */
  constructor(code: number, message: string) {
    this.code = code;
    this.message = message;
    Object.freeze(this);
  }

  /** The reply as `"<code> <text>"`, as aiosmtplib's `str(response)`. */
  toString(): string {
    return `${this.code} ${this.message}`;
  }
}

/**
 * The SMTP reply codes the client checks, with aiosmtplib's names in camelCase
 * (`SMTPStatus.completed` is 250, `SMTPStatus.startInput` 354 ...).
 */
export const SMTPStatus = Object.freeze({
  /**
   * Not a server code: the `code` of the {@link SMTPResponseException} the client throws
   * for a reply it could not read (malformed, or over the length limit), as aiosmtplib.
   */
  invalidResponse: -1,
  /** 211, system status or system help reply (RFC 5321 §4.2.3); one of the successes of HELP. */
  systemStatusOk: 211,
  /** 214, a help message for people (RFC 5321 §4.2.3); the usual success of HELP. */
  helpMessage: 214,
  /**
   * 220, service ready: the greeting the client waits for after connecting, and the reply
   * to STARTTLS before the TLS handshake (RFC 3207).
   */
  ready: 220,
  /** 221, service closing the transmission channel: the success of QUIT. */
  closing: 221,
  /** 235, authentication succeeded (RFC 4954): the end of a successful AUTH exchange. */
  authSuccessful: 235,
  /**
   * 250, requested mail action okay, completed: the success of EHLO, HELO, MAIL, RCPT,
   * RSET, NOOP, the end of DATA and most other commands.
   */
  completed: 250,
  /**
   * 251, user not local, the server will forward (RFC 5321 §3.4): RCPT and VRFY take it as
   * success.
   */
  willForward: 251,
  /**
   * 252, cannot verify the user, but the server will accept the message and try to deliver
   * it (RFC 5321 §3.5.3): VRFY takes it as success.
   */
  cannotVrfy: 252,
  /**
   * 334, a server challenge in an AUTH exchange (RFC 4954): the text is base64, and the
   * client answers it with one base64 line.
   */
  authContinue: 334,
  /** 354, start mail input, end with `<CRLF>.<CRLF>`: the reply to DATA before the message is sent. */
  startInput: 354,
  /**
   * 421, service not available, closing the channel (RFC 5321 §3.8): may answer any
   * command; the client closes its side of the connection when it gets it.
   */
  domainUnavailable: 421,
  /** 450, mailbox unavailable for now (busy, or temporarily blocked by policy); try later. */
  mailboxUnavailable: 450,
  /** 451, requested action aborted: local error in processing; try later. */
  errorProcessing: 451,
  /**
   * 452, insufficient system storage, or too many recipients in this transaction
   * (RFC 5321 §4.5.3.1.10); try later.
   */
  insufficientStorage: 452,
  /**
   * 454, TLS not available for a temporary reason (RFC 3207), or a temporary
   * authentication failure (RFC 4954).
   */
  tlsNotAvailable: 454,
  /** 500, syntax error, command unrecognized (also a command line too long). */
  unrecognizedCommand: 500,
  /** 501, syntax error in the parameters or arguments. */
  unrecognizedParameters: 501,
  /** 502, command not implemented. */
  commandNotImplemented: 502,
  /** 503, bad sequence of commands (RCPT before MAIL, for example). */
  badCommandSequence: 503,
  /** 504, command parameter not implemented (for AUTH, an unsupported mechanism). */
  parameterNotImplemented: 504,
  /** 521, the host does not accept mail at all (RFC 7504), usually as its greeting. */
  domainDoesNotAcceptMail: 521,
  /** 530, access denied: authentication required (RFC 4954), or STARTTLS first (RFC 3207). */
  accessDenied: 530,
  /**
   * 535, authentication credentials invalid (RFC 4954): the usual reply to a wrong user
   * name or password.
   */
  authFailed: 535,
  /**
   * 550, requested action not taken, mailbox unavailable: not found, no access, or refused
   * by policy; permanent.
   */
  mailboxDoesNotExist: 550,
  /** 551, user not local, try another path (RFC 5321 §3.4); the server will not forward. */
  userNotLocal: 551,
  /** 552, exceeded storage allocation, or a message larger than the server's SIZE (RFC 1870). */
  storageExceeded: 552,
  /** 553, mailbox name not allowed (for example bad address syntax). */
  mailboxNameInvalid: 553,
  /**
   * 554, transaction failed; as a greeting, no SMTP service here. Often a refusal of the
   * message content.
   */
  transactionFailed: 554,
  /** 555, MAIL FROM or RCPT TO parameters not recognized or not implemented (RFC 5321 §4.1.1.11). */
  syntaxError: 555,
} as const);

/** A reply code that {@link SMTPStatus} names. */
export type SMTPStatusCode = (typeof SMTPStatus)[keyof typeof SMTPStatus];
