/**
 * CPython's own test messages (Lib/test/test_email/data/msg_*.txt), parsed by mailport
 * and by python3's `email` package (policy.default), compared part by part: content
 * types, decoded headers and their defects, parameters, filenames, decoded payload
 * bytes, getContent(), preamble, epilogue and defect names; the parts getBody() and
 * iterAttachments() pick; then the as_bytes round trip.
 *
 * The messages are read from the shared corpus at test time, never copied into the repo.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { messageFromBytes } from "../../src/email/parser.js";
import { policy } from "../../src/email/policy.js";
import { EmailMessage, MIMEPart, type Message } from "../../src/email/message.js";
import { runPythonJson } from "../helpers/python.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, "../../../shared/corpus/python-email");

/** What both sides report about one part of a parsed message. */
interface Tree {
  type: string;
  defaultType: string;
  headers: Array<[string, string]>;
  /** The defect names of each header, in order (policy.default only; compat32 has no header objects). */
  headerDefects: string[][];
  /** getContent() of a part that is not a multipart: [kind, value], or ["error", name] when it throws. */
  content: [string, string] | null;
  params: Array<[string, string]> | null;
  filename: string | null;
  boundary: string | null;
  charset: string | null;
  disposition: string | null;
  preamble: string | null;
  epilogue: string | null;
  unixfrom: string | null;
  defects: string[];
  payload: string | null;
  parts: Tree[] | null;
}

/** What getBody() and iterAttachments() pick, as indexes in walk() order. */
interface Picks {
  body: number | null;
  attachments: number[];
}

interface PythonResult {
  name: string;
  tree: Tree;
  picks: Picks;
  /** The same message read with policy.compat32. */
  compat32: Tree;
  /** as_bytes() of the parsed message, base64. */
  out: string;
}

/** The Python side: the same report, built with Python's public API. */
const PY_DUMP = String.raw`
import base64, json, sys, email
from email import policy, utils

def opt(v):
    return None if v is None else str(v)

def content(m):
    if m.get_content_maintype() == "multipart" or not hasattr(m, "get_content"):
        return None
    try:
        c = m.get_content()
    except Exception as e:
        return ["error", type(e).__name__]
    if isinstance(c, str):
        return ["text", c]
    if isinstance(c, bytes):
        return ["bytes", base64.b64encode(c).decode()]
    return ["message", c.get_content_type()]

def picks(msg):
    parts = list(msg.walk())
    index = lambda p: next(i for i, q in enumerate(parts) if q is p)
    body = msg.get_body()
    return {"body": None if body is None else index(body), "attachments": [index(p) for p in msg.iter_attachments()]}

def dump(m):
    multipart = m.is_multipart()
    payload = None
    if not multipart:
        data = m.get_payload(decode=True)
        payload = None if data is None else base64.b64encode(data).decode()
    params = m.get_params()
    if params is not None:
        params = [[k, utils.collapse_rfc2231_value(v)] for k, v in params]
    return {
        "type": m.get_content_type(),
        "defaultType": m.get_default_type(),
        "headers": [[k, str(v)] for k, v in m.items()],
        "headerDefects": [[type(d).__name__ for d in getattr(v, "defects", [])] for v in m.values()],
        "content": content(m),
        "params": params,
        "filename": opt(m.get_filename()),
        "boundary": opt(m.get_boundary()),
        "charset": opt(m.get_content_charset()),
        "disposition": opt(m.get_content_disposition()),
        "preamble": m.preamble,
        "epilogue": m.epilogue,
        "unixfrom": m.get_unixfrom(),
        "defects": [type(d).__name__ for d in m.defects],
        "payload": payload,
        "parts": [dump(p) for p in m.get_payload()] if multipart else None,
    }

out = []
for case in json.load(sys.stdin):
    data = base64.b64decode(case["data"])
    msg = email.message_from_bytes(data, policy=policy.default)
    tree = dump(msg)
    legacy = dump(email.message_from_bytes(data, policy=policy.compat32))
    out.append({"name": case["name"], "tree": tree, "picks": picks(msg), "compat32": legacy, "out": base64.b64encode(msg.as_bytes()).decode()})
print(json.dumps(out))
`;

function opt(v: string | undefined): string | null {
  return v === undefined ? null : v;
}

