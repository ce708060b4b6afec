/**
 * The SMTP client (aiosmtplib's `SMTP` class): one connection to one server, command by
 * command, plus whole transactions ({@link SMTP.sendmail}, {@link SMTP.sendMessage}).
 *
 * Each command method states which reply codes count as success and which error it throws
 * otherwise. Every method that waits on the network takes `timeout` (seconds) and `signal`;
 * a timeout or an abort closes the connection.
 *
 * @module
 */
import net from "node:net";
import os from "node:os";
import tls from "node:tls";
import { EventEmitter } from "eventemitter3";
import type { EmailInit } from "../email/fromobject.js";
import type { Message } from "../email/message.js";
import { authCramMd5Verify, authLoginEncode, authPlainEncode, authXoauth2Encode } from "./auth.js";
import { Connection, DATA_CHUNK_SIZE, QUIT, abortError, deadlineIn, within, type ConnectTarget, type WaitOptions } from "./connection.js";
import { checkDsnOptions, dsnMailParameters, type DSNOptions } from "./dsn.js";
import {
  envelopeAddress,
  flattenMessage,
  isMessageInit,
  localPartIsNonAscii,
  messageFromInit,
  messageIdOf,
  rawMessageId,
  withAsciiDomain,
  withMessageId,
} from "./envelope.js";
import {
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPConnectResponseError,
  SMTPConnectTimeoutError,
  SMTPDataError,
  SMTPException,
  SMTPHeloError,
  SMTPNotSupported,
  SMTPReadTimeoutError,
  SMTPRecipientRefused,
  SMTPRecipientsRefused,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "./errors.js";
import { parseEsmtpExtensions } from "./esmtp.js";
import {
  checkHooks,
  checkLogLevel,
  logLevelAllows,
  maskCredentials,
  replyLines,
  type LogLevel,
  type SendResult,
  type SentMessage,
  type SMTPEvents,
  type SMTPHooks,
  type SMTPLogger,
} from "./events.js";
import { Lock } from "./lock.js";
import { isPemText, pemSource, secureContextFor, type PemOption } from "./tlscontext.js";
import { DataEncoder, checkCommandArgument, encodeCommand, hasEightBitData, isNonAscii, normalizedSize } from "./protocol.js";
import {
  checkOptionList,
  prepareMessageTransaction,
  prepareTransaction,
  rcptParameters,
  toAsciiBytes,
  wireEnvelope,
  type Transaction,
  type WireEnvelope,
} from "./transaction.js";
import { SMTPResponse, SMTPStatus } from "./response.js";

/** The plain SMTP port. */
export const SMTP_PORT = 25;
/** The port of SMTP over implicit TLS (submissions). */
export const SMTP_TLS_PORT = 465;
/** The submission port, where STARTTLS is expected. */
export const SMTP_STARTTLS_PORT = 587;
/** The default `timeout`, in seconds. */
export const DEFAULT_TIMEOUT = 60;

/** The AUTH mechanisms {@link SMTP.login} tries, most preferred first. */
export const AUTH_METHODS: readonly string[] = Object.freeze(["cram-md5", "plain", "login"]);

/** How to reach and talk to the server. Every option is optional. */
export interface SMTPOptions {
  /**
   * Server name or IP address, and the name its certificate is checked against. Default
   * `"localhost"`, unless `sock` or `socketPath` is given: then it is needed for TLS
   * (`useTls`, `startTls: true`, or an upgrade because the server offers STARTTLS).
   */
  readonly hostname?: string | undefined;
  /** Server port. Default 465 with `useTls`, 587 with `startTls: true`, else 25. */
  readonly port?: number | undefined;
  /** Log in as this user after connecting (with `password`, or `oauthTokenGenerator` for XOAUTH2). */
  readonly username?: string | undefined;
  /** The password for `username` (default `""`). Not without `username`, nor with `oauthTokenGenerator`. */
  readonly password?: string | undefined;
  /**
   * Returns an OAuth2 access token; the client logs in as `username` (required) with
   * XOAUTH2. The call is bounded by `timeout` and the signal, as a reply is.
   */
  readonly oauthTokenGenerator?: (() => Promise<string>) | undefined;
  /** The name sent with EHLO/HELO. Default the machine's host name. */
  readonly localHostname?: string | undefined;
  /** The local address and port to connect from. Not with `sock` or `socketPath`. */
  readonly sourceAddress?:
    | {
        /** The local IP address to connect from; `""`: any. */
        readonly host: string;
        /** The local port to connect from, 0 to 65535; `0`: any. */
        readonly port: number;
      }
    | undefined;
  /** Seconds to wait for connecting plus the greeting, and for each reply. Default 60; `null` or `Infinity`: no limit. */
  readonly timeout?: number | null | undefined;
  /** Connect over TLS from the start (implicit TLS, port 465). Not with `startTls: true`. */
  readonly useTls?: boolean | undefined;
  /** `true`: STARTTLS is required; `false`: never; `undefined`: upgrade when the server offers it. */
  readonly startTls?: boolean | undefined;
  /** Verify the server's certificate and host name. Default true. */
  readonly validateCerts?: boolean | undefined;
  /**
   * A client certificate: PEM text, or the path of a PEM file (read when connecting, and
   * again only when it changes). Not with `tlsContext`.
   */
  readonly clientCert?: string | undefined;
  /** The client certificate's key (as `clientCert`); default: taken from `clientCert`. Needs `clientCert`. */
  readonly clientKey?: string | undefined;
  /** Extra CA certificates to trust, besides the system's (as `clientCert`). Not with `tlsContext`. */
  readonly certBundle?: string | undefined;
  /** A ready TLS context, which holds its own trust and certificate: not with `clientCert`, `clientKey` or `certBundle`. */
  readonly tlsContext?: tls.SecureContext | undefined;
  /** Connect to this Unix domain socket. Not with `port` or `sock`. */
  readonly socketPath?: string | undefined;
  /** Use this connected socket. Not with `port` or `socketPath`; it is closed with the client. */
  readonly sock?: net.Socket | undefined;
  /**
   * Ask for delivery status notifications (RFC 3461) for every message; a send's own
   * `dsn` replaces this. The server must offer DSN.
   */
  readonly dsn?: DSNOptions | undefined;
  /** Functions awaited at each moment of the client's life (see {@link SMTPHooks}). */
  readonly hooks?: SMTPHooks | undefined;
  /**
   * What to write to `logger`: `"error"` (failures, hooks that threw), `"info"` (also
   * connections, messages sent, closes), `"debug"` (also the transcript, credentials
   * masked). Default `"info"` when a `logger` is given, else `"none"`.
   */
  readonly logLevel?: LogLevel | undefined;
  /** Where to write the log; default `console` when only `logLevel` is given. */
  readonly logger?: SMTPLogger | undefined;
  /**
   * Send messages with BDAT (RFC 3030 CHUNKING) when the server offers CHUNKING: the
   * message in chunks that carry their length, line endings made CRLF, no dot-stuffing.
   * Default false: DATA, as aiosmtplib (which has no BDAT). A mailport addition.
   */
  readonly chunking?: boolean | undefined;
}

/** {@link SMTPOptions} as the client uses them: checked, defaults applied (a few stay `undefined` until connecting, as each field says). */
export interface ResolvedSMTPOptions {
  /** The server name or address: as given, else `"localhost"`; `undefined` only with `sock` or `socketPath`. */
  readonly hostname: string | undefined;
  /**
   * The port as given; `undefined` when not given, and then chosen on connecting: 465 with
   * `useTls`, 587 with `startTls: true`, else 25 (none with `sock` or `socketPath`).
   */
  readonly port: number | undefined;
  /** The user to log in as after connecting; `undefined`: no login (unless `login` is called). */
  readonly username: string | undefined;
  /** The password for `username`, as given; `undefined` logs in with `""` (or XOAUTH2 with `oauthTokenGenerator`). */
  readonly password: string | undefined;
  /** Returns an OAuth2 access token for XOAUTH2, when given. */
  readonly oauthTokenGenerator: (() => Promise<string>) | undefined;
  /** The name sent with EHLO/HELO: as given, else the machine's host name. */
  readonly localHostname: string;
  /** The local address and port to connect from, as given; `undefined`: the system chooses. */
  readonly sourceAddress:
    | {
        /** The local IP address to connect from; `""`: any. */
        readonly host: string;
        /** The local port to connect from; `0`: any. */
        readonly port: number;
      }
    | undefined;
  /** Seconds; `Infinity` for no limit. */
  readonly timeout: number;
  /** Whether the connection is TLS from the start (implicit TLS); default false. */
  readonly useTls: boolean;
  /** `true`: STARTTLS is required; `false`: never; `undefined`: upgrade when the server offers it. */
  readonly startTls: boolean | undefined;
  /** Whether the server's certificate and host name are verified; default true. */
  readonly validateCerts: boolean;
  /** The client certificate as given: PEM text or the path of a PEM file. */
  readonly clientCert: string | undefined;
  /** The client certificate's key as given (PEM text or path); `undefined`: taken from `clientCert`. */
  readonly clientKey: string | undefined;
  /** Extra CA certificates to trust as given (PEM text or path), besides the system's. */
  readonly certBundle: string | undefined;
  /** The TLS context given, which replaces `clientCert`, `clientKey` and `certBundle`. */
  readonly tlsContext: tls.SecureContext | undefined;
  /** The Unix domain socket to connect to, when given. */
  readonly socketPath: string | undefined;
  /** The connected socket to use, when given; it is closed with the client. */
  readonly sock: net.Socket | undefined;
  /** The delivery status notifications asked for every message, checked; `undefined`: none. */
  readonly dsn: DSNOptions | undefined;
  /** The lifecycle hooks, checked; an empty object when none were given. */
  readonly hooks: SMTPHooks;
  /** What is written to `logger`: as given, else `"info"` when a `logger` was given, else `"none"`. */
  readonly logLevel: LogLevel;
  /** Where the log goes: as given, else `console` unless `logLevel` is `"none"`, when it is `undefined`. */
  readonly logger: SMTPLogger | undefined;
  /** Whether messages go with BDAT when the server offers CHUNKING. */
  readonly chunking: boolean;
}

/** What every network operation takes. */
export interface CallOptions {
  /** Seconds to wait for each reply; default the client's `timeout`. */
  readonly timeout?: number | null | undefined;
  /** Aborting stops the operation and closes the connection. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link SMTP.connect}: connection options that replace the client's, and a signal. */
export interface ConnectOptions extends SMTPOptions {
  /** Aborting stops connecting and closes the connection. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link SMTP.mail}, {@link SMTP.rcpt}, {@link SMTP.vrfy} and {@link SMTP.expn}. */
export interface AddressCommandOptions extends CallOptions {
  /** ESMTP parameters after the address (`"BODY=8BITMIME"`, `"SMTPUTF8"` ...). */
  readonly options?: readonly string[] | undefined;
  /** How to send the address: `"ascii"` (default) or `"utf-8"` (with SMTPUTF8). */
  readonly encoding?: "ascii" | "utf-8" | undefined;
}

/**
 * Options of {@link SMTP.starttls}: TLS settings for this upgrade only, each replacing the
 * client's option of the same name. The rules of the client's options hold for the
 * result: a `tlsContext` given here replaces the client's `certBundle`, `clientCert` and
 * `clientKey`; a `clientCert` given here comes with its own `clientKey` (or none).
 */
export interface StartTlsOptions extends CallOptions {
  /** The name to verify the certificate against (and send with SNI); default the client's `hostname`. */
  readonly serverHostname?: string | undefined;
  /** Verify the server's certificate and host name; default the client's `validateCerts`. */
  readonly validateCerts?: boolean | undefined;
  /** A client certificate, PEM text or the path of a PEM file; default the client's `clientCert`. */
  readonly clientCert?: string | undefined;
  /** The client certificate's key, PEM text or a path; default taken from `clientCert`. */
  readonly clientKey?: string | undefined;
  /** Extra CA certificates to trust, PEM text or a path; default the client's `certBundle`. */
  readonly certBundle?: string | undefined;
  /** A ready TLS context; not with `clientCert`, `clientKey` or `certBundle`. */
  readonly tlsContext?: tls.SecureContext | undefined;
}

/** Options of {@link SMTP.bdat}. */
export interface BdatOptions extends CallOptions {
  /** Whether this is the message's last chunk (`BDAT <size> LAST`); default false. */
  readonly last?: boolean | undefined;
}

/** Options of {@link SMTP.sendmail}. */
export interface SendmailOptions extends CallOptions {
  /** ESMTP parameters for MAIL FROM. */
  readonly mailOptions?: readonly string[] | undefined;
  /** ESMTP parameters for every RCPT TO. */
  readonly rcptOptions?: readonly string[] | undefined;
  /**
   * Delivery status notifications for this message, replacing the client's `dsn` (`false`:
   * none, even when the client asks for them).
   */
  readonly dsn?: DSNOptions | false | undefined;
}

/** Options of {@link SMTP.sendMessage}. */
export interface SendMessageOptions extends SendmailOptions {
  /** The envelope sender; default from the message's headers. */
  readonly sender?: string | undefined;
  /** The envelope recipients; default from the message's headers. */
  readonly recipients?: string | readonly string[] | undefined;
}

export type { SendResult } from "./events.js";

/** Options of {@link SMTP.send}: as {@link SendMessageOptions}; a raw message needs `sender` and `recipients`. */
export type ClientSendOptions = SendMessageOptions;

function optionalType(options: SMTPOptions, key: keyof SMTPOptions, type: "string" | "boolean" | "function"): void {
  const value = options[key];
  if (value !== undefined && typeof value !== type) {
    throw new TypeError(`the ${key} option must be a ${type}, got ${typeof value}`);
  }
}

function checkTimeout(timeout: unknown): number {
  if (timeout === null) return Infinity;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout <= 0) {
    throw new TypeError(`the timeout option must be a positive number of seconds (or null), got ${String(timeout)}`);
  }
  return timeout;
}

function checkPort(port: unknown, what: string): number {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`the ${what} must be an integer from 0 to 65535, got ${String(port)}`);
  }
  return port;
}

