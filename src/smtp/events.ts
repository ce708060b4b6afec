/**
 * What the client tells its observers: the typed events of {@link SMTPEvents}, the
 * lifecycle hooks, the transcript's log entries (with credentials masked), and the
 * routing of the transcript to a logger by level.
 *
 * @module
 */
import type { Message } from "../email/message.js";
import type { SMTPResponse } from "./response.js";

/** One line of the transcript: sent by the client, or received from the server. */
export interface LogEntry {
  /** `"client"` for a line the client sent, `"server"` for a line it received. */
  readonly direction: "client" | "server";
  /** The line without its CRLF; AUTH payloads are replaced by `****`. */
  readonly line: string;
}

/** How much the client writes to its `logger`. */
export type LogLevel = "none" | "error" | "info" | "debug";

/**
 * Where the client writes: any object with these methods (`console` fits). Each method
 * is optional; a missing one drops the messages of its level.
 */
export interface SMTPLogger {
  /** Receives failures, and hooks and listeners that threw (`logLevel` "error" and up). */
  error?(message: string, ...details: unknown[]): void;
  /** Receives what happens in a session (`logLevel` "info" and up). */
  info?(message: string, ...details: unknown[]): void;
  /** Receives each line of the transcript, `C: ...` or `S: ...`, credentials masked (`logLevel` "debug"). */
  debug?(message: string, ...details: unknown[]): void;
}

/** A message as it was given to a sending method: a message object, or raw data. */
export type SentMessage = Message | string | Uint8Array;

/**
 * The outcome of a mail transaction. `errors` and `response` are aiosmtplib's; the rest
 * describe the transaction as it happened.
 */
export interface SendResult {
  /** Each refused recipient (as given) and the server's reply; empty when all were accepted. */
  readonly errors: Map<string, SMTPResponse>;
  /** The server's reply to the message data. */
  readonly response: SMTPResponse;
  /** The recipients the server accepted, as given, in the order sent. */
  readonly accepted: readonly string[];
  /** The recipients the server refused, as given, in the order sent. */
  readonly rejected: readonly string[];
  /** The envelope as sent: MAIL FROM's address and every RCPT TO's (bare addresses). */
  readonly envelope: {
    /** The MAIL FROM address as sent (`""` for the null sender). */
    readonly from: string;
    /** Every RCPT TO address as sent, accepted or refused, in order. */
    readonly to: readonly string[];
  };
  /** The Message-ID header of the message sent, when it has one. */
  readonly messageId: string | undefined;
  /**
   * The message's size in octets as RFC 1870 counts it: every line ending CRLF, a final
   * CRLF, before dot-stuffing and without the `.` terminator. It is what `SIZE=` declares,
   * what the server stores, and the number in the transcript's `[message data: N bytes]`.
   */
  readonly messageSize: number;
  /**
   * Milliseconds from writing MAIL until the replies to MAIL and every RCPT are in. With
   * PIPELINING, DATA is written together with them, but its reply counts in `messageTime`.
   */
  readonly envelopeTime: number;
  /**
   * Milliseconds from the end of `envelopeTime` to the server's final reply: DATA and its
   * 354 (with PIPELINING, waiting for that reply), the message data, and the reply to it.
   * `envelopeTime + messageTime` is the whole transaction.
   */
  readonly messageTime: number;
}

/**
 * The events of an `SMTP` client (an `eventemitter3` emitter). Listeners run synchronously
 * when the event is emitted. A listener that throws never breaks the operation, and never
 * turns a delivered message into a failure: its error is logged and emitted as an `error`
 * event (an `error` listener that throws is logged at error level, and otherwise ignored).
 * The same holds for a `logger` whose methods throw. `error` is an observation channel
 * only: an emitter with no `error` listener does not throw, and the failing operation's
 * promise rejects anyway. `log` events come as the lines are written and read, so each
 * comes before the event its line leads to. A failure that ends the connection gives
 * `error` (and `onError`) first, then `close` (and `onClose`), then the rejection.
 */
