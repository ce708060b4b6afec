/**
 * Runs python3 as an oracle for the behaviour of Python's `email` package.
 * One call runs one script; batch many cases into one script to keep the suite fast.
 */
import { execFileSync } from "node:child_process";

/** Runs `script` with python3, feeding `input` (JSON-encoded) on stdin, and parses its stdout as JSON. */
export function runPythonJson<T>(script: string, input: unknown = null): T {
  const out = execFileSync("python3", ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}

/** Decodes the base64 strings python scripts use to hand back bytes. */
export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** Bytes as text for readable assertion failures (latin1: one character per octet). */
export function asLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}
