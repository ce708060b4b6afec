/**
 * The errors of the `mailport` command line: a bad command line, or a failure to report
 * in one line. Both end the command with a non-zero exit status.
 *
 * @module
 */

/** A failure the command reports in one line and ends on (exit status 1). */
export class CliError extends Error {
  override readonly name: string = "CliError";
  /** The process exit status to end with. */
  readonly exitCode: number;

  /**
   * @param message the one line to print
   * @param exitCode the exit status (default 1)
   */
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The command line is wrong: an unknown option, a missing value, options that exclude each other (exit status 2). */
export class UsageError extends CliError {
  override readonly name: string = "UsageError";

  /** @param message what is wrong with the command line */
  constructor(message: string) {
    super(message, 2);
  }
}
