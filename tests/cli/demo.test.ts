/**
 * `npm run demo` (src/cli/demo.ts) run as a child process: it exits with 0 and prints
 * the conversation, credentials masked, and both messages as the server received them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runScript, type CommandResult } from "./run.js";

let demo: CommandResult;

beforeAll(async () => {
  demo = await runScript("src/cli/demo.ts", []);
});

describe("the demo", () => {
  it("exits with status 0 and nothing on standard error", () => {
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
  });

  it("prints the hello-world message as the server received it", () => {
    expect(demo.stdout).toContain("---------- message 1 ----------");
    expect(demo.stdout).toContain("Subject: Hello World!");
    expect(demo.stdout).toContain("Sent via mailport");
  });

  it("prints the multipart/alternative message with both parts", () => {
    expect(demo.stdout).toContain("---------- message 2 ----------");
    expect(demo.stdout).toContain("Content-Type: multipart/alternative;");
    expect(demo.stdout).toContain("Content-Type: text/html");
  });

  it("prints the SMTP conversation, STARTTLS and login included", () => {
    for (const line of ["C: EHLO ", "C: STARTTLS", "S: 220 Ready to start TLS", "C: AUTH ", "S: 235 ", "C: DATA", "C: QUIT"]) {
      expect(demo.stdout).toContain(line);
    }
  });

  it("masks the credentials", () => {
    expect(demo.stdout).toMatch(/C: \*{8}\n/);
    expect(demo.stdout).not.toContain("demo-password");
    expect(demo.stdout).not.toContain(Buffer.from("demo-password").toString("base64").slice(0, 12));
  });
});
