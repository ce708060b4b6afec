/**
 * A connection per message, with STARTTLS and AUTH, against the private Postfix of the
 * integration tests (tests/integration/postfix): mailport beside nodemailer and Python's
 * smtplib in the same run, printing messages per second and the ratios. A client written
 * by hand on Node's net and tls, doing on the wire what mailport does and nothing more,
 * shows what Node itself costs: the part of mailport's time that is its own is the
 * difference.
 *
 * The same work per message on every side: connect to 127.0.0.1, EHLO, STARTTLS, EHLO,
 * AUTH PLAIN, MAIL FROM (with SIZE), RCPT TO, DATA and the message, QUIT and its 221. Every
 * client verifies Postfix's certificate against the same self-signed certificate, for the
 * address 127.0.0.1. mailport and nodemailer pipeline MAIL, RCPT and DATA (Postfix offers
 * PIPELINING), smtplib does not; mailport's send() also writes QUIT with the end of the
 * message data. mailport resumes the TLS session of its previous connection (its
 * default), so it checks the certificate chain on the first connection only; smtplib and
 * nodemailer run a full handshake every time.
 *
 * The clients take turns in short batches, the order rotating each round, so that a busy
 * machine slows each of them alike; the rates come from the totals. Each round also gives
 * each client's rate against smtplib's in that round, and the median of those ratios is
 * the summary that holds up when other work comes and goes on the machine (the load
 * average is printed before and after). smtplib runs in one python3 process for the whole
 * run, which sends a batch when asked.
 *
 * Then the TLS session-ticket stall: right after a TLS 1.3 handshake Postfix sends session
 * tickets, and a client that writes EHLO before the first one has arrived waits about
 * 40 ms for the reply (delayed ACK against the server's Nagle). A hand-made probe times the
 * first EHLO after STARTTLS written at once and written after the first ticket; then
 * mailport's own STARTTLS reply to EHLO reply is timed from its `log` events, after a full
 * handshake and after a resumed one. If mailport stalls, the script says so and exits
 * with status 1.
 *
 * Run: `npm run bench -- postfix` (or `npx tsx bench/postfix-connect.ts`), as root on a
 * machine with apt or with Postfix already set up; elsewhere it says why it is skipped.
 * Environment: BENCH_MESSAGES (default 300 per client), BENCH_BATCH (default 10 messages
 * per turn).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import readline from "node:readline";
import tls from "node:tls";
import nodemailer from "nodemailer";
import { SMTP, send, type SMTPOptions } from "../src/smtp/index.js";
import { startPostfix, type PostfixInstance } from "../tests/integration/postfix/instance.js";

const MESSAGES = Number(process.env["BENCH_MESSAGES"] ?? 300);
const BATCH = Number(process.env["BENCH_BATCH"] ?? 10);
const PROBES = 20;
/** Above this, the first EHLO after STARTTLS has stalled (a delayed ACK takes 40 ms or more). */
const STALL_MS = 20;
const SENDER = "tester@mailport.test";
const RECIPIENT = "bench@discard.mailport.test";
const MESSAGE = Buffer.from(
  `From: ${SENDER}\r\nTo: ${RECIPIENT}\r\nSubject: bench\r\nMessage-ID: <bench@mailport.test>\r\n\r\nA short message.\r\n`,
  "latin1",
);

/** Sends `count` messages, a connection each; resolves to the milliseconds taken. */
type Runner = (count: number) => Promise<number>;

async function timed(count: number, sendOne: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await sendOne();
  return performance.now() - start;
}

/** The options every mailport connection of this benchmark uses, trusting Postfix's certificate as `trust` says. */
function mailportOptions(p: PostfixInstance, trust: Pick<SMTPOptions, "certBundle" | "tlsContext">): SMTPOptions {
  return {
    hostname: p.host,
    port: p.port,
    localHostname: "bench.mailport.test",
    startTls: true,
    username: p.username,
    password: p.password,
    ...trust,
  };
}

