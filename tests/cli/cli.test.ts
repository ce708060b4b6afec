/**
 * The `mailport` command, run as child processes: `send` delivers a file to
 * `debug-server` byte for byte (the server prints the SHA-256 of what it received), takes
 * the envelope from options or headers, takes passwords only from the environment, and
 * every error is one line with a non-zero exit status.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpServer } from "../peers/smtp-server.js";
import { mailport, ROOT, startServerProcess, type ServerProcess } from "./run.js";

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

let dir: string;
let server: ServerProcess;

/** A message with CRLF line endings, a line starting with a dot, and 8-bit UTF-8. */
const MESSAGE = Buffer.from(
  "From: Ada Lovelace <ada@example.com>\r\n" +
    "To: Charles Babbage <charles@example.org>\r\n" +
    "Cc: mary@example.org\r\n" +
    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
    "Content-Type: text/plain; charset=utf-8\r\n" +
    "Content-Transfer-Encoding: 8bit\r\n" +
    "\r\n" +
    "Grüße aus London.\r\n" +
    ".a line that starts with a dot\r\n" +
    "..and one with two\r\n",
  "utf8",
);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "mailport-cli-"));
  writeFileSync(path.join(dir, "message.eml"), MESSAGE);
  server = await startServerProcess();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("mailport send to mailport debug-server", () => {
  it("delivers the bytes of a file unchanged", async () => {
    const result = await mailport(["send", "--port", String(server.port), path.join(dir, "message.eml")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sent to 2 of 2 recipients: 250 /);
    await server.waitFor(new RegExp(`SHA-256: ${sha256(MESSAGE)}`));
  });

  it("takes the envelope from the headers when no --from or --to is given", async () => {
    const marker = `envelope-${Date.now()}`;
    const message = Buffer.from(`From: ${marker}@example.com\r\nTo: a@example.org\r\nCc: b@example.org\r\nSubject: x\r\n\r\nbody\r\n`);
    await mailport(["send", "--port", String(server.port), "-"], { input: message });
    const match = await server.waitFor(new RegExp(`MAIL FROM: <${marker}@example.com> SIZE=\\d+\\nRCPT TO: <a@example.org>\\nRCPT TO: <b@example.org>\\n`));
    expect(match).not.toBeNull();
  });

  it("takes the envelope from --from and --to, and reads standard input for -", async () => {
    const result = await mailport(
      ["send", "--port", String(server.port), "--from", "bounce@example.com", "--to", "x@example.net", "--to", "y@example.net", "-"],
      { input: MESSAGE },
    );
    expect(result.code).toBe(0);
    await server.waitFor(/MAIL FROM: <bounce@example.com> SIZE=\d+ BODY=8BITMIME\nRCPT TO: <x@example.net>\nRCPT TO: <y@example.net>\n/);
  });

  it("sends a file with LF line endings as CRLF, and nothing else changed", async () => {
    const lf = Buffer.from("From: lf@example.com\nTo: a@example.org\nSubject: lf\n\nline one\nline two\n");
    writeFileSync(path.join(dir, "lf.eml"), lf);
    const result = await mailport(["send", "--port", String(server.port), path.join(dir, "lf.eml")]);
    expect(result.code).toBe(0);
    await server.waitFor(new RegExp(`SHA-256: ${sha256(lf.toString("latin1").replace(/\n/g, "\r\n"))}`));
  });

  it("exits with status 3 when the server refuses some recipients, naming them", async () => {
    const peer = await startSmtpServer({ refuse: ["nobody@example.org"], authOptional: true, hideSTARTTLS: true });
    try {
      const result = await mailport([
        "send", "--port", String(peer.port), "--to", "charles@example.org", "--to", "nobody@example.org", path.join(dir, "message.eml"),
      ]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^mailport send: recipient refused: nobody@example\.org: 550 [^\n]*\n$/);
      expect(result.stdout).toMatch(/^sent to 1 of 2 recipients: 250 /);
      expect(peer.messages.map((message) => message.rcptTo)).toEqual([["charles@example.org"]]);
    } finally {
      await peer.close();
    }
  });

  it("logs in with the password from --password-env, and never prints it", async () => {
    const result = await mailport(
      ["send", "--port", String(server.port), "--user", "ada-cli", "--password-env", "MAILPORT_TEST_PASSWORD", path.join(dir, "message.eml")],
      { env: { MAILPORT_TEST_PASSWORD: "s3cret-password" } },
    );
    expect(result.code).toBe(0);
    await server.waitFor(/login: ada-cli, TLS: no/);
    expect(server.output()).not.toContain("s3cret-password");
    expect(server.output()).not.toContain(Buffer.from("\0ada-cli\0s3cret-password").toString("base64"));
  });
});

/**
 * Runs `mailport <args>` with a pseudo-terminal (Python's pty module) as its controlling
 * terminal, and as its standard input too unless `stdin` is given (then standard input is
 * a pipe that carries it). Each step waits for its text in the output and then types.
 */
function mailportOnTerminal(
  args: readonly string[],
  steps: ReadonlyArray<readonly [waitFor: string, type: string]>,
  stdin?: string | Buffer,
): { output: string; code: number } {
  const script = String.raw`
import base64, json, os, pty, select, sys, time
args, steps, stdin = json.load(sys.stdin)
if stdin is not None:
    read_end, write_end = os.pipe()
pid, fd = pty.fork()
if pid == 0:
    if stdin is not None:
        os.dup2(read_end, 0)
        os.close(read_end)
        os.close(write_end)
    os.execvp(args[0], args)
if stdin is not None:
    os.close(read_end)
    os.write(write_end, base64.b64decode(stdin))
    os.close(write_end)
out, seen, deadline = b"", 0, time.time() + 20
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if not ready:
        continue
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    out += data
    while steps and out.find(steps[0][0].encode(), seen) >= 0:
        seen = out.find(steps[0][0].encode(), seen) + len(steps[0][0])
        os.write(fd, steps.pop(0)[1].encode())
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": out.decode("utf-8", "replace"), "code": os.waitstatus_to_exitcode(status)}))
`;
  const command = [process.execPath, "--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args];
  const input = JSON.stringify([command, steps, stdin === undefined ? null : Buffer.from(stdin).toString("base64")]);
  const result = spawnSync("python3", ["-c", script], { input, encoding: "utf8", cwd: ROOT });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { output: string; code: number };
}

describe("mailport send on a terminal", () => {
  it("asks for the password without echoing it, and logs in", async () => {
    const { output, code } = mailportOnTerminal(["send", "--port", String(server.port), "--user", "ada-tty", path.join(dir, "message.eml")], [["Password for ada-tty: ", "typed-secret\r"]]);
    expect(code).toBe(0);
    expect(output).toContain("Password for ada-tty: ");
    expect(output).not.toContain("typed-secret");
    await server.waitFor(/login: ada-tty, TLS: no/);
  });

  it("asks on the terminal when the message comes from standard input", async () => {
    const { output, code } = mailportOnTerminal(["send", "--port", String(server.port), "--user", "ada-pipe", "-"], [["Password for ada-pipe: ", "piped-secret\r"]], MESSAGE);
    expect(output).not.toContain("piped-secret");
    expect(code).toBe(0);
    await server.waitFor(new RegExp(`login: ada-pipe, TLS: no\\nsize: ${MESSAGE.length} bytes, SHA-256: ${sha256(MESSAGE)}`));
  });

  it("ends with exit status 130 on Ctrl-C at the prompt, sending nothing", () => {
    const { output, code } = mailportOnTerminal(["send", "--port", String(server.port), "--user", "ada-interrupted", "-"], [["Password for ada-interrupted: ", "\u0003"]], MESSAGE);
    expect(code).toBe(130);
    expect(output).toContain("mailport send: interrupted");
    expect(server.output()).not.toContain("ada-interrupted");
  });

  it("says it reads the message from the terminal, and how to end it, then asks for the password", async () => {
    const marker = `typed-${Date.now()}`;
    const typed = `From: ${marker}@example.com\rTo: b@example.org\rSubject: typed\r\rhello\r\u0004`;
    const { output, code } = mailportOnTerminal(
      ["send", "--port", String(server.port), "--user", "ada-typed"],
      [["end it with Ctrl-D", typed], ["Password for ada-typed: ", "typed-secret\r"]],
    );
    expect(output).toContain("mailport send: reading the message from standard input; end it with Ctrl-D");
    expect(output).not.toContain("typed-secret");
    expect(code).toBe(0);
    await server.waitFor(new RegExp(`MAIL FROM: <${marker}@example.com>[^]*login: ada-typed`));
  });
});

describe("mailport send over TLS", () => {
  it.each(["--tls", "--starttls"])("sends with %s to debug-server started with the same option, trusting the certificate it printed", async (mode) => {
    const tlsServer = await startServerProcess([mode, "--quiet"]);
    try {
      const [, certFile] = (await tlsServer.waitFor(/self-signed certificate: (\S+)/)) as unknown as [string, string];
      const result = await mailport(["send", mode, "--ca", certFile, "--port", String(tlsServer.port), path.join(dir, "message.eml")]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      await tlsServer.waitFor(new RegExp(`TLS: yes\\nsize: ${MESSAGE.length} bytes, SHA-256: ${sha256(MESSAGE)}`));
    } finally {
      await tlsServer.stop();
    }
  });

  it("refuses a certificate it cannot verify, in one line", async () => {
    const tlsServer = await startServerProcess(["--tls", "--quiet"]);
    try {
      const result = await mailport(["send", "--tls", "--port", String(tlsServer.port), path.join(dir, "message.eml")]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^mailport send: SMTPConnectError: .*certificate.*\n$/);
    } finally {
      await tlsServer.stop();
    }
  });
});

describe("mailport send errors", () => {
  it("refuses a password on the command line", async () => {
    const result = await mailport(["send", "--user", "ada", "--password", "hunter2", "x.eml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mailport send: passwords are not taken from the command line.*\n$/);
  });

  it("reports an unknown option in one line with exit status 2", async () => {
    const result = await mailport(["send", "--frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--frobnicate");
  });

  it("refuses a port that is not a plain decimal number, in one line with exit status 2", async () => {
    const result = await mailport(["send", "--port", "0x19", path.join(dir, "message.eml")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('mailport send: --port must be a whole number from 1 to 65535, got "0x19" (mailport send --help shows the options)\n');
  });

  it("refuses --tls with --starttls", async () => {
    const result = await mailport(["send", "--tls", "--starttls", "x.eml"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--tls and --starttls exclude each other");
  });

  it("reports a missing file in one line", async () => {
    const result = await mailport(["send", "--port", String(server.port), path.join(dir, "nope.eml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mailport send: cannot read .*nope\.eml: no such file\n$/);
  });

  it("needs an envelope sender when the message has no From", async () => {
    const result = await mailport(["send", "--port", String(server.port), "--to", "a@example.org", "-"], { input: "Subject: x\r\n\r\nbody\r\n" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mailport send: no envelope sender.*--from\n$/);
  });

  it("reports an unset password variable", async () => {
    const env = { MAILPORT_UNSET_VARIABLE: "" };
    delete (env as Record<string, string | undefined>)["MAILPORT_UNSET_VARIABLE"];
    const result = await mailport(["send", "--port", String(server.port), "--user", "u", "--password-env", "MAILPORT_SURELY_UNSET_1234", path.join(dir, "message.eml")], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("mailport send: the environment variable MAILPORT_SURELY_UNSET_1234 is not set\n");
  });

  it("says so when there is no terminal to ask for the password on", async () => {
    // mailport() runs the command in a session of its own, without a controlling terminal.
    const result = await mailport(["send", "--port", String(server.port), "--user", "ada", "-"], { input: MESSAGE });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("mailport send: no password: there is no terminal to ask for it on; pass --password-env VARIABLE\n");
  });

  it("reports a CA file it cannot read in one line", async () => {
    const result = await mailport(["send", "--tls", "--ca", path.join(dir, "nope.pem"), "--port", String(server.port), path.join(dir, "message.eml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`mailport send: cannot read the CA file ${path.join(dir, "nope.pem")}: no such file\n`);
  });

  it("reports a refused connection as one line naming the error class", async () => {
    const closed = await startServerProcess(["--quiet"]);
    const port = closed.port;
    await closed.stop();
    const result = await mailport(["send", "--port", String(port), path.join(dir, "message.eml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mailport send: SMTPConnectError: [^\n]+\n$/);
  });
});

describe("mailport --help", () => {
  it("shows the options of send", async () => {
    const result = await mailport(["send", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mailport send");
    expect(result.stdout).toContain("--password-env");
  });

  it("shows the options of debug-server", async () => {
    const result = await mailport(["debug-server", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mailport debug-server");
  });

  it("shows the options of a command for mailport help COMMAND", async () => {
    const result = await mailport(["help", "send"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: mailport send");
    expect(result.stdout).toContain("--password-env");
  });

  it("lists the commands, and refuses an unknown one", async () => {
    expect((await mailport(["--help"])).stdout).toContain("debug-server");
    const result = await mailport(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mailport frobnicate: unknown command/);
  });
});

describe("mailport debug-server", () => {
  it("stops cleanly on SIGTERM", async () => {
    const other = await startServerProcess(["--quiet"]);
    const result = await other.stop("SIGTERM");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stopped (SIGTERM)");
  });

  it("stops cleanly on SIGINT (Ctrl-C)", async () => {
    const other = await startServerProcess(["--quiet"]);
    const result = await other.stop("SIGINT");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stopped (SIGINT)");
  });

  it("stops on Ctrl-C with a client still connected, closing its connection", async () => {
    const other = await startServerProcess(["--quiet"]);
    // allowHalfOpen: the client never closes its side, as a stuck client would not.
    const client = net.connect({ host: "127.0.0.1", port: other.port, allowHalfOpen: true });
    let received = "";
    const replied = (pattern: RegExp): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!pattern.test(received)) return;
          client.off("data", check);
          resolve();
        };
        client.on("data", check);
      });
    client.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    const ended = new Promise<void>((resolve) => client.once("end", resolve));
    await replied(/^220 /);
    client.write("EHLO client.example\r\n");
    await replied(/\r\n250 [^\r\n]*\r\n$/);
    const result = await other.stop("SIGINT");
    await ended;
    client.destroy();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stopped (SIGINT)");
    expect(received).toMatch(/\r\n421 [^\r\n]*\r\n$/);
  });

  it("refuses a negative port in one line with exit status 2", async () => {
    const result = await mailport(["debug-server", "--port", "-1"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('mailport debug-server: --port must be a whole number from 0 to 65535, got "-1" (mailport debug-server --help shows the options)\n');
  });

  it("reports a port in use in one line", async () => {
    const result = await mailport(["debug-server", "--port", String(server.port)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`mailport debug-server: cannot listen on 127.0.0.1 port ${server.port}: the port is in use\n`);
  });
});
