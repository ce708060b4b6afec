/**
 * The differential oracle: every recipe is built by Python's `email` package (oracle.py,
 * one python3 process for all) and by mailport (build.ts), and the bytes are compared
 * exactly. Recipes listed in divergences.ts are compared by decoded structure instead,
 * with a check that Python breaks the named rule and mailport keeps it. Known mailport
 * gaps (gaps.ts) are marked as expected to fail.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readWithPostal } from "../helpers/postal.js";
import { buildRecipe } from "./build.js";
import { DIVERGENCES, NORMALIZATIONS, divergenceOf, readsBackAsWritten } from "./divergences.js";
import { decodedStructure } from "./expect.js";
import { FUZZ_RECIPES } from "./fuzz.js";
import { GAPS, isGap } from "./gaps.js";
import { pythonVersion, runPython } from "./python.js";
import type { BuildResult } from "./recipe.js";
import { RECIPES } from "./recipes.js";

const python = new Map<string, BuildResult>();

/** Errors that mean mailport crashed rather than refused the input on purpose. */
const CRASH = /Cannot read propert|is not a function|is not iterable|Maximum call stack|is not defined/;

beforeAll(() => {
  for (const result of runPython(RECIPES, NORMALIZATIONS.map((n) => n.name))) python.set(result.name, result);
});

function bytes(result: BuildResult): Uint8Array {
  if (result.bytes === undefined) throw new Error(`${result.name} has no bytes: ${result.error ?? "no error either"}`);
  return new Uint8Array(Buffer.from(result.bytes, "base64"));
}

/** Bytes as latin-1 text, one character per octet, so that a failing comparison shows a readable diff. */
function octets(result: BuildResult): string {
  return Buffer.from(bytes(result)).toString("latin1");
}

function pythonResult(name: string): BuildResult {
  const result = python.get(name);
  if (!result) throw new Error(`oracle.py returned nothing for ${name}`);
  return result;
}

describe("the recipe list", () => {
  it("holds at least 150 recipes with unique names", () => {
    expect(RECIPES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(RECIPES.map((r) => r.name)).size).toBe(RECIPES.length);
  });

  it("names only existing recipes in the divergence list", () => {
    const names = new Set(RECIPES.map((r) => r.name));
    expect(DIVERGENCES.flatMap((d) => d.recipes).filter((n) => !names.has(n))).toEqual([]);
  });

  it("names only existing recipes in the gap list", () => {
    const names = new Set([...RECIPES, ...FUZZ_RECIPES].map((r) => r.name));
    expect(Object.keys(GAPS).filter((n) => !names.has(n))).toEqual([]);
  });

  it("is built by Python without error, except where both sides should refuse", () => {
    const failing = RECIPES.filter((r) => !r.expectError && pythonResult(r.name).error !== undefined);
    expect(failing.map((r) => `${r.name}: ${pythonResult(r.name).error}`)).toEqual([]);
  });

  it("gives every recipe that builds an expectation for postal-mime", () => {
    expect(RECIPES.filter((r) => !r.expectError && !r.expect).map((r) => r.name)).toEqual([]);
  });

  it("lists each recipe under at most one divergence", () => {
    const listed = DIVERGENCES.flatMap((d) => d.recipes);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

// The expectations (divergences, gaps) were recorded against Python 3.11.7; another version
// may fold or refuse differently. The version is in the test names to make that visible.
describe(`mailport against Python ${pythonVersion()}'s email package, byte for byte`, () => {
  for (const recipe of RECIPES) {
    const divergence = divergenceOf(recipe.name);
    if (recipe.expectError) {
      (isGap(recipe.name, "bytes") ? it.fails : it)(`${recipe.name} (both refuse)`, () => {
        expect(pythonResult(recipe.name).error, "Python should refuse").toBeDefined();
        const error = buildRecipe(recipe).error;
        expect(error, "mailport should refuse").toBeDefined();
        expect(error).not.toMatch(CRASH);
      });
    } else if (!divergence) {
      (isGap(recipe.name, "bytes") ? it.fails : it)(recipe.name, () => {
        const py = pythonResult(recipe.name);
        const ours = buildRecipe(recipe);
        expect(py.error, "Python failed").toBeUndefined();
        expect(ours.error, "mailport failed").toBeUndefined();
        expect(octets(ours)).toBe(octets(py));
        if (recipe.string) expect(ours.string).toBe(py.string);
      });
    } else if (divergence.kind === "mailportRefuses") {
      (isGap(recipe.name, "bytes") ? it.fails : it)(`${recipe.name} (known divergence: mailport refuses what Python writes broken)`, async () => {
        const py = pythonResult(recipe.name);
        expect(await divergence.check(bytes(py), recipe), `Python no longer breaks: ${divergence.rule}`).not.toEqual([]);
        const error = buildRecipe(recipe).error;
        expect(error, "mailport should refuse").toBeDefined();
        expect(error).not.toMatch(CRASH);
      });
    } else if (divergence.kind === "pythonMisreads") {
      (isGap(recipe.name, "bytes") ? it.fails : it)(`${recipe.name} (known divergence: Python's output reads back wrong)`, async () => {
        const py = pythonResult(recipe.name);
        const ours = buildRecipe(recipe);
        expect(ours.error, "mailport failed").toBeUndefined();
        expect(await divergence.check(bytes(py), recipe), `Python no longer breaks: ${divergence.rule}`).not.toEqual([]);
        expect(await divergence.check(bytes(ours), recipe)).toEqual([]);
        expect(await readsBackAsWritten(bytes(ours), recipe)).toEqual([]);
      });
    } else {
      (isGap(recipe.name, "bytes") ? it.fails : it)(`${recipe.name} (known divergence: same decoded structure)`, async () => {
        const py = pythonResult(recipe.name);
        const ours = buildRecipe(recipe);
        expect(ours.error, "mailport failed").toBeUndefined();
        expect(await divergence.check(bytes(py), recipe), `Python no longer breaks: ${divergence.rule}`).not.toEqual([]);
        expect(await divergence.check(bytes(ours), recipe)).toEqual([]);
        const [mine, theirs] = await Promise.all([readWithPostal(bytes(ours)), readWithPostal(bytes(py))]);
        expect(decodedStructure(mine)).toEqual(decodedStructure(theirs));
      });
    }
  }
});