function mailport(p: PostfixInstance, trust: Pick<SMTPOptions, "certBundle" | "tlsContext">): Runner {
  const options = { ...mailportOptions(p, trust), sender: SENDER, recipients: [RECIPIENT] };
  return (count) => timed(count, () => send(MESSAGE, options));
}

function nodemailerRunner(p: PostfixInstance): Runner {
  // Not pooled: nodemailer opens a connection for each message.
  const transport = nodemailer.createTransport({
    host: p.host,
    port: p.port,
    secure: false,
    requireTLS: true,
    name: "bench.mailport.test",
    tls: { ca: readFileSync(p.certPath, "utf8") },
    auth: { user: p.username, pass: p.password },
  });
  return (count) => timed(count, () => transport.sendMail({ envelope: { from: SENDER, to: [RECIPIENT] }, raw: MESSAGE }));
}

/** smtplib in one python3 process: a count on stdin sends that many messages and prints the seconds taken. */
const SMTPLIB = String.raw`
import json, smtplib, ssl, sys, time
a = json.loads(sys.stdin.readline())
context = ssl.create_default_context(cafile=a["cert"])
message = a["message"].encode("latin1")
for line in sys.stdin:
    start = time.perf_counter()
    for _ in range(int(line)):
        with smtplib.SMTP("127.0.0.1", a["port"], local_hostname="bench.mailport.test") as s:
            s.starttls(context=context)
            s.login(a["user"], a["password"])
            s.sendmail(a["sender"], [a["recipient"]], message)
    print(json.dumps(time.perf_counter() - start), flush=True)
`;

function smtplibRunner(p: PostfixInstance): { run: Runner; stop: () => void } {
  const child = spawn("python3", ["-c", SMTPLIB], { stdio: ["pipe", "pipe", "inherit"] });
  let failure: Error | undefined;
  child.on("exit", (code) => (failure = new Error(`the smtplib process exited with ${String(code)}`)));
  child.stdin.write(
    `${JSON.stringify({
      cert: p.certPath,
      port: p.port,
      user: p.username,
      password: p.password,
      sender: SENDER,
      recipient: RECIPIENT,
      message: MESSAGE.toString("latin1"),
    })}\n`,
  );
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const run: Runner = async (count) => {
    child.stdin.write(`${count}\n`);
    const line = await lines.next();
    if (line.done === true) throw failure ?? new Error("the smtplib process ended");
    return Number(line.value) * 1000;
  };
  return { run, stop: () => child.stdin.end() };
}

