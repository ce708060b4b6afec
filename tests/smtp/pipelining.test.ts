/**
 * PIPELINING (RFC 2920): when the server offers it, MAIL, every RCPT and DATA go out in
 * one write and their replies are read in order; the outcome is the same as command by
 * command. Hand-written peers prove the ordering (they answer only once every command is
 * in, all replies in one packet); smtp-server checks the results. send() ends its session
 * with QUIT in the same write as the end of the message data.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SMTP, SMTPDataError, SMTPRecipientsRefused, SMTPSenderRefused, send, type LogEntry, type SendOptions } from "../../src/smtp/index.js";
import { startPeer, type Peer, type PeerConnection } from "../peers/net-peer.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";

const MESSAGE = "Subject: pipelined\r\n\r\nhello\r\n";

const peers: Peer[] = [];
const servers: TestServer[] = [];
const clients: SMTP[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all([...peers.splice(0).map((p) => p.close()), ...servers.splice(0).map((s) => s.close())]);
});

function client(port: number): SMTP {
  const c = new SMTP({ hostname: "127.0.0.1", port, localHostname: "client.test", timeout: 5, startTls: false });
  clients.push(c);
  return c;
}

async function peer(script: (p: PeerConnection) => Promise<void>): Promise<Peer> {
  const p = await startPeer(async (c) => {
    await c.write("220 peer.test ready\r\n");
    await c.expect("EHLO", "250-peer.test\r\n250 PIPELINING");
    await script(c);
  });
  peers.push(p);
  return p;
}

/** Reads `count` command lines before answering any of them, then answers all in one packet. */
async function answerTogether(c: PeerConnection, count: number, replies: string[]): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(await c.readLine());
  await c.write(replies.map((r) => `${r}\r\n`).join(""));
  return lines;
}

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, hideSTARTTLS: true, ...options });
  servers.push(s);
  return s;
}

