/**
 * How the debug server shows a message it received: the envelope, the headers and the
 * body, with the size and SHA-256 of the data so a sender can check the bytes arrived
 * unchanged.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** A message as the debug server received it. */
export interface ReceivedMessage {
  /** The envelope sender (MAIL FROM); `""` for the null sender. */
  readonly mailFrom: string;
  /** The ESMTP parameters of MAIL FROM (`SIZE=1234`, `BODY=8BITMIME` ...), as sent. */
  readonly mailParams: readonly string[];
  /** The envelope recipients (RCPT TO), in order. */
  readonly rcptTo: readonly string[];
  /** The ESMTP parameters of each RCPT TO (`NOTIFY=FAILURE` ...), in the order of `rcptTo`. */
  readonly rcptParams: ReadonlyArray<readonly string[]>;
  /** The user name the client logged in with, if it did. */
  readonly user: string | undefined;
  /** Whether the connection was encrypted (implicit TLS or STARTTLS). */
  readonly secure: boolean;
  /** The message data exactly as received (dot-stuffing undone, CRLF line endings). */
  readonly data: Uint8Array;
}

/** The SHA-256 of `data`, in lower-case hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function withParams(params: readonly string[]): string {
  return params.length === 0 ? "" : ` ${params.join(" ")}`;
}

/** Where the header block ends: the offset of the empty line, or -1. */
function headerEnd(data: Uint8Array): number {
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === 0x0a && data[i + 1] === 0x0a) return i + 1;
    if (data[i] === 0x0a && data[i + 1] === 0x0d && data[i + 2] === 0x0a) return i + 1;
  }
  return -1;
}

/**
 * The report printed for one message: a header line with its number, the envelope, size
 * and SHA-256, then the headers and the body as received. The data is shown as UTF-8
 * (an undecodable byte shows as U+FFFD; the digest is of the real bytes).
 */
export function formatReceivedMessage(message: ReceivedMessage, index: number): string {
  const text = (bytes: Uint8Array): string => new TextDecoder("utf-8").decode(bytes).replace(/\r\n/g, "\n");
  const end = headerEnd(message.data);
  const headers = end < 0 ? message.data : message.data.subarray(0, end);
  const body = end < 0 ? new Uint8Array() : message.data.subarray(end).subarray(message.data[end] === 0x0d ? 2 : 1);
  const lines = [
    `---------- message ${index} ----------`,
    `MAIL FROM: <${message.mailFrom}>${withParams(message.mailParams)}`,
    ...message.rcptTo.map((recipient, i) => `RCPT TO: <${recipient}>${withParams(message.rcptParams[i] ?? [])}`),
    `login: ${message.user ?? "(none)"}, TLS: ${message.secure ? "yes" : "no"}`,
    `size: ${message.data.length} bytes, SHA-256: ${sha256Hex(message.data)}`,
    "---------- headers ----------",
    text(headers).replace(/\n$/, ""),
    "---------- body ----------",
    text(body).replace(/\n$/, ""),
    `---------- end of message ${index} ----------`,
  ];
  return lines.join("\n") + "\n";
}