/** Reads `count` whole replies (each up to its last line) from `socket`. */
function readReplies(socket: net.Socket, count = 1): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("latin1");
      if (text.endsWith("\r\n") && (text.match(/^\d{3} /gm)?.length ?? 0) >= count) {
        socket.off("data", onData);
        resolve();
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

/** Connects by hand, reads the greeting, says EHLO and STARTTLS: the socket, ready for TLS. */
async function readyForTls(p: PostfixInstance): Promise<net.Socket> {
  const raw = net.connect({ host: p.host, port: p.port });
  raw.setNoDelay(true);
  await readReplies(raw);
  raw.write("EHLO bench.mailport.test\r\n");
  await readReplies(raw);
  raw.write("STARTTLS\r\n");
  await readReplies(raw);
  return raw;
}

/**
 * A client written by hand on Node's net and tls, doing what mailport does on the wire
 * (resuming the TLS session, waiting for the first ticket after a full handshake,
 * pipelining MAIL, RCPT and DATA, QUIT with the message data) and nothing else: what
 * Node itself costs.
 */
function handMade(p: PostfixInstance): Runner {
  const secureContext = tls.createSecureContext({ ca: readFileSync(p.certPath, "utf8") });
  const auth = Buffer.from(`\0${p.username}\0${p.password}`).toString("base64");
  const dataAndQuit = `${MESSAGE.toString("latin1")}.\r\nQUIT\r\n`;
  let session: Buffer | undefined;
  const sendOne = async (): Promise<void> => {
    const raw = await readyForTls(p);
    const secure = tls.connect({ socket: raw, host: p.host, secureContext, ...(session ? { session } : {}) });
    // The first ticket, or 100 ms without one (as mailport waits at most).
    const ticket = new Promise((resolve) => {
      secure.once("session", () => setImmediate(resolve));
      setTimeout(resolve, 100).unref();
    });
    secure.on("session", (next: Buffer) => (session = next));
    await new Promise((resolve) => secure.once("secureConnect", resolve));
    if (!secure.isSessionReused()) await ticket;
    secure.write("EHLO bench.mailport.test\r\n");
    await readReplies(secure);
    secure.write(`AUTH PLAIN ${auth}\r\n`);
    await readReplies(secure);
    secure.write(`MAIL FROM:<${SENDER}> SIZE=${MESSAGE.length}\r\nRCPT TO:<${RECIPIENT}>\r\nDATA\r\n`);
    await readReplies(secure, 3);
    secure.write(dataAndQuit);
    await readReplies(secure, 2);
    secure.destroy();
  };
  return (count) => timed(count, sendOne);
}

/**
 * Milliseconds from the end of the STARTTLS handshake to the reply to the first EHLO,
 * written at once or after the first session ticket, by a hand-made TLS client.
 */
async function probeTicketStall(p: PostfixInstance, afterTicket: boolean): Promise<number> {
  const secure = tls.connect({ socket: await readyForTls(p), host: p.host, ca: readFileSync(p.certPath, "utf8") });
  let ticket = false;
  const ticketed = new Promise<void>((resolve) =>
    secure.on("session", () => {
      ticket = true;
      setImmediate(resolve);
    }),
  );
  await new Promise((resolve) => secure.once("secureConnect", resolve));
  const start = performance.now();
  const reply = readReplies(secure);
  if (afterTicket && !ticket) await ticketed;
  secure.write("EHLO bench.mailport.test\r\n");
  await reply;
  const ms = performance.now() - start;
  secure.write("QUIT\r\n");
  secure.end();
  return ms;
}

/**
 * Milliseconds from Postfix's reply to STARTTLS to its reply to the EHLO that follows,
 * as mailport's `log` events see them: the handshake, the ticket wait, the EHLO.
 */
async function probeMailport(p: PostfixInstance, tlsContext: tls.SecureContext): Promise<number> {
  const smtp = new SMTP(mailportOptions(p, { tlsContext }));
  let upgraded: number | undefined;
  let answered: number | undefined;
  let lastCommand = "";
  smtp.on("log", ({ direction, line }) => {
    if (direction === "client") lastCommand = line;
    else if (lastCommand === "STARTTLS" && line.startsWith("220 ")) upgraded = performance.now();
    else if (upgraded !== undefined && answered === undefined && /^250 /.test(line)) answered = performance.now();
  });
  await smtp.connect();
  await smtp.quit();
  if (upgraded === undefined || answered === undefined) throw new Error("mailport's log shows no STARTTLS then EHLO");
  return answered - upgraded;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  if (sorted.length % 2 === 1) return sorted[Math.floor(middle)] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

const loadAverage = (): string => os.loadavg().map((load) => load.toFixed(2)).join(" ");

async function compareRates(p: PostfixInstance): Promise<void> {
  const pem = readFileSync(p.certPath, "utf8");
  const smtplib = smtplibRunner(p);
  const runners: Array<[string, Runner]> = [
    ["mailport (tlsContext)", mailport(p, { tlsContext: tls.createSecureContext({ ca: pem }) })],
    ["mailport (certBundle PEM)", mailport(p, { certBundle: pem })],
    ["mailport (certBundle file)", mailport(p, { certBundle: p.certPath })],
    ["nodemailer", nodemailerRunner(p)],
    ["hand-made Node client", handMade(p)],
    ["python smtplib", smtplib.run],
  ];
  try {
    const rounds = Math.max(1, Math.round(MESSAGES / BATCH));
    console.log(`Postfix on 127.0.0.1:${p.port}; a connection per message with STARTTLS and AUTH PLAIN;`);
    console.log(`${rounds} rounds of ${BATCH} messages per client, taking turns. Load average ${loadAverage()}.\n`);
    for (const [, run] of runners) await run(5); // warm up
    const total = new Map<string, number>(runners.map(([name]) => [name, 0]));
    /** Each client's rate against smtplib's, round by round. */
    const ratios = new Map<string, number[]>(runners.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      const times = new Map<string, number>();
      for (let i = 0; i < runners.length; i++) {
        const [name, run] = runners[(round + i) % runners.length] as [string, Runner];
        const ms = await run(BATCH);
        times.set(name, ms);
        total.set(name, (total.get(name) ?? 0) + ms);
      }
      for (const [name, ms] of times) ratios.get(name)?.push((times.get("python smtplib") ?? NaN) / ms);
    }
    const reference = total.get("python smtplib") ?? NaN;
    console.log("client                      msg/s   ms/msg   vs smtplib   rounds: median (min-max)");
    for (const [name, ms] of total) {
      const rate = (rounds * BATCH * 1000) / ms;
      const own = ratios.get(name) ?? [];
      console.log(
        `${name.padEnd(26)} ${rate.toFixed(1).padStart(6)}  ${(ms / rounds / BATCH).toFixed(2).padStart(7)}   ` +
          `${(reference / ms).toFixed(2)}x        ${median(own).toFixed(2)}x (${Math.min(...own).toFixed(2)}-${Math.max(...own).toFixed(2)})`,
      );
    }
    console.log(
      `\nmailport (tlsContext) vs smtplib: ${median(ratios.get("mailport (tlsContext)") ?? []).toFixed(2)}x ` +
        `(median of ${rounds} rounds). Load average ${loadAverage()}.`,
    );
  } finally {
    smtplib.stop();
  }
}

/** @returns whether mailport stalled */
async function compareStalls(p: PostfixInstance): Promise<boolean> {
  const pem = readFileSync(p.certPath, "utf8");
  const shared = tls.createSecureContext({ ca: pem });
  const atOnce: number[] = [];
  const afterTicket: number[] = [];
  const mailportFull: number[] = [];
  const mailportResumed: number[] = [];
  await probeMailport(p, shared); // keeps a session to resume
  for (let i = 0; i < PROBES; i++) {
    atOnce.push(await probeTicketStall(p, false));
    afterTicket.push(await probeTicketStall(p, true));
    // A context of its own: no session to resume, so a full handshake and the ticket wait.
    mailportFull.push(await probeMailport(p, tls.createSecureContext({ ca: pem })));
    mailportResumed.push(await probeMailport(p, shared));
  }
  const line = (label: string, values: number[]): void =>
    console.log(`  ${label.padEnd(52)} ${median(values).toFixed(1).padStart(5)}   max ${Math.max(...values).toFixed(1)}`);
  console.log(`\nfirst EHLO after STARTTLS, median of ${PROBES} (ms):`);
  console.log("  hand-made client, from the handshake to the EHLO reply:");
  line("written at once", atOnce);
  line("written after the 1st ticket", afterTicket);
  console.log("  mailport, from the STARTTLS reply to the EHLO reply (its log):");
  line("full handshake (ticket wait)", mailportFull);
  line("resumed session", mailportResumed);
  const stalled = median(mailportFull) > STALL_MS || median(mailportResumed) > STALL_MS;
  if (stalled) console.log(`\nmailport STALLS: its first EHLO after STARTTLS takes over ${STALL_MS} ms`);
  return stalled;
}

async function main(): Promise<void> {
  const availability = await startPostfix();
  if (!availability.available) {
    console.log(`skipped: ${availability.reason}`);
    return;
  }
  const p = availability.instance;
  try {
    await compareRates(p);
    if (await compareStalls(p)) process.exitCode = 1;
  } finally {
    p.stop();
  }
}

await main();
