/**
 * Delivery status notifications (RFC 3461): xtext as the RFC defines it, the options
 * checked at the boundary, and the MAIL and RCPT parameters as smtp-server (told to offer
 * DSN with `hideDSN: false`) receives and decodes them.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SMTPServerEnvelope } from "smtp-server";
import {
  SMTP,
  SMTPNotSupported,
  checkDsnOptions,
  send,
  xtextEncode,
  type EmailInit,
  type LogEntry,
  type SendOptions,
} from "../../src/index.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that offers DSN (unless told otherwise) and keeps each transaction's envelope. */
async function dsnServer(options: TestServerOptions = {}): Promise<{ server: TestServer; envelopes: SMTPServerEnvelope[] }> {
  const envelopes: SMTPServerEnvelope[] = [];
  const server = await startSmtpServer({
    authOptional: true,
    hideSTARTTLS: true,
    hideDSN: false,
    // The envelope object is the one RCPT TO then fills in.
    onMailFrom(_address, session, callback) {
      envelopes.push(session.envelope);
      callback();
    },
    ...options,
  });
  servers.push(server);
  return { server, envelopes };
}

function to(s: TestServer, options: SendOptions = {}): SendOptions {
  return { hostname: "127.0.0.1", port: s.port, localHostname: "client.test", timeout: 5, ...options };
}

const MESSAGE: EmailInit = {
  from: "ada@example.com",
  to: ["bob@example.org", "Carol <carol@example.org>"],
  subject: "DSN",
  text: "Hello\n",
};

describe("xtext (RFC 3461, section 4)", () => {
  it("keeps every character from ! to ~ except + and =, and writes the rest as + and two upper-case hex digits", () => {
    for (let code = 0; code < 0x80; code++) {
      const char = String.fromCharCode(code);
      const kept = code >= 0x21 && code <= 0x7e && char !== "+" && char !== "=";
      expect(xtextEncode(char)).toBe(kept ? char : `+${code.toString(16).toUpperCase().padStart(2, "0")}`);
    }
  });

  it("refuses characters outside ASCII", () => {
    expect(() => xtextEncode("é")).toThrow(TypeError);
  });
});

describe("checking DSN options", () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ["a RET other than FULL or HDRS", { ret: "ALL" }, /ret must be "FULL" or "HDRS"/],
    ["an ENVID with a control character", { envid: "a\r\nb" }, /printable ASCII/],
    ["an ENVID outside ASCII", { envid: "é" }, /printable ASCII/],
    ["an ENVID over 100 characters", { envid: "x".repeat(101) }, /at most 100 characters/],
    ["NEVER with another event", { notify: ["NEVER", "SUCCESS"] }, /NEVER cannot be combined/],
    ["an empty NOTIFY", { notify: [] }, /at least one event/],
    ["an unknown event", { notify: ["SOMETIMES"] }, /SUCCESS, FAILURE and DELAY/],
    ["a repeated event", { notify: ["DELAY", "DELAY"] }, /DELAY twice/],
    ["an ORCPT outside ASCII", { orcpt: "jösé@example.com" }, /ASCII address/],
    ["an unknown field", { notifyOn: ["SUCCESS"] }, /no field "notifyOn"/],
  ];
  for (const [what, dsn, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => checkDsnOptions(dsn)).toThrow(TypeError);
      expect(() => checkDsnOptions(dsn)).toThrow(message);
    });
  }

  it("accepts 100 printable characters, NEVER alone, and NEVER as a one-element list", () => {
    expect(checkDsnOptions({ envid: "~".repeat(100) }).envid).toHaveLength(100);
    expect(checkDsnOptions({ notify: "NEVER" }).notify).toBe("NEVER");
    expect(checkDsnOptions({ notify: ["NEVER"] }).notify).toBe("NEVER");
  });

  it("refuses bad client options in the constructor, before connecting", () => {
    expect(() => new SMTP({ dsn: { ret: "BODY" as "FULL" } })).toThrow(TypeError);
  });
});

describe("DSN parameters as the server receives them", () => {
  it("sends RET and ENVID with MAIL, NOTIFY and ORCPT with each RCPT, the ENVID xtext-encoded", async () => {
    const { server, envelopes } = await dsnServer();
    const log: LogEntry[] = [];
    const client = await SMTP.connect(to(server));
    client.on("log", (entry) => log.push(entry));
    await client.send(MESSAGE, { dsn: { ret: "HDRS", envid: "id+1=a b", notify: ["SUCCESS", "DELAY"], orcpt: true } });
    await client.quit();
    const envelope = envelopes[0]!;
    expect(envelope.dsn).toEqual({ ret: "HDRS", envid: "id+1=a b" });
    expect(envelope.rcptTo.map((r) => r.dsn)).toEqual([
      { notify: ["SUCCESS", "DELAY"], orcpt: "rfc822;bob@example.org" },
      { notify: ["SUCCESS", "DELAY"], orcpt: "rfc822;carol@example.org" },
    ]);
    expect(log.find((e) => e.line.startsWith("MAIL"))?.line).toBe("MAIL FROM:<ada@example.com> RET=HDRS ENVID=id+2B1+3Da+20b");
  });

  it("sends NOTIFY=NEVER and an ORCPT given as an address, xtext-encoded", async () => {
    const { server, envelopes } = await dsnServer();
    await send({ ...MESSAGE, to: "bob@example.org" }, to(server, { dsn: { notify: "NEVER", orcpt: "list+bob@example.org" } }));
    expect(envelopes[0]!.dsn).toEqual({ ret: null, envid: null });
    expect(envelopes[0]!.rcptTo[0]!.dsn).toEqual({ notify: ["NEVER"], orcpt: "rfc822;list+bob@example.org" });
  });

  it("lets a send's dsn replace the client's, and dsn: false turn it off", async () => {
    const { server, envelopes } = await dsnServer();
    const client = await SMTP.connect(to(server, { dsn: { ret: "FULL", notify: ["FAILURE"] } }));
    await client.send(MESSAGE);
    await client.send(MESSAGE, { dsn: { notify: ["SUCCESS"] } });
    await client.send(MESSAGE, { dsn: false });
    await client.quit();
    expect(envelopes.map((e) => [e.dsn?.ret ?? null, e.rcptTo[0]?.dsn?.notify ?? null])).toEqual([
      ["FULL", ["FAILURE"]],
      [null, ["SUCCESS"]],
      [null, null],
    ]);
    expect(server.messages).toHaveLength(3);
  });

  it("refuses DSN with SMTPNotSupported before MAIL when the server does not offer it", async () => {
    const { server } = await dsnServer({ hideDSN: true });
    const log: LogEntry[] = [];
    const client = await SMTP.connect(to(server));
    client.on("log", (entry) => log.push(entry));
    await expect(client.send(MESSAGE, { dsn: { notify: ["FAILURE"] } })).rejects.toThrow(SMTPNotSupported);
    expect(log.some((e) => e.line.startsWith("MAIL"))).toBe(false);
    // The session is still usable.
    await client.send(MESSAGE);
    await client.quit();
    expect(server.messages).toHaveLength(1);
  });

  it("refuses a bad per-send dsn before MAIL", async () => {
    const { server } = await dsnServer();
    const client = await SMTP.connect(to(server));
    await expect(client.send(MESSAGE, { dsn: { notify: ["NEVER", "FAILURE"] as never } })).rejects.toThrow(TypeError);
    await client.quit();
    expect(server.messages).toHaveLength(0);
  });
});
