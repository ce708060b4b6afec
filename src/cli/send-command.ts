/**
 * `mailport send`: sends a raw RFC 5322 message (a file or standard input) byte for byte.
 *
 * @module
 */
import { extractRecipients, extractSender, messageFromBytes, send, type SendResult } from "../index.js";
import { parseCommandLine, parsePort, parseSeconds } from "./arguments.js";
import { CliError, UsageError } from "./errors.js";
import { readUserFile } from "./files.js";
import { Terminal } from "./password.js";

/** The help text of `mailport send`. */
export const SEND_HELP = `Usage: mailport send [options] [FILE.eml | -]

Sends a raw message (a file, or standard input when FILE is - or absent) exactly as
it is, except that line endings become CRLF on the wire.

Options:
  --host H            the server (default 127.0.0.1)
  --port P            the port (default 465 with --tls, 587 with --starttls, else 25)
  --tls               connect over TLS from the start (implicit TLS)
  --starttls          require STARTTLS (without it, STARTTLS is used when offered)
  --ca FILE           also trust the certificates in this PEM file
  --user U            log in as U
  --password-env VAR  read the password from the environment variable VAR
                      (with --user and no --password-env, the password is asked for
                      on the terminal, even when the message comes from standard input)
  --from A            the envelope sender (default: the Sender or From header)
  --to A              an envelope recipient; repeat for more
                      (default: the To, Cc and Bcc headers)
  --timeout S         seconds to wait for each reply (default 60)
  -h, --help          show this help

Passwords are never taken from the command line.
Exit status: 0 sent; 1 failed; 2 bad command line; 3 sent, but some recipients refused;
130 interrupted (Ctrl-C) at the password prompt.`;

/** The parsed command line of `mailport send`. */
export interface SendArguments {
  readonly host: string;
  readonly port: number | undefined;
  readonly tls: boolean;
  readonly starttls: boolean;
  readonly ca: string | undefined;
  readonly user: string | undefined;
  readonly passwordEnv: string | undefined;
  readonly from: string | undefined;
  readonly to: readonly string[];
  readonly timeout: number | undefined;
  /** The message file, or `"-"` for standard input. */
  readonly file: string;
  readonly help: boolean;
}

/**
 * Reads the arguments that follow `mailport send`.
 * @throws UsageError for an unknown option, a missing or bad value, `--tls` with
 *   `--starttls`, `--password-env` without `--user`, or more than one file
 */
export function parseSendArguments(argv: readonly string[]): SendArguments {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      host: { type: "string" },
      port: { type: "string" },
      tls: { type: "boolean" },
      starttls: { type: "boolean" },
      ca: { type: "string" },
      user: { type: "string" },
      "password-env": { type: "string" },
      password: { type: "string" },
      from: { type: "string" },
      to: { type: "string", multiple: true },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  const help = values.help === true;
  if (values.password !== undefined) {
    throw new UsageError("passwords are not taken from the command line; use --password-env VARIABLE or the prompt");
  }
  if (values.tls && values.starttls) throw new UsageError("--tls and --starttls exclude each other");
  if (values["password-env"] !== undefined && values.user === undefined) {
    throw new UsageError("--password-env needs --user");
  }
  if (positionals.length > 1) throw new UsageError(`one message at a time, got ${positionals.length} files`);
  return {
    host: values.host ?? "127.0.0.1",
    port: values.port === undefined ? undefined : parsePort(values.port, 1),
    tls: values.tls === true,
    starttls: values.starttls === true,
    ca: values.ca,
    user: values.user,
    passwordEnv: values["password-env"],
    from: values.from,
    to: values.to ?? [],
    timeout: values.timeout === undefined ? undefined : parseSeconds(values.timeout, "--timeout"),
    file: positionals[0] ?? "-",
    help,
  };
}

async function readMessage(file: string): Promise<Uint8Array> {
  if (file !== "-") return new Uint8Array(await readUserFile(file, ""));
  // A terminal gives no sign that it waits for the message; say so, and how to end it.
  if (process.stdin.isTTY) process.stderr.write("mailport send: reading the message from standard input; end it with Ctrl-D\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Where the password comes from: nowhere (no --user), the environment, or the terminal. */
type PasswordSource =
  | { readonly from: "none" }
  | { readonly from: "environment"; readonly password: string }
  | { readonly from: "terminal"; readonly terminal: Terminal };

/**
 * Finds the password's source before anything is read, so that a missing variable or
 * terminal is reported before standard input is consumed.
 * @throws CliError when the variable is not set, or there is no terminal to ask on
 */
function passwordSource(args: SendArguments): PasswordSource {
  if (args.user === undefined) return { from: "none" };
  if (args.passwordEnv === undefined) return { from: "terminal", terminal: Terminal.open() };
  const password = process.env[args.passwordEnv];
  if (password === undefined) throw new CliError(`the environment variable ${args.passwordEnv} is not set`);
  return { from: "environment", password };
}

/** The envelope: the options, else the message's headers. */
function envelope(args: SendArguments, data: Uint8Array): { sender: string; recipients: string[] } {
  const needsHeaders = args.from === undefined || args.to.length === 0;
  const message = needsHeaders ? messageFromBytes(data) : undefined;
  const sender = args.from ?? (message ? extractSender(message) : undefined);
  if (sender === undefined) throw new CliError("no envelope sender: the message has no From header; pass --from");
  const recipients = args.to.length > 0 ? [...args.to] : message ? extractRecipients(message) : [];
  if (recipients.length === 0) throw new CliError("no envelope recipient: the message has no To, Cc or Bcc header; pass --to");
  return { sender, recipients };
}

/**
 * Runs `mailport send`: reads the message, works out the envelope, sends, and prints the
 * server's reply (and any refused recipient, on standard error).
 * @returns the exit status: 0 sent, 3 sent but some recipients refused
 * @throws UsageError, CliError, and the SMTP client's errors (SMTPException and subclasses)
 */
export async function runSend(argv: readonly string[]): Promise<number> {
  const args = parseSendArguments(argv);
  if (args.help) {
    process.stdout.write(`${SEND_HELP}\n`);
    return 0;
  }
  const source = passwordSource(args);
  try {
    return await sendMessage(args, source);
  } finally {
    if (source.from === "terminal") source.terminal.close();
  }
}

async function sendMessage(args: SendArguments, source: PasswordSource): Promise<number> {
  // Read once for a one-line error before anything else; the client reads it again and
  // says what is wrong with its contents.
  if (args.ca !== undefined) await readUserFile(args.ca, "the CA file");
  const data = await readMessage(args.file);
  if (data.length === 0) throw new CliError("the message is empty");
  const { sender, recipients } = envelope(args, data);
  const password =
    source.from === "terminal" ? await source.terminal.askPassword(`Password for ${args.user}: `) : source.from === "environment" ? source.password : undefined;
  const result: SendResult = await send(data, {
    hostname: args.host,
    port: args.port,
    useTls: args.tls,
    startTls: args.starttls ? true : undefined,
    certBundle: args.ca,
    username: args.user,
    password,
    timeout: args.timeout,
    sender,
    recipients,
  });
  for (const [recipient, response] of result.errors) {
    process.stderr.write(`mailport send: recipient refused: ${recipient}: ${String(response)}\n`);
  }
  process.stdout.write(`sent to ${recipients.length - result.errors.size} of ${recipients.length} recipients: ${String(result.response)}\n`);
  return result.errors.size > 0 ? 3 : 0;
}