/** The TLS material options, of the client or of one STARTTLS. */
interface TlsMaterial {
  readonly tlsContext?: tls.SecureContext | undefined;
  readonly certBundle?: string | undefined;
  readonly clientCert?: string | undefined;
  readonly clientKey?: string | undefined;
}

/**
 * Refuses TLS options that would be ignored, and PEM text that is not whole.
 * @throws TypeError for `tlsContext` with `certBundle`, `clientCert` or `clientKey` (the
 *   context holds its own), `clientKey` without `clientCert`, or PEM-like text without a
 *   complete PEM block
 */
function checkTlsMaterial(material: TlsMaterial): void {
  if (material.tlsContext !== undefined && (material.clientCert !== undefined || material.clientKey !== undefined)) {
    throw new TypeError("Either a TLS context or a certificate/key must be provided");
  }
  if (material.tlsContext !== undefined && material.certBundle !== undefined) {
    throw new TypeError("Either a TLS context or a certBundle must be provided (the context holds the certificates it trusts)");
  }
  if (material.clientKey !== undefined && material.clientCert === undefined) {
    throw new TypeError("The clientKey option needs clientCert, the certificate it is the key of");
  }
  for (const option of ["certBundle", "clientCert", "clientKey"] as const satisfies readonly PemOption[]) {
    const value = material[option];
    if (typeof value === "string") isPemText(option, value);
  }
}

/**
 * Checks the options and applies the defaults that do not depend on the connection.
 * @throws TypeError for a value of the wrong kind or options that exclude each other
 */
function resolveOptions(options: SMTPOptions): ResolvedSMTPOptions {
  if (typeof options !== "object" || options === null) throw new TypeError("the options must be an object");
  for (const key of ["hostname", "username", "password", "localHostname", "clientCert", "clientKey", "certBundle", "socketPath"] as const) {
    optionalType(options, key, "string");
  }
  for (const key of ["useTls", "startTls", "validateCerts", "chunking"] as const) optionalType(options, key, "boolean");
  optionalType(options, "oauthTokenGenerator", "function");
  const usingSocket = options.sock !== undefined || options.socketPath !== undefined;
  if (options.startTls === true && options.useTls === true) {
    throw new TypeError("The startTls and useTls options are not compatible.");
  }
  checkTlsMaterial(options);
  if (options.sock !== undefined && options.socketPath !== undefined) {
    throw new TypeError("Either a socket or a socket path must be provided, not both");
  }
  if (usingSocket && options.port !== undefined) {
    throw new TypeError("If using a socket, port is not required");
  }
  if (usingSocket && options.sourceAddress !== undefined) {
    throw new TypeError("If using a socket, sourceAddress cannot be used (the socket is already bound)");
  }
  if (usingSocket && (options.useTls === true || options.startTls === true) && options.hostname === undefined) {
    throw new TypeError("If using a socket with TLS, hostname is required");
  }
  if (options.password !== undefined && options.oauthTokenGenerator !== undefined) {
    throw new TypeError("The password and oauthTokenGenerator options are not compatible.");
  }
  if (options.username === undefined && options.password !== undefined) {
    throw new TypeError("A password was given without a username: give both, or neither");
  }
  if (options.username === undefined && options.oauthTokenGenerator !== undefined) {
    throw new TypeError("The oauthTokenGenerator option needs a username: XOAUTH2 sends it with the token");
  }
  if (options.sock !== undefined && !(options.sock instanceof net.Socket)) {
    throw new TypeError("the sock option must be a connected net.Socket");
  }
  if (options.tlsContext !== undefined && (typeof options.tlsContext !== "object" || !("context" in options.tlsContext))) {
    throw new TypeError("the tlsContext option must be a tls.SecureContext (from tls.createSecureContext)");
  }
  if (options.logger !== undefined && (typeof options.logger !== "object" || options.logger === null)) {
    throw new TypeError("the logger option must be an object with error, info and debug methods (console fits)");
  }
  const dsn = options.dsn === undefined ? undefined : checkDsnOptions(options.dsn);
  const hooks = options.hooks === undefined ? Object.freeze({}) : checkHooks(options.hooks);
  const logLevel =
    options.logLevel !== undefined ? checkLogLevel(options.logLevel) : options.logger !== undefined ? "info" : "none";
  if (options.hostname !== undefined) checkCommandArgument(options.hostname, "hostname");
  if (options.localHostname !== undefined) checkCommandArgument(options.localHostname, "localHostname");
  if (options.port !== undefined) checkPort(options.port, "port");
  if (options.sourceAddress !== undefined) {
    const source = options.sourceAddress;
    if (typeof source !== "object" || source === null || typeof source.host !== "string") {
      throw new TypeError("the sourceAddress option must be { host, port }");
    }
    checkPort(source.port, "sourceAddress port");
  }
  return Object.freeze({
    hostname: options.hostname ?? (usingSocket ? undefined : "localhost"),
    port: options.port,
    username: options.username,
    password: options.password,
    oauthTokenGenerator: options.oauthTokenGenerator,
    localHostname: options.localHostname ?? os.hostname(),
    sourceAddress: options.sourceAddress,
    timeout: options.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout(options.timeout),
    useTls: options.useTls ?? false,
    startTls: options.startTls,
    validateCerts: options.validateCerts ?? true,
    clientCert: options.clientCert,
    clientKey: options.clientKey,
    certBundle: options.certBundle,
    tlsContext: options.tlsContext,
    socketPath: options.socketPath,
    sock: options.sock,
    dsn,
    hooks,
    logLevel,
    logger: options.logger ?? (logLevel === "none" ? undefined : console),
    chunking: options.chunking ?? false,
  });
}

/**
 * The address argument of MAIL or RCPT, and its parameters, checked.
 * @throws TypeError as {@link SMTP.mail}
 */
function addressArgument(address: string, what: "sender" | "recipient", options: AddressCommandOptions): [string, string[]] {
  const params = checkOptionList(options.options, "options");
  let parsed = envelopeAddress(address, what, { nullAllowed: what === "sender" });
  if (options.encoding !== "utf-8") {
    if (localPartIsNonAscii(parsed)) {
      throw new TypeError(`the ${what} ${JSON.stringify(address)} is not ASCII; send it with SMTPUTF8 (encoding "utf-8")`);
    }
    parsed = withAsciiDomain(parsed);
  }
  return [parsed, params];
}

/**
 * The argument of VRFY or EXPN: an address's addr-spec, or a bare word (a user or list
 * name, RFC 5321 3.5.3).
 * @throws TypeError for anything else
 */
function queryArgument(address: string): string {
  try {
    return envelopeAddress(address, "address");
  } catch (error) {
    const word = address.trim();
    if (word !== "" && !/[\s<>]/.test(word)) return word;
    throw error;
  }
}

/** The implementation of {@link sendLastMessage}, set by the class (it reaches a private method). */
let sendLast: (client: SMTP, message: Message | string | Uint8Array, options: ClientSendOptions, transaction: Transaction) => Promise<SendResult>;