export interface SMTPEvents {
  /**
   * Connected: after the greeting and everything `connect()` does next: EHLO (or HELO),
   * STARTTLS and EHLO again when upgrading, login. `esmtpExtensions` is known by then.
   * (aiosmtplib's `connect()` sends no EHLO with `start_tls=False` and no login.)
   */
  connect: [greeting: SMTPResponse];
  /** A message was delivered to the server (possibly with some recipients refused). */
  sent: [message: SentMessage, result: SendResult];
  /**
   * An operation failed (`message` is the message being sent, if any), or a hook, a
   * listener or the logger threw (then `message` is the message concerned, if any).
   */
  error: [message: SentMessage | undefined, error: unknown];
  /** The connection closed; `error` is what closed it, when it was an error. */
  close: [error?: unknown];
  /** One line of the transcript. */
  log: [entry: LogEntry];
}

/**
 * Functions the client awaits at each moment of its life. At each moment the event is
 * emitted first, then the hook is awaited, and only then does the operation's promise
 * settle. A hook that throws (or rejects) is reported as an `error` event, and to
 * `onError`, and logged; it never turns a delivered message into a failure, nor a failure
 * into another one. An `onError` or `onClose` hook that throws is reported as an `error`
 * event only.
 */
export interface SMTPHooks {
  /** After `connect`. */
  readonly onConnect?: ((greeting: SMTPResponse) => void | Promise<void>) | undefined;
  /** After `sent`. */
  readonly onSent?: ((message: SentMessage, result: SendResult) => void | Promise<void>) | undefined;
  /** After `error`, for a failed operation or a hook that threw. */
  readonly onError?: ((message: SentMessage | undefined, error: unknown) => void | Promise<void>) | undefined;
  /**
   * After `close`. Awaited by `quit()` and `send()`; when the connection ends otherwise
   * (`close()`, the server hanging up) it runs in the background.
   */
  readonly onClose?: ((error?: unknown) => void | Promise<void>) | undefined;
}

const MASK = "****";

/**
 * Masks the credentials of an AUTH command line: everything after `AUTH <mechanism>`
 * (PLAIN's and LOGIN's initial responses, XOAUTH2's token, any other mechanism's).
 * Other lines are returned as they are. `continuation` says that the line answers a 334
 * challenge of an AUTH exchange: then the whole line is masked.
 */
export function maskCredentials(line: string, continuation: boolean): string {
  if (continuation) return line === "" ? "" : MASK;
  const auth = /^(AUTH[ \t]+[^ \t]+)[ \t]+\S/i.exec(line);
  return auth ? `${auth[1]} ${MASK}` : line;
}

/** The lines of a reply as the server wrote them (`250-first`, `250 last`). */
export function replyLines(code: number, message: string): string[] {
  const lines = message.split("\n");
  return lines.map((line, i) => `${code}${i === lines.length - 1 ? " " : "-"}${line}`);
}

const LEVELS: Readonly<Record<LogLevel, number>> = { none: 0, error: 1, info: 2, debug: 3 };

/** Whether `level` lets through messages of `wanted`. */
export function logLevelAllows(level: LogLevel, wanted: Exclude<LogLevel, "none">): boolean {
  return LEVELS[level] >= LEVELS[wanted];
}

/**
 * Checks a log level.
 * @throws TypeError for anything but "none", "error", "info" or "debug"
 */
export function checkLogLevel(level: unknown): LogLevel {
  if (typeof level !== "string" || !(level in LEVELS)) {
    throw new TypeError(`the logLevel option must be "none", "error", "info" or "debug", got ${JSON.stringify(level)}`);
  }
  return level as LogLevel;
}

/**
 * Checks a hooks object.
 * @throws TypeError when it is not an object of functions named onConnect, onSent, onError, onClose
 */
export function checkHooks(hooks: unknown): SMTPHooks {
  if (typeof hooks !== "object" || hooks === null) throw new TypeError("the hooks option must be an object");
  for (const [key, value] of Object.entries(hooks)) {
    if (!["onConnect", "onSent", "onError", "onClose"].includes(key)) {
      throw new TypeError(`the hooks option has no hook ${JSON.stringify(key)} (it takes onConnect, onSent, onError, onClose)`);
    }
    if (value !== undefined && typeof value !== "function") throw new TypeError(`the ${key} hook must be a function`);
  }
  return Object.freeze({ ...(hooks as SMTPHooks) });
}
