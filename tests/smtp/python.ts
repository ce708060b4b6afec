/**
 * Runs Python 3 (the oracle for Python's behaviour) on a script, with JSON in and out.
 * Batch many cases into one call: starting Python costs tens of milliseconds.
 */
import { spawnSync } from "node:child_process";

/** Runs `script` with `input` as JSON on stdin; the script prints one JSON value. */
export function python<T>(script: string, input: unknown = null): T {
  const result = spawnSync("python3", ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * Python's view of what aiosmtplib puts on the wire for message data: the message with
 * every lone CR and LF made CRLF and a final CRLF (aiosmtplib's
 * normalize_message_line_endings), then dot-stuffed, then the terminator. Bytes travel
 * as base64.
 */
export const PY_DATA_HELPERS = String.raw`
import base64, json, re, sys
LINE_ENDINGS_REGEX = re.compile(rb"(?:\r\n|\n|\r(?!\n))")
PERIOD_REGEX = re.compile(rb"(?m)^\.")
def normalize(message):
    message = LINE_ENDINGS_REGEX.sub(b"\r\n", message)
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    return message
def wire(message):
    return PERIOD_REGEX.sub(b"..", normalize(message)) + b".\r\n"
def b64(data):
    return base64.b64encode(data).decode("ascii")
def unb64(text):
    return base64.b64decode(text)
`;

/** Base64 of bytes, for passing to Python. */
export function b64(data: Uint8Array): string {
  return Buffer.from(data).toString("base64");
}

/** Bytes from base64. */
export function unb64(text: string): Buffer {
  return Buffer.from(text, "base64");
}
