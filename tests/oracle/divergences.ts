/**
 * Where mailport's output is allowed to differ from Python's, and why. Every entry names
 * the RFC rule Python breaks (or the Python bug) and the recipes it concerns. For those
 * recipes oracle.test.ts checks, instead of byte equality, that:
 * - Python's output really breaks the rule (so that the list cannot go stale),
 * - mailport's output keeps it (or mailport refuses the input, for `mailportRefuses`),
 * - both outputs decode to the same structure in postal-mime (for `sameStructure`).
 *
 * Keep this list small and honest: an entry that Python no longer breaks fails the test.
 *
 * @module
 */
import { expectationProblems } from "./expect.js";
import {
  encodedWordsAtMost75,
  headerLinesWellFormed,
  linesAtMost998,
  noAddressInEncodedWords,
  noAsciiEncodedWords,
  noEmptyEncodedWords,
  noNul,
  noPunctuationEncodedWords,
  oneKindOfLineEnding,
  qpLinesAtMost76,
} from "./properties.js";
import type { Recipe } from "./recipe.js";
import { readWithPostal } from "../helpers/postal.js";

/** The rule a divergence is about, as a check on raw message bytes (empty list: the rule holds). */
export type RuleCheck = (raw: Uint8Array, recipe: Recipe) => Promise<string[]> | string[];

/** One known divergence from Python. */
export interface Divergence {
  /** The RFC rule Python breaks, or the Python bug, in a sentence. */
  readonly rule: string;
  /** The recipes whose Python output breaks the rule. */
  readonly recipes: readonly string[];
  /** Checks the rule on a serialized message. */
  readonly check: RuleCheck;
  /**
   * `sameStructure`: both sides produce a message; they must decode alike.
   * `pythonMisreads`: Python's broken output decodes to something else than the recipe
   * wrote; mailport's must decode to exactly what it wrote.
   * `mailportRefuses`: mailport throws where Python writes a broken message.
   */
  readonly kind: "sameStructure" | "pythonMisreads" | "mailportRefuses";
}

/**
 * Systematic differences applied to the Python side for every recipe (oracle.py's
 * `normalize`), because they would otherwise make most multipart recipes differ.
 */
export const NORMALIZATIONS: ReadonlyArray<{ readonly name: string; readonly rule: string }> = [
  {
    name: "mimeVersionAtRoot",
    rule:
      "Python's add_alternative/add_related/add_attachment give every new sub-part its own " +
      "MIME-Version header, and a message made multipart by add_*/make_* without set_content has " +
      "none at all; RFC 2045 §4 requires it at the top level only, and mailport writes it once, at " +
      "the root (issue: 'MIME-Version once, at the root'). oracle.py removes the header from the " +
      "parts those methods create and appends it to an EmailMessage they made multipart when it " +
      "has none, so that a message without MIME-Version still fails the comparison.",
  },
];

/** Reads the message back with postal-mime and lists how it differs from the recipe's expectation. */
export async function readsBackAsWritten(raw: Uint8Array, recipe: Recipe): Promise<string[]> {
  if (!recipe.expect) return ["the recipe has no expectation to read back"];
  return expectationProblems(await readWithPostal(raw), recipe.expect);
}

/** A check that the message holds the recipe's line (by recipe name), octet for octet. */
function containsVerbatim(lines: Readonly<Record<string, string>>): RuleCheck {
  return (raw, recipe) => {
    const line = lines[recipe.name];
    if (line === undefined) return [`no line given for ${recipe.name}`];
    return Buffer.from(raw).toString("latin1").split(/\r?\n/).includes(line) ? [] : [`no line reads ${JSON.stringify(line)}`];
  };
}

