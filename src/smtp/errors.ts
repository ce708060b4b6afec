/**
 * The exceptions of the SMTP client, with aiosmtplib's names and hierarchy.
 *
 * Every class is an `Error` subclass with a fixed `name`. Errors that wrap a socket or
 * TLS error keep it as the native `cause`. Python's multiple inheritance
 * (`SMTPConnectTimeoutError` and `SMTPConnectResponseError` are also `SMTPConnectError`s)
 * is kept for `instanceof`.
 *
 * @module
 */
import { SMTPResponse } from "./response.js";

/** The base class of every SMTP client error (aiosmtplib's `SMTPException`). */
export class SMTPException extends Error {
  /**
   * The class's own name (`"SMTPSenderRefused"`, `"SMTPReadTimeoutError"` ...), fixed for
   * each subclass, so that a logged or printed error says which it is. Test with `instanceof`.
   */
  override readonly name: string = "SMTPException";

  /**
   * Makes the error. The client makes these; a caller makes one to fail the same way
   * (in a hook, or a wrapper around the client).
   *
   * @param message what went wrong
   * @param options `cause`: the error this one wraps
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The connection was lost unexpectedly, or a command needs a connection and there is none. */
export class SMTPServerDisconnected extends SMTPException {
  override readonly name: string = "SMTPServerDisconnected";
}

/**
 * Connecting to the server failed: the socket could not be opened, the TLS handshake failed,
 * or the server hung up before its greeting. `instanceof SMTPConnectError` is also true for
 * {@link SMTPConnectTimeoutError} and {@link SMTPConnectResponseError}, as in aiosmtplib.
 */
export class SMTPConnectError extends SMTPException {
  override readonly name: string = "SMTPConnectError";

  /** `instanceof SMTPConnectError`: also true for the timeout and greeting errors of connecting. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // Python's SMTPConnectTimeoutError and SMTPConnectResponseError inherit from both parents.
    return (
      this === SMTPConnectError &&
      (value instanceof SMTPConnectTimeoutError || value instanceof SMTPConnectResponseError)
    );
  }
}

/** A network operation took longer than the client's `timeout`; the connection is closed. */
export class SMTPTimeoutError extends SMTPException {
  override readonly name: string = "SMTPTimeoutError";
}

/** Connecting, or waiting for the server's greeting, took longer than the `timeout`. */
export class SMTPConnectTimeoutError extends SMTPTimeoutError {
  override readonly name: string = "SMTPConnectTimeoutError";
}

/** Waiting for a reply took longer than the `timeout`. */
export class SMTPReadTimeoutError extends SMTPTimeoutError {
  override readonly name: string = "SMTPReadTimeoutError";
}

/** The server does not offer what the command or message needs (an extension, a size). */
export class SMTPNotSupported extends SMTPException {
  override readonly name: string = "SMTPNotSupported";
}

/**
 * The server answered with an unexpected reply code. `code` and `message` are the reply's
 * (`code` is -1 for a reply that could not be read); `command` names the command answered,
 * when known.
 */
export class SMTPResponseException extends SMTPException {
  override readonly name: string = "SMTPResponseException";
  /** The reply code, or -1 for a malformed or oversized reply. */
  readonly code: number;
  /** The verb of the command that got this reply (`"MAIL"`, `"DATA"` ...), when known. */
  readonly command: string | undefined;

  /**
   * Makes the error from a server reply.
   *
   * @param code the reply code
   * @param message the reply text (lines joined with `\n`)
   * @param options `command`: the command's verb; `cause`: a wrapped error
   */
  constructor(code: number, message: string, options?: ErrorOptions & { command?: string }) {
    super(message, options);
    this.code = code;
    this.command = options?.command;
  }

  /** The server's reply as an {@link SMTPResponse}. */
  get response(): SMTPResponse {
    return new SMTPResponse(this.code, this.message);
  }
}

/** The server's greeting was not a 220 (also an {@link SMTPConnectError}). */
export class SMTPConnectResponseError extends SMTPResponseException {
  override readonly name: string = "SMTPConnectResponseError";
}

/** The server refused EHLO or HELO. */
export class SMTPHeloError extends SMTPResponseException {
  override readonly name: string = "SMTPHeloError";
}

/** The server refused the DATA command, a BDAT chunk, or the message content. */
export class SMTPDataError extends SMTPResponseException {
  override readonly name: string = "SMTPDataError";
}

/** The server refused an AUTH exchange, usually for wrong credentials. */
export class SMTPAuthenticationError extends SMTPResponseException {
  override readonly name: string = "SMTPAuthenticationError";
}

/** The server refused the envelope sender (MAIL FROM). */
export class SMTPSenderRefused extends SMTPResponseException {
  override readonly name: string = "SMTPSenderRefused";
  /** The sender as the caller gave it. */
  readonly sender: string;

  /**
   * Makes the error from the reply to MAIL FROM.
   *
   * @param code the reply code
   * @param message the reply text
   * @param sender the refused sender
   * @param options `command`: default `"MAIL"`; `cause`: a wrapped error
   */
  constructor(code: number, message: string, sender: string, options?: ErrorOptions & { command?: string }) {
    super(code, message, { command: "MAIL", ...options });
    this.sender = sender;
  }
}

/** The server refused one recipient (RCPT TO). */
export class SMTPRecipientRefused extends SMTPResponseException {
  override readonly name: string = "SMTPRecipientRefused";
  /** The recipient as the caller gave it. */
  readonly recipient: string;

  /**
   * Makes the error from the reply to one RCPT TO.
   *
   * @param code the reply code
   * @param message the reply text
   * @param recipient the refused recipient
   * @param options `command`: default `"RCPT"`; `cause`: a wrapped error
   */
  constructor(code: number, message: string, recipient: string, options?: ErrorOptions & { command?: string }) {
    super(code, message, { command: "RCPT", ...options });
    this.recipient = recipient;
  }
}

/** The server refused every recipient of a message; `recipients` holds each refusal. */
export class SMTPRecipientsRefused extends SMTPException {
  override readonly name: string = "SMTPRecipientsRefused";
  /** One error per refused recipient, in the order they were sent. */
  readonly recipients: readonly SMTPRecipientRefused[];

  /**
   * Makes the error, its message listing each refusal (`"no recipients were accepted"`
   * for an empty list).
   *
   * @param recipients the refusals, one per recipient, in the order sent; copied
   */
  constructor(recipients: readonly SMTPRecipientRefused[]) {
    super(
      recipients.length === 0
        ? "no recipients were accepted"
        : `every recipient was refused: ${recipients.map((r) => `${r.recipient} (${r.code} ${r.message})`).join(", ")}`,
    );
    this.recipients = Object.freeze([...recipients]);
  }
}
