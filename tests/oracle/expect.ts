/**
 * Comparing what postal-mime reads from a message with what a recipe put in, and two
 * messages with each other by their decoded structure.
 *
 * @module
 */
import type { ReadMessage } from "../helpers/postal.js";
import { patternBytes, type Expectation, type ExpectedAttachment } from "./recipe.js";

/** Text compared without regard to CRLF/LF or trailing newlines (the generator adds one). */
function normText(text: string | undefined): string {
  return (text ?? "").replace(/\r\n/g, "\n").replace(/\n+$/, "");
}

function expectedBytes(content: ExpectedAttachment["content"]): Uint8Array {
  if ("$bytes" in content) return patternBytes(content.$bytes);
  if ("$base64" in content) return new Uint8Array(Buffer.from(content.$base64, "base64"));
  return new TextEncoder().encode(content.$text);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

/**
 * Whether postal-mime's attachment bytes `read` are `want`. postal-mime keeps the line
 * break before the next delimiter in 7bit/8bit/quoted-printable parts, although RFC 2046
 * §5.1.1 gives it to the delimiter; one such extra trailing line break is accepted.
 */
function sameAttachmentBytes(read: Uint8Array, want: Uint8Array): boolean {
  if (sameBytes(read, want)) return true;
  for (const tail of [[0x0a], [0x0d, 0x0a]]) {
    const n = read.length - tail.length;
    if (n === want.length && tail.every((b, i) => read[n + i] === b) && sameBytes(read.subarray(0, n), want)) return true;
  }
  return false;
}

/**
 * Lists every way `read` differs from `expect` (empty when they agree). Only the fields
 * the expectation gives are checked; attachments are compared in order.
 */
export function expectationProblems(read: ReadMessage, expect: Expectation): string[] {
  const problems: string[] = [];
  const same = (what: string, got: unknown, want: unknown): void => {
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(`${what}: read ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  };
  if (expect.subject !== undefined) same("subject", read.subject, expect.subject);
  if (expect.from !== undefined) same("from", read.from, expect.from);
  if (expect.to !== undefined) same("to", read.to, expect.to);
  if (expect.cc !== undefined) same("cc", read.cc, expect.cc);
  if (expect.text !== undefined) same("text", normText(read.text), normText(expect.text));
  if (expect.html !== undefined) same("html", normText(read.html), normText(expect.html));
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    same(`header ${name}`, read.headers.get(name)?.[0], value);
  }
  if (expect.attachments !== undefined) {
    same("attachment count", read.attachments.length, expect.attachments.length);
    expect.attachments.forEach((want, i) => {
      const got = read.attachments[i];
      if (!got) return;
      same(`attachment ${i} filename`, got.filename, want.filename);
      same(`attachment ${i} mime type`, got.mimeType, want.mimeType);
      if (want.contentId !== undefined) same(`attachment ${i} content-id`, got.contentId, want.contentId);
      if ("$text" in want.content) {
        same(`attachment ${i} text`, normText(new TextDecoder().decode(got.content)), normText(want.content.$text));
      } else if (!sameAttachmentBytes(got.content, expectedBytes(want.content))) {
        problems.push(`attachment ${i} bytes differ (${got.content.length} read, ${expectedBytes(want.content).length} expected)`);
      }
    });
  }
  return problems;
}

/**
 * The decoded structure of a message as plain data, for comparing two messages that are
 * allowed to differ in their bytes: decoded subject and addresses, text and html
 * (line endings and trailing newlines aside), and each attachment's filename, type and bytes.
 */
export function decodedStructure(read: ReadMessage): unknown {
  return {
    subject: read.subject,
    from: read.from,
    to: read.to,
    cc: read.cc,
    text: normText(read.text),
    html: normText(read.html),
    attachments: read.attachments.map((a) => ({
      filename: a.filename,
      mimeType: a.mimeType,
      contentId: a.contentId,
      base64: Buffer.from(a.content).toString("base64"),
    })),
  };
}
