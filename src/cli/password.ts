/**
 * Reading a password without echoing it, from the terminal: the controlling terminal
 * (`/dev/tty`), as getpass, ssh and git do, so that standard input can carry the message.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import tty from "node:tty";
import { CliError } from "./errors.js";

/** The exit status of a command interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

/** A terminal to ask on, open until {@link Terminal.close}. */
export class Terminal {
  readonly #input: tty.ReadStream;
  readonly #write: (text: string) => void;
  readonly #release: () => void;

  private constructor(input: tty.ReadStream, write: (text: string) => void, release: () => void) {
    this.#input = input;
    this.#write = write;
    this.#release = release;
  }

  /**
   * Opens the controlling terminal; without one (Windows has no `/dev/tty`), standard
   * input and standard error when standard input is a terminal.
   * @throws CliError when the process has no terminal to ask on
   */
  static open(): Terminal {
    const controlling = Terminal.#openControlling();
    if (controlling) return controlling;
    if (process.stdin.isTTY) {
      return new Terminal(process.stdin, (text) => process.stderr.write(text), () => process.stdin.pause());
    }
    throw new CliError("no password: there is no terminal to ask for it on; pass --password-env VARIABLE");
  }

  /** `/dev/tty`, or undefined when the process has no controlling terminal. */
  static #openControlling(): Terminal | undefined {
    const fds: number[] = [];
    try {
      fds.push(openSync("/dev/tty", "r"), openSync("/dev/tty", "w"));
      const [input, output] = fds as [number, number];
      const stream = new tty.ReadStream(input);
      return new Terminal(stream, (text) => writeSync(output, text), () => {
        stream.destroy();
        closeSync(output);
      });
    } catch {
      for (const fd of fds) closeSync(fd);
      return undefined;
    }
  }

  /**
   * Asks for a password without echoing what is typed.
   * @param prompt the question
   * @throws CliError when input ends (Ctrl-D, exit status 1) or is interrupted (Ctrl-C, exit status 130)
   */
  async askPassword(prompt: string): Promise<string> {
    const input = this.#input;
    // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
    input.setRawMode(true);
    this.#write(prompt);
    input.setEncoding("utf8");
    input.resume();
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
              reject(char === "\u0003" ? new CliError("interrupted", INTERRUPTED) : new CliError("no password: input ended"));
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
      this.#write("\n");
    }
  }

  /** Gives the terminal back. */
  close(): void {
    this.#release();
  }
}
