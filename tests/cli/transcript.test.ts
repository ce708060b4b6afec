/**
 * The debug server's transcript masks credentials whatever the mechanism: the
 * mechanisms are run one by one with the SMTP client against an in-process debug server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDebugServer, type DebugServer } from "../../src/cli/debug-server.js";
import { MASK, maskCredentials, type TranscriptLine } from "../../src/cli/transcript.js";
import { SMTP } from "../../src/index.js";

const USER = "transcript-user";
const PASSWORD = "pa55-word-never-shown";

let server: DebugServer;
const lines: TranscriptLine[] = [];

beforeAll(async () => {
  server = await startDebugServer({ port: 0, onConversation: (line) => lines.push(line) });
});

afterAll(async () => {
  await server.close();
});

async function transcriptOf(run: (smtp: SMTP) => Promise<unknown>): Promise<string> {
  lines.length = 0;
  const smtp = new SMTP({ hostname: "127.0.0.1", port: server.port, localHostname: "client.test" });
  await smtp.connect();
  await run(smtp);
  await smtp.quit();
  return lines.map((line) => `${line.from}: ${line.text}`).join("\n");
}

function secretsIn(text: string): string[] {
  const secrets = [
    PASSWORD,
    Buffer.from(PASSWORD).toString("base64"),
    Buffer.from(`\0${USER}\0${PASSWORD}`).toString("base64"),
    Buffer.from(`user=${USER}\x01auth=Bearer ${PASSWORD}\x01\x01`).toString("base64"),
  ];
  return secrets.filter((secret) => text.includes(secret));
}

describe("maskCredentials", () => {
  it("masks the initial response of AUTH", () => {
    expect(maskCredentials("AUTH PLAIN AHVzZXIAcGFzcw==")).toBe(`AUTH PLAIN ${MASK}`);
  });

  it("keeps AUTH with only a mechanism", () => {
    expect(maskCredentials("AUTH LOGIN")).toBe("AUTH LOGIN");
  });

  it("masks a line smtp-server marked as secured", () => {
    expect(maskCredentials("/* secured */")).toBe(MASK);
  });

  it("leaves other commands alone", () => {
    expect(maskCredentials("MAIL FROM:<a@example.com>")).toBe("MAIL FROM:<a@example.com>");
  });
});

describe("the debug server's transcript", () => {
  it("shows the commands and replies in order", async () => {
    const text = await transcriptOf((smtp) => smtp.noop());
    expect(text).toMatch(/^S: 220 [^\n]*\nC: EHLO client\.test\nS: 250-[\s\S]*C: NOOP\nS: 250 OK\nC: QUIT\nS: 221 Bye$/);
  });

  it.each([
    ["PLAIN", (smtp: SMTP) => smtp.authPlain(USER, PASSWORD)],
    ["LOGIN", (smtp: SMTP) => smtp.authLogin(USER, PASSWORD)],
    ["CRAM-MD5", (smtp: SMTP) => smtp.authCramMd5(USER, PASSWORD)],
    ["XOAUTH2", (smtp: SMTP) => smtp.authXoauth2(USER, PASSWORD)],
  ])("masks the credentials of AUTH %s", async (mechanism, login) => {
    const text = await transcriptOf(login);
    expect(text).toContain(`C: AUTH ${mechanism}`);
    expect(text).toContain("S: 235 ");
    expect(text).toContain(MASK);
    expect(secretsIn(text)).toEqual([]);
  });
});