/**
 * An SMTP client: one connection, the commands of RFC 5321 and its extensions (STARTTLS,
 * AUTH, SIZE, 8BITMIME, SMTPUTF8, DSN), and whole transactions.
 *
 * It is an `eventemitter3` emitter of {@link SMTPEvents}: `connect`, `sent`, `error`,
 * `close` and `log` (the transcript, credentials masked). `error` events observe failures
 * (of connecting, of sending, of hooks); the failing operation's promise still rejects,
 * and an `error` event with no listener is not thrown.
 *
 * @example
 * await using smtp = new SMTP({ hostname: "mail.example.com", startTls: true, username, password });
 * await smtp.connect();
 * const { errors, response } = await smtp.sendMessage(message);
 *
 * @example
 * // One session, many messages.
 * const smtp = await SMTP.connect({ hostname: "mail.example.com", startTls: true, username, password });
 * smtp.on("sent", (_message, result) => console.log(result.messageId, result.accepted));
 * for (const init of outbox) await smtp.send(init);
 * await smtp.quit();
 */
export class SMTP extends EventEmitter<SMTPEvents> {
  /**
   * Creates a client and connects it ({@link SMTP#connect}): the promise resolves to a
   * connected client, upgraded and logged in as the options say, ready for
   * {@link SMTP#send}. Close it with {@link SMTP#quit}.
   * @throws as the constructor and {@link SMTP#connect}
   */
  static async connect(options: ConnectOptions = {}): Promise<SMTP> {
    const { signal, ...smtpOptions } = options;
    const client = new SMTP(smtpOptions);
    await client.connect({ signal });
    return client;
  }

  #given: SMTPOptions;
  #options: ResolvedSMTPOptions;
  #connection: Connection | undefined;
  #lastEhloResponse: SMTPResponse | undefined;
  #lastHeloResponse: SMTPResponse | undefined;
  #extensions = new Map<string, string>();
  #authMethods: string[] = [];
  readonly #commandLock = new Lock();
  readonly #sendLock = new Lock();
  /** Whether the next line sent answers a 334 of an AUTH exchange (and must be masked). */
  #authContinuation = false;
  /** The error that ended the current connection, when one did. */
  #closeError: unknown;
  /** For each connection that ended: its `close` event and `onClose` hook, once. */
  readonly #endings = new WeakMap<Connection, Promise<void>>();
  /** Failure reports (`error`, `onError`) under way; `close` waits for them. */
  readonly #reports = new Set<Promise<void>>();
  /** Whether the message being sent is the last of the session: send() quits right after it. */
  #lastMessage = false;
  /** The connection on which QUIT went out with the message data, its reply not yet read. */
  #quitWithData: Connection | undefined;

  /**
   * @param options how to reach the server (nothing is sent until {@link SMTP.connect})
   * @throws TypeError for options of the wrong kind, or options that exclude each other
   *   (`useTls` with `startTls: true`, `password` with `oauthTokenGenerator`, `sock` with
   *   `socketPath`, a socket with `port` or `sourceAddress`, a socket with TLS and no
   *   `hostname`, `tlsContext` with `clientCert`, `clientKey` or `certBundle`), options
   *   that would be ignored (`clientKey` without `clientCert`, `password` or
   *   `oauthTokenGenerator` without `username`), or PEM text without a complete PEM block
   */
  constructor(options: SMTPOptions = {}) {
    super();
    this.#given = { ...options };
    this.#options = resolveOptions(this.#given);
  }

  /** The options in use, with their defaults. */
  get options(): ResolvedSMTPOptions {
    return this.#options;
  }

  /** Whether the client has an open connection. */
  get isConnected(): boolean {
    return this.#connection?.isConnected ?? false;
  }

  /** The extensions of the last EHLO reply: lower-case keyword to parameters. */
  get esmtpExtensions(): ReadonlyMap<string, string> {
    return this.#extensions;
  }

  /** The AUTH mechanisms of the last EHLO reply, lower case. */
  get serverAuthMethods(): readonly string[] {
    return this.#authMethods;
  }

