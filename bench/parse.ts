/**
 * Parse time per MB of hostile input, mailport beside python3's `email` parser
 * (policy.default) on the same bytes in the same run.
 *
 * Each case builds an input of 1 MB and of 16 MB, parses it, and then reads what makes
 * the header value parser work (`get`, `getHeader(...).addresses`), because a message
 * that parses fast and then takes minutes to give its To header is no better.
 *
 * Run: `npx tsx bench/parse.ts` (the lead wires `npm run bench`).
 * Environment: BENCH_SIZES="1,16" (MB), BENCH_PY_TIMEOUT=60 (seconds per python3 run;
 * a case python3 does not finish in time is reported as such).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { messageFromBytes } from "../src/email/parser.js";
import type { Message } from "../src/email/message.js";

const MB = 1024 * 1024;

interface Case {
  readonly name: string;
  /** About `bytes` octets of input. */
  make(bytes: number): Uint8Array;
  /** What is read after parsing, on mailport's side. */
  access(msg: Message): void;
  /** The same on Python's side: a Python expression of `msg`. */
  readonly pyAccess: string;
}

function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

const CASES: readonly Case[] = [
  {
    name: "one huge folded Subject header",
    make: (n) => ascii(`Subject: start\n${repeatTo(" folded words of a header line that never ends\n", n)}\nbody\n`),
    access: (msg) => void msg.get("subject"),
    pyAccess: "str(msg['subject'])",
  },
  {
    name: "adjacent encoded words in Subject",
    make: (n) => ascii(`Subject: ${repeatTo("=?utf-8?q?caf=C3=A9?= =?utf-8?b?w6l0w6k=?=\n ", n)}x\n\nbody\n`),
    access: (msg) => void msg.get("subject"),
    pyAccess: "str(msg['subject'])",
  },
  {
    name: "nested comments in an address (depth 200 blocks)",
    make: (n) => ascii(`To: ${repeatTo(`${"(".repeat(200)}c${")".repeat(200)}\n `, n)}a@example.com\n\nbody\n`),
    access: (msg) => void String(msg.getHeader("to")),
    pyAccess: "msg['to'].addresses",
  },
  {
    name: "thousands of addresses in To",
    make: (n) => ascii(`To: ${repeatTo('"Some One" <some.one@example.com>,\n ', n)}last@example.com\n\nbody\n`),
    access: (msg) => void String(msg.getHeader("to")),
    pyAccess: "msg['to'].addresses",
  },
  {
    name: "thousands of parts",
    make: (n) =>
      ascii(`Content-Type: multipart/mixed; boundary="b"\n\n${repeatTo("--b\nContent-Type: text/plain\n\nsome text\n", n)}--b--\n`),
    access: (msg) => {
      for (const part of msg.walk()) part.getContentType();
    },
    pyAccess: "[p.get_content_type() for p in msg.walk()]",
  },
  {
    name: "thousands of boundary-like lines",
    make: (n) =>
      ascii(`Content-Type: multipart/mixed; boundary="b"\n\n--b\n\n${repeatTo("--b-but-not-quite\n--bb--\n--b x\n", n)}--b--\n`),
    access: (msg) => void msg.walk().next(),
    pyAccess: "list(msg.walk())",
  },
];

const PY_SCRIPT = String.raw`
import sys, time, json, email
from email import policy
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    msg = email.message_from_bytes(data, policy=policy.default)
    parsed = time.perf_counter()
    ACCESS
    done = time.perf_counter()
    print(json.dumps({"parse": parsed - start, "total": done - start}))
except BaseException as e:
    print(json.dumps({"error": type(e).__name__}))
`;

interface Timing {
  readonly parse?: number;
  readonly total?: number;
  readonly error?: string;
}

function timeMailport(c: Case, data: Uint8Array): Timing {
  try {
    const start = performance.now();
    const msg = messageFromBytes(data);
    const parsed = performance.now();
    c.access(msg);
    const done = performance.now();
    return { parse: (parsed - start) / 1000, total: (done - start) / 1000 };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message.slice(0, 60)}` : String(e) };
  }
}

function timePython(c: Case, file: string, timeoutSeconds: number): Timing {
  const script = PY_SCRIPT.replace("ACCESS", c.pyAccess);
  const proc = spawnSync("python3", ["-c", script, file], { encoding: "utf8", timeout: timeoutSeconds * 1000 });
  if (proc.error || proc.signal) return { error: `did not finish in ${timeoutSeconds} s` };
  if (proc.status !== 0) return { error: `python3 exited with ${proc.status}` };
  return JSON.parse(proc.stdout) as Timing;
}

function perMb(t: Timing, bytes: number): string {
  if (t.error !== undefined) return t.error;
  return `${((t.total ?? 0) / (bytes / MB)).toFixed(3)} s/MB`;
}

function ratio(py: Timing, ours: Timing): string {
  if (py.total === undefined || ours.total === undefined) return "-";
  return `${(py.total / Math.max(ours.total, 1e-6)).toFixed(1)}x`;
}

function main(): void {
  const sizes = (process.env["BENCH_SIZES"] ?? "1,16").split(",").map((s) => Number(s.trim()));
  const timeout = Number(process.env["BENCH_PY_TIMEOUT"] ?? "60");
  const dir = mkdtempSync(path.join(tmpdir(), "mailport-bench-"));
  const rows: string[][] = [
    ["case", "size", "mailport parse", "mailport parse + access", "python3 parse + access", "python3 / mailport"],
  ];
  try {
    for (const c of CASES) {
      for (const size of sizes) {
        const data = c.make(size * MB);
        const file = path.join(dir, "input.eml");
        writeFileSync(file, data);
        const ours = timeMailport(c, data);
        const py = timePython(c, file, timeout);
        const mb = (data.length / MB).toFixed(1);
        rows.push([
          c.name,
          `${mb} MB`,
          perMb({ total: ours.parse, error: ours.error }, data.length),
          perMb(ours, data.length),
          perMb(py, data.length),
          ratio(py, ours),
        ]);
        process.stderr.write(".");
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write("\n");
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  "));
  console.log("\nLinear time shows as the same s/MB at every size; python3 / mailport above 1x means mailport is faster.");
}

main();
