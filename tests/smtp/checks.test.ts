/**
 * What the client refuses, and when: addresses that are not exactly one mailbox (ESMTP
 * parameter injection), arguments that can be checked without the server (refused before
 * connecting, or before anything is written), and the caller's message, which sending
 * must not change. Also how addresses reach the server: display names never decide
 * SMTPUTF8, internationalized domains go as A-labels to a server without it, and
 * domain literals are kept. Against smtp-server, whose record of the command lines it
 * received shows what was written.
 */
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  EmailMessage,
  Message,
  SMTP,
  SMTPException,
  SMTPNotSupported,
  send,
  type SendOptions,
} from "../../src/index.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";

const servers: TestServer[] = [];
const clients: SMTP[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, hideSTARTTLS: true, ...options });
  servers.push(s);
  return s;
}

async function connected(s: TestServer): Promise<SMTP> {
  const smtp = new SMTP({ hostname: "127.0.0.1", port: s.port, localHostname: "client.test", timeout: 5 });
  clients.push(smtp);
  await smtp.connect();
  return smtp;
}

const RAW = "From: a@example.com\r\nTo: b@example.com\r\nSubject: checks\r\n\r\nHello.\r\n";
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function simpleMessage(from = "a@example.com", to = "b@example.com"): EmailMessage {
  const message = new EmailMessage();
  message.set("From", from);
  message.set("To", to);
  message.set("Subject", "checks");
  message.set("Message-ID", "<checks@example.com>");
  message.setContent("Hello.\n");
  return message;
}