/** The mailport side of Python's `content()`. */
function content(m: Message): [string, string] | null {
  if (m.getContentMaintype() === "multipart" || !(m instanceof MIMEPart)) return null;
  let c;
  try {
    c = m.getContent();
  } catch (e) {
    return ["error", (e as Error).name];
  }
  if (typeof c === "string") return ["text", c];
  if (c instanceof Uint8Array) return ["bytes", Buffer.from(c).toString("base64")];
  return ["message", c.getContentType()];
}

/** The mailport side of Python's `picks()`. */
function picks(msg: EmailMessage): Picks {
  const parts = [...msg.walk()];
  const body = msg.getBody();
  return { body: body === undefined ? null : parts.indexOf(body), attachments: [...msg.iterAttachments()].map((p) => parts.indexOf(p)) };
}

/** The defect names of each header of a modern message, in order. */
function headerDefects(m: Message): string[][] {
  if (!m.policy.isModern) return m.keys().map(() => []);
  const seen = new Map<string, number>();
  return m.keys().map((name) => {
    const index = seen.get(name.toLowerCase()) ?? 0;
    seen.set(name.toLowerCase(), index + 1);
    return m.getAllHeaders(name)[index]!.defects.map((d) => d.name);
  });
}

/** The mailport side of {@link PY_DUMP}. */
function dump(m: Message): Tree {
  const multipart = m.isMultipart();
  let payload: string | null = null;
  if (!multipart) {
    const data = m.getPayload({ decode: true });
    payload = data === undefined ? null : Buffer.from(data).toString("base64");
  }
  const params = m.getParams();
  return {
    type: m.getContentType(),
    defaultType: m.getDefaultType(),
    headers: m.items(),
    headerDefects: headerDefects(m),
    content: content(m),
    params: params ?? null,
    filename: opt(m.getFilename()),
    boundary: opt(m.getBoundary()),
    charset: opt(m.getContentCharset()),
    disposition: opt(m.getContentDisposition()),
    preamble: opt(m.preamble),
    epilogue: opt(m.epilogue),
    unixfrom: opt(m.getUnixfrom()),
    defects: m.defects.map((d) => d.name),
    payload,
    parts: multipart ? (m.getPayload() as Message[]).map(dump) : null,
  };
}

/** Every place where two reports differ, as paths like `parts[1].headers`. */
function differences(ours: Tree, theirs: Tree, at = ""): string[] {
  const out: string[] = [];
  for (const key of Object.keys(theirs) as Array<keyof Tree>) {
    if (key === "parts") continue;
    if (JSON.stringify(ours[key]) !== JSON.stringify(theirs[key])) out.push(`${at}${key}`);
  }
  const a = ours.parts;
  const b = theirs.parts;
  if ((a === null) !== (b === null) || (a && b && a.length !== b.length)) {
    out.push(`${at}parts`);
  } else if (a && b) {
    a.forEach((part, i) => out.push(...differences(part, b[i]!, `${at}parts[${i}].`)));
  }
  return out;
}

/**
 * Where mailport and Python read a corpus message differently, and why. Each entry is
 * a path from {@link differences}; the docs explain which side is right.
 */
const KNOWN_TREE_DIFFERENCES: Record<string, Record<string, string>> = {
  "msg_15.txt": {
    "parts[0].payload":
      "a nested multipart/alternative without its start delimiter keeps its body as text; Python leaves the " +
      "line ending that belongs to the next delimiter on it (and writes it back twice), mailport takes it " +
      "off as for any other part, so the message round-trips",
  },
  "msg_42.txt": {
    "parts[1].parts[0].payload":
      "a multipart whose close delimiter comes before any start delimiter: Python drops the close delimiter " +
      "line and everything after it; mailport keeps them in the body, so no input is lost",
  },
};

/**
 * Where mailport and Python read a corpus message differently under compat32 (beyond
 * {@link KNOWN_TREE_DIFFERENCES}), and why.
 */
const KNOWN_COMPAT32_DIFFERENCES: Record<string, Record<string, string>> = {};

