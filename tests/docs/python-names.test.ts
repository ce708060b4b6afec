/**
 * docs/python-to-typescript.md names every root export of mailport, and the Python names
 * it gives for the email package exist in Python 3.11 (checked by importing them).
 */
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { isCheckableEmailName, PYTHON_NAMES, rootExports, TABLE_FILE, type RootExport } from "./python-names.js";

let exports: RootExport[];
let table: string;

beforeAll(() => {
  exports = rootExports();
  table = readFileSync(TABLE_FILE, "utf8");
});

describe("the Python-to-TypeScript table", () => {
  it("lists every name src/index.ts exports (regenerate with: npx tsx tests/docs/python-names.ts)", () => {
    const missing = exports.filter((item) => !table.includes(`| \`${item.name}\` |`)).map((item) => item.name);
    expect(missing).toEqual([]);
  });

  it("records Python names only for names mailport exports", () => {
    const exported = new Set(exports.map((item) => item.name));
    expect(Object.keys(PYTHON_NAMES).filter((name) => !exported.has(name))).toEqual([]);
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
    const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(names), encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});
