/**
 * Reading the files a user names on the command line, with a one-line error.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { CliError } from "./errors.js";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

/**
 * The bytes of `file`.
 * @param what what the file is for the message (`"the CA file"`), or `""`
 * @throws CliError "cannot read [what ]FILE: reason" when it cannot be read
 */
export async function readUserFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CliError(`cannot read ${what ? `${what} ` : ""}${file}: ${(code && REASONS[code]) ?? message}`);
  }
}