/** The known divergences. */
export const DIVERGENCES: readonly Divergence[] = [
  {
    rule:
      "RFC 2045 §6.7 (5): quoted-printable lines are at most 76 characters; Python wraps body " +
      "quoted-printable at the policy's max_line_length (78 by default).",
    kind: "sameStructure",
    check: qpLinesAtMost76,
    recipes: [
      "body: ASCII line of 100 characters",
      "body: ASCII line of 1000 characters",
      "body: ASCII line of 1000 characters with spaces",
      "body: a little non-ASCII in long lines picks quoted-printable",
      "body: equals signs and tabs under quoted-printable",
      "cte: quoted-printable of long ASCII words",
      "asString: quoted-printable body",
      "related: html with an inline image",
      "related: two inline images",
      "related inside alternative (the usual newsletter)",
      "nested: mixed of alternative, related and attachments",
      "nested: related made first, then alternative, then mixed",
      ...["default", "SMTP", "SMTPUTF8", "HTTP", "compat32", "strict"].flatMap((p) => [
        `policy ${p}: long body line`,
        `policy ${p}: 8bit quoted-printable candidate`,
      ]),
      ...["maxLineLength 40", "maxLineLength 100", "maxLineLength 0 (no folding)", "cteType 7bit", "utf8 with LF", "compat32 with CRLF"].map(
        (p) => `policy ${p}: long body line`,
      ),
    ],
  },
  {
    rule:
      "RFC 2047 §2: an encoded word is at most 75 characters; Python's folder writes 76-character " +
      "encoded words when it splits long non-ASCII text, and with folding off (HTTP) one encoded " +
      "word for the whole value; its legacy Header (compat32) writes 76- and 77-character words on " +
      "continuation lines.",
    kind: "sameStructure",
    check: encodedWordsAtMost75,
    recipes: [
      "subject: CJK",
      "subject: long non-ASCII under HTTP is never folded",
      "subject: a 1200-character word is split",
      "folding: subject of 45 é",
      "folding: subject of 60 é",
      "folding: mixed words, 15 repeats",
      "folding: mixed words, 25 repeats",
      "folding: mixed words, 40 repeats",
      "legacy: long non-ASCII subject folded by compat32",
      "legacy: a 2000-character non-ASCII subject",
    ],
  },
  {
    rule:
      "Encoded words are for text that cannot be written as it is (RFC 2047 §1; the issue: never for " +
      "pure ASCII); Python encodes a printable ASCII word too long for a line, to wrap it. mailport " +
      "writes it whole, on a line of up to 998 octets (RFC 5322 §2.1.1).",
    kind: "sameStructure",
    check: noAsciiEncodedWords,
    recipes: ["subject: a 120-character word with no place to fold", "subject: a long URL"],
  },
  {
    rule:
      "RFC 2047 §5 (3): an encoded word in an address header stands only for phrase text; Python's " +
      "folder can put a group's closing ';' alone into an encoded word (=?utf-8?q?=3B?=), which " +
      "readers then take as part of a display name.",
    check: noPunctuationEncodedWords,
    recipes: ["to: non-ASCII group folded just before its closing semicolon"],
    kind: "pythonMisreads",
  },
  {
    rule:
      "RFC 2047 §5 (3): an encoded word stands for phrase text only; Python's compat32 writes a " +
      "non-ASCII address header as one encoded word holding the whole value, addresses included, " +
      "which readers take for a display name without an address; mailport encodes the display " +
      "names only.",
    check: noAddressInEncodedWords,
    recipes: [
      "policy compat32: non-ASCII headers and body",
      "policy compat32 with CRLF: non-ASCII headers and body",
      "legacy: MIMEText with a non-ASCII To and Cc",
    ],
    kind: "pythonMisreads",
  },
  {
    rule:
      "RFC 2047 §5 (3): an encoded word may not appear in an addr-spec; without utf8 Python writes a " +
      "non-ASCII domain as encoded words (j@=?utf-8?q?ex=C3=A4mple?=.com), which no reader resolves; " +
      "mailport writes its IDNA A-label.",
    check: noAddressInEncodedWords,
    recipes: ["divergence: non-ASCII domain without utf8 is written as its A-label"],
    kind: "pythonMisreads",
  },
  {
    rule:
      "RFC 2047 §5 (3): an encoded word may not appear in an addr-spec; without utf8 Python writes a " +
      "non-ASCII local part as an encoded word (=?utf-8?q?j=C3=B6rg?=@example.com), a different " +
      "mailbox; mailport refuses it (it needs a utf8 policy such as SMTPUTF8).",
    check: noAddressInEncodedWords,
    recipes: ["divergence: non-ASCII local part without utf8"],
    kind: "mailportRefuses",
  },
  {
    rule:
      "RFC 2047 §2: encoded-text is at least one character; Python's folder writes an empty " +
      "encoded word (=?utf-8?q??=) at some folds before non-ASCII words, mailport does not.",
    kind: "sameStructure",
    check: noEmptyEncodedWords,
    recipes: ["to: group folded after a comma at maxLineLength 60"],
  },
  {
    rule:
      "Python decodes RFC 2047 encoded words found in a value the caller wrote and writes the " +
      "decoded text back (re-encoding only what needs it), silently changing the header; mailport " +
      "keeps a caller's encoded words as written (issue: 'never silently decoded').",
    kind: "sameStructure",
    check: containsVerbatim({
      "subject: caller-written encoded word is kept as written": "Subject: =?utf-8?q?already_encoded?=",
      // The value is formataddr's output, as Python's own formataddr writes it.
      "formataddr: non-ASCII name as a string header": "From: =?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <jm@example.de>",
      "attachment: caller-written encoded word in a quoted filename is kept as written":
        'Content-Disposition: attachment; filename="=?utf-8?q?f=C3=BC.bin?="',
    }),
    recipes: [
      "subject: caller-written encoded word is kept as written",
      "formataddr: non-ASCII name as a string header",
      "attachment: caller-written encoded word in a quoted filename is kept as written",
    ],
  },
  {
    rule:
      "RFC 5322 §2.1.1: a line is at most 998 octets; the legacy MIMEText writes a longer line as " +
      "7bit (us-ascii, iso-2022-jp), mailport transfer-encodes it (quoted-printable, or base64 for " +
      "the stateful iso-2022-jp).",
    kind: "sameStructure",
    check: linesAtMost998,
    recipes: ["legacy: MIMEText with a line over 998 octets", "legacy: iso-2022-jp MIMEText with a line over 998 octets"],
  },
  {
    rule:
      "RFC 5322 §2.1.1: a line is at most 998 octets; with an explicit 7bit or 8bit cte Python " +
      "writes a longer body line as it is, mailport refuses the cte for such content.",
    kind: "mailportRefuses",
    check: linesAtMost998,
    recipes: ["cte: explicit 8bit with a 1200-octet line", "cte: explicit 7bit with a 1200-octet line"],
  },
  {
    rule:
      "Python 3.11.7 bug (the trailing-newline header hole): a header value ending in LF passes the CR/LF check " +
      "(str.splitlines ignores a trailing newline) and is written raw, ending the header " +
      "section early; mailport refuses CR, LF and NUL anywhere in a value.",
    kind: "mailportRefuses",
    check: readsBackAsWritten,
    recipes: ["divergence: trailing LF in a header value"],
  },
  {
    rule:
      "RFC 5322 §2.2: header field bodies hold no NUL; Python 3.11.7 writes a NUL in a header " +
      "value as it is, mailport refuses it at assignment.",
    kind: "mailportRefuses",
    check: noNul,
    recipes: ["divergence: NUL in a header value"],
  },
  {
    rule:
      "RFC 5322 §2.2: header field bodies hold no NUL; Python 3.11.7 decodes an RFC 2231 %00 in a " +
      "parameter and writes the NUL raw in a quoted string, mailport writes the value " +
      "percent-encoded again.",
    kind: "pythonMisreads",
    check: noNul,
    recipes: ["divergence: a parameter whose decoded value holds NUL"],
  },
  {
    rule:
      "RFC 2045 §2.7 and RFC 5322 §2.3: 7bit and 8bit data hold no NUL; Python's set_content picks " +
      "7bit for ASCII text with a NUL and writes it raw, mailport picks quoted-printable (=00).",
    kind: "sameStructure",
    check: noNul,
    recipes: ["divergence: NUL in a text body"],
  },
  {
    rule:
      "RFC 5322 §2.2: a field name is printable ASCII without colon; Python 3.11.7 writes a header " +
      "name holding LF as it is (a header injection), mailport refuses it at assignment.",
    kind: "mailportRefuses",
    check: headerLinesWellFormed,
    recipes: ["divergence: LF in a header name"],
  },
  {
    rule:
      "RFC 5322 §2.3: CR appears only in CRLF; Python 3.11.7 lets a value end in CR (the same " +
      "trailing-newline hole) and writes it into LF output, mailport refuses it at assignment.",
    kind: "mailportRefuses",
    check: oneKindOfLineEnding,
    recipes: ["divergence: trailing CR in a header value"],
  },
  {
    rule:
      "RFC 2046 §5.1.1: the boundary must not occur in the encapsulated parts; Python writes a " +
      "caller's boundary without checking, mailport refuses one that collides with the content " +
      "or the preamble.",
    kind: "mailportRefuses",
    check: readsBackAsWritten,
    recipes: ["divergence: boundary that collides with the content", "divergence: boundary that collides with the preamble"],
  },
];

/** The divergence a recipe falls under, if any. */
export function divergenceOf(name: string): Divergence | undefined {
  return DIVERGENCES.find((d) => d.recipes.includes(name));
}
