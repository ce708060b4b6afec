/**
 * Reading the command line of a `mailport` command: node's `parseArgs`, with one plain
 * line for each mistake, and the numbers the options take.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

/** The options of a command, as `parseArgs` takes them. */
export type OptionSpecs = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** The option (`--port`, `-h`) a token names, if it is one of `options`. */
function optionNamed(token: string, options: OptionSpecs): { name: string; type: "string" | "boolean" } | undefined {
  const long = /^--([^=]+)$/.exec(token)?.[1];
  if (long !== undefined) return options[long] && { name: long, type: options[long].type };
  const short = /^-([^-])$/.exec(token)?.[1];
  if (short === undefined) return undefined;
  const entry = Object.entries(options).find(([, spec]) => spec.short === short);
  return entry && { name: entry[0], type: entry[1].type };
}

/**
 * `--port -1` as `--port=-1`: a value that starts with a dash but names no option is the
 * option's value (parseArgs calls it ambiguous, and the message then names the wrong
 * thing: the number is what is wrong).
 */
function joinDashValues(argv: readonly string[], options: OptionSpecs): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === "--") return [...args, ...argv.slice(i)];
    const next = argv[i + 1];
    const option = optionNamed(token, options);
    if (option?.type === "string" && next !== undefined && /^-./.test(next) && next !== "--" && !optionNamed(next.split("=")[0] ?? next, options)) {
      args.push(`--${option.name}=${next}`);
      i++;
    } else {
      args.push(token);
    }
  }
  return args;
}

/** What {@link parseCommandLine} gives: the options' values and the other arguments. */
export type ParsedCommandLine<T extends OptionSpecs> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>>;

/** parseArgs' error as one plain line. */
function plainMessage(error: Error & { code?: string }): string {
  const named = /'([^' ]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${named}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${JSON.stringify(named)}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /does not take/.test(error.message) ? `${named} takes no value` : `${named} needs a value`;
    default:
      return error.message.split("\n")[0] ?? "bad command line";
  }
}

/**
 * Parses `argv` strictly against `options`.
 * @throws UsageError for an unknown option, a missing value, or a positional argument
 *   where none is allowed, in one line
 */
export function parseCommandLine<const T extends OptionSpecs>(argv: readonly string[], options: T, allowPositionals: boolean): ParsedCommandLine<T> {
  try {
    return parseArgs({ args: joinDashValues(argv, options), options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError(plainMessage(error as Error & { code?: string }));
  }
}

/**
 * The port an option gives: decimal digits only (no `0x19`, `1e3` or `-1`), in range.
 * @param lowest 1, or 0 where 0 means "any free port"
 * @throws UsageError for anything else
 */
export function parsePort(value: string, lowest: 0 | 1): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= lowest && port <= 65535)) {
    throw new UsageError(`--port must be a whole number from ${lowest} to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * A number of seconds an option gives: decimal, greater than 0.
 * @throws UsageError for anything else
 */
export function parseSeconds(value: string, option: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0)) throw new UsageError(`${option} must be a positive number of seconds, got ${JSON.stringify(value)}`);
  return seconds;
}
