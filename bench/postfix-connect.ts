/**
 * A connection per message, with STARTTLS and AUTH, against the private Postfix of the
 * integration tests (tests/integration/postfix): mailport beside nodemailer and Python's
 * smtplib in the same run, printing messages per second and the ratios.
 *
 * It also measures the TLS session-ticket stall: right after a TLS 1.3 handshake Postfix
 * sends session tickets, and a client that writes EHLO before the first one has arrived
 * waits about 40 ms for the reply (delayed ACK against the server's Nagle). The probe
 * times the first EHLO after STARTTLS written at once and written after the first ticket.
 *
 * Run: `npm run bench postfix` (or `npx tsx bench/postfix-connect.ts`), as root on a
 * machine with apt or with Postfix already set up; elsewhere it says why it is skipped. Environment: BENCH_MESSAGES (default 200 per round), BENCH_ROUNDS
 * (default 3; the best round counts).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import nodemailer from "nodemailer";
import { send } from "../src/smtp/index.js";
import { startPostfix, type PostfixInstance } from "../tests/integration/postfix/instance.js";

const MESSAGES = Number(process.env["BENCH_MESSAGES"] ?? 200);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const PROBES = 20;
const SENDER = "tester@mailport.test";
const RECIPIENT = "bench@discard.mailport.test";
const MESSAGE = Buffer.from(
  `From: ${SENDER}\r\nTo: ${RECIPIENT}\r\nSubject: bench\r\nMessage-ID: <bench@mailport.test>\r\n\r\nA short message.\r\n`,
  "latin1",
);

type Runner = (count: number) => Promise<number>;

/** Seconds taken by `work`. */
async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

function mailport(p: PostfixInstance, trust: "certBundle" | "tlsContext"): Runner {
  const tlsContext = tls.createSecureContext({ ca: readFileSync(p.certPath, "utf8") });
  return (count) =>
    timed(async () => {
      for (let i = 0; i < count; i++) {
        await send(MESSAGE, {
          hostname: p.host,
          port: p.port,
          localHostname: "bench.mailport.test",
          startTls: true,
          ...(trust === "certBundle" ? { certBundle: p.certPath } : { tlsContext }),
          username: p.username,
          password: p.password,
          sender: SENDER,
          recipients: [RECIPIENT],
        });
      }
    });
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
  return (count) =>
    timed(async () => {
      for (let i = 0; i < count; i++) {
        await transport.sendMail({ envelope: { from: SENDER, to: [RECIPIENT] }, raw: MESSAGE });
      }
    });
}

const SMTPLIB = String.raw`
import json, smtplib, ssl, sys, time
a = json.load(sys.stdin)
context = ssl.create_default_context(cafile=a["cert"])
message = a["message"].encode("latin1")
start = time.perf_counter()
for _ in range(a["count"]):
    with smtplib.SMTP("127.0.0.1", a["port"], local_hostname="bench.mailport.test") as s:
        s.starttls(context=context)
        s.login(a["user"], a["password"])
        s.sendmail(a["sender"], [a["recipient"]], message)
print(json.dumps(time.perf_counter() - start))
`;

function smtplibRunner(p: PostfixInstance): Runner {
  return (count) => {
    const input = JSON.stringify({
      cert: p.certPath,
      port: p.port,
      user: p.username,
      password: p.password,
      sender: SENDER,
      recipient: RECIPIENT,
      message: MESSAGE.toString("latin1"),
      count,
    });
    const result = spawnSync("python3", ["-c", SMTPLIB], { input, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`smtplib failed: ${result.stderr}`);
    return Promise.resolve(JSON.parse(result.stdout) as number);
  };
}

/** Reads one whole reply (up to its last line) from `socket`. */
function readReply(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("latin1");
      if (/(^|\n)\d{3} [^\n]*\r\n$/.test(text)) {
        socket.off("data", onData);
        resolve();
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

/**
 * Milliseconds from the end of the STARTTLS handshake to the reply to the first EHLO,
 * written at once or after the first session ticket.
 */
async function probeTicketStall(p: PostfixInstance, afterTicket: boolean): Promise<number> {
  const raw = net.connect({ host: p.host, port: p.port });
  raw.setNoDelay(true);
  await readReply(raw);
  raw.write("EHLO probe.mailport.test\r\n");
  await readReply(raw);
  raw.write("STARTTLS\r\n");
  await readReply(raw);
  const secure = tls.connect({ socket: raw, host: p.host, ca: readFileSync(p.certPath, "utf8") });
  let ticket = false;
  const ticketed = new Promise<void>((resolve) =>
    secure.on("session", () => {
      ticket = true;
      setImmediate(resolve);
    }),
  );
  await new Promise((resolve) => secure.once("secureConnect", resolve));
  const start = performance.now();
  const reply = readReply(secure);
  if (afterTicket && !ticket) await ticketed;
  secure.write("EHLO probe.mailport.test\r\n");
  await reply;
  const ms = performance.now() - start;
  secure.write("QUIT\r\n");
  secure.end();
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function main(): Promise<void> {
  const availability = await startPostfix();
  if (!availability.available) {
    console.log(`skipped: ${availability.reason}`);
    return;
  }
  const p = availability.instance;
  try {
    const runners: Array<[string, Runner]> = [
      ["mailport (certBundle)", mailport(p, "certBundle")],
      ["mailport (tlsContext)", mailport(p, "tlsContext")],
      ["nodemailer", nodemailerRunner(p)],
      ["python smtplib", smtplibRunner(p)],
    ];
    console.log(`Postfix on 127.0.0.1:${p.port}; a connection per message with STARTTLS and AUTH PLAIN;`);
    console.log(`${MESSAGES} messages a round, ${ROUNDS} rounds, the best round counts.\n`);
    for (const [, run] of runners) await run(5); // warm up
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of runners) {
        const seconds = await run(MESSAGES);
        const rate = MESSAGES / seconds;
        best.set(name, Math.max(best.get(name) ?? 0, rate));
      }
    }
    const reference = best.get("python smtplib") ?? NaN;
    console.log("client                  msg/s   ms/msg   vs smtplib");
    for (const [name, rate] of best) {
      console.log(
        `${name.padEnd(22)} ${rate.toFixed(1).padStart(6)}  ${(1000 / rate).toFixed(2).padStart(7)}   ${(rate / reference).toFixed(2)}x`,
      );
    }

    const atOnce: number[] = [];
    const afterTicket: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      atOnce.push(await probeTicketStall(p, false));
      afterTicket.push(await probeTicketStall(p, true));
    }
    console.log(`\nfirst EHLO after STARTTLS, median of ${PROBES} (ms from the handshake to the reply):`);
    console.log(`  written at once:             ${median(atOnce).toFixed(1)}`);
    console.log(`  written after the 1st ticket: ${median(afterTicket).toFixed(1)}  (what mailport does)`);
  } finally {
    p.stop();
  }
}

await main();
