/**
 * docs/python-to-typescript.md is what the generator makes of the current declarations:
 * it names every root export and every public member and option of mailport, and the
 * Python names it gives for the email package exist in Python 3.11 (checked by importing
 * them, and by looking the members up on the Python classes and functions).
 */
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { MEMBER_PYTHON_NAMES, PYTHON_LOOKUP } from "./python-member-names.js";
import {
  isCheckableEmailName,
  memberHeading,
  memberKey,
  memberPythonOf,
  PYTHON_NAMES,
  publicMembers,
  pythonNameOf,
  renderNameTable,
  rootExports,
  TABLE_FILE,
  type PublicMember,
  type RootExport,
} from "./python-names.js";

let exports: RootExport[];
let members: PublicMember[];
let table: string;

beforeAll(() => {
  exports = rootExports();
  members = publicMembers();
  table = readFileSync(TABLE_FILE, "utf8");
}, 60_000);

/** Runs a Python 3.11 script that reads `input` as JSON and prints JSON. */
function python(script: string, input: unknown): unknown {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** The rows of the page's member table for `owner`. */
function memberRowsOf(owner: string): string {
  const start = table.indexOf(`\n${memberHeading(owner)}\n`);
  if (start < 0) return "";
  const end = table.indexOf("\n### ", start + 1);
  return table.slice(start, end < 0 ? undefined : end);
}

describe("the Python-to-TypeScript table", () => {
  it("is what the generator makes of the current declarations (regenerate with: npm run docs:names)", () => {
    expect(table).toBe(renderNameTable(exports, members));
  });

  it("lists every name src/index.ts exports", () => {
    const missing = exports.filter((item) => !table.includes(`| \`${item.name}\` |`)).map((item) => item.name);
    expect(missing).toEqual([]);
  });

  it("lists every public member and option, under the export that declares it", () => {
    // Spot checks that the walk finds methods, accessors, statics, inherited-free members and options.
    const keys = new Set(members.map(memberKey));
    for (const key of ["MIMEPart.isAttachment", "Message.getUnixfrom", "SMTP.lastEhloResponse", "Policy.handleDefect", "HeaderRegistry.mapToType", "Charset.headerEncode", "Header.encode", "SendmailOptions.mailOptions", "EmailMessage.static fromObject"]) {
      expect(keys).toContain(key);
    }
    const missing = members.filter((member) => {
      const call = member.kind === "method" ? "()" : "";
      return !memberRowsOf(member.owner).includes(`| \`${member.isStatic ? "static " : ""}${member.name}${call}\` |`);
    });
    expect(missing.map(memberKey)).toEqual([]);
  });

  it("records Python names only for names mailport exports", () => {
    const exported = new Set(exports.map((item) => item.name));
    expect(Object.keys(PYTHON_NAMES).filter((name) => !exported.has(name))).toEqual([]);
    expect(Object.keys(PYTHON_LOOKUP).filter((name) => !exported.has(name))).toEqual([]);
  });

  it("records Python names only for members mailport has", () => {
    const keys = new Set(members.map(memberKey));
    expect(Object.keys(MEMBER_PYTHON_NAMES).filter((key) => !keys.has(key))).toEqual([]);
  });

  it("gives Python names from the email package that Python 3.11 can import", () => {
    const names = [...new Set(Object.values(PYTHON_NAMES).filter(isCheckableEmailName))];
    expect(names.length).toBeGreaterThan(100);
    const script = String.raw`
import importlib, json, sys
missing = []
for name in json.load(sys.stdin):
    parts = name.split(".")
    found = False
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
            found = True
        except AttributeError:
            pass
        break
    if not found:
        missing.append(name)
print(json.dumps(missing))
`;
    expect(python(script, names)).toEqual([]);
  });

  it("gives member and keyword names that the email package's classes and functions have in Python 3.11", () => {
    const checks: Array<{ member: string; python: string; lookup: string[] }> = [];
    for (const member of members) {
      const python = memberPythonOf(member);
      const owner = pythonNameOf(member.owner);
      const lookup = [...(isCheckableEmailName(owner) ? [owner] : []), ...(PYTHON_LOOKUP[member.owner] ?? [])];
      if (python.kind === "name" && lookup.length > 0) checks.push({ member: memberKey(member), python: python.name, lookup });
    }
    expect(checks.length).toBeGreaterThan(150);
    // Each name must be an attribute of one of the objects, or a parameter of one of them.
    const script = String.raw`
import inspect, json, sys
import email, email.charset, email.contentmanager, email.errors, email.feedparser, email.generator
import email.header, email.headerregistry, email.message, email.parser, email.policy, email.utils
import email.mime.application, email.mime.audio, email.mime.base, email.mime.image, email.mime.message
import email.mime.multipart, email.mime.nonmultipart, email.mime.text
def has(obj, name):
    if hasattr(obj, name):
        return True
    try:
        return name in inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return False
wrong = []
for check in json.load(sys.stdin):
    if not any(has(eval(expression), check["python"]) for expression in check["lookup"]):
        wrong.append(check["member"] + " -> " + check["python"])
print(json.dumps(wrong))
`;
    expect(python(script, checks)).toEqual([]);
  });
});
