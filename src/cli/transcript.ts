/**
 * The SMTP conversation as the debug server sees it: smtp-server's log records turned into
 * `C:` (client) and `S:` (server) lines, with credentials masked.
 *
 * @module
 */
import { format } from "node:util";

/** One line of the conversation. */
export interface TranscriptLine {
  /** The connection it belongs to (smtp-server's connection id). */
  readonly connection: string;
  /** `"C"`: sent by the client; `"S"`: sent by the server. */
  readonly from: "C" | "S";
  /** The line, credentials masked. */
  readonly text: string;
}

/** What replaces a credential in the transcript. */
export const MASK = "********";

/**
 * Masks what a client line may carry of a secret: the initial response of
 * `AUTH <mechanism> <response>`, and every line of an AUTH exchange after the command
 * (smtp-server marks those as `/* secured *\/`).
 *
 * @example
 * maskCredentials("AUTH PLAIN AGFkYQBzZWNyZXQ=") // "AUTH PLAIN ********"
 */
export function maskCredentials(line: string): string {
  if (line.includes("/* secured */")) {
    return line.replace(/\/\* secured \*\//g, MASK);
  }
  const auth = /^(AUTH\s+\S+)\s+\S.*$/i.exec(line);
  if (auth) return `${auth[1]} ${MASK}`;
  return line;
}

type LogMethod = (...args: unknown[]) => void;

/** The bunyan-like logger smtp-server takes (only the methods it calls). */
export interface ConversationLogger {
  readonly level: (level?: string) => string;
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  readonly fatal: LogMethod;
}

/**
 * A logger for smtp-server's `logger` option that passes each command the client sends and
 * each reply line the server sends to `onLine`, credentials masked; every other record is
 * dropped.
 */
export function conversationLogger(onLine: (line: TranscriptLine) => void): ConversationLogger {
  const ignore: LogMethod = () => undefined;
  const debug: LogMethod = (entry, ...args) => {
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as { tnx?: unknown; cid?: unknown };
    if (record.tnx !== "command" && record.tnx !== "send") return;
    // smtp-server logs ('C:', line) and ('S:', payload); the payload of a multi-line reply holds CRLFs.
    const text = args.length > 1 ? args.slice(1).map(String).join(" ") : format(...args);
    const connection = String(record.cid ?? "?");
    if (record.tnx === "command") {
      onLine({ connection, from: "C", text: maskCredentials(text) });
    } else {
      for (const line of text.split(/\r?\n/)) onLine({ connection, from: "S", text: line });
    }
  };
  return { level: () => "debug", trace: ignore, debug, info: ignore, warn: ignore, error: ignore, fatal: ignore };
}
