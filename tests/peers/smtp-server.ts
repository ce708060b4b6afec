/**
 * An in-process smtp-server on 127.0.0.1 (an ephemeral port) or a Unix socket, recording
 * what it receives: each message's envelope and exact bytes, and each AUTH attempt.
 */
import { once } from "node:events";
import type net from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMessage {
  readonly mailFrom: string | false;
  readonly mailArgs: Record<string, string | true> | false;
  readonly rcptTo: string[];
  readonly bodyType: string | undefined;
  readonly smtpUtf8: boolean | undefined;
  readonly secure: boolean;
  readonly user: unknown;
  /** The message as the server stored it (dot-stuffing undone). */
  readonly data: Buffer;
}

export interface AuthAttempt {
  readonly method: string;
  readonly username: string | undefined;
  readonly ok: boolean;
}

export interface TestServerOptions extends SMTPServerOptions {
  /** Accounts: user name to password (PLAIN, LOGIN, CRAM-MD5). */
  readonly users?: Record<string, string>;
  /** XOAUTH2 accounts: user name to access token. */
  readonly tokens?: Record<string, string>;
  /** Mechanisms refused whatever the credentials. */
  readonly brokenMechanisms?: string[];
  /** Recipients refused with 550. */
  readonly refuse?: string[];
  /** Listen on this Unix socket instead of 127.0.0.1. */
  readonly socketPath?: string;
}

export interface TestServer {
  readonly port: number;
  readonly messages: ReceivedMessage[];
  readonly auths: AuthAttempt[];
  /** Every connection at its end: whether it was encrypted, and the name the client gave in EHLO/HELO. */
  readonly sessions: Array<{ secure: boolean; clientHostname: string }>;
  /** Every command line received, on every connection, in order (AUTH payloads redacted by smtp-server). */
  readonly commands: string[];
  close(): Promise<void>;
}

/** Starts an smtp-server and resolves once it listens. */
export async function startSmtpServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { users = {}, tokens = {}, brokenMechanisms = [], refuse = [], socketPath, ...serverOptions } = options;
  const messages: ReceivedMessage[] = [];
  const auths: AuthAttempt[] = [];
  const sessions: Array<{ secure: boolean; clientHostname: string }> = [];
  const commands: string[] = [];
  const ignore = (): void => undefined;
  // smtp-server logs each command line it receives at debug level: that is the record.
  const recorder = {
    debug: (entry: { tnx?: string }, _label: unknown, line: unknown) => {
      if (entry?.tnx === "command") commands.push(String(line));
    },
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    fatal: ignore,
  };
  const server = new SMTPServer({
    logger: recorder as unknown as SMTPServerOptions["logger"],
    name: "mx.test",
    disableReverseLookup: true,
    authMethods: ["PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2"],
    ...serverOptions,
    onAuth(auth, _session, callback) {
      let ok = false;
      if (!brokenMechanisms.includes(auth.method)) {
        const username = auth.username ?? "";
        if (auth.method === "XOAUTH2") ok = tokens[username] !== undefined && tokens[username] === auth.accessToken;
        else if (auth.method === "CRAM-MD5") ok = users[username] !== undefined && auth.validatePassword(users[username]);
        else ok = users[username] !== undefined && users[username] === auth.password;
      }
      auths.push({ method: auth.method, username: auth.username, ok });
      if (ok) callback(null, { user: auth.username });
      else if (auth.method === "XOAUTH2") callback(null, { data: { status: "401", schemes: "bearer" } });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refuse.includes(address.address)) {
        callback(Object.assign(new Error(`No such user ${address.address}`), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = session.envelope;
        messages.push({
          mailFrom: envelope.mailFrom && envelope.mailFrom.address,
          mailArgs: envelope.mailFrom && envelope.mailFrom.args,
          rcptTo: envelope.rcptTo.map((r) => r.address),
          bodyType: envelope.bodyType,
          smtpUtf8: envelope.smtpUtf8,
          secure: session.secure,
          user: session.user,
          data: Buffer.concat(chunks),
        });
        callback(null, `queued as ${messages.length}`);
      });
    },
    onClose(session) {
      sessions.push({ secure: session.secure, clientHostname: session.hostNameAppearsAs });
    },
  });
  server.on("error", () => {});
  const listener: net.Server = socketPath ? server.listen(socketPath) : server.listen(0, "127.0.0.1");
  await once(listener, "listening");
  const address = listener.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    messages,
    auths,
    sessions,
    commands,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