  /** The mechanisms {@link SMTP.login} would try here, in order. */
  get supportedAuthMethods(): string[] {
    return AUTH_METHODS.filter((method) => this.#authMethods.includes(method));
  }

  /** The last successful EHLO reply of this session (forgotten after STARTTLS). */
  get lastEhloResponse(): SMTPResponse | undefined {
    return this.#lastEhloResponse;
  }

  /** The last successful HELO reply of this session. */
  get lastHeloResponse(): SMTPResponse | undefined {
    return this.#lastHeloResponse;
  }

  /** Whether the connection is encrypted (implicit TLS or after STARTTLS). */
  get isTls(): boolean {
    return this.#connection?.isTls ?? false;
  }

  /** Whether the last EHLO reply offers `extension` (case-insensitive). */
  supportsExtension(extension: string): boolean {
    return this.#extensions.has(extension.toLowerCase());
  }

  // ---------------------------------------------------------------------------------------
  // Connecting

  /**
   * Connects, reads the greeting, sends EHLO (HELO when EHLO is refused), upgrades with
   * STARTTLS as `startTls` says (then EHLO again), and logs in when a `username` is set;
   * then emits `connect`. Options given here replace the client's for this and later
   * connections (except `timeout`, which applies to this call only). Any failure closes
   * the connection.
   * @returns the server's greeting (220)
   * @throws SMTPConnectError when the connection or the TLS handshake fails, the server
   *   hangs up before its greeting, or a `certBundle`, `clientCert` or `clientKey` file
   *   cannot be read or used (the message names the option and the path; `cause` is the
   *   file system's or OpenSSL's error)
   * @throws SMTPConnectTimeoutError when connecting plus the greeting take longer than `timeout`
   * @throws SMTPConnectResponseError when the greeting is not 220
   * @throws SMTPException when already connected, or STARTTLS is required and not offered
   * @throws SMTPResponseException when the server refuses STARTTLS (454 ...)
   * @throws SMTPAuthenticationError when logging in fails
   * @throws SMTPTimeoutError when the `oauthTokenGenerator` takes longer than `timeout`
   * @throws TypeError for bad options, or a server that offers STARTTLS to a client given a
   *   socket and no `hostname` (nothing to check the certificate against)
   */
  async connect(options: ConnectOptions = {}): Promise<SMTPResponse> {
    const { signal, timeout, ...overrides } = options;
    if (this.isConnected) throw new SMTPException("Already connected; call close() or quit() first");
    // The options were checked by the constructor: only replacements need checking again.
    if (Object.keys(overrides).length > 0) {
      const given = { ...this.#given, ...overrides };
      this.#options = resolveOptions(given);
      this.#given = given;
    }
    const resolved = this.#options;
    const effectiveTimeout = timeout === undefined ? resolved.timeout : checkTimeout(timeout);

    const port =
      resolved.sock !== undefined || resolved.socketPath !== undefined ? undefined : (resolved.port ?? this.#defaultPort());
    const target: ConnectTarget =
      resolved.sock !== undefined
        ? { kind: "socket", socket: resolved.sock }
        : resolved.socketPath !== undefined
          ? { kind: "unix", path: resolved.socketPath }
          : {
              kind: "tcp",
              host: resolved.hostname ?? "localhost",
              port: port ?? SMTP_PORT,
              localAddress: resolved.sourceAddress?.host || undefined,
              localPort: resolved.sourceAddress?.port || undefined,
            };
    const wait: WaitOptions = { deadline: deadlineIn(effectiveTimeout), signal };
    const where = target.kind === "tcp" ? `${target.host} on port ${target.port}` : target.kind === "unix" ? target.path : "the given socket";

    try {
      const tlsOptions = resolved.useTls ? await this.#tlsOptions({}) : undefined;
      const connection = await Connection.open(target, tlsOptions, wait);
      this.#connection = connection;
      this.#closeError = undefined;
      this.#authContinuation = false;
      this.#quitWithData = undefined;
      connection.onClose = () => {
        if (this.#connection === connection) this.#forgetConnection();
        // After a QUIT sent with the message, the server may hang up before the sent event
        // and onSent are done: send() announces the close once they are.
        if (this.#quitWithData === connection) return;
        // Only a close listener that throws can make this reject; nobody awaits it here.
        this.#announceEnd(connection).catch(() => undefined);
      };
      let greeting: SMTPResponse;
      try {
        greeting = await connection.readReply(wait);
      } catch (error) {
        if (error instanceof SMTPServerDisconnected) {
          throw new SMTPConnectError(`Error connecting to ${where}: ${error.message}`, { cause: error });
        }
        if (error instanceof SMTPReadTimeoutError) {
          throw new SMTPConnectTimeoutError("Timed out waiting for server ready message", { cause: error });
        }
        throw error;
      }
      this.#logReply(greeting);
      if (greeting.code !== SMTPStatus.ready) {
        throw new SMTPConnectResponseError(greeting.code, greeting.message, { command: "CONNECT" });
      }
      // The steps after the greeting: each reply within this call's timeout.
      const steps: CallOptions = { signal, timeout: effectiveTimeout };
      await this.#maybeStartTlsOnConnect(steps);
      // connect() always ends with the server's extensions known (unlike aiosmtplib's).
      await this.#ehloOrHeloIfNeeded(steps);
      await this.#maybeLoginOnConnect(steps);
      this.#info(() => `connected to ${where}: ${greeting.code} ${greeting.message.split("\n")[0] ?? ""}`);
      this.#emit("connect", greeting);
      await this.#runHook("onConnect", undefined, (hooks) => hooks.onConnect?.(greeting));
      return greeting;
    } catch (error) {
      this.#closeError ??= error;
      const connection = this.#connection;
      this.close();
      // error and onError, then close and onClose, then the rejection.
      await this.#reportFailure("connecting", undefined, error);
      if (connection) await this.#announceEnd(connection);
      throw error;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Events, hooks and the log

  #log(direction: "client" | "server", line: string): void {
    if (!this.#logging) return;
    this.#emit("log", { direction, line });
    if (logLevelAllows(this.#options.logLevel, "debug")) this.#callLogger("debug", `${direction === "client" ? "C:" : "S:"} ${line}`);
  }

  #logReply(reply: SMTPResponse): void {
    if (!this.#logging) return;
    for (const line of replyLines(reply.code, reply.message)) this.#log("server", line);
  }

  /** Writes what `message` says at info level; it is only called when that level is logged. */
  #info(message: () => string): void {
    if (logLevelAllows(this.#options.logLevel, "info")) this.#callLogger("info", `mailport smtp: ${message()}`);
  }

  #logError(message: string, error: unknown): void {
    if (logLevelAllows(this.#options.logLevel, "error")) {
      this.#callLogger("error", `mailport smtp: ${message}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  /**
   * Calls the logger. A logger that throws never breaks an operation: its error becomes an
   * `error` event (an `error` logger method that throws is ignored: there is nowhere left
   * to report it).
   */
  #callLogger(level: "error" | "info" | "debug", message: string, detail?: unknown): void {
    const logger = this.#options.logger;
    try {
      if (detail === undefined) logger?.[level]?.(message);
      else logger?.[level]?.(message, detail);
    } catch (error) {
      if (level !== "error") this.#emitError(undefined, error);
    }
  }

  /**
   * Emits an event. A listener that throws never breaks an operation (nor turns a
   * delivered message into a failure): its error is logged and becomes an `error` event.
   */
  #emit<K extends Exclude<keyof SMTPEvents, "error">>(event: K, ...args: SMTPEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: SMTPEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#logError(`a ${event} listener threw`, error);
      this.#emitError(event === "sent" ? (args[0] as SentMessage) : undefined, error);
    }
  }

  /** Emits `error`; an `error` listener that throws is logged (at error level) and otherwise ignored. */
  #emitError(message: SentMessage | undefined, error: unknown): void {
    try {
      this.emit("error", message, error);
    } catch (listenerError) {
      this.#logError("an error listener threw", listenerError);
    }
  }

  /**
   * Awaits one hook. A hook that throws is logged and reported as an `error` event, then
   * to `onError` (unless it was `onError` or `onClose`); nothing is thrown.
   */
  async #runHook(name: keyof SMTPHooks, message: SentMessage | undefined, call: (hooks: SMTPHooks) => unknown): Promise<void> {
    const hooks = this.#options.hooks;
    if (hooks[name] === undefined) return;
    try {
      await call(hooks);
    } catch (error) {
      this.#logError(`the ${name} hook threw`, error);
      this.#emitError(message, error);
      if (name !== "onError" && name !== "onClose") await this.#runHook("onError", message, (h) => h.onError?.(message, error));
    }
  }

  /**
   * Reports a failed operation: the log, the `error` event, the `onError` hook. A
   * connection's `close` event waits for the reports under way, so that `error` always
   * comes before `close`.
   */
  async #reportFailure(what: string, message: SentMessage | undefined, error: unknown): Promise<void> {
    const report = (async () => {
      this.#logError(`${what} failed`, error);
      this.#emitError(message, error);
      await this.#runHook("onError", message, (hooks) => hooks.onError?.(message, error));
    })();
    this.#reports.add(report);
    try {
      await report;
    } finally {
      this.#reports.delete(report);
    }
  }

  /**
   * The `close` event and `onClose` hook of a connection that ended, once per connection.
   * They wait for pending promise callbacks, so that the error which ended the connection
   * is known when it was one, and for the failure reports under way. `afterQuit`: the
   * client ends the connection itself after the server's 221, so no error can be on its
   * way and there is no turn of the event loop to wait for.
   */
  #announceEnd(connection: Connection, afterQuit = false): Promise<void> {
    let ending = this.#endings.get(connection);
    if (ending === undefined) {
      const settled = afterQuit ? Promise.resolve() : new Promise<void>((resolve) => setImmediate(resolve));
      ending = settled.then(async () => {
        while (this.#reports.size > 0) await Promise.all([...this.#reports]);
        const error = this.#closeError;
        this.#info(() => (error === undefined ? "connection closed" : `connection closed: ${error instanceof Error ? error.message : String(error)}`));
        if (error === undefined) this.#emit("close");
        else this.#emit("close", error);
        await this.#runHook("onClose", undefined, (hooks) => hooks.onClose?.(error));
      });
      this.#endings.set(connection, ending);
    }
    return ending;
  }

  #defaultPort(): number {
    if (this.#options.useTls) return SMTP_TLS_PORT;
    if (this.#options.startTls === true) return SMTP_STARTTLS_PORT;
    return SMTP_PORT;
  }

  async #maybeStartTlsOnConnect(call: CallOptions): Promise<void> {
    const startTls = this.#options.startTls;
    if (startTls === true) {
      await this.starttls(call);
    } else if (startTls === undefined && !this.#options.useTls && !this.isTls) {
      await this.#ehloOrHeloIfNeeded(call);
      if (this.supportsExtension("starttls")) await this.starttls(call);
    } else {
      return;
    }
    // RFC 3207: what the server said before TLS is forgotten; ask again over TLS.
    if (this.isTls) await this.#ehloOrHeloIfNeeded(call);
  }

  async #maybeLoginOnConnect(call: CallOptions): Promise<void> {
    const { username, password, oauthTokenGenerator } = this.#options;
    if (username === undefined) return;
    if (oauthTokenGenerator) {
      // The generator is bounded like a reply: by the timeout and the signal.
      const token = await within(
        Promise.resolve().then(oauthTokenGenerator),
        this.#wait(call),
        () => new SMTPTimeoutError("Timed out waiting for the oauthTokenGenerator"),
      );
      if (typeof token !== "string") throw new TypeError("oauthTokenGenerator must resolve to a string");
      await this.authXoauth2(username, token, call);
    } else {
      await this.login(username, password ?? "", call);
    }
  }

  async #tlsOptions(overrides: Omit<StartTlsOptions, "timeout" | "signal">): Promise<tls.ConnectionOptions> {
    if (overrides.serverHostname !== undefined) checkCommandArgument(overrides.serverHostname, "serverHostname");
    const client = this.#options;
    // A context given for this upgrade replaces the client's certificate options; a
    // certificate given for it comes with its own key.
    const material: TlsMaterial =
      overrides.tlsContext !== undefined
        ? overrides
        : {
            tlsContext: client.tlsContext,
            certBundle: overrides.certBundle ?? client.certBundle,
            clientCert: overrides.clientCert ?? client.clientCert,
            clientKey: overrides.clientCert !== undefined ? overrides.clientKey : (overrides.clientKey ?? client.clientKey),
          };
    checkTlsMaterial(material);
    const validateCerts = overrides.validateCerts ?? client.validateCerts;
    const host = overrides.serverHostname ?? client.hostname;
    if (host === undefined && validateCerts) {
      throw new TypeError(
        "There is no host name to check the server's certificate against (the client was given a socket): " +
          "give hostname (or serverHostname to starttls()), startTls: false, or validateCerts: false",
      );
    }
    const options: tls.ConnectionOptions = {};
    if (host !== undefined) {
      options.host = host;
      // SNI takes host names only (RFC 6066); an IP address is still checked against the certificate.
      if (net.isIP(host) === 0) options.servername = host;
    }
    const { tlsContext, certBundle, clientCert, clientKey } = material;
    if (tlsContext !== undefined) {
      options.secureContext = tlsContext;
    } else if (certBundle !== undefined || clientCert !== undefined) {
      options.secureContext = secureContextFor({
        certBundle: certBundle === undefined ? undefined : await pemSource("certBundle", certBundle),
        cert: clientCert === undefined ? undefined : await pemSource("clientCert", clientCert),
        key: clientCert === undefined ? undefined : await pemSource(clientKey === undefined ? "clientCert" : "clientKey", clientKey ?? clientCert),
      });
    }
    options.rejectUnauthorized = validateCerts;
    if (!validateCerts) options.checkServerIdentity = () => undefined;
    return options;
  }

  /**
   * Closes the connection at once, without QUIT, and forgets the server's capabilities.
   * Safe to call when not connected.
   */
  close(): void {
    const connection = this.#connection;
    this.#forgetConnection();
    connection?.close();
    // Only a close listener that throws can make this reject; quit() awaits it, close() cannot.
    if (connection) this.#announceEnd(connection).catch(() => undefined);
  }

  #forgetConnection(): void {
    this.#connection = undefined;
    this.#resetServerState();
  }

  #resetServerState(): void {
    this.#lastEhloResponse = undefined;
    this.#lastHeloResponse = undefined;
    this.#extensions = new Map();
    this.#authMethods = [];
  }

  /**
   * QUIT, then close; errors of QUIT are ignored (for `await using`). When QUIT went out
   * with the last message (send()), its reply is read instead.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    const connection = this.#connection ?? this.#quitWithData;
    try {
      if (this.#quitWithData !== undefined) await this.#readQuitReply(this.#quitWithData);
      else if (this.isConnected) await this.quit();
    } catch (error) {
      if (!(error instanceof SMTPException)) throw error;
    } finally {
      this.close();
      if (connection) await this.#announceEnd(connection);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Commands

  /**
   * Sends one command line (the arguments joined with spaces) and returns the reply,
   * whatever its code. A 421 reply closes the connection. A last argument that is an
   * object (not bytes) is taken as {@link CallOptions}.
   * @throws SMTPServerDisconnected when not connected or the connection ends
   * @throws SMTPReadTimeoutError when the reply takes longer than `timeout`
   * @throws TypeError when an argument holds a control character
   */
  async executeCommand(...args: Array<string | Uint8Array> | [...Array<string | Uint8Array>, CallOptions]): Promise<SMTPResponse> {
    const last = args[args.length - 1];
    let call: CallOptions = {};
    let words = args as Array<string | Uint8Array | CallOptions>;
    if (last !== undefined && typeof last === "object" && !(last instanceof Uint8Array)) {
      call = last;
      words = args.slice(0, -1);
    }
    return this.#execute(words as Array<string | Uint8Array>, call);
  }

  async #execute(args: Array<string | Uint8Array>, call: CallOptions): Promise<SMTPResponse> {
    const line = encodeCommand(args);
    const wait = this.#wait(call);
    return this.#commandLock.run(async () => {
      const connection = this.#requireConnection();
      this.#abortIfAborted(call);
      this.#logCommand(line);
      let reply: SMTPResponse;
      try {
        reply = await connection.command(line, wait);
      } catch (error) {
        this.#authContinuation = false;
        if (!connection.isConnected) this.#closeError ??= error;
        throw error;
      }
      this.#logReply(reply);
      // An AUTH exchange goes on while the server answers 334; the client's next line
      // carries credentials.
      this.#authContinuation =
        reply.code === SMTPStatus.authContinue &&
        (this.#authContinuation || Buffer.from(line.subarray(0, 5)).toString("latin1").toUpperCase() === "AUTH ");
      // The server is shutting down the channel (RFC 5321, 3.8): so do we.
      if (reply.code === SMTPStatus.domainUnavailable) this.close();
      return reply;
    });
  }

