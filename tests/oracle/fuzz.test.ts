/**
 * Seeded random messages (fuzz.ts) built by Python and by mailport. Each must be
 * byte-identical, or differ only where Python's output is wrong: it breaks one of the
 * RFC rules of the known divergences (quoted-printable lines over 76, encoded words over
 * 75 or empty) or does not read back (in postal-mime) as the recipe wrote it, while mailport's
 * output keeps the rules and reads back right. postal-mime must read mailport's message
 * as the recipe wrote it. Known mailport gaps (gaps.ts) are expected to fail.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readWithPostal } from "../helpers/postal.js";
import { buildRecipe } from "./build.js";
import { NORMALIZATIONS } from "./divergences.js";
import { expectationProblems } from "./expect.js";
import { FUZZ_RECIPES } from "./fuzz.js";
import { encodedWordsAtMost75, noEmptyEncodedWords, qpLinesAtMost76 } from "./properties.js";
import { runPython } from "./python.js";
import { isGap } from "./gaps.js";
import type { BuildResult, Recipe } from "./recipe.js";

const RECIPES = FUZZ_RECIPES;
const python = new Map<string, BuildResult>();

beforeAll(() => {
  for (const result of runPython(RECIPES, NORMALIZATIONS.map((n) => n.name))) python.set(result.name, result);
});

function bytes(result: BuildResult | undefined): Uint8Array {
  if (result?.bytes === undefined) throw new Error(`no bytes: ${result?.error ?? "no result"}`);
  return new Uint8Array(Buffer.from(result.bytes, "base64"));
}

/** Every way a message breaks the rules Python is known to break, or does not read back as written. */
async function ruleProblems(raw: Uint8Array, recipe: Recipe): Promise<string[]> {
  const read = await readWithPostal(raw);
  return [
    ...qpLinesAtMost76(raw),
    ...encodedWordsAtMost75(raw),
    ...noEmptyEncodedWords(raw),
    ...expectationProblems(read, recipe.expect ?? {}),
  ];
}

describe("random messages: mailport equals Python, or differs only where Python's output is wrong", () => {
  for (const recipe of RECIPES) {
    (isGap(recipe.name, "bytes") ? it.fails : it)(recipe.name, async () => {
      const py = bytes(python.get(recipe.name));
      const ours = bytes(buildRecipe(recipe));
      if (Buffer.from(ours).equals(Buffer.from(py))) return;
      expect(await ruleProblems(py, recipe), "the outputs differ but Python's keeps every rule").not.toEqual([]);
      expect(await ruleProblems(ours, recipe)).toEqual([]);
    });
  }
});

describe("random messages: postal-mime reads mailport's message as written", () => {
  for (const recipe of RECIPES) {
    (isGap(recipe.name, "postal") ? it.fails : it)(recipe.name, async () => {
      const read = await readWithPostal(bytes(buildRecipe(recipe)));
      expect(expectationProblems(read, recipe.expect ?? {})).toEqual([]);
    });
  }
});
