/**
 * The private Postfix (with Dovecot for SASL AUTH) of the integration tests and the
 * benchmark: started with start.sh (which runs setup.sh: installs the packages when
 * missing, writes the configuration), which counts this process as a user of it, and
 * released with stop.sh at the latest when the process exits. The last user to leave
 * stops what start.sh started, so a test run and a benchmark can share the instance.
 *
 * Where the instance cannot be made (not root; no apt-get, or apt-get fails),
 * {@link startPostfix} says so instead of failing, so a suite can be skipped with that
 * reason; with `CI=true` it throws instead, as CI must run the suite.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** setup.sh's and start.sh's exit status when the instance cannot be made here. */
const CANNOT_INSTALL = 3;

/** A running Postfix instance, as the tests use it. */
export interface PostfixInstance {
  readonly host: "127.0.0.1";
  /** The port with everything on (STARTTLS, AUTH after TLS, PIPELINING, CHUNKING, SMTPUTF8 ...). */
  readonly port: number;
  /** The same server with PIPELINING and CHUNKING not offered. */
  readonly plainPort: number;
  /** The server's self-signed certificate (PEM file), for `certBundle`. */
  readonly certPath: string;
  /** The root of the maildirs: `<maildir>/mailport.test/<local part>/new/`. */
  readonly maildir: string;
  /** The SASL test user and password. */
  readonly username: string;
  readonly password: string;
  /** Whether this process's start.sh started Postfix (it was not running). */
  readonly startedHere: boolean;
  /**
   * Ends this process's use of the instance; the last user stops what start.sh started.
   * Safe to call twice; also done when the process exits.
   */
  stop(): void;
}

/** The outcome of {@link startPostfix}. */
export type PostfixAvailability =
  | { readonly available: true; readonly instance: PostfixInstance }
  | { readonly available: false; readonly reason: string };

function run(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(here, script), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function parseEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const raw = match[2] ?? "";
    values.set(match[1] ?? "", raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw);
  }
  return values;
}

/** Whether this process is counted as a user of the instance (start.sh ran, stop.sh not yet). */
let using = false;
let hooked = false;
function release(): void {
  spawnSync("bash", [path.join(here, "stop.sh"), String(process.pid)], { stdio: "ignore" });
}

function stopNow(): void {
  if (!using) return;
  using = false;
  release();
}

/**
 * Starts the instance (installing and configuring it first when needed; the first time
 * this takes about 30 to 60 seconds).
 * @returns the instance, or `available: false` with the reason when it cannot be made here
 *   (outside CI)
 * @throws Error when setup or start fails, and in CI (`CI=true`) also when the instance
 *   cannot be made
 */
export async function startPostfix(): Promise<PostfixAvailability> {
  const result = await run("start.sh", [String(process.pid)]);
  if (result.status === CANNOT_INSTALL) {
    const reason = `Postfix is not available: ${result.stderr.trim() || "setup.sh cannot make the instance here"}`;
    if (process.env["CI"] === "true") throw new Error(`${reason} (CI must run the Postfix suite)`);
    return { available: false, reason };
  }
  if (result.status !== 0) {
    // Stops what start.sh may have started before failing, unless another run uses it.
    release();
    throw new Error(`starting Postfix failed (exit status ${String(result.status)}):\n${result.stderr}`);
  }
  const env = parseEnv(result.stdout);
  const get = (key: string): string => {
    const value = env.get(key);
    if (value === undefined) throw new Error(`start.sh did not print ${key}:\n${result.stdout}`);
    return value;
  };
  using = true;
  if (!hooked) {
    hooked = true;
    process.once("exit", stopNow);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        stopNow();
        process.kill(process.pid, signal);
      });
    }
  }
  const instance: PostfixInstance = {
    host: "127.0.0.1",
    port: Number(get("MAILPORT_POSTFIX_PORT")),
    plainPort: Number(get("MAILPORT_POSTFIX_PLAIN_PORT")),
    certPath: get("MAILPORT_POSTFIX_CERT"),
    maildir: get("MAILPORT_POSTFIX_MAILDIR"),
    username: get("MAILPORT_POSTFIX_USER"),
    password: get("MAILPORT_POSTFIX_PASSWORD"),
    startedHere: get("MAILPORT_POSTFIX_STARTED") === "yes",
    stop: stopNow,
  };
  return { available: true, instance };
}

/** The files delivered to a mailbox of mailport.test (`new/`), oldest name first. */
export function mailboxFiles(instance: PostfixInstance, localPart: string): string[] {
  const dir = path.join(instance.maildir, "mailport.test", localPart, "new");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Waits until a message containing `marker` (bytes, e.g. a unique Message-ID) is in the
 * mailbox, and returns it as delivered.
 * @throws Error when none arrives within `timeoutMs`
 */
export async function waitForDelivery(
  instance: PostfixInstance,
  localPart: string,
  marker: string,
  timeoutMs = 10_000,
): Promise<Buffer> {
  const needle = Buffer.from(marker, "utf8");
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const file of mailboxFiles(instance, localPart)) {
      const bytes = readFileSync(file);
      if (bytes.includes(needle)) return bytes;
    }
    if (Date.now() > until) throw new Error(`no message with ${marker} reached ${localPart}@mailport.test`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The fields Postfix puts on top of a message it delivers to a maildir, in order. */
const DELIVERY_FIELDS = ["return-path", "x-original-to", "delivered-to", "received"];

/**
 * A delivered message without the fields Postfix added on top (Return-Path,
 * X-Original-To, Delivered-To, and its one Received field).
 * @throws Error when they are not there as expected
 */
export function withoutDeliveryFields(delivered: Buffer): Buffer {
  let at = 0;
  for (const name of DELIVERY_FIELDS) {
    const end = fieldEnd(delivered, at);
    const field = delivered.subarray(at, end).toString("latin1");
    if (!field.toLowerCase().startsWith(`${name}:`)) {
      throw new Error(`expected a ${name} field added by Postfix, found ${JSON.stringify(field.slice(0, 80))}`);
    }
    if (name === "received" && !field.includes("(Postfix)")) throw new Error(`not Postfix's Received field: ${field}`);
    at = end;
  }
  return delivered.subarray(at);
}

/** Where the header field starting at `start` ends (after its last continuation line). */
function fieldEnd(bytes: Buffer, start: number): number {
  let at = start;
  for (;;) {
    const newline = bytes.indexOf(0x0a, at);
    if (newline < 0) return bytes.length;
    at = newline + 1;
    const next = bytes[at];
    if (next !== 0x20 && next !== 0x09) return at;
  }
}