  /**
   * Refuses to start writing when the signal has already aborted: the operation stops as
   * an abort during it would, closing the connection, and nothing is written.
   */
  #abortIfAborted(call: CallOptions): void {
    const signal = call.signal;
    if (!signal?.aborted) return;
    const error = abortError(signal);
    this.#closeError ??= error;
    this.close();
    throw error;
  }

  /** Whether anyone reads the transcript (a `log` listener, or the logger at debug). */
  get #logging(): boolean {
    return logLevelAllows(this.#options.logLevel, "debug") || this.listenerCount("log") > 0;
  }

  #logCommand(line: Uint8Array): void {
    if (!this.#logging) return;
    const text = Buffer.from(line).toString("utf8").replace(/\r\n$/, "");
    this.#log("client", maskCredentials(text, this.#authContinuation));
  }

  #wait(call: CallOptions): WaitOptions {
    const timeout = call.timeout === undefined ? this.#options.timeout : checkTimeout(call.timeout);
    return { deadline: deadlineIn(timeout), signal: call.signal };
  }

  /** For message data: the timeout bounds each stall of the transfer, not the whole of it. */
  #dataWait(call: CallOptions): WaitOptions {
    const timeout = call.timeout === undefined ? this.#options.timeout : checkTimeout(call.timeout);
    return { deadline: deadlineIn(timeout), signal: call.signal, stall: timeout * 1000 };
  }

  #requireConnection(): Connection {
    const connection = this.#connection;
    if (!connection || !connection.isConnected) throw new SMTPServerDisconnected("Server not connected");
    return connection;
  }

  /** EHLO, falling back to HELO, unless one of them has been answered this session. */
  async #ehloOrHeloIfNeeded(call: CallOptions): Promise<void> {
    if (this.#lastEhloResponse !== undefined || this.#lastHeloResponse !== undefined) return;
    try {
      await this.ehlo(undefined, call);
    } catch (error) {
      if (error instanceof SMTPHeloError && this.isConnected) await this.helo(undefined, call);
      else throw error;
    }
  }

  /**
   * EHLO: greets the server and learns its extensions ({@link SMTP.esmtpExtensions}).
   * Success: 250.
   * @param hostname the name to send; default `localHostname`
   * @throws SMTPHeloError for any other reply
   */
  async ehlo(hostname?: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const name = hostname ?? this.#options.localHostname;
    checkCommandArgument(name, "EHLO hostname");
    const reply = await this.#execute(["EHLO", name], call);
    if (reply.code !== SMTPStatus.completed) throw new SMTPHeloError(reply.code, reply.message, { command: "EHLO" });
    const { extensions, authMethods } = parseEsmtpExtensions(reply.message);
    this.#lastEhloResponse = reply;
    this.#extensions = extensions;
    this.#authMethods = authMethods;
    return reply;
  }

  /**
   * HELO: greets a server that does not speak ESMTP. Success: 250.
   * @param hostname the name to send; default `localHostname`
   * @throws SMTPHeloError for any other reply
   */
  async helo(hostname?: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const name = hostname ?? this.#options.localHostname;
    checkCommandArgument(name, "HELO hostname");
    const reply = await this.#execute(["HELO", name], call);
    if (reply.code !== SMTPStatus.completed) throw new SMTPHeloError(reply.code, reply.message, { command: "HELO" });
    this.#lastHeloResponse = reply;
    return reply;
  }

  /**
   * HELP. Success: 211, 214 or 250.
   * @throws SMTPResponseException for any other reply
   */
  async help(call: CallOptions = {}): Promise<SMTPResponse> {
    await this.#ehloOrHeloIfNeeded(call);
    const reply = await this.#execute(["HELP"], call);
    const ok: readonly number[] = [SMTPStatus.systemStatusOk, SMTPStatus.helpMessage, SMTPStatus.completed];
    if (!ok.includes(reply.code)) throw new SMTPResponseException(reply.code, reply.message, { command: "HELP" });
    return reply;
  }

  /**
   * RSET: abandons the current transaction. Success: 250.
   * @throws SMTPResponseException for any other reply
   */
  async rset(call: CallOptions = {}): Promise<SMTPResponse> {
    await this.#ehloOrHeloIfNeeded(call);
    const reply = await this.#execute(["RSET"], call);
    if (reply.code !== SMTPStatus.completed) throw new SMTPResponseException(reply.code, reply.message, { command: "RSET" });
    return reply;
  }

  /**
   * NOOP. Success: 250.
   * @throws SMTPResponseException for any other reply
   */
  async noop(call: CallOptions = {}): Promise<SMTPResponse> {
    await this.#ehloOrHeloIfNeeded(call);
    const reply = await this.#execute(["NOOP"], call);
    if (reply.code !== SMTPStatus.completed) throw new SMTPResponseException(reply.code, reply.message, { command: "NOOP" });
    return reply;
  }

  /**
   * VRFY: asks whether an address is valid. Success: 250, 251 or 252.
   * @throws SMTPResponseException for any other reply
   * @throws SMTPNotSupported when `options` has SMTPUTF8 and the server does not
   */
  async vrfy(address: string, options: AddressCommandOptions = {}): Promise<SMTPResponse> {
    const reply = await this.#addressQuery("VRFY", address, options);
    const ok: readonly number[] = [SMTPStatus.completed, SMTPStatus.willForward, SMTPStatus.cannotVrfy];
    if (!ok.includes(reply.code)) throw new SMTPResponseException(reply.code, reply.message, { command: "VRFY" });
    return reply;
  }

  /**
   * EXPN: asks for the members of a mailing list. Success: 250.
   * @throws SMTPResponseException for any other reply
   * @throws SMTPNotSupported when `options` has SMTPUTF8 and the server does not
   */
  async expn(address: string, options: AddressCommandOptions = {}): Promise<SMTPResponse> {
    const reply = await this.#addressQuery("EXPN", address, options);
    if (reply.code !== SMTPStatus.completed) throw new SMTPResponseException(reply.code, reply.message, { command: "EXPN" });
    return reply;
  }

  async #addressQuery(verb: string, address: string, options: AddressCommandOptions): Promise<SMTPResponse> {
    checkCommandArgument(address, "address");
    const params = checkOptionList(options.options, "options");
    const utf8 = params.some((option) => option.toLowerCase() === "smtputf8");
    const argument = queryArgument(address);
    if (!utf8 && isNonAscii(argument)) {
      throw new TypeError(`the address ${JSON.stringify(address)} is not ASCII; pass the SMTPUTF8 option`);
    }
    await this.#ehloOrHeloIfNeeded(options);
    if (utf8 && !this.supportsExtension("smtputf8")) throw new SMTPNotSupported("SMTPUTF8 is not supported by this server");
    return this.#execute([verb, argument, ...params], options);
  }

  /**
   * MAIL FROM: starts a transaction. Success: 250.
   * @param sender the envelope sender: `a@example.com`, `<a@example.com>` or
   *   `Name <a@example.com>` (the display name is dropped); `""` or `<>` for the null sender
   * @throws SMTPSenderRefused for any other reply
   * @throws TypeError before anything is written, for a sender that is not exactly one
   *   address, a sender or option holding a control character, or a sender with a
   *   non-ASCII local part without `encoding: "utf-8"` (a non-ASCII domain is sent as A-labels)
   */
  async mail(sender: string, options: AddressCommandOptions = {}): Promise<SMTPResponse> {
    const [address, params] = addressArgument(sender, "sender", options);
    await this.#ehloOrHeloIfNeeded(options);
    return this.#mailFrom(address, sender, params, options);
  }

  async #mailFrom(address: string, sender: string, params: readonly string[], call: CallOptions): Promise<SMTPResponse> {
    const reply = await this.#execute(["MAIL", `FROM:<${address}>`, ...params], call);
    if (reply.code !== SMTPStatus.completed) throw new SMTPSenderRefused(reply.code, reply.message, sender);
    return reply;
  }

  /**
   * RCPT TO: adds a recipient. Success: 250 or 251.
   * @throws SMTPRecipientRefused for any other reply
   * @throws TypeError as {@link SMTP.mail} (the null address is no recipient)
   */
  async rcpt(recipient: string, options: AddressCommandOptions = {}): Promise<SMTPResponse> {
    const [address, params] = addressArgument(recipient, "recipient", options);
    await this.#ehloOrHeloIfNeeded(options);
    return this.#rcptTo(address, recipient, params, options);
  }

  async #rcptTo(address: string, recipient: string, params: readonly string[], call: CallOptions): Promise<SMTPResponse> {
    const reply = await this.#execute(["RCPT", `TO:<${address}>`, ...params], call);
    if (reply.code !== SMTPStatus.completed && reply.code !== SMTPStatus.willForward) {
      throw new SMTPRecipientRefused(reply.code, reply.message, recipient);
    }
    return reply;
  }

  /**
   * DATA: sends the message. The data is streamed with every bare CR and LF made CRLF,
   * lines starting with `.` doubled, a final CRLF added if missing, then `.`; the socket's
   * backpressure is respected. Success: 354 to DATA, then 250.
   * A server that replies before the data is complete gets the connection closed.
   * @param message the message; a string must be ASCII
   * @throws SMTPDataError for any other reply, or a reply before the end of the data
   * @throws SMTPServerDisconnected when not connected or the connection ends
   */
  async data(message: string | Uint8Array, call: CallOptions = {}): Promise<SMTPResponse> {
    const bytes = toAsciiBytes(message);
    this.#requireConnection();
    await this.#ehloOrHeloIfNeeded(call);
    return this.#data(bytes, () => normalizedSize(bytes), call);
  }

  /** DATA, then the message (see {@link SMTP.data}), under one hold of the command lock. */
  async #data(bytes: Uint8Array, size: () => number, call: CallOptions): Promise<SMTPResponse> {
    return this.#commandLock.run(async () => {
      const connection = this.#requireConnection();
      this.#abortIfAborted(call);
      const line = encodeCommand(["DATA"]);
      this.#logCommand(line);
      let start: SMTPResponse;
      try {
        start = await connection.command(line, this.#wait(call));
      } catch (error) {
        if (!connection.isConnected) this.#closeError ??= error;
        throw error;
      }
      this.#logReply(start);
      if (start.code !== SMTPStatus.startInput) {
        if (start.code === SMTPStatus.domainUnavailable) this.close();
        throw new SMTPDataError(start.code, start.message, { command: "DATA" });
      }
      return this.#writeMessage(connection, bytes, size, call);
    });
  }

  /**
   * After DATA's 354: the message data, the terminator, and the final reply (250). Called
   * holding the command lock. The transcript gives the message's size as SIZE= counts it.
   */
  async #writeMessage(
    connection: Connection,
    bytes: Uint8Array,
    size: () => number,
    call: CallOptions,
    quit = false,
  ): Promise<SMTPResponse> {
    if (this.#logging) this.#log("client", `[message data: ${size()} bytes]`);
    if (quit) {
      this.#logCommand(QUIT);
      this.#quitWithData = connection;
    }
    return this.#sendData(connection, () => connection.writeData(bytes, this.#dataWait(call), quit), call, "DATA");
  }

  /**
   * Writes message data with `write` (which says whether it was written whole before any
   * reply), reads the server's reply to it, and checks that reply as {@link SMTP.#dataReply}.
   */
  async #sendData(connection: Connection, write: () => Promise<boolean>, call: CallOptions, command: "DATA" | "BDAT"): Promise<SMTPResponse> {
    let complete: boolean;
    let reply: SMTPResponse;
    try {
      complete = await write();
      reply = await connection.readReply(this.#wait(call));
    } catch (error) {
      if (!connection.isConnected) this.#closeError ??= error;
      throw error;
    }
    this.#logReply(reply);
    return this.#dataReply(reply, complete, command);
  }

  /**
   * Checks the server's reply to message data (after DATA's terminator, or to a BDAT chunk):
   * 250, else SMTPDataError; a reply that came before the data was written whole, or a 421,
   * closes the connection.
   */
  #dataReply(reply: SMTPResponse, complete: boolean, command: "DATA" | "BDAT"): SMTPResponse {
    if (!complete) {
      this.close();
      throw new SMTPDataError(reply.code, reply.message, { command });
    }
    if (reply.code !== SMTPStatus.completed) {
      if (reply.code === SMTPStatus.domainUnavailable) this.close();
      throw new SMTPDataError(reply.code, reply.message, { command });
    }
    return reply;
  }

  /**
   * BDAT (RFC 3030): sends one chunk of a message in a transaction begun with MAIL and
   * RCPT, the chunk exactly as given: BDAT carries its length, so there is no
   * dot-stuffing, and no CRLF normalisation either (the chunks of a message must give it
   * with CRLF line endings; {@link SMTP.sendmail} with the `chunking` option does that for
   * you). `last` ends the message. Success: 250 (to the last chunk: the server took the
   * message). A server that replies before the chunk is written whole gets the connection
   * closed. `timeout` bounds each stall of the transfer, as for {@link SMTP.data}.
   * @param chunk the bytes; a string must be ASCII
   * @throws SMTPNotSupported when the server does not offer CHUNKING
   * @throws SMTPDataError for any other reply, or a reply before the chunk was written whole
   * @throws SMTPServerDisconnected when not connected or the connection ends
   *
   * @example
   * await smtp.mail("ada@example.com");
   * await smtp.rcpt("bob@example.org");
   * await smtp.bdat("Subject: hi\r\n\r\nfirst part, ");
   * const { code } = await smtp.bdat("second part\r\n", { last: true }); // 250
   */
  async bdat(chunk: string | Uint8Array, options: BdatOptions = {}): Promise<SMTPResponse> {
    const bytes = toAsciiBytes(chunk);
    if (options.last !== undefined && typeof options.last !== "boolean") throw new TypeError("the last option must be a boolean");
    const call = callOf(options);
    this.#requireConnection();
    await this.#ehloOrHeloIfNeeded(call);
    if (!this.supportsExtension("chunking")) throw new SMTPNotSupported("CHUNKING (BDAT) is not supported by this server");
    return this.#commandLock.run(async () => {
      const connection = this.#requireConnection();
      this.#abortIfAborted(call);
      const command = encodeCommand(["BDAT", String(bytes.length), ...(options.last === true ? ["LAST"] : [])]);
      this.#logCommand(command);
      return this.#sendData(connection, () => connection.writeChunk(command, bytes, this.#dataWait(call), 0), call, "BDAT");
    });
  }

  /**
   * The message in BDAT chunks (RFC 3030), once MAIL and RCPT are answered: each piece of
   * the message, line endings made CRLF and a final CRLF added but no dot-stuffing, after
   * a `BDAT <size>` command, the last one `BDAT <size> LAST`; the server replies to each.
   * With `pipelined` (the server offers PIPELINING: RFC 3030 4.2) the chunks go out
   * without waiting for each reply, and the replies are read as they come; else each is
   * awaited before the next chunk. After a refused chunk no other is sent, and the
   * replies to those already sent are read. With `quit`, QUIT goes with the last chunk.
   * Called holding the command lock.
   * @returns the reply to the last chunk: the server's reply to the message
   * @throws SMTPDataError for the first refused chunk, or a reply before a chunk was
   *   written whole (the connection is then closed)
   */
  async #writeChunks(connection: Connection, bytes: Uint8Array, call: CallOptions, pipelined: boolean, quit: boolean): Promise<SMTPResponse> {
    const encoder = new DataEncoder({ dotStuffing: false });
    const wait = this.#dataWait(call);
    let written = 0;
    let read = 0;
    let refused: SMTPResponse | undefined;
    let final: SMTPResponse | undefined;
    /** A reply that came before its chunk was written whole. */
    let early: SMTPResponse | undefined;
    const readChunkReply = async (): Promise<void> => {
      const reply = await connection.readReply(this.#wait(call));
      read++;
      this.#logReply(reply);
      if (reply.code === SMTPStatus.domainUnavailable) this.close();
      if (reply.code !== SMTPStatus.completed) refused ??= reply;
      final = reply;
    };
    try {
      for (let at = 0; refused === undefined; at += DATA_CHUNK_SIZE) {
        const last = at + DATA_CHUNK_SIZE >= bytes.length;
        const piece = encoder.encode(bytes.subarray(at, at + DATA_CHUNK_SIZE));
        const chunk = last ? Buffer.concat([piece, encoder.end()]) : piece;
        const command = encodeCommand(last ? ["BDAT", String(chunk.length), "LAST"] : ["BDAT", String(chunk.length)]);
        this.#logCommand(command);
        const withQuit = quit && last;
        if (withQuit) {
          this.#logCommand(QUIT);
          this.#quitWithData = connection;
        }
        if (!(await connection.writeChunk(command, chunk, wait, written, withQuit))) {
          early = await connection.readReply(this.#wait(call));
          this.#logReply(early);
          break;
        }
        written++;
        if (!pipelined) await readChunkReply();
        while (connection.unreadReplies > 0 && read < written) await readChunkReply();
        if (last) break;
      }
      while (early === undefined && read < written && (refused === undefined || connection.isConnected)) await readChunkReply();
    } catch (error) {
      if (!connection.isConnected) this.#closeError ??= error;
      // A refused chunk is what matters, not the connection ending after it.
      if (refused === undefined) throw error;
    }
    if (early !== undefined) return this.#dataReply(early, false, "BDAT");
    return this.#dataReply(refused ?? (final as SMTPResponse), true, "BDAT");
  }

  /**
   * QUIT, then closes the connection. Success: 221 (a server that hangs up without
   * replying counts as 221).
   * @throws SMTPResponseException for any other reply
   */
  async quit(call: CallOptions = {}): Promise<SMTPResponse> {
    const connection = this.#connection;
    const reply = await this.#execute(["QUIT"], call);
    if (reply.code !== SMTPStatus.closing) throw new SMTPResponseException(reply.code, reply.message, { command: "QUIT" });
    // The close event and the onClose hook come before quit() resolves.
    const ending = connection ? this.#announceEnd(connection, true) : undefined;
    this.close();
    await ending;
    return reply;
  }

  /** The reply to the QUIT sent with the message data (see {@link SMTP.quit}), then the close. */
  async #readQuitReply(connection: Connection): Promise<void> {
    const reply = await this.#commandLock.run(async () => {
      this.#quitWithData = undefined;
      try {
        return await connection.readReply(this.#wait({}));
      } catch (error) {
        if (!connection.isConnected) this.#closeError ??= error;
        throw error;
      }
    });
    this.#logReply(reply);
    if (reply.code !== SMTPStatus.closing) throw new SMTPResponseException(reply.code, reply.message, { command: "QUIT" });
    const ending = this.#announceEnd(connection, true);
    this.close();
    await ending;
  }

  /**
   * STARTTLS: upgrades the connection to TLS, then forgets the server's extensions
   * (RFC 3207); the next command sends EHLO again. Anything the server sent after its 220
   * is discarded before the handshake. Success: 220.
   * @throws SMTPException when already encrypted, or the server does not offer STARTTLS
   * @throws SMTPResponseException for a reply other than 220
   * @throws SMTPConnectError when the handshake fails (an unverifiable certificate ...), or
   *   a certificate file cannot be read or used
   * @throws SMTPTimeoutError when the handshake takes longer than `timeout`
   * @throws TypeError for options that exclude each other (see {@link StartTlsOptions}), or
   *   no host name to check the certificate against
   */
  async starttls(options: StartTlsOptions = {}): Promise<SMTPResponse> {
    const connection = this.#requireConnection();
    if (connection.isTls) throw new SMTPException("Connection already using TLS");
    await this.#ehloOrHeloIfNeeded(options);
    const tlsOptions = await this.#tlsOptions(options);
    if (!this.supportsExtension("starttls")) {
      throw new SMTPException("SMTP STARTTLS extension not supported by server.");
    }
    const reply = await this.#execute(["STARTTLS"], options);
    if (reply.code !== SMTPStatus.ready) {
      throw new SMTPResponseException(reply.code, reply.message, { command: "STARTTLS" });
    }
    await this.#commandLock.run(() => this.#requireConnection().startTls(tlsOptions, this.#wait(options)));
    this.#resetServerState();
    return reply;
  }

  // ---------------------------------------------------------------------------------------
  // Authentication

  /**
   * Logs in with the first mechanism that works among those the server offers, in the
   * order CRAM-MD5, PLAIN, LOGIN; a mechanism that fails with an authentication error
   * moves on to the next (some servers offer mechanisms they do not support).
   * @throws SMTPException when the server offers no AUTH, or none of these mechanisms
   * @throws SMTPAuthenticationError when every mechanism tried fails (the last failure)
   */
  async login(username: string, password: string, call: CallOptions = {}): Promise<SMTPResponse> {
    if (typeof username !== "string" || typeof password !== "string") {
      throw new TypeError("the user name and password must be strings");
    }
    await this.#ehloOrHeloIfNeeded(call);
    if (!this.supportsExtension("auth")) {
      if (this.isConnected && !this.isTls) {
        throw new SMTPException(
          "The SMTP AUTH extension is not supported by this server. Try connecting via TLS (or STARTTLS).",
        );
      }
      throw new SMTPException("The SMTP AUTH extension is not supported by this server.");
    }
    const mechanisms: Record<string, (u: string, p: string, c: CallOptions) => Promise<SMTPResponse>> = {
      "cram-md5": (u, p, c) => this.authCramMd5(u, p, c),
      plain: (u, p, c) => this.authPlain(u, p, c),
      login: (u, p, c) => this.authLogin(u, p, c),
    };
    let failure: SMTPAuthenticationError | undefined;
    for (const method of this.supportedAuthMethods) {
      const mechanism = mechanisms[method];
      if (!mechanism) continue;
      try {
        return await mechanism(username, password, call);
      } catch (error) {
        if (!(error instanceof SMTPAuthenticationError)) throw error;
        failure = error;
      }
    }
    throw failure ?? new SMTPException("No suitable authentication method found.");
  }

  /**
   * AUTH CRAM-MD5 (RFC 2195). Success: 334 to AUTH, then 235.
   * @throws SMTPAuthenticationError for any other reply
   */
  async authCramMd5(username: string, password: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const challenge = await this.#execute(["AUTH", "CRAM-MD5"], call);
    if (challenge.code !== SMTPStatus.authContinue) {
      throw new SMTPAuthenticationError(challenge.code, challenge.message, { command: "AUTH" });
    }
    const reply = await this.#execute([authCramMd5Verify(username, password, challenge.message)], call);
    if (reply.code !== SMTPStatus.authSuccessful) {
      throw new SMTPAuthenticationError(reply.code, reply.message, { command: "AUTH" });
    }
    return reply;
  }

  /**
   * AUTH PLAIN with an initial response (RFC 4616). Success: 235.
   * @throws SMTPAuthenticationError for any other reply
   */
  async authPlain(username: string, password: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const reply = await this.#execute(["AUTH", "PLAIN", authPlainEncode(username, password)], call);
    if (reply.code !== SMTPStatus.authSuccessful) {
      throw new SMTPAuthenticationError(reply.code, reply.message, { command: "AUTH" });
    }
    return reply;
  }

  /**
   * AUTH LOGIN with the user name in the first line. Success: 334, then 235.
   * @throws SMTPAuthenticationError for any other reply
   */
  async authLogin(username: string, password: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const [encodedUsername, encodedPassword] = authLoginEncode(username, password);
    const first = await this.#execute(["AUTH", "LOGIN", encodedUsername], call);
    if (first.code !== SMTPStatus.authContinue) {
      throw new SMTPAuthenticationError(first.code, first.message, { command: "AUTH" });
    }
    const reply = await this.#execute([encodedPassword], call);
    if (reply.code !== SMTPStatus.authSuccessful) {
      throw new SMTPAuthenticationError(reply.code, reply.message, { command: "AUTH" });
    }
    return reply;
  }

  /**
   * AUTH XOAUTH2 with an OAuth2 access token. Success: 235. A server that refuses answers
   * 334 with an error description; the client then sends an empty line and reports the
   * final reply.
   * @throws SMTPAuthenticationError when the token is refused
   */
  async authXoauth2(username: string, accessToken: string, call: CallOptions = {}): Promise<SMTPResponse> {
    const reply = await this.#execute(["AUTH", "XOAUTH2", authXoauth2Encode(username, accessToken)], call);
    if (reply.code === SMTPStatus.authSuccessful) return reply;
    if (reply.code === SMTPStatus.authContinue) {
      const final = await this.#execute([""], call);
      throw new SMTPAuthenticationError(final.code, final.message, { command: "AUTH" });
    }
    throw new SMTPAuthenticationError(reply.code, reply.message, { command: "AUTH" });
  }

  // ---------------------------------------------------------------------------------------
  // Transactions

  /**
   * Sends a whole transaction: MAIL, one RCPT per recipient, DATA (or, with the
   * `chunking` option and a server that offers CHUNKING, BDAT chunks). Sends EHLO first if
   * needed. Adds `SIZE=` (the message's size with CRLF line endings) when the server
   * takes SIZE, `SMTPUTF8` when an address is not ASCII and the server offers it, and
   * `BODY=8BITMIME` when the message has 8-bit bytes and the server takes 8BITMIME. An
   * address whose domain only is not ASCII goes to a server without SMTPUTF8 with the
   * domain as A-labels (`b@xn--bcher-kva.example`). With `dsn` (or the client's), adds
   * RFC 3461's `RET=` and `ENVID=` to MAIL and `NOTIFY=` and `ORCPT=` to each RCPT.
   * If some recipients are refused the message is still sent to the others, and the
   * refusals are in `errors` and `rejected`. After a refused transaction, RSET is sent.
   * Emits `sent` (then awaits `onSent`) or `error` (then awaits `onError`).
   *
   * @param sender the envelope sender: `a@example.com`, `<a@example.com>` or
   *   `Name <a@example.com>`; `""` or `<>` for the null sender
   * @param recipients one address or several, in the same forms
   * @param message the message; a string must be ASCII
   * @throws TypeError before anything is sent: an address that is not exactly one mailbox,
   *   an argument holding a control character, no recipients, a non-ASCII string message,
   *   `SIZE=` or `BODY=` in `mailOptions` (mailport writes them), or bad `dsn` options
   * @throws SMTPNotSupported before MAIL when an address needs SMTPUTF8 and the server does
   *   not offer it, the message is larger than the server's SIZE, or DSN is asked for and
   *   the server does not offer it
   * @throws SMTPRecipientsRefused when every recipient is refused
   * @throws SMTPSenderRefused, SMTPDataError for a refused MAIL, DATA or BDAT chunk
   */
  async sendmail(
    sender: string,
    recipients: string | readonly string[],
    message: string | Uint8Array,
    options: SendmailOptions = {},
  ): Promise<SendResult> {
    return this.#reporting(message, () => {
      const transaction = prepareTransaction(sender, recipients, options, this.#options.dsn);
      return this.#transact(transaction, toAsciiBytes(message), callOf(options), message);
    });
  }

  /** Runs a sending operation: `sent` and `onSent` when it succeeds, `error` and `onError` when it fails. */
  async #reporting(message: SentMessage, operation: () => Promise<SendResult>): Promise<SendResult> {
    const connection = this.#connection;
    let result: SendResult;
    try {
      result = await operation();
    } catch (error) {
      await this.#reportFailure("sending", message, error);
      // When the failure ended the connection: close and onClose before the rejection.
      if (connection && !connection.isConnected) await this.#announceEnd(connection);
      throw error;
    }
    // The server has the message: nothing below may turn that into a failure (the caller
    // would send it again). Listeners, hooks and the logger are guarded.
    this.#info(
      () =>
        `message ${result.messageId ?? "without Message-ID"} sent to ${result.accepted.length} of ` +
        `${result.envelope.to.length} recipients: ${result.response.code} ${result.response.message}`,
    );
    this.#emit("sent", message, result);
    await this.#runHook("onSent", message, (hooks) => hooks.onSent?.(message, result));
    return result;
  }

  /** MAIL, RCPT and DATA for a prepared transaction, once the server's extensions are known. */
  async #transact(transaction: Transaction, data: Uint8Array, call: CallOptions, original: SentMessage): Promise<SendResult> {
    return this.#sendLock.run(async () => {
      await this.#ehloOrHeloIfNeeded(call);
      const envelope = wireEnvelope(transaction, this.supportsExtension("smtputf8"));
      const mailOptions = [...transaction.mailOptions];
      if (envelope.utf8) mailOptions.push("SMTPUTF8");
      if (transaction.dsn !== undefined) {
        if (!this.supportsExtension("dsn")) {
          throw new SMTPNotSupported("Delivery status notifications (DSN) were asked for, but DSN is not supported by this server");
        }
        mailOptions.push(...dsnMailParameters(transaction.dsn));
      }
      if (this.supportsExtension("8bitmime") && hasEightBitData(data)) mailOptions.push("BODY=8BITMIME");
      const size = normalizedSize(data);
      if (this.supportsExtension("size")) {
        const limit = Number.parseInt(this.#extensions.get("size") ?? "", 10);
        if (Number.isInteger(limit) && limit > 0 && size > limit) {
          throw new SMTPNotSupported(
            `The message is ${size} bytes, more than the ${limit} bytes this server accepts (SIZE)`,
          );
        }
        mailOptions.unshift(`SIZE=${size}`);
      }
      const plan: TransactionPlan = {
        transaction,
        envelope,
        mailOptions,
        rcptOptions: envelope.to.map((address) => rcptParameters(transaction, address)),
        data,
        size,
        chunking: this.#options.chunking && this.supportsExtension("chunking"),
      };
      try {
        const envelopeStart = performance.now();
        const { errors, response, messageStart } = this.supportsExtension("pipelining")
          ? await this.#pipelinedTransaction(plan, call)
          : await this.#stepByStepTransaction(plan, call);
        const messageEnd = performance.now();
        const { recipients } = transaction;
        return Object.freeze({
          errors,
          response,
          accepted: Object.freeze(recipients.filter((recipient) => !errors.has(recipient))),
          rejected: Object.freeze(recipients.filter((recipient) => errors.has(recipient))),
          envelope: Object.freeze({ from: envelope.from, to: Object.freeze([...envelope.to]) }),
          messageId: typeof original === "object" && !(original instanceof Uint8Array) ? messageIdOf(original) : rawMessageId(data),
          messageSize: size,
          envelopeTime: messageStart - envelopeStart,
          messageTime: messageEnd - messageStart,
        });
      } catch (error) {
        if (error instanceof SMTPResponseException || error instanceof SMTPRecipientsRefused) {
          try {
            // After a QUIT sent with the data there is no transaction left to reset.
            if (this.isConnected && this.#quitWithData === undefined) await this.rset(call);
          } catch (rsetError) {
            // A failing RSET would only hide the error that matters.
            if (!(rsetError instanceof SMTPException)) throw rsetError;
          }
        }
        throw error;
      }
    });
  }

  /** MAIL, each RCPT, then DATA, each awaiting its reply (a server without PIPELINING). */
  async #stepByStepTransaction(plan: TransactionPlan, call: CallOptions): Promise<TransactionOutcome> {
    const { transaction, envelope } = plan;
    await this.#mailFrom(envelope.from, transaction.sender, plan.mailOptions, call);
    const refused: SMTPRecipientRefused[] = [];
    for (const [i, address] of envelope.to.entries()) {
      const recipient = transaction.recipients[i] as string;
      try {
        await this.#rcptTo(address, recipient, plan.rcptOptions[i] ?? [], call);
      } catch (error) {
        if (!(error instanceof SMTPRecipientRefused)) throw error;
        refused.push(error);
      }
    }
    if (refused.length === envelope.to.length) throw new SMTPRecipientsRefused(refused);
    const messageStart = performance.now();
    const response = plan.chunking ? await this.#chunks(plan.data, call) : await this.#data(plan.data, () => plan.size, call);
    return { errors: refusalMap(refused), response, messageStart };
  }

  /** The message in BDAT chunks, each reply awaited, under one hold of the command lock. */
  async #chunks(bytes: Uint8Array, call: CallOptions): Promise<SMTPResponse> {
    return this.#commandLock.run(async () => {
      const connection = this.#requireConnection();
      this.#abortIfAborted(call);
      return this.#writeChunks(connection, bytes, call, false, false);
    });
  }

  /**
   * MAIL, every RCPT and DATA in one write, their replies read in order (RFC 2920), then
   * the data as {@link SMTP.data} sends it. The outcome and the errors are those of the
   * command-by-command transaction: SMTPSenderRefused, SMTPRecipientsRefused when every
   * recipient is refused, SMTPDataError. A DATA accepted with nothing valid before it is
   * ended at once with an empty message (RFC 2920 3.1). The message's time starts when the
   * last RCPT reply is in, as it does command by command. With chunking, MAIL and every
   * RCPT go in one write, and once their replies are in (no chunk is sent for nobody) the
   * BDAT chunks follow, pipelined too.
   */
  async #pipelinedTransaction(plan: TransactionPlan, call: CallOptions): Promise<TransactionOutcome> {
    const { transaction, envelope } = plan;
    const lines = [
      encodeCommand(["MAIL", `FROM:<${envelope.from}>`, ...plan.mailOptions]),
      ...envelope.to.map((address, i) => encodeCommand(["RCPT", `TO:<${address}>`, ...(plan.rcptOptions[i] ?? [])])),
      ...(plan.chunking ? [] : [encodeCommand(["DATA"])]),
    ];
    return this.#commandLock.run(async () => {
      const connection = this.#requireConnection();
      this.#abortIfAborted(call);
      const read = async (): Promise<SMTPResponse> => {
        const reply = await connection.readReply(this.#wait(call));
        this.#logReply(reply);
        if (reply.code === SMTPStatus.domainUnavailable) this.close();
        return reply;
      };
      try {
        for (const line of lines) this.#logCommand(line);
        await connection.pipeline(lines, this.#wait(call));
        const mailReply = await read();
        const refused: SMTPRecipientRefused[] = [];
        for (const recipient of transaction.recipients) {
          const reply = await read();
          if (reply.code !== SMTPStatus.completed && reply.code !== SMTPStatus.willForward) {
            refused.push(new SMTPRecipientRefused(reply.code, reply.message, recipient));
          }
        }
        const messageStart = performance.now();
        if (plan.chunking) {
          if (mailReply.code !== SMTPStatus.completed) {
            throw new SMTPSenderRefused(mailReply.code, mailReply.message, transaction.sender);
          }
          if (refused.length === envelope.to.length) throw new SMTPRecipientsRefused(refused);
          const response = await this.#writeChunks(connection, plan.data, call, true, this.#lastMessage);
          return { errors: refusalMap(refused), response, messageStart };
        }
        const dataReply = await read();
        const nothingToSend = mailReply.code !== SMTPStatus.completed || refused.length === envelope.to.length;
        if (dataReply.code === SMTPStatus.startInput && nothingToSend && this.isConnected) {
          // Nothing was meant to be sent: end the message at once.
          const end = encodeCommand(["."]);
          this.#logCommand(end);
          const reply = await connection.command(end, this.#wait(call));
          this.#logReply(reply);
        }
        if (mailReply.code !== SMTPStatus.completed) {
          throw new SMTPSenderRefused(mailReply.code, mailReply.message, transaction.sender);
        }
        if (refused.length === envelope.to.length) throw new SMTPRecipientsRefused(refused);
        if (dataReply.code !== SMTPStatus.startInput) {
          throw new SMTPDataError(dataReply.code, dataReply.message, { command: "DATA" });
        }
        // The last message of a session (send()): QUIT goes with the data (RFC 2920 3.1).
        const response = await this.#writeMessage(connection, plan.data, () => plan.size, call, this.#lastMessage);
        return { errors: refusalMap(refused), response, messageStart };
      } catch (error) {
        if (!connection.isConnected) this.#closeError ??= error;
        throw error;
      }
    });
  }

  /**
   * Sends an `EmailMessage`, a legacy `Message`, or a message described as an object
   * ({@link EmailInit}, a plain object or an instance of your own class: built with
   * `EmailMessage.fromObjectAsync` now, files read now, and given a Message-ID; fields SMTP
   * cannot carry, such as `tags` or `metadata`, are refused). The sender and recipients
   * come from the headers unless given (see `extractSender`, `extractRecipients`: Sender
   * over From, To, Cc and Bcc, or the Resent-* block; the typed address headers are read,
   * so `ops@[192.0.2.1]` is kept). Bcc and Resent-Bcc are never sent, and `message` (with
   * every part under it) is not changed. The message is flattened with CRLF line endings:
   * 8-bit bodies as they are when the server takes 8BITMIME, else transfer-encoded; UTF-8
   * headers when the transaction uses SMTPUTF8 (an address, not a display name, is not
   * ASCII, and the server offers it). Then as {@link SMTP.sendmail}. Message objects are
   * sent as they are (no Message-ID is added, as aiosmtplib). The `sent` and `error`
   * events carry the message object (the built one, for an EmailInit).
   * @throws EmailValidationError for an EmailInit that cannot make a message, before anything is sent
   * @throws TypeError before anything is sent, when there is no sender or no recipient, a
   *   header that cannot be read as addresses, several Resent- blocks, or as {@link SMTP.sendmail}
   * @throws SMTPNotSupported when an address needs SMTPUTF8 and the server does not offer it
   * @throws as {@link SMTP.sendmail}
   */
  async sendMessage(message: Message | EmailInit, options: SendMessageOptions = {}): Promise<SendResult> {
    const built = await this.#messageObject(message);
    return this.#reporting(built, () => this.#sendMessage(built, options));
  }

  /**
   * The message object to send: `message` itself, or the message an EmailInit describes.
   * A build failure is reported (`error`, `onError`) with no message.
   */
  async #messageObject(message: Message | EmailInit): Promise<Message> {
    if (typeof message !== "object" || message === null) {
      throw new TypeError("the message must be a Message or an object describing one (EmailInit)");
    }
    if (!isMessageInit(message)) return message as Message;
    try {
      return await messageFromInit(message);
    } catch (error) {
      await this.#reportFailure("building the message", undefined, error);
      throw error;
    }
  }

  async #sendMessage(
    message: Message,
    options: SendMessageOptions,
    transaction = prepareMessageTransaction(message, options, this.#options.dsn),
  ): Promise<SendResult> {
    const call = callOf(options);
    await this.#ehloOrHeloIfNeeded(call);
    const { utf8 } = wireEnvelope(transaction, this.supportsExtension("smtputf8"));
    const cteType = this.supportsExtension("8bitmime") ? "8bit" : "7bit";
    return this.#transact(transaction, flattenMessage(message, { utf8, cteType }), call, message);
  }

  /**
   * Sends one message over this connection (which stays open for the next): a message
   * object, an object describing one ({@link EmailInit}), or a raw message (a string,
   * which must be ASCII, or bytes) with `sender` and `recipients`. As
   * {@link SMTP.sendMessage} or {@link SMTP.sendmail}, except that a message object
   * without a Message-ID is sent as a copy with one added (the result's `messageId`). The
   * top-level `send()` is the one-shot form.
   * @throws TypeError before anything is sent when a raw message comes without `sender`
   *   or `recipients`
   * @throws as {@link SMTP.sendMessage} and {@link SMTP.sendmail}
   *
   * @example
   * const smtp = await SMTP.connect({ hostname: "127.0.0.1", port: 2525 });
   * const { messageId, accepted } = await smtp.send({ from: "ada@example.com", to: "bob@example.org", subject: "Hi", text: "Hello\n" });
   */
  async send(message: Message | EmailInit | string | Uint8Array, options: ClientSendOptions = {}): Promise<SendResult> {
    if (typeof message === "string" || message instanceof Uint8Array) {
      checkRawEnvelope(options);
      return this.sendmail(options.sender as string, options.recipients as string | readonly string[], message, options);
    }
    // Unlike sendMessage (aiosmtplib's), send() gives a message without a Message-ID one.
    return this.sendMessage(isMessageInit(message) ? message : withMessageId(message as Message), options);
  }

  /**
   * {@link SMTP.send} for the last message of the session (see {@link sendLastMessage}),
   * its transaction already prepared by the caller.
   */
  async #sendLast(message: Message | string | Uint8Array, options: ClientSendOptions, transaction: Transaction): Promise<SendResult> {
    this.#lastMessage = true;
    try {
      if (typeof message === "string" || message instanceof Uint8Array) {
        return await this.#reporting(message, () => this.#transact(transaction, toAsciiBytes(message), callOf(options), message));
      }
      const sent = withMessageId(message);
      return await this.#reporting(sent, () => this.#sendMessage(sent, options, transaction));
    } finally {
      this.#lastMessage = false;
    }
  }

  static {
    sendLast = (client, message, options, transaction) => client.#sendLast(message, options, transaction);
  }
}

