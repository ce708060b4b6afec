/**
 * Reading a password without echoing it, from the terminal.
 *
 * @module
 */
import { CliError } from "./errors.js";

/**
 * Asks for a password on the terminal (standard input must be one), without echoing what
 * is typed.
 * @param prompt the question, written to standard error
 * @throws CliError when standard input is not a terminal, or input ends or is interrupted
 */
export async function promptPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    throw new CliError("no password: standard input is not a terminal; pass --password-env VARIABLE");
  }
  // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.resume();
  input.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (chunk: string): void => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n") {
            input.off("data", onData);
            resolve(typed);
            return;
          }
          if (char === "\u0003" || char === "\u0004") {
            input.off("data", onData);
            reject(new CliError("no password: input interrupted"));
            return;
          }
          if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write("\n");
  }
}
