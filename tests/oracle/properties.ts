/**
 * RFC properties of serialized messages, checked on raw bytes with a deliberately small,
 * independent MIME splitter (no mailport code), for the known divergences from Python.
 *
 * @module
 */

/** One part of a raw message: its header lines (unfolded) and body, and sub-parts. */
export interface RawPart {
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The physical header lines, folding kept. */
  readonly headerLines: readonly string[];
  /** The body as latin-1 text (one character per octet), line endings as written. */
  readonly body: string;
  readonly parts: readonly RawPart[];
}

function header(part: Pick<RawPart, "headers">, name: string): string | undefined {
  return part.headers.find(([k]) => k.toLowerCase() === name)?.[1].trim();
}

/** Splits raw message text (latin-1) into its MIME tree. */
export function splitRaw(text: string): RawPart {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const body = end ? text.slice(end.index + end[0].length) : "";
  const headerLines = head === "" ? [] : head.split(/\r?\n/);
  const headers: Array<[string, string]> = [];
  for (const line of headerLines) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) last[1] += line;
    else {
      const colon = line.indexOf(":");
      headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
  }
  const ctype = (header({ headers }, "content-type") ?? "").toLowerCase();
  const parts: RawPart[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(header({ headers }, "content-type") ?? "")?.[1];
  if (ctype.startsWith("multipart/") && boundary) {
    const lines = body.split(/\r?\n/);
    let current: string[] | undefined;
    for (const line of lines) {
      if (line === `--${boundary}` || line === `--${boundary}--`) {
        // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
        if (current) parts.push(splitRaw(current.join("\n")));
        if (line === `--${boundary}--`) break;
        current = [];
      } else if (current) current.push(line);
    }
  } else if (ctype.startsWith("message/rfc822")) {
    parts.push(splitRaw(body));
  }
  return { headers, headerLines, body, parts };
}

function* walk(part: RawPart): Generator<RawPart> {
  yield part;
  for (const sub of part.parts) yield* walk(sub);
}

function latin1(raw: Uint8Array): string {
  return Buffer.from(raw).toString("latin1");
}

/** RFC 2045 §6.7 rule 5: every line of a quoted-printable body is at most 76 characters. */
export function qpLinesAtMost76(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    if ((header(part, "content-transfer-encoding") ?? "").toLowerCase() !== "quoted-printable") continue;
    for (const line of part.body.split(/\r?\n/)) {
      if (line.length > 76) problems.push(`quoted-printable line of ${line.length} characters: ${line.slice(0, 40)}...`);
    }
  }
  return problems;
}

/** RFC 2047 §2: an encoded word is at most 75 characters long. */
export function encodedWordsAtMost75(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    for (const line of part.headerLines) {
      for (const word of line.match(/=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=/g) ?? []) {
        if (word.length > 75) problems.push(`encoded word of ${word.length} characters: ${word.slice(0, 40)}...`);
      }
    }
  }
  return problems;
}

/** RFC 2047 §2: encoded-text is one or more characters, so `=?charset?q??=` is not an encoded word. */
export function noEmptyEncodedWords(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    for (const line of part.headerLines) {
      for (const word of line.match(/=\?[^?\s]+\?[QqBb]\?\?=/g) ?? []) problems.push(`empty encoded word ${word}`);
    }
  }
  return problems;
}

const ADDRESS_HEADERS = new Set(["from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc", "resent-sender"]);

/** The text of an RFC 2047 encoded word (`b` or `q`), decoded as UTF-8 (other charsets: as latin-1). */
function decodeEncodedWord(word: string): string {
  const m = /^=\?([^?*]+)(?:\*[^?]*)?\?([QqBb])\?([^?]*)\?=$/.exec(word);
  if (!m) return "";
  const [, charset = "", kind = "", text = ""] = m;
  const bytes =
    kind.toLowerCase() === "b"
      ? Buffer.from(text, "base64")
      : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");
  return charset.toLowerCase() === "utf-8" ? bytes.toString("utf8") : bytes.toString("latin1");
}

