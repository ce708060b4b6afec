#!/usr/bin/env node
/**
 * The `mailport` command: `mailport send` and `mailport debug-server`.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SMTPException } from "../index.js";
import { DEBUG_SERVER_HELP, runDebugServer } from "./debug-server-command.js";
import { CliError, UsageError } from "./errors.js";
import { runSend, SEND_HELP } from "./send-command.js";

/** The help text of `mailport`. */
export const MAIN_HELP = `Usage: mailport <command> [options]

Commands:
  send           send a raw message file (or standard input) to an SMTP server
  debug-server   run an SMTP server that prints what it receives

mailport <command> --help (or mailport help <command>) shows the options of a command.`;

const COMMAND_HELP: Readonly<Record<string, string>> = { send: SEND_HELP, "debug-server": DEBUG_SERVER_HELP };

function unknownCommand(command: string): UsageError {
  return new UsageError(`unknown command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMAND_HELP).join(" and ")}`);
}

/**
 * The help text `mailport help [COMMAND]` prints.
 * @throws UsageError for an unknown command
 */
function helpOf(command: string | undefined): string {
  if (command === undefined) return MAIN_HELP;
  const help = COMMAND_HELP[command];
  if (help === undefined) throw unknownCommand(command);
  return help;
}

/** The one line printed for an error that ends the command. */
export function describeError(command: string, error: unknown): string {
  if (error instanceof SMTPException) return `mailport ${command}: ${error.name}: ${error.message.replace(/\s*\n\s*/g, " ")}`;
  if (error instanceof CliError) return `mailport ${command}: ${error.message}`;
  if (error instanceof TypeError) return `mailport ${command}: ${error.message}`;
  if (error instanceof Error) return `mailport ${command}: ${error.name}: ${error.message}`;
  return `mailport ${command}: ${String(error)}`;
}

/**
 * Runs the command line `argv` (without `node` and the script) and returns the exit status;
 * every error is reported as one line on standard error.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "send":
        return await runSend(rest);
      case "debug-server":
        return await runDebugServer(rest);
      case undefined:
      case "-h":
      case "--help":
        process.stdout.write(`${MAIN_HELP}\n`);
        return command === undefined ? 2 : 0;
      case "help":
        process.stdout.write(`${helpOf(rest[0])}\n`);
        return 0;
      default:
        throw unknownCommand(command);
    }
  } catch (error) {
    const line = describeError(command ?? "", error);
    const hint = error instanceof UsageError && command !== undefined && COMMAND_HELP[command] !== undefined
      ? ` (mailport ${command} --help shows the options)`
      : "";
    process.stderr.write(`${line}${hint}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`mailport debug-server | head`) is not an error worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
