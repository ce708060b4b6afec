/**
 * RFC line limits on every message mailport writes for the oracle's recipes, whatever
 * Python does: quoted-printable lines of at most 76 characters (RFC 2045 §6.7), encoded
 * words of at most 75, never empty and never hiding an address (RFC 2047 §2, §5), lines of at most 998 octets (RFC 5322 §2.1.1), no NUL,
 * well-formed header lines and one kind of line ending (RFC 5322 §2.2, §2.3).
 */
import { describe, expect, it } from "vitest";
import { buildRecipe } from "./build.js";
import { divergenceOf } from "./divergences.js";
import { isGap } from "./gaps.js";
import {
  encodedWordsAtMost75,
  headerLinesWellFormed,
  linesAtMost998,
  noAddressInEncodedWords,
  noEmptyEncodedWords,
  noNul,
  oneKindOfLineEnding,
  qpLinesAtMost76,
} from "./properties.js";
import { RECIPES } from "./recipes.js";

describe("mailport's messages keep the RFC line limits", () => {
  for (const recipe of RECIPES) {
    if (recipe.expectError || divergenceOf(recipe.name)?.kind === "mailportRefuses") continue;
    (isGap(recipe.name, "rfc") ? it.fails : it)(recipe.name, () => {
      const built = buildRecipe(recipe);
      expect(built.error, "mailport failed").toBeUndefined();
      const raw = new Uint8Array(Buffer.from(built.bytes ?? "", "base64"));
      expect([
        ...qpLinesAtMost76(raw),
        ...encodedWordsAtMost75(raw),
        ...linesAtMost998(raw),
        ...noEmptyEncodedWords(raw),
        ...noAddressInEncodedWords(raw),
        ...noNul(raw),
        ...headerLinesWellFormed(raw),
        ...oneKindOfLineEnding(raw),
      ]).toEqual([]);
    });
  }
});