/**
 * {@link SMTP.send} for the top-level `send()`, whose session ends with this message (an
 * EmailInit already built, and `transaction` prepared from `message` and `options`, as
 * `send()` does before connecting): when
 * the server offers PIPELINING, QUIT goes out in the same write as the end of the message
 * data (RFC 2920 3.1 lets the data start a pipelined group and QUIT end it), sparing a
 * round trip; after a refused message no RSET is sent, as QUIT ends the transaction.
 * Disposing of the client (`Symbol.asyncDispose`, which must follow) then reads QUIT's
 * reply instead of sending QUIT, and announces the close.
 * @internal
 */
export function sendLastMessage(
  client: SMTP,
  message: Message | string | Uint8Array,
  options: ClientSendOptions,
  transaction: Transaction,
): Promise<SendResult> {
  return sendLast(client, message, options, transaction);
}

/** What a transaction sends, worked out before MAIL. */
interface TransactionPlan {
  readonly transaction: Transaction;
  readonly envelope: WireEnvelope;
  readonly mailOptions: readonly string[];
  /** Each recipient's RCPT parameters, in order. */
  readonly rcptOptions: readonly (readonly string[])[];
  readonly data: Uint8Array;
  /** The message's size as SIZE= counts it (RFC 1870). */
  readonly size: number;
  /** Whether the message goes in BDAT chunks (the `chunking` option, and the server offers CHUNKING). */
  readonly chunking: boolean;
}

/** What a transaction's commands gave. */
interface TransactionOutcome {
  readonly errors: Map<string, SMTPResponse>;
  readonly response: SMTPResponse;
  /** When the message's part of the transaction began (after the last RCPT reply). */
  readonly messageStart: number;
}

function refusalMap(refused: readonly SMTPRecipientRefused[]): Map<string, SMTPResponse> {
  return new Map(refused.map((error) => [error.recipient, new SMTPResponse(error.code, error.message)]));
}

function callOf(options: CallOptions): CallOptions {
  return { timeout: options.timeout, signal: options.signal };
}

/**
 * A raw message needs an explicit envelope.
 * @throws TypeError when `sender` or `recipients` is missing
 */
export function checkRawEnvelope(options: { readonly sender?: unknown; readonly recipients?: unknown }): void {
  if (options.recipients === undefined) throw new TypeError("Recipients must be provided with raw messages.");
  if (options.sender === undefined) throw new TypeError("Sender must be provided with raw messages.");
}
