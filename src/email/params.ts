/**
 * The legacy parameter syntax of Content-Type and Content-Disposition as the
 * `Message` parameter methods see it: splitting a header value at unquoted
 * semicolons, and writing one `name="value"` pair.
 *
 * @module
 */
import { encodeRfc2231, quote } from "./utils.js";

/** A parameter value as the legacy API writes it: text, or RFC 2231 `[charset, language, text]`. */
export type ParamValue = string | readonly [charset: string | null, language: string | null, value: string];

const TSPECIALS = /[ ()<>@,;:\\"/[\]?=]/;

/**
 * Splits a header value such as `text/plain; charset="utf-8"` into its pieces at
 * semicolons that are not inside a quoted string. Each `name=value` piece has its
 * name lower-cased and the spaces around `=` removed.
 */
export function splitParams(value: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i <= value.length; i++) {
    const ch = value[i];
    if (ch === "\\" && inQuotes) {
      i++;
      continue;
    }
    if (ch === '"') inQuotes = !inQuotes;
    if ((ch === ";" && !inQuotes) || i === value.length) {
      pieces.push(normalisePiece(value.slice(start, i)));
      start = i + 1;
    }
  }
  return pieces;
}

function normalisePiece(piece: string): string {
  const eq = piece.indexOf("=");
  if (eq < 0) return piece.trim();
  return `${piece.slice(0, eq).trim().toLowerCase()}=${piece.slice(eq + 1).trim()}`;
}

/** The part of a header value before the first semicolon, trimmed. */
export function valueBeforeParams(value: string): string {
  const semi = value.indexOf(";");
  return (semi < 0 ? value : value.slice(0, semi)).trim();
}

/**
 * Writes one parameter as the legacy API does: quoted when `requote` is set or the
 * value needs it, RFC 2231 (`name*=utf-8''...`) for non-ASCII text or an explicit
 * `[charset, language, value]`, and the bare name for an empty value.
 */
export function formatParam(name: string, value: ParamValue | null | undefined, requote = true): string {
  if (value === null || value === undefined || value.length === 0) return name;
  if (typeof value !== "string") {
    const [charset, language, text] = value as readonly [string | null, string | null, string];
    return `${name}*=${encodeRfc2231(text, charset ?? undefined, language ?? undefined)}`;
  }
  if (/[^\x00-\x7f]/.test(value)) {
    return `${name}*=${encodeRfc2231(value, "utf-8", "")}`;
  }
  if (requote || TSPECIALS.test(value)) return `${name}="${quote(value)}"`;
  return `${name}=${value}`;
}
