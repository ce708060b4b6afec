/**
 * Known gaps in mailport that the oracle found and that are not fixed yet. Each one's
 * test is marked as expected to fail (`it.fails`), so the suite stays green while the
 * gap is visible in the report, and the test turns red the day the gap is fixed: then
 * remove the entry.
 *
 * @module
 */

/** One known gap. */
export interface Gap {
  /** What mailport does wrong, and where. */
  readonly what: string;
  /** Which check fails: the byte comparison with Python, postal-mime's reading, or an RFC property. */
  readonly checks: readonly ("bytes" | "postal" | "rfc")[];
}

/** Known mailport gaps, by recipe name. */
export const GAPS: Readonly<Record<string, Gap>> = {
  ...Object.fromEntries(
    ["policy compat32: non-ASCII headers and body", "policy compat32 with CRLF: non-ASCII headers and body"].map((name) => {
      const gap: Gap = {
        what:
          "The legacy Header folding (src/email/header.ts, compat32) writes a non-ASCII address header " +
          "as one encoded word holding the whole value, address included (RFC 2047 §5 (3) forbids it); " +
          "the output is byte-identical to Python's compat32.",
        checks: ["rfc"],
      };
      return [name, gap];
    }),
  ),
  "legacy: long non-ASCII subject folded by compat32": {
    what:
      "The legacy Header folding (src/email/header.ts, compat32) reproduces Python's 76-character " +
      "encoded words (RFC 2047 §2 allows 75); the output is byte-identical to Python's.",
    checks: ["rfc"],
  },
};

/** Whether a recipe's check is a known gap (and so expected to fail). */
export function isGap(name: string, check: Gap["checks"][number]): boolean {
  return GAPS[name]?.checks.includes(check) ?? false;
}
