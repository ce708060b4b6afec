/**
 * `mailport debug-server`: runs the embedded debug server until interrupted.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCommandLine, parsePort } from "./arguments.js";
import { startDebugServer } from "./debug-server.js";
import { CliError, UsageError } from "./errors.js";
import { readUserFile } from "./files.js";

/** The help text of `mailport debug-server`. */
export const DEBUG_SERVER_HELP = `Usage: mailport debug-server [options]

An SMTP server that accepts any login and any message, prints the conversation and each
message it receives (envelope, headers, body, size and SHA-256), and delivers nothing.
Ctrl-C stops it.

Options:
  --host H       the address to listen on (default 127.0.0.1)
  --port P       the port (default 1025; 0 picks a free one)
  --tls          implicit TLS (as on port 465)
  --starttls     offer STARTTLS (as on port 587)
  --cert FILE    the certificate for TLS (PEM); default a new self-signed one,
                 written to a file whose name is printed (give it to send --ca)
  --key FILE     the key of --cert (PEM)
  --quiet        print the messages only, not the conversation
  -h, --help     show this help`;

/** The parsed command line of `mailport debug-server`. */
export interface DebugServerArguments {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly starttls: boolean;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly quiet: boolean;
  readonly help: boolean;
}

/**
 * Reads the arguments that follow `mailport debug-server`.
 * @throws UsageError for an unknown option, a bad port, or `--cert` without `--key`
 */
export function parseDebugServerArguments(argv: readonly string[]): DebugServerArguments {
  const { values } = parseCommandLine(
    argv,
    {
      host: { type: "string" },
      port: { type: "string" },
      tls: { type: "boolean" },
      starttls: { type: "boolean" },
      cert: { type: "string" },
      key: { type: "string" },
      quiet: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  const port = values.port === undefined ? 1025 : parsePort(values.port, 0);
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError("--cert and --key go together");
  if (values.tls && values.starttls) throw new UsageError("--tls and --starttls exclude each other");
  return {
    host: values.host ?? "127.0.0.1",
    port,
    tls: values.tls === true,
    starttls: values.starttls === true,
    cert: values.cert,
    key: values.key,
    quiet: values.quiet === true,
    help: values.help === true,
  };
}

/**
 * Runs `mailport debug-server` until SIGINT or SIGTERM, then closes the server.
 * @returns the exit status (0 after a clean stop)
 * @throws UsageError for a bad command line; CliError when the port cannot be listened on
 */
export async function runDebugServer(argv: readonly string[]): Promise<number> {
  const args = parseDebugServerArguments(argv);
  if (args.help) {
    process.stdout.write(`${DEBUG_SERVER_HELP}\n`);
    return 0;
  }
  const certificate =
    args.cert !== undefined && args.key !== undefined
      ? { cert: (await readUserFile(args.cert, "the certificate")).toString("utf8"), key: (await readUserFile(args.key, "the key")).toString("utf8") }
      : undefined;
  const out = (text: string): boolean => process.stdout.write(text);
  let server;
  try {
    server = await startDebugServer({
      host: args.host,
      port: args.port,
      tls: args.tls,
      starttls: args.starttls,
      certificate,
      onConversation: args.quiet ? undefined : (line) => out(`[${line.connection}] ${line.from}: ${line.text}\n`),
      onMessage: (_message, report) => out(report),
      onError: (error) => process.stderr.write(`mailport debug-server: connection error: ${error.message}\n`),
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "EADDRINUSE" ? "the port is in use" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new CliError(`cannot listen on ${args.host} port ${args.port}: ${reason}`);
  }
  // The listeners stay installed: a loader (tsx) that sees none left may re-raise the
  // signal, and a second Ctrl-C while closing should end the process at once.
  let stopping = false;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals): void => {
      if (stopping) process.exit(130);
      stopping = true;
      resolve(received);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  let certDir: string | undefined;
  if (server.certificate !== undefined && certificate === undefined) {
    certDir = mkdtempSync(path.join(tmpdir(), "mailport-debug-"));
    const certFile = path.join(certDir, "certificate.pem");
    writeFileSync(certFile, server.certificate);
    out(`self-signed certificate: ${certFile} (trust it with: mailport send --ca ${certFile})\n`);
  }
  const mode = args.tls ? "implicit TLS" : args.starttls ? "STARTTLS offered" : "plain, no TLS";
  out(`mailport debug server listening on ${server.host} port ${server.port} (${mode}); Ctrl-C stops it\n`);

  const signal = await stopped;
  await server.close();
  if (certDir !== undefined) rmSync(certDir, { recursive: true, force: true });
  out(`stopped (${signal}); ${server.messages.length} message(s) received\n`);
  return 0;
}
