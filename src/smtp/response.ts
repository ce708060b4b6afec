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
  invalidResponse: -1,
  systemStatusOk: 211,
  helpMessage: 214,
  ready: 220,
  closing: 221,
  authSuccessful: 235,
  completed: 250,
  willForward: 251,
  cannotVrfy: 252,
  authContinue: 334,
  startInput: 354,
  domainUnavailable: 421,
  mailboxUnavailable: 450,
  errorProcessing: 451,
  insufficientStorage: 452,
  tlsNotAvailable: 454,
  unrecognizedCommand: 500,
  unrecognizedParameters: 501,
  commandNotImplemented: 502,
  badCommandSequence: 503,
  parameterNotImplemented: 504,
  domainDoesNotAcceptMail: 521,
  accessDenied: 530,
  authFailed: 535,
  mailboxDoesNotExist: 550,
  userNotLocal: 551,
  storageExceeded: 552,
  mailboxNameInvalid: 553,
  transactionFailed: 554,
  syntaxError: 555,
} as const);

/** A reply code that {@link SMTPStatus} names. */
export type SMTPStatusCode = (typeof SMTPStatus)[keyof typeof SMTPStatus];