/** An encoded word that is (part of) a local part or a domain: it touches the "@" of an addr-spec. */
const ENCODED_ADDR_SPEC = /=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=[^\s,;<>()"]*@|@[^\s,;<>()"]*=\?[^?\s]+\?[QqBb]\?/;

/**
 * RFC 2047 §5 (3): an encoded word never holds an address (no "@" or "<" inside one in an
 * address header), nor stands for part of one (a local part or a domain).
 */
export function noAddressInEncodedWords(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    for (const [name, value] of part.headers) {
      if (!ADDRESS_HEADERS.has(name.toLowerCase())) continue;
      for (const word of value.match(/=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=/g) ?? []) {
        const text = decodeEncodedWord(word);
        if (/[@<>]/.test(text)) problems.push(`${name}: encoded word hides an address: ${JSON.stringify(text)}`);
      }
      const inSpec = ENCODED_ADDR_SPEC.exec(value);
      if (inSpec) problems.push(`${name}: encoded word in an addr-spec: ${JSON.stringify(inSpec[0])}`);
    }
  }
  return problems;
}

/**
 * RFC 2047 §5 (3): in an address header an encoded word may only stand for (part of) a
 * phrase, so the group and list punctuation (`:`, `;`, `,`) must never be encoded alone.
 */
export function noPunctuationEncodedWords(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    for (const [name, value] of part.headers) {
      if (!ADDRESS_HEADERS.has(name.toLowerCase())) continue;
      for (const word of value.match(/=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=/g) ?? []) {
        const text = decodeEncodedWord(word);
        if (/^[\s:;,]+$/.test(text)) problems.push(`${name}: encoded word holds only punctuation: ${JSON.stringify(text)}`);
      }
    }
  }
  return problems;
}

/**
 * The "encoded words never for pure ASCII": no encoded word in a header decodes to
 * printable ASCII alone (Python encodes a long ASCII word to wrap it).
 */
export function noAsciiEncodedWords(raw: Uint8Array): string[] {
  const problems: string[] = [];
  for (const part of walk(splitRaw(latin1(raw)))) {
    for (const [name, value] of part.headers) {
      for (const word of value.match(/=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=/g) ?? []) {
        const text = decodeEncodedWord(word);
        if (/^[\x20-\x7e]+$/.test(text)) problems.push(`${name}: encoded word for ASCII text: ${JSON.stringify(text)}`);
      }
    }
  }
  return problems;
}

/** RFC 5322 §2.1.1: no line is longer than 998 octets. */
export function linesAtMost998(raw: Uint8Array): string[] {
  return latin1(raw)
    .split(/\r?\n/)
    .filter((line) => line.length > 998)
    .map((line) => `line of ${line.length} octets`);
}

/** RFC 5322 §2.2: a header field body holds printable US-ASCII and WSP (and UTF-8 under RFC 6532), never NUL. */
export function noNul(raw: Uint8Array): string[] {
  return raw.includes(0) ? ["the message holds a NUL octet"] : [];
}

/**
 * RFC 5322 §2.2: every line of a header section is a field (a name of printable characters
 * other than colon, then a colon) or the continuation of one (starting with WSP).
 */
export function headerLinesWellFormed(raw: Uint8Array): string[] {
  const problems: string[] = [];
  const walkAll = (part: RawPart): void => {
    for (const line of part.headerLines) {
      if (!/^[ \t]/.test(line) && !/^[!-9;-~]+:/.test(line)) problems.push(`not a header line: ${JSON.stringify(line.slice(0, 60))}`);
    }
    part.parts.forEach(walkAll);
  };
  walkAll(splitRaw(latin1(raw)));
  return problems;
}

/** RFC 5322 §2.3: CR and LF appear only together, so one message uses one kind of line ending. */
export function oneKindOfLineEnding(raw: Uint8Array): string[] {
  const text = latin1(raw);
  const kinds = [/\r\n/.test(text) && "CRLF", /(^|[^\r])\n/.test(text) && "bare LF", /\r(?!\n)/.test(text) && "bare CR"].filter(Boolean);
  return kinds.length > 1 ? [`line endings mixed: ${kinds.join(", ")}`] : [];
}
