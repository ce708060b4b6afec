/**
 * Parse time per MB of hostile input, mailport beside python3's `email` parser
 * (policy.default) on the same bytes in the same run.
 *
 * Each case builds an input of 1 MB and of 16 MB, parses it, and then reads what makes
 * the header value parser work (`get`, `getHeader(...).addresses`, the Content-Type
 * accessors), because a message that parses fast and then takes minutes to give its To
 * header is no better. mailport runs each case in a child process of its own (Node's
 * default heap), so that its peak memory can be reported and an out-of-memory failure
 * shows as such instead of ending the run.
 *
 * python3 gets BENCH_PY_TIMEOUT seconds a case; a case it does not finish at 1 MB is not
 * tried at 16 MB, nor is one whose 1 MB time says 16 MB would not finish in time.
 *
 * Run: `npm run bench parse` (or `npx tsx bench/parse.ts`).
 * Environment: BENCH_SIZES="1,16" (MB), BENCH_PY_TIMEOUT=60 (seconds per python3 run),
 * BENCH_CASES="words,dots" (only the cases whose name contains one of these).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { messageFromBytes } from "../src/email/parser.js";
import type { EmailMessage } from "../src/email/message.js";

const MB = 1024 * 1024;

interface Case {
  readonly name: string;
  /** About `bytes` octets of input. */
  make(bytes: number): Uint8Array;
  /** What is read after parsing, on mailport's side. */
  access(msg: EmailMessage): void;
  /** The same on Python's side: a Python statement about `msg`. */
  readonly pyAccess: string;
}

function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

function readTo(msg: EmailMessage): void {
  void String(msg.getHeader("to"));
}

/** Content-Type accessors, each called twice: the second call must not parse again. */
function readContentType(msg: EmailMessage): void {
  for (let i = 0; i < 2; i++) {
    msg.getContentType();
    msg.getParams();
    msg.getFilename();
    msg.getContent();
  }
}

