/**
 * Policies (Python's `email.policy`): the attributes of every named policy against
 * python3's, and `clone` refusing what Python refuses (and what makes no sense).
 */
import { describe, expect, it } from "vitest";
import { Compat32, EmailPolicy, InvalidHeaderError, MessageDefect, policy, type PolicyOptions } from "../../src/index.js";
import { runPythonJson } from "../helpers/python.js";

const NAMES = ["default", "SMTP", "SMTPUTF8", "HTTP", "strict", "compat32"] as const;

/** Python's attribute names for mailport's; a missing attribute comes back as null. */
const PYTHON_ATTRIBUTES = {
  linesep: "linesep",
  maxLineLength: "max_line_length",
  utf8: "utf8",
  cteType: "cte_type",
  raiseOnDefect: "raise_on_defect",
  mangleFrom: "mangle_from_",
  refoldSource: "refold_source",
} as const;

type Attribute = keyof typeof PYTHON_ATTRIBUTES;

const python = runPythonJson<Record<string, Record<Attribute, unknown>>>(
  `
import json, sys
from email import policy
names, attributes = json.load(sys.stdin)
missing = object()
out = {}
for name in names:
    p = getattr(policy, name)
    out[name] = {ours: (lambda v: None if v is missing else v)(getattr(p, theirs, missing)) for ours, theirs in attributes.items()}
print(json.dumps(out))
`,
  [NAMES, PYTHON_ATTRIBUTES],
);

/** Python's value as mailport spells it: no line length is Infinity, and compat32 has no utf8 (false). */
function asMailport(attribute: Attribute, value: unknown): unknown {
  if (attribute === "maxLineLength" && value === null) return Infinity;
  if (attribute === "utf8" && value === null) return false;
  return value;
}

describe("the named policies", () => {
  for (const name of NAMES) {
    it(`policy.${name} has python3's attributes`, () => {
      const ours = policy[name];
      for (const attribute of Object.keys(PYTHON_ATTRIBUTES) as Attribute[]) {
        const theirs = python[name]![attribute];
        if (attribute === "refoldSource" && theirs === null) continue; // compat32 has none in Python either
        expect(ours[attribute], `${name}.${attribute}`).toBe(asMailport(attribute, theirs));
      }
    });
  }

  it("check generated headers by default, as Python 3.13 does (3.11 has no verify_generated_headers)", () => {
    for (const name of NAMES) expect(policy[name].verifyGeneratedHeaders).toBe(true);
  });

  it("are modern except compat32, and frozen", () => {
    expect(NAMES.filter((n) => policy[n].isModern)).toEqual(["default", "SMTP", "SMTPUTF8", "HTTP", "strict"]);
    expect(policy.compat32).toBeInstanceOf(Compat32);
    expect(policy.default).toBeInstanceOf(EmailPolicy);
    expect(Object.isFrozen(policy.SMTP)).toBe(true);
  });
});

describe("clone", () => {
  it("changes the attributes given and keeps the others", () => {
    const p = policy.SMTP.clone({ maxLineLength: 100, utf8: true });
    expect([p.linesep, p.maxLineLength, p.utf8, p.cteType]).toEqual(["\r\n", 100, true, "8bit"]);
    expect(policy.SMTP.maxLineLength).toBe(78);
    const legacy = policy.compat32.clone({ linesep: "\r\n" });
    expect([legacy.linesep, legacy.mangleFrom, legacy.isModern]).toEqual(["\r\n", true, false]);
  });

  it("reads maxLineLength 0 as no folding (Infinity), as Python's None", () => {
    expect(policy.default.clone({ maxLineLength: 0 }).maxLineLength).toBe(Infinity);
  });

  it("refuses an attribute that policies do not have, as Python does", () => {
    expect(() => policy.default.clone({ foo: 1 } as unknown as PolicyOptions)).toThrow(/"foo" is not a policy attribute/);
    expect(() => policy.compat32.clone({ foo: 1 } as unknown as PolicyOptions)).toThrow(TypeError);
  });

  it("refuses utf8 and the other modern-only attributes on compat32, as Python raises", () => {
    for (const overrides of [{ utf8: true }, { utf8: false }, { refoldSource: "all" }] as PolicyOptions[]) {
      expect(() => policy.compat32.clone(overrides), JSON.stringify(overrides)).toThrow(/not an attribute of Compat32/);
    }
    expect(() => new Compat32({ utf8: true })).toThrow(TypeError);
  });

  it("refuses a maxLineLength that is not a non-negative integer (or Infinity)", () => {
    for (const maxLineLength of [1.5, -1, Number.NaN, -Infinity]) {
      expect(() => policy.default.clone({ maxLineLength }), String(maxLineLength)).toThrow(/non-negative integer/);
    }
    expect(() => policy.default.clone({ maxLineLength: "78" } as unknown as PolicyOptions)).toThrow(TypeError);
    expect(policy.default.clone({ maxLineLength: Infinity }).maxLineLength).toBe(Infinity);
  });

  it("refuses values of the wrong kind that Python would take and fail on later", () => {
    expect(() => policy.default.clone({ linesep: "x" })).toThrow(/linesep/);
    expect(() => policy.default.clone({ cteType: "9bit" as "8bit" })).toThrow(/cteType/);
    expect(() => policy.default.clone({ refoldSource: "some" as "all" })).toThrow(/refoldSource/);
    expect(() => policy.default.clone({ raiseOnDefect: 1 as unknown as boolean })).toThrow(/raiseOnDefect/);
  });
});

describe("what the policy decides", () => {
  it("handleDefect records a defect, or throws it under raiseOnDefect (policy.strict)", () => {
    const holder = { defects: [] as MessageDefect[] };
    const defect = new MessageDefect("a defect");
    policy.default.handleDefect(holder, defect);
    expect(holder.defects).toEqual([defect]);
    expect(() => policy.strict.handleDefect(holder, defect)).toThrow(defect);
  });

  it("headerMaxCount says which headers may appear once (modern policies only)", () => {
    expect(policy.default.headerMaxCount("Subject")).toBe(1);
    expect(policy.default.headerMaxCount("Received")).toBeUndefined();
    expect(policy.compat32.headerMaxCount("Subject")).toBeUndefined();
  });

  it("refuses a header name or value holding CR, LF or NUL when it is stored, under every policy", () => {
    for (const name of NAMES) {
      expect(() => policy[name].headerStoreParse("Subject", "a\nb")).toThrow(InvalidHeaderError);
      expect(() => policy[name].headerStoreParse("X-Bad\0", "v")).toThrow(InvalidHeaderError);
    }
  });
});