/** A listener on 127.0.0.1 that only counts the connections made to it. */
async function countingListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const listener = net.createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  listener.listen(0, "127.0.0.1");
  await once(listener, "listening");
  return {
    port: (listener.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}

describe("ESMTP parameters cannot be injected through addresses", () => {
  it("refuses a sender and a recipient with parameters after the address, writing nothing", async () => {
    const s = await server();
    const smtp = await connected(s);
    const before = s.commands.length;
    const error = await smtp
      .sendmail(
        "bounce@example.com> RET=FULL ENVID=x <y",
        ["victim@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;spy@evil.example <z"],
        RAW,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('"bounce@example.com> RET=FULL ENVID=x <y"');
    await expect(smtp.sendmail("a@example.com", ["victim@example.com> NOTIFY=NEVER"], RAW)).rejects.toThrow(
      /the recipient "victim@example.com> NOTIFY=NEVER" is not one email address/,
    );
    await expect(smtp.sendmail("<a@example.com> BODY=8BITMIME", ["b@example.com"], RAW)).rejects.toThrow(TypeError);
    await expect(smtp.mail("<a@example.com> SMTPUTF8")).rejects.toThrow(TypeError);
    await expect(smtp.rcpt("b@example.com> NOTIFY=NEVER")).rejects.toThrow(TypeError);
    await smtp.noop();
    expect(s.commands.slice(before)).toEqual(["NOOP"]);
    expect(s.messages).toHaveLength(0);
  });

  it("refuses a message object whose headers hold parameters after an address", async () => {
    const s = await server();
    const smtp = await connected(s);
    const before = s.commands.length;
    const message = simpleMessage("a@example.com", "b@example.com> NOTIFY=SUCCESS ORCPT=rfc822;spy@evil.example");
    await expect(smtp.sendMessage(message)).rejects.toThrow(/the To header .* cannot be read as addresses/);
    expect(s.commands.slice(before)).toEqual([]);
  });
});

describe("addresses on the wire", () => {
  it("does not ask for SMTPUTF8 because of a non-ASCII display name", async () => {
    const s = await server({ hideSMTPUTF8: true });
    const smtp = await connected(s);
    await smtp.sendmail("Jösé <a@example.com>", ["Ünï <b@example.com>"], RAW);
    await smtp.sendMessage(simpleMessage(), { sender: "Jösé <a@example.com>" });
    expect(s.messages.map((m) => [m.mailFrom, m.rcptTo, m.smtpUtf8 ?? false])).toEqual([
      ["a@example.com", ["b@example.com"], false],
      ["a@example.com", ["b@example.com"], false],
    ]);
    expect(s.messages[0]?.data.toString("latin1")).toBe(RAW);
  });

  it("sends an internationalized domain as A-labels to a server without SMTPUTF8", async () => {
    const s = await server({ hideSMTPUTF8: true });
    const smtp = await connected(s);
    const result = await smtp.sendmail("a@exämple.com", ["b@bücher.example"], RAW);
    expect(s.commands).toContain("MAIL FROM:<a@xn--exmple-cua.com>");
    expect(s.commands).toContain("RCPT TO:<b@xn--bcher-kva.example>");
    expect(result.envelope).toEqual({ from: "a@xn--exmple-cua.com", to: ["b@xn--bcher-kva.example"] });
    expect(result.accepted).toEqual(["b@bücher.example"]);
  });

  it("sends an internationalized domain as it is, with SMTPUTF8, to a server that offers it", async () => {
    const s = await server();
    const smtp = await connected(s);
    await smtp.sendmail("a@example.com", ["b@bücher.example"], RAW);
    expect(s.messages[0]).toMatchObject({ rcptTo: ["b@bücher.example"], smtpUtf8: true });
  });

  it("needs SMTPUTF8 only for a non-ASCII local part", async () => {
    const s = await server({ hideSMTPUTF8: true });
    const smtp = await connected(s);
    await expect(smtp.sendmail("a@example.com", ["ünï@bücher.example"], RAW)).rejects.toThrow(SMTPNotSupported);
    expect(s.commands.some((line) => line.startsWith("MAIL"))).toBe(false);
  });

  it("keeps domain-literal addresses of the headers in the envelope", async () => {
    const s = await server();
    const smtp = await connected(s);
    const message = simpleMessage("Ops <ops@[192.0.2.1]>", "a@example.com, x@[127.0.0.1]");
    const result = await smtp.sendMessage(message);
    expect(s.messages[0]?.mailFrom).toBe("ops@[192.0.2.1]");
    expect(s.messages[0]?.rcptTo).toEqual(["a@example.com", "x@[127.0.0.1]"]);
    expect(result.accepted).toEqual(["a@example.com", "x@[127.0.0.1]"]);
  });

  it("refuses a legacy Message whose recipient header cannot be read, rather than dropping an address", async () => {
    const s = await server();
    const smtp = await connected(s);
    const message = new Message();
    message.set("From", "a@example.com");
    message.set("To", "b@example.com, <c@example.com");
    message.setPayload("Hello.\n");
    await expect(smtp.sendMessage(message)).rejects.toThrow(/the To header/);
    expect(s.messages).toHaveLength(0);
  });
});

describe("send() checks what it can before connecting", () => {
  const cases: Array<[string, () => Parameters<typeof send>]> = [
    ["no recipients", () => [RAW, { sender: "a@example.com", recipients: [] }]],
    ["a recipient holding CR LF", () => [RAW, { sender: "a@example.com", recipients: ["b@example.com\r\nRSET"] }]],
    ["a recipient with parameters", () => [RAW, { sender: "a@example.com", recipients: ["b@example.com> NOTIFY=NEVER"] }]],
    ["a message object without To", () => [simpleMessage().copy(), { recipients: undefined }]],
    ["a non-ASCII string message", () => ["Subject: é\r\n\r\n", { sender: "a@example.com", recipients: "b@example.com" }]],
    ["a mailOption holding CR LF", () => [RAW, { sender: "a@example.com", recipients: "b@example.com", mailOptions: ["X\r\n"] }]],
    ["a rcptOption that is not ASCII", () => [RAW, { sender: "a@example.com", recipients: "b@example.com", rcptOptions: ["X=é"] }]],
    ["SIZE= in mailOptions", () => [RAW, { sender: "a@example.com", recipients: "b@example.com", mailOptions: ["SIZE=10"] }]],
    ["BODY= in mailOptions", () => [RAW, { sender: "a@example.com", recipients: "b@example.com", mailOptions: ["BODY=8BITMIME"] }]],
    ["a bad dsn", () => [RAW, { sender: "a@example.com", recipients: "b@example.com", dsn: { ret: "ALL" as "FULL" } }]],
  ];

  for (const [what, args] of cases) {
    it(`refuses ${what} with a TypeError and opens no connection`, async () => {
      const listener = await countingListener();
      try {
        const [message, options] = args();
        if (what === "a message object without To") (message as EmailMessage).delete("To");
        const sendOptions: SendOptions = { hostname: "127.0.0.1", port: listener.port, timeout: 5, ...options };
        await expect(send(message, sendOptions)).rejects.toThrow(TypeError);
        await pause(20);
        expect(listener.connections()).toBe(0);
      } finally {
        await listener.close();
      }
    });
  }

  it("explains why SIZE= cannot be given", async () => {
    await expect(
      send(RAW, { hostname: "127.0.0.1", port: 1, sender: "a@example.com", recipients: "b@example.com", mailOptions: ["SIZE=10"] }),
    ).rejects.toThrow('the mailOption "SIZE=10" is written by mailport');
  });
});

describe("the client checks before writing", () => {
  it("refuses a sender or an option holding CR LF before writing anything", async () => {
    const s = await server();
    const smtp = await connected(s);
    const before = s.commands.length;
    await expect(smtp.sendMessage(simpleMessage(), { sender: "a\r\nRSET" })).rejects.toThrow(TypeError);
    await expect(smtp.sendmail("a@example.com", "b@example.com", RAW, { rcptOptions: ["NOTIFY=NEVER\r\nRSET"] })).rejects.toThrow(
      TypeError,
    );
    expect(s.commands.slice(before)).toEqual([]);
  });

  it("writes nothing with a signal that has already aborted, and closes", async () => {
    const s = await server();
    const smtp = await connected(s);
    const before = s.commands.length;
    const reason = new Error("cancelled before");
    const error = await smtp.noop({ signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPException);
    expect((error as Error).cause).toBe(reason);
    expect(smtp.isConnected).toBe(false);
    const again = await connected(s);
    await expect(again.sendmail("a@example.com", "b@example.com", RAW, { signal: AbortSignal.abort() })).rejects.toThrow(
      "The operation was aborted",
    );
    await pause(20);
    expect(s.commands.slice(before).filter((line) => !line.startsWith("EHLO"))).toEqual([]);
    expect(s.messages).toHaveLength(0);
  });

  it("refuses SIZE= and BODY= in mailOptions, and takes SMTPUTF8 once", async () => {
    const s = await server();
    const smtp = await connected(s);
    await expect(smtp.sendmail("a@example.com", "b@example.com", RAW, { mailOptions: ["SIZE=10"] })).rejects.toThrow(TypeError);
    await expect(smtp.sendmail("a@example.com", "b@example.com", RAW, { mailOptions: ["body=7bit"] })).rejects.toThrow(TypeError);
    await smtp.sendmail("jösé@example.com", "b@example.com", RAW, { mailOptions: ["smtputf8"] });
    expect(s.commands.filter((line) => line.startsWith("MAIL"))).toEqual(["MAIL FROM:<jösé@example.com> SMTPUTF8"]);
  });
});

describe("the caller's message", () => {
  it("is not changed by sending, in any part", async () => {
    const s = await server();
    const smtp = await connected(s);
    const message = simpleMessage();
    message.set("Bcc", "hidden@example.com");
    message.addAlternative("<p>Hello.</p>\n", { subtype: "html" });
    message.addAttachment(new Uint8Array([1, 2, 3]), { maintype: "application", subtype: "octet-stream", filename: "x.bin" });
    const headers = (): string[][][] => [...message.walk()].map((part) => part.items());
    const before = headers();
    await smtp.sendMessage(message);
    await smtp.send(message);
    expect(headers()).toEqual(before);
    expect(s.messages).toHaveLength(2);
  });

  it("may be an instance of the caller's own class, read as an EmailInit", async () => {
    const s = await server();
    const smtp = await connected(s);
    class Mail {
      from = "Ada <ada@example.com>";
      to = "bob@example.org";
      subject = "From a class";
      text = "Hello\n";
    }
    const result = await smtp.send(new Mail() as never);
    expect(result.accepted).toEqual(["bob@example.org"]);
    expect(s.messages[0]?.data.toString("utf8")).toContain("Subject: From a class\r\n");
    class Bad {
      from = "ada@example.com";
      to = "bob@example.org";
      text = "Hello\n";
    }
    await expect(smtp.send(new Bad() as never)).rejects.toThrow("Email message requires a subject.");
  });
});
