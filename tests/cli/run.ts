/**
 * Running the `mailport` command and the demo as child processes (through tsx, as
 * `npm run demo` does), and waiting for what they print.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** What a finished command gave. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript entry point of src/cli with node and tsx; resolves when it exits. */
export function runScript(
  script: string,
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      // A session of its own, without a controlling terminal: a password prompt must never
      // reach the terminal the tests run in.
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Runs `mailport <args>`. */
export function mailport(args: readonly string[], options: { input?: string | Uint8Array; env?: Record<string, string> } = {}): Promise<CommandResult> {
  return runScript("src/cli/main.ts", args, options);
}

/** A `mailport debug-server` running in a child process. */
export interface ServerProcess {
  readonly port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves once its output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code and all its output. */
  stop(signal?: NodeJS.Signals): Promise<CommandResult>;
}

/** Starts `mailport debug-server --port 0 <args>` and resolves once it listens. */
export async function startServerProcess(args: readonly string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), "debug-server", "--port", "0", ...args],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters) waiter();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));

  const waitFor = (pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = stdout.match(pattern);
        if (match) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`debug-server never printed ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  const listening = await waitFor(/listening on \S+ port (\d+)/);
  return {
    port: Number(listening[1]),
    output: () => stdout,
    waitFor,
    async stop(signal: NodeJS.Signals = "SIGINT") {
      child.kill(signal);
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}