const PY_READ_TO = "msg['to'].addresses";
const PY_READ_CONTENT_TYPE =
  "[(msg.get_content_type(), msg.get_params(), msg.get_filename(), msg.get_content()) for _ in range(2)]";

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
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "thousands of addresses in To",
    make: (n) => ascii(`To: ${repeatTo('"Some One" <some.one@example.com>,\n ', n)}last@example.com\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "words in front of an address (a a a ... b@example.com)",
    make: (n) => ascii(`To: ${repeatTo("a ", n)}b@example.com\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "words in front of an angle address (a a a ... <b@example.com>)",
    make: (n) => ascii(`To: ${repeatTo("a ", n)}<b@example.com>\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "dots in a local part (....a@example.com)",
    make: (n) => ascii(`To: ${repeatTo(".", n)}a@example.com\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "backslashes in a local part",
    make: (n) => ascii(`To: ${repeatTo("\\", n)}a@example.com\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "group openers (g:g:g: ... a@example.com)",
    make: (n) => ascii(`To: ${repeatTo("g:", n)}a@example.com\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "an unterminated quoted string in To",
    make: (n) => ascii(`To: "${repeatTo("x ", n)}\n\nbody\n`),
    access: readTo,
    pyAccess: PY_READ_TO,
  },
  {
    name: "RFC 2231 sections of one parameter (a*0*, a*1*, ...)",
    make: (n) => {
      const sections: string[] = [];
      let length = 0;
      for (let i = 0; length < n; i++) {
        const section = `;\n a*${i}*=%41`;
        sections.push(section);
        length += section.length;
      }
      return ascii(`Content-Type: text/plain${sections.join("")}\n\nbody\n`);
    },
    access: readContentType,
    pyAccess: PY_READ_CONTENT_TYPE,
  },
  {
    name: "RFC 2231 sections with one number (a*1*=%41 ...)",
    make: (n) => ascii(`Content-Type: text/plain${repeatTo(";\n a*1*=%41", n)}\n\nbody\n`),
    access: readContentType,
    pyAccess: PY_READ_CONTENT_TYPE,
  },
  {
    name: "a long file name read by the Content-Type accessors",
    make: (n) => ascii(`Content-Type: text/plain; name="${"x".repeat(n)}"\n\nbody\n`),
    access: readContentType,
    pyAccess: PY_READ_CONTENT_TYPE,
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
    name: "boundary-like lines under 100 enclosing multiparts",
    make: (n) => {
      let head = "";
      for (let i = 0; i < 100; i++) head += `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n`;
      return ascii(`${head}\n${repeatTo("--line that looks like a boundary\n", n - head.length)}`);
    },
    access: (msg) => void [...msg.walk()],
    pyAccess: "list(msg.walk())",
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
  /** Peak resident memory of the process, MB (mailport's side). */
  readonly peakMb?: number;
  readonly error?: string;
}

/** Runs in the child process: one case, one size; prints the timing as JSON. */
function measureHere(c: Case, file: string): Timing {
  const data = new Uint8Array(readFileSync(file));
  try {
    const start = performance.now();
    const msg = messageFromBytes(data);
    const parsed = performance.now();
    c.access(msg);
    const done = performance.now();
    const peakMb = process.resourceUsage().maxRSS / 1024;
    return { parse: (parsed - start) / 1000, total: (done - start) / 1000, peakMb };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message.slice(0, 60)}` : String(e) };
  }
}

/** mailport on `file` in a child process with Node's default heap. */
function timeMailport(c: Case, file: string): Timing {
  const here = fileURLToPath(import.meta.url);
  const proc = spawnSync(process.execPath, ["--import", "tsx", here, "--child", c.name, file], {
    encoding: "utf8",
    maxBuffer: 16 * MB,
  });
  if (/heap out of memory/i.test(proc.stderr)) return { error: "out of memory" };
  if (proc.status !== 0) return { error: `exited with ${proc.status ?? proc.signal}` };
  return JSON.parse(proc.stdout) as Timing;
}

function timePython(c: Case, file: string, timeoutSeconds: number): Timing {
  const script = PY_SCRIPT.replace("ACCESS", c.pyAccess);
  const proc = spawnSync("python3", ["-c", script, file], { encoding: "utf8", timeout: timeoutSeconds * 1000 });
  if (proc.error || proc.signal) return { error: `did not finish in ${timeoutSeconds} s` };
  if (proc.status !== 0) return { error: `python3 exited with ${proc.status}` };
  return JSON.parse(proc.stdout) as Timing;
}

function perMb(t: Timing, bytes: number, which: "parse" | "total"): string {
  if (t.error !== undefined) return t.error;
  return `${((t[which] ?? 0) / (bytes / MB)).toFixed(3)} s/MB`;
}

function ratio(py: Timing, ours: Timing): string {
  if (py.total === undefined || ours.total === undefined) return "-";
  return `${(py.total / Math.max(ours.total, 1e-6)).toFixed(1)}x`;
}

function main(): void {
  const sizes = (process.env["BENCH_SIZES"] ?? "1,16").split(",").map((s) => Number(s.trim()));
  const timeout = Number(process.env["BENCH_PY_TIMEOUT"] ?? "60");
  const only = (process.env["BENCH_CASES"] ?? "").split(",").filter(Boolean);
  const cases = CASES.filter((c) => only.length === 0 || only.some((o) => c.name.includes(o)));
  const dir = mkdtempSync(path.join(tmpdir(), "mailport-bench-"));
  const rows: string[][] = [
    ["case", "size", "mailport parse", "parse + access", "peak memory", "python3 parse + access", "python3 / mailport"],
  ];
  try {
    for (const c of cases) {
      let pySecondsPerMb: number | undefined; // from the smaller size; undefined until python3 has finished one
      let pyFailed = false;
      for (const size of sizes) {
        const data = c.make(size * MB);
        const file = path.join(dir, "input.eml");
        writeFileSync(file, data);
        const ours = timeMailport(c, file);
        let py: Timing;
        if (pyFailed) py = { error: "not run (failed at a smaller size)" };
        else if (pySecondsPerMb !== undefined && pySecondsPerMb * (data.length / MB) > timeout) {
          py = { error: `not run (about ${Math.round(pySecondsPerMb * (data.length / MB))} s)` };
        } else py = timePython(c, file, timeout);
        if (py.total !== undefined) pySecondsPerMb = py.total / (data.length / MB);
        else if (!py.error?.startsWith("not run")) pyFailed = true;
        rows.push([
          c.name,
          `${(data.length / MB).toFixed(1)} MB`,
          perMb(ours, data.length, "parse"),
          perMb(ours, data.length, "total"),
          ours.peakMb === undefined ? "-" : `${Math.round(ours.peakMb)} MB`,
          perMb(py, data.length, "total"),
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
  console.log(
    "\nLinear time shows as the same s/MB at every size; python3 / mailport above 1x means mailport is faster." +
      "\nPeak memory is the resident size of mailport's process (Node's default heap), input included.",
  );
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) {
  const name = process.argv[childAt + 1];
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no case named ${JSON.stringify(name)}`);
  console.log(JSON.stringify(measureHere(c, process.argv[childAt + 2]!)));
} else {
  main();
}
