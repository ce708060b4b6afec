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
export const GAPS: Readonly<Record<string, Gap>> = {};

/** Whether a recipe's check is a known gap (and so expected to fail). */
export function isGap(name: string, check: Gap["checks"][number]): boolean {
  return GAPS[name]?.checks.includes(check) ?? false;
}