/** Messages whose as_bytes differs from Python's, and why. */
const KNOWN_OUTPUT_DIFFERENCES: Record<string, string> = {
  "msg_15.txt": "see KNOWN_TREE_DIFFERENCES: Python writes one blank line too many, mailport writes the input back",
  "msg_42.txt": "see KNOWN_TREE_DIFFERENCES: Python loses the line --BBB--, mailport writes the input back",
  "msg_38.txt":
    "its delimiter lines end in a blank (RFC 2046 transport padding): mailport keeps it, Python drops it " +
    "(the message lacks its close delimiters, so neither writes it back unchanged)",
  "msg_47.txt": "its close delimiter ends the input: Python adds a line break after it, mailport does not",
  "msg_27.txt":
    "not the parser: the refolding of a too-long Received header (headerfolding.ts) splits an encoded word " +
    "two characters earlier than Python does",
};

const names = readdirSync(CORPUS)
  .filter((n) => /^msg_.*\.txt$/.test(n))
  .sort();
const inputs = new Map(names.map((n) => [n, new Uint8Array(readFileSync(path.join(CORPUS, n)))]));
const python = new Map(
  runPythonJson<PythonResult[]>(
    PY_DUMP,
    names.map((name) => ({ name, data: Buffer.from(inputs.get(name)!).toString("base64") })),
  ).map((r) => [r.name, r]),
);

describe("the CPython email corpus", () => {
  it("holds the 48 messages of CPython's test data", () => {
    expect(names.length).toBe(48);
  });

  describe.each(names)("%s", (name) => {
    const data = inputs.get(name)!;
    const py = python.get(name)!;

    it("parses to the tree python3 reads", () => {
      const ours = dump(messageFromBytes(data, { policy: policy.default }));
      const known = KNOWN_TREE_DIFFERENCES[name] ?? {};
      const unexpected = differences(ours, py.tree).filter((p) => !(p in known));
      expect(unexpected, JSON.stringify({ ours, python: py.tree }, null, 1)).toEqual([]);
    });

    it("picks the body and the attachments python3 picks", () => {
      expect(picks(messageFromBytes(data, { policy: policy.default }))).toEqual(py.picks);
    });

    it("parses to the tree python3 reads under compat32", () => {
      const ours = dump(messageFromBytes(data, { policy: policy.compat32 }));
      const known = { ...KNOWN_TREE_DIFFERENCES[name], ...KNOWN_COMPAT32_DIFFERENCES[name] };
      const unexpected = differences(ours, py.compat32).filter((p) => !(p in known));
      expect(unexpected, JSON.stringify({ ours, python: py.compat32 }, null, 1)).toEqual([]);
    });

    it("serializes back to the bytes python3 writes", () => {
      const out = Buffer.from(messageFromBytes(data).asBytes()).toString("latin1");
      const want = Buffer.from(py.out, "base64").toString("latin1");
      if (name in KNOWN_OUTPUT_DIFFERENCES) {
        expect(out).not.toBe(want);
        return;
      }
      expect(out).toBe(want);
    });
  });

  const unchangedByPython = names.filter((n) => Buffer.from(python.get(n)!.out, "base64").equals(Buffer.from(inputs.get(n)!)));

  it("has messages that python3 writes back unchanged", () => {
    expect(unchangedByPython.length).toBeGreaterThan(20);
  });

  it.each(unchangedByPython)("writes %s back unchanged, as python3 does", (name) => {
    const data = inputs.get(name)!;
    expect(Buffer.from(messageFromBytes(data).asBytes()).toString("latin1")).toBe(Buffer.from(data).toString("latin1"));
  });

  describe.each(Object.keys({ ...KNOWN_TREE_DIFFERENCES, ...KNOWN_COMPAT32_DIFFERENCES }))("%s", (name) => {
    it("still differs from python3 wherever the tables say (an entry that no longer does can go)", () => {
      const data = inputs.get(name)!;
      const py = python.get(name)!;
      const modern = differences(dump(messageFromBytes(data)), py.tree);
      const legacy = differences(dump(messageFromBytes(data, { policy: policy.compat32 })), py.compat32);
      for (const path of Object.keys(KNOWN_TREE_DIFFERENCES[name] ?? {})) expect(modern).toContain(path);
      for (const path of Object.keys(KNOWN_COMPAT32_DIFFERENCES[name] ?? {})) expect(legacy).toContain(path);
    });
  });
});