describe("pipelining", () => {
  it("sends MAIL, RCPT and DATA before any reply, and reads replies that arrive in one packet", async () => {
    let commands: string[] = [];
    const p = await peer(async (c) => {
      commands = await answerTogether(c, 3, ["250 sender ok", "250 recipient ok", "354 go ahead"]);
      await c.readUntil("\r\n.\r\n");
      await c.write("250 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const result = await smtp.sendmail("ada@example.com", ["bob@example.org"], MESSAGE);
    await smtp.quit();
    expect(commands).toEqual(["MAIL FROM:<ada@example.com>", "RCPT TO:<bob@example.org>", "DATA"]);
    expect(result.response.toString()).toBe("250 queued");
    expect(result.errors.size).toBe(0);
  });

  it("reports a refused recipient and still sends the message to the others", async () => {
    const p = await peer(async (c) => {
      await answerTogether(c, 4, ["250 ok", "550 no such user", "250 ok", "354 go ahead"]);
      await c.readUntil("\r\n.\r\n");
      await c.write("250 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const result = await smtp.sendmail("ada@example.com", ["nobody@example.org", "bob@example.org"], MESSAGE);
    await smtp.quit();
    expect([...result.errors.keys()]).toEqual(["nobody@example.org"]);
    expect(result.errors.get("nobody@example.org")?.toString()).toBe("550 no such user");
    expect(result.accepted).toEqual(["bob@example.org"]);
  });

  it("throws SMTPSenderRefused when MAIL is refused, reading every reply, then sends RSET", async () => {
    const p = await peer(async (c) => {
      await answerTogether(c, 3, ["550 sender refused", "503 need MAIL first", "503 need RCPT first"]);
      await c.expect("RSET", "250 reset");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const failure = smtp.sendmail("spammer@example.com", ["bob@example.org"], MESSAGE);
    await expect(failure).rejects.toBeInstanceOf(SMTPSenderRefused);
    await expect(failure).rejects.toMatchObject({ code: 550, sender: "spammer@example.com" });
    await smtp.quit();
  });

  it("ends a DATA accepted with no valid recipient with an empty message, then throws SMTPRecipientsRefused", async () => {
    let terminator = "";
    const p = await peer(async (c) => {
      await answerTogether(c, 3, ["250 ok", "550 no such user", "354 go ahead"]);
      terminator = await c.readLine();
      await c.write("554 no valid recipients\r\n");
      await c.expect("RSET", "250 reset");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("ada@example.com", ["nobody@example.org"], MESSAGE)).rejects.toBeInstanceOf(SMTPRecipientsRefused);
    await smtp.quit();
    expect(terminator).toBe(".");
  });

  it("against smtp-server, delivers the same message to the accepted recipients", async () => {
    const s = await server({ refuse: ["nobody@example.org"] });
    const smtp = client(s.port);
    await smtp.connect();
    const result = await smtp.sendmail("ada@example.com", ["bob@example.org", "nobody@example.org", "carol@example.org"], MESSAGE);
    expect(smtp.supportsExtension("pipelining")).toBe(true);
    await smtp.quit();
    expect(result.rejected).toEqual(["nobody@example.org"]);
    expect(s.messages[0]?.rcptTo).toEqual(["bob@example.org", "carol@example.org"]);
    expect(s.messages[0]?.data.toString("latin1")).toBe(MESSAGE);
  });

  it("goes command by command when the server does not offer PIPELINING", async () => {
    const s = await server({ hidePIPELINING: true });
    const smtp = client(s.port);
    const log: LogEntry[] = [];
    smtp.on("log", (entry) => log.push(entry));
    await smtp.connect();
    await smtp.sendmail("ada@example.com", ["bob@example.org"], MESSAGE);
    await smtp.quit();
    const lines = log.map((e) => `${e.direction === "client" ? "C" : "S"}: ${e.line}`);
    const from = lines.findIndex((line) => line.startsWith("C: MAIL"));
    expect(lines.slice(from, from + 6).map((line) => line.slice(0, 7))).toEqual(["C: MAIL", "S: 250 ", "C: RCPT", "S: 250 ", "C: DATA", "S: 354 "]);
    expect(s.messages[0]?.data.toString("latin1")).toBe(MESSAGE);
  });
});

describe("QUIT with the last message (send())", () => {
  const sendOptions = (port: number, extra: SendOptions = {}): SendOptions => ({
    hostname: "127.0.0.1",
    port,
    localHostname: "client.test",
    timeout: 5,
    startTls: false,
    sender: "ada@example.com",
    recipients: ["bob@example.org"],
    ...extra,
  });

  it("writes QUIT with the end of the message data, then reads the data's reply and QUIT's", async () => {
    let written = "";
    const p = await peer(async (c) => {
      await answerTogether(c, 3, ["250 ok", "250 ok", "354 go ahead"]);
      // Nothing is answered before the QUIT is in: it came with the data.
      written = (await c.readUntil("\r\n.\r\nQUIT\r\n")).toString("latin1");
      await c.write("250 queued\r\n221 bye\r\n");
      c.close();
    });
    const order: string[] = [];
    const result = await send(MESSAGE, {
      ...sendOptions(p.port),
      hooks: { onSent: () => void order.push("onSent"), onClose: () => void order.push("onClose") },
    });
    expect(written).toBe(`${MESSAGE}.\r\nQUIT\r\n`);
    expect(result.response.toString()).toBe("250 queued");
    expect(order).toEqual(["onSent", "onClose"]);
  });

  it("logs QUIT after the message data, and its reply after the data's", async () => {
    const s = await server();
    const lines: string[] = [];
    await send(MESSAGE, { ...sendOptions(s.port), logLevel: "debug", logger: { debug: (line) => lines.push(line) } });
    expect(lines.slice(-4)).toEqual([`C: [message data: ${MESSAGE.length} bytes]`, "C: QUIT", "S: 250 queued as 1", "S: 221 Bye"]);
    expect(s.messages[0]?.data.toString("latin1")).toBe(MESSAGE);
  });

  it("reports a refused message with SMTPDataError, sends no RSET after the QUIT, and closes cleanly", async () => {
    const after: string[] = [];
    const p = await peer(async (c) => {
      await answerTogether(c, 3, ["250 ok", "250 ok", "354 go ahead"]);
      await c.readUntil("\r\n.\r\nQUIT\r\n");
      await c.write("554 rejected as spam\r\n221 bye\r\n");
      after.push(await c.readLine().catch(() => "(hung up)"));
    });
    const events: string[] = [];
    const error = await send(MESSAGE, {
      ...sendOptions(p.port),
      hooks: { onError: () => void events.push("onError"), onClose: (e) => void events.push(`onClose ${String(e)}`) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPDataError);
    expect((error as SMTPDataError).code).toBe(554);
    expect(events).toEqual(["onError", "onClose undefined"]);
    await p.done;
    expect(after).toEqual(["(hung up)"]);
  });

  it("takes a server that hangs up after the data's reply, without QUIT's, as a 221", async () => {
    const p = await peer(async (c) => {
      await answerTogether(c, 3, ["250 ok", "250 ok", "354 go ahead"]);
      await c.readUntil("\r\n.\r\nQUIT\r\n");
      await c.write("250 queued\r\n");
      c.close();
    });
    const result = await send(MESSAGE, sendOptions(p.port));
    expect(result.response.toString()).toBe("250 queued");
  });

  it("sends QUIT on its own, after the data's reply, to a server without PIPELINING", async () => {
    const p = await startPeer(async (c) => {
      await c.write("220 peer.test ready\r\n");
      await c.expect("EHLO", "250 peer.test");
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await c.expect("DATA", "354 go ahead");
      await c.readUntil("\r\n.\r\n");
      await c.write("250 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    peers.push(p);
    const result = await send(MESSAGE, sendOptions(p.port));
    await p.done;
    expect(result.response.toString()).toBe("250 queued");
  });
});
