/**
 * The embedded debug server: an SMTP sink on the loopback interface, built on
 * `smtp-server`, that accepts any login and any message and shows what it received. The
 * demo, the guide's snippets and `mailport debug-server` all use it.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { selfSignedCertificate, type CertificatePair } from "./certificate.js";
import { formatReceivedMessage, type ReceivedMessage } from "./report.js";
import { conversationLogger, type TranscriptLine } from "./transcript.js";

export type { ReceivedMessage } from "./report.js";
export type { TranscriptLine } from "./transcript.js";

/** Options of {@link startDebugServer}. */
export interface DebugServerOptions {
  /** The address to listen on. Default `"127.0.0.1"`. */
  readonly host?: string | undefined;
  /** The port; 0 picks a free one. Default 1025. */
  readonly port?: number | undefined;
  /** Implicit TLS: the connection is encrypted from the start (as on port 465). */
  readonly tls?: boolean | undefined;
  /** Offer STARTTLS on a plain connection (as on port 587). Default false. */
  readonly starttls?: boolean | undefined;
  /** The certificate and key for TLS; default a new self-signed one for the loopback names. */
  readonly certificate?: CertificatePair | undefined;
  /** The largest message accepted, in bytes (announced with SIZE). Default 10 MiB. */
  readonly maxSize?: number | undefined;
  /** Called with each line of the conversation (credentials masked). */
  readonly onConversation?: ((line: TranscriptLine) => void) | undefined;
  /** Called with each message received, and its report ({@link formatReceivedMessage}). */
  readonly onMessage?: ((message: ReceivedMessage, report: string) => void) | undefined;
  /** Called when a connection fails (a client's failed TLS handshake ...); the server keeps running. */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** A running debug server. */
export interface DebugServer {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on. */
  readonly port: number;
  /** The certificate it presents (PEM) when it speaks TLS; pass it as `certBundle` to trust it. */
  readonly certificate: string | undefined;
  /** Every message received so far, in order. */
  readonly messages: readonly ReceivedMessage[];
  /**
   * Stops listening, closes the connections still open a second later (with a 421 reply),
   * and resolves when every connection is closed.
   */
  close(): Promise<void>;
}

/** smtp-server's parsed ESMTP parameters, back as `KEY=value` words (`KEY` alone for a flag). */
function paramsOf(args: Record<string, string | true> | false | undefined): string[] {
  if (!args) return [];
  return Object.entries(args).map(([key, value]) => (value === true ? key : `${key}=${value}`));
}

/** The name the server gives in its greeting and EHLO reply. */
const SERVER_NAME = "mailport-debug-server";

/**
 * Starts a debug server and resolves once it listens.
 * @throws Error when the address is in use or cannot be listened on (the `listen` error)
 * @throws CliError when TLS is asked for without a certificate and none can be made
 */
export async function startDebugServer(options: DebugServerOptions = {}): Promise<DebugServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 1025;
  const wantsTls = options.tls === true || options.starttls === true;
  const certificate = wantsTls ? (options.certificate ?? (await selfSignedCertificate())) : undefined;
  const messages: ReceivedMessage[] = [];
  const onConversation = options.onConversation;

  const server = new SMTPServer({
    name: SERVER_NAME,
    banner: "mailport debug server: every message is accepted and shown, none is delivered",
    secure: options.tls === true,
    hideSTARTTLS: options.tls !== true && options.starttls !== true,
    ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
    size: options.maxSize ?? 10 * 1024 * 1024,
    authMethods: ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"],
    allowInsecureAuth: true,
    authOptional: true,
    disableReverseLookup: true,
    // Announce DSN (RFC 3461) so that clients can show the parameters they would send.
    hideDSN: false,
    closeTimeout: 1000,
    logger: onConversation ? conversationLogger(onConversation) : false,
    onAuth(auth, _session, callback) {
      // Any login is accepted: this server is for looking at what a client sends.
      callback(null, { user: auth.username ?? "" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error: Error) => callback(error));
      stream.on("end", () => {
        const user = session.user;
        const message: ReceivedMessage = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          mailParams: session.envelope.mailFrom ? paramsOf(session.envelope.mailFrom.args) : [],
          rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
          rcptParams: session.envelope.rcptTo.map((recipient) => paramsOf(recipient.args)),
          user: typeof user === "string" ? user : user === undefined ? undefined : String(user),
          secure: session.secure,
          data: new Uint8Array(Buffer.concat(chunks)),
        };
        messages.push(message);
        options.onMessage?.(message, formatReceivedMessage(message, messages.length));
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  // After listening, a failing connection must not bring the process down.
  server.on("error", (error: Error) => options.onError?.(error));
  const address = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    host,
    port: address.port,
    certificate: certificate?.cert,
    messages,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        // No connection starts after this, so these are all that can still be open.
        const open = [...server.connections];
        server.server.once("close", () => resolve());
        // After closeTimeout, smtp-server answers 421 to the connections still open and
        // ends them, then waits up to 5 seconds for each client to close its side, which
        // would keep the process alive. Close them once the 421 is written instead.
        server.close(() => {
          for (const connection of open) connection._socket.destroySoon();
        });
      });
      return closing;
    },
  };
}
