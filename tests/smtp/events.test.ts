/**
 * The client as an event emitter: connect, sent, error, close and log events, the hooks
 * awaited after them, hooks that throw, the transcript with every AUTH payload masked, and
 * the logger fed by level. Against smtp-server, and a scripted peer for a server that
 * hangs up.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EmailMessage,
  SMTP,
  SMTPRecipientsRefused,
  SMTPResponse,
  SMTPServerDisconnected,
  send,
  type EmailInit,
  type LogEntry,
  type SMTPLogger,
  type SMTPOptions,
} from "../../src/index.js";
import { testCertificates } from "../peers/certs.js";
import { startPeer, type Peer } from "../peers/net-peer.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";

const servers: Array<TestServer | Peer> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, hideSTARTTLS: true, ...options });
  servers.push(s);
  return s;
}

function options(s: { port: number }, extra: SMTPOptions = {}): SMTPOptions {
  return { hostname: "127.0.0.1", port: s.port, localHostname: "client.test", timeout: 5, ...extra };
}

const MESSAGE: EmailInit = { from: "ada@example.com", to: "bob@example.org", subject: "Events", text: "Hello\n" };
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A peer that greets, answers EHLO, and hangs up when MAIL comes instead of answering. */
async function hangingUpAtMail(): Promise<Peer> {
  const peer = await startPeer(async (p) => {
    await p.write("220 peer ready\r\n");
    await p.expect("EHLO", "250 peer");
    await p.readLine();
    p.close();
  });
  servers.push(peer);
  return peer;
}

/** A logger that keeps what it is given, by level. */
function recordingLogger(): SMTPLogger & { lines: Record<"error" | "info" | "debug", string[]> } {
  const lines = { error: [] as string[], info: [] as string[], debug: [] as string[] };
  return {
    lines,
    error: (message) => lines.error.push(message),
    info: (message) => lines.info.push(message),
    debug: (message) => lines.debug.push(message),
  };
}

describe("events and hooks in order", () => {
  it("emits connect, sent and close, each followed by its awaited hook, before the operation resolves", async () => {
    const s = await server();
    const order: string[] = [];
    const slowly = (name: string) => async (): Promise<void> => {
      await pause(20);
      order.push(`hook:${name}`);
    };
    const client = new SMTP(
      options(s, { hooks: { onConnect: slowly("onConnect"), onSent: slowly("onSent"), onClose: slowly("onClose") } }),
    );
    for (const event of ["connect", "sent", "close", "error"] as const) client.on(event, () => order.push(`event:${event}`));
    await client.connect();
    order.push("connect() resolved");
    await client.send(MESSAGE);
    order.push("send() resolved");
    await client.quit();
    order.push("quit() resolved");
    expect(order).toEqual([
      "event:connect",
      "hook:onConnect",
      "connect() resolved",
      "event:sent",
      "hook:onSent",
      "send() resolved",
      "event:close",
      "hook:onClose",
      "quit() resolved",
    ]);
  });

  it("emits connect after EHLO, STARTTLS, EHLO again and login", async () => {
    const certs = testCertificates();
    const s = await startSmtpServer({ key: certs.serverKey, cert: certs.serverCert, users: { ada: "pw" } });
    servers.push(s);
    const order: string[] = [];
    const client = new SMTP(
      options(s, { hostname: "localhost", certBundle: certs.caCert, username: "ada", password: "pw" }),
    );
    client.on("log", (entry) => {
      if (entry.direction === "client") order.push(entry.line.replace(/^(\S+).*$/, "$1"));
    });
    client.on("connect", () => order.push("event:connect"));
    await client.connect();
    expect(client.isTls).toBe(true);
    await client.quit();
    expect(order).toEqual(["EHLO", "STARTTLS", "EHLO", "AUTH", "****", "event:connect", "QUIT"]);
  });

  it("passes the greeting to connect, the message and result to sent, and nothing to a clean close", async () => {
    const s = await server();
    const seen: unknown[][] = [];
    const client = new SMTP(options(s));
    client.on("connect", (...args) => seen.push(["connect", ...args]));
    client.on("sent", (...args) => seen.push(["sent", ...args]));
    client.on("close", (...args) => seen.push(["close", ...args]));
    const greeting = await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(seen[0]).toEqual(["connect", greeting]);
    expect(greeting).toBeInstanceOf(SMTPResponse);
    const [, message, sentResult] = seen[1] as [string, EmailMessage, unknown];
    expect(message).toBeInstanceOf(EmailMessage);
    expect(message.get("Subject")).toBe("Events");
    expect(sentResult).toBe(result);
    expect(seen[2]).toEqual(["close"]);
  });

  it("reports a failed send with the error event and onError, then rejects with the same error", async () => {
    const s = await server({ refuse: ["bob@example.org"] });
    const order: string[] = [];
    const errors: unknown[] = [];
    const client = new SMTP(
      options(s, {
        hooks: {
          onError: async (_message, error) => {
            await pause(10);
            order.push("hook:onError");
            errors.push(error);
          },
        },
      }),
    );
    client.on("error", (message, error) => {
      order.push("event:error");
      errors.push(error);
      expect((message as EmailMessage).get("To")).toBe("bob@example.org");
    });
    client.on("sent", () => order.push("event:sent"));
    await client.connect();
    const rejection = await client.send(MESSAGE).catch((e: unknown) => e);
    order.push("send() rejected");
    await client.quit();
    expect(rejection).toBeInstanceOf(SMTPRecipientsRefused);
    expect(order).toEqual(["event:error", "hook:onError", "send() rejected"]);
    expect(errors).toEqual([rejection, rejection]);
  });

  it("rejects a failed send with its own error when nobody listens for error events", async () => {
    const s = await server({ refuse: ["bob@example.org"] });
    const client = await SMTP.connect(options(s));
    expect(client.listenerCount("error")).toBe(0);
    await expect(client.send(MESSAGE)).rejects.toBeInstanceOf(SMTPRecipientsRefused);
    await client.quit();
  });

  it("reports a failed connection with the error event and onError", async () => {
    const peer = await startPeer(async (p) => {
      await p.write("554 go away\r\n");
    });
    servers.push(peer);
    const seen: unknown[] = [];
    const client = new SMTP(options(peer, { hooks: { onError: (_m, error) => void seen.push(["hook", error]) } }));
    client.on("error", (message, error) => seen.push(["event", message, error]));
    const error = await client.connect().catch((e: unknown) => e);
    expect(seen).toEqual([["event", undefined, error], ["hook", error]]);
  });

  it("emits close with the error that ended the connection, and runs onClose when the server hangs up", async () => {
    const peer = await hangingUpAtMail();
    const closes: unknown[][] = [];
    const hooked: unknown[] = [];
    const client = new SMTP(options(peer, { startTls: false, hooks: { onClose: (error) => void hooked.push(error) } }));
    client.on("close", (...args) => closes.push(args));
    await client.connect();
    const error = await client.send(MESSAGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPServerDisconnected);
    await vi.waitFor(() => expect(hooked).toHaveLength(1));
    expect(closes).toEqual([[error]]);
    expect(hooked).toEqual([error]);
  });
});

describe("hooks that throw", () => {
  it("never turn a delivered message into a failure: the error event and onError get the hook's error", async () => {
    const s = await server();
    const boom = new Error("onSent failed");
    const seen: unknown[] = [];
    const logger = recordingLogger();
    const client = new SMTP(
      options(s, {
        logger,
        logLevel: "error",
        hooks: {
          onSent: async () => {
            throw boom;
          },
          onError: (message, error) => void seen.push(["onError", (message as EmailMessage).get("Subject"), error]),
        },
      }),
    );
    client.on("error", (message, error) => seen.push(["event", (message as EmailMessage).get("Subject"), error]));
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(result.response.code).toBe(250);
    expect(s.messages).toHaveLength(1);
    expect(seen).toEqual([["event", "Events", boom], ["onError", "Events", boom]]);
    expect(logger.lines.error).toEqual(["mailport smtp: the onSent hook threw: onSent failed"]);
  });

  it("do not fail connecting or quitting, and an onError that throws is reported once, as an event", async () => {
    const s = await server();
    const errors: unknown[] = [];
    const client = new SMTP(
      options(s, {
        hooks: {
          onConnect: () => {
            throw new Error("onConnect failed");
          },
          onError: () => {
            throw new Error("onError failed");
          },
          onClose: () => Promise.reject(new Error("onClose failed")),
        },
      }),
    );
    client.on("error", (_message, error) => errors.push((error as Error).message));
    await client.connect();
    await client.send(MESSAGE);
    await client.quit();
    expect(errors).toEqual(["onConnect failed", "onError failed", "onClose failed"]);
    expect(s.messages).toHaveLength(1);
  });

  it("are checked when the client is made", () => {
    expect(() => new SMTP({ hooks: { onSend: () => undefined } as never })).toThrow('the hooks option has no hook "onSend"');
    expect(() => new SMTP({ hooks: { onSent: "yes" } as never })).toThrow("the onSent hook must be a function");
  });
});

describe("the transcript", () => {
  it("logs every line in both directions, multi-line replies line by line", async () => {
    const s = await server();
    const log: LogEntry[] = [];
    const client = new SMTP(options(s));
    client.on("log", (entry) => log.push(entry));
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    const lines = log.map((e) => `${e.direction === "client" ? "C" : "S"}: ${e.line}`);
    expect(lines[0]).toBe("S: 220 mx.test ESMTP");
    expect(lines[1]).toBe("C: EHLO client.test");
    const ehloEnd = lines.findIndex((line) => /^S: 250 /.test(line));
    expect(lines.slice(2, ehloEnd).every((line) => line.startsWith("S: 250-"))).toBe(true);
    // smtp-server offers PIPELINING: the three commands go out before their replies.
    expect(lines.slice(ehloEnd + 1)).toEqual([
      "C: MAIL FROM:<ada@example.com>",
      "C: RCPT TO:<bob@example.org>",
      "C: DATA",
      "S: 250 Accepted",
      "S: 250 Accepted",
      "S: 354 End data with <CR><LF>.<CR><LF>",
      `C: [message data: ${result.messageSize} bytes]`,
      "S: 250 queued as 1",
      "C: QUIT",
      "S: 221 Bye",
    ]);
  });

  const USER = "ada-the-user";
  const PASSWORD = "Sup3r-S3cret-Pa55";
  const TOKEN = "ya29.very-secret-token";
  const b64 = (text: string): string => Buffer.from(text).toString("base64");
  const SECRETS = [
    PASSWORD,
    TOKEN,
    b64(USER),
    b64(PASSWORD),
    b64(`\0${USER}\0${PASSWORD}`),
    b64(`user=${USER}\x01auth=Bearer ${TOKEN}\x01\x01`),
  ];

  const mechanisms: Array<[string, SMTPOptions, string[]]> = [
    ["PLAIN", { username: USER, password: PASSWORD }, ["C: AUTH PLAIN ****", "S: 235 Authentication successful"]],
    ["LOGIN", { username: USER, password: PASSWORD }, ["C: AUTH LOGIN ****", "S: 334 UGFzc3dvcmQ6", "C: ****", "S: 235 Authentication successful"]],
    ["CRAM-MD5", { username: USER, password: PASSWORD }, ["C: AUTH CRAM-MD5", "*334", "C: ****", "S: 235 Authentication successful"]],
    ["XOAUTH2", { username: USER, oauthTokenGenerator: async () => TOKEN }, ["C: AUTH XOAUTH2 ****", "S: 235 Authentication successful"]],
  ];

  for (const [mechanism, credentials, exchange] of mechanisms) {
    it(`masks every ${mechanism} payload, in log events and in the debug log`, async () => {
      const s = await server({
        authMethods: [mechanism as "PLAIN"],
        allowInsecureAuth: true,
        users: { [USER]: PASSWORD },
        tokens: { [USER]: TOKEN },
      });
      const log: LogEntry[] = [];
      const logger = recordingLogger();
      const client = new SMTP(options(s, { ...credentials, logger, logLevel: "debug" }));
      client.on("log", (entry) => log.push(entry));
      await client.connect();
      await client.send(MESSAGE);
      await client.quit();
      expect(s.auths).toEqual([{ method: mechanism, username: USER, ok: true }]);
      const lines = log.map((e) => `${e.direction === "client" ? "C" : "S"}: ${e.line}`);
      const start = lines.findIndex((line) => line.startsWith("C: AUTH"));
      const seen = lines.slice(start, start + exchange.length);
      expect(seen.map((line, i) => (exchange[i] === "*334" && line.startsWith("S: 334 ") ? "*334" : line))).toEqual(exchange);
      for (const line of [...lines, ...logger.lines.debug, ...logger.lines.info]) {
        for (const secret of SECRETS) expect(line).not.toContain(secret);
      }
    });
  }

  it("masks a refused XOAUTH2 token and shows the server's error and the empty answer", async () => {
    const s = await server({ authMethods: ["XOAUTH2"], tokens: { [USER]: "another" } });
    const log: LogEntry[] = [];
    const client = new SMTP(options(s));
    client.on("log", (entry) => log.push(entry));
    await client.connect();
    await expect(client.authXoauth2(USER, TOKEN)).rejects.toThrow();
    await client.quit();
    const lines = log.map((e) => `${e.direction === "client" ? "C" : "S"}: ${e.line}`);
    const start = lines.findIndex((line) => line.startsWith("C: AUTH"));
    expect(lines[start]).toBe("C: AUTH XOAUTH2 ****");
    expect(lines[start + 1]).toMatch(/^S: 334 /);
    expect(lines[start + 2]).toBe("C: ");
    for (const line of lines) for (const secret of SECRETS) expect(line).not.toContain(secret);
  });

  it("masks AUTH lines sent with executeCommand too", async () => {
    const s = await server({ authMethods: ["PLAIN"], users: { [USER]: PASSWORD } });
    const log: LogEntry[] = [];
    const client = await SMTP.connect(options(s));
    client.on("log", (entry) => log.push(entry));
    await client.executeCommand("AUTH", "PLAIN", b64(`\0${USER}\0${PASSWORD}`));
    await client.quit();
    expect(log.filter((e) => e.direction === "client").map((e) => e.line)).toEqual(["AUTH PLAIN ****", "QUIT"]);
  });
});

describe("the logger and logLevel", () => {
  async function run(extra: SMTPOptions): Promise<ReturnType<typeof recordingLogger>["lines"]> {
    const s = await server({ refuse: ["nobody@example.org"] });
    const logger = recordingLogger();
    await send(MESSAGE, options(s, { logger, ...extra }));
    await send({ ...MESSAGE, to: "nobody@example.org" }, options(s, { logger, ...extra })).catch(() => undefined);
    return logger.lines;
  }

  it("writes nothing at none", async () => {
    expect(await run({ logLevel: "none" })).toEqual({ error: [], info: [], debug: [] });
  });

  it("writes only failures at error", async () => {
    const lines = await run({ logLevel: "error" });
    expect(lines.info).toEqual([]);
    expect(lines.debug).toEqual([]);
    expect(lines.error).toHaveLength(1);
    expect(lines.error[0]).toMatch(/^mailport smtp: sending failed: every recipient was refused: nobody@example.org \(550 /);
  });

  it("adds connections, messages and closes at info, the default when a logger is given", async () => {
    for (const lines of [await run({ logLevel: "info" }), await run({})]) {
      expect(lines.debug).toEqual([]);
      expect(lines.error).toHaveLength(1);
      expect(lines.info.filter((line) => line.includes("connected to 127.0.0.1 on port"))).toHaveLength(2);
      expect(lines.info.filter((line) => /message <[^>]+> sent to 1 of 1 recipients: 250 queued as 1$/.test(line))).toHaveLength(1);
      expect(lines.info.filter((line) => line === "mailport smtp: connection closed")).toHaveLength(2);
    }
  });

  it("adds the transcript at debug", async () => {
    const lines = await run({ logLevel: "debug" });
    expect(lines.debug[0]).toBe("S: 220 mx.test ESMTP");
    expect(lines.debug).toContain("C: MAIL FROM:<ada@example.com>");
    expect(lines.debug).toContain("S: 550 No such user nobody@example.org");
  });

  it("refuses an unknown level", () => {
    expect(() => new SMTP({ logLevel: "verbose" as "debug" })).toThrow(TypeError);
  });
});

describe("after delivery, nothing turns the message into a failure", () => {
  it("reports a sent listener that throws as an error event, and resolves", async () => {
    const s = await server();
    const boom = new Error("sent listener failed");
    const logger = recordingLogger();
    const client = new SMTP(options(s, { logger, logLevel: "error" }));
    const errors: unknown[][] = [];
    client.on("sent", () => {
      throw boom;
    });
    client.on("error", (message, error) => errors.push([message, error]));
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(result.response.code).toBe(250);
    expect(s.messages).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect((errors[0]?.[0] as EmailMessage).get("Subject")).toBe("Events");
    expect(errors[0]?.[1]).toBe(boom);
    expect(logger.lines.error).toEqual(["mailport smtp: a sent listener threw: sent listener failed"]);
  });

  it("swallows an error listener that throws, logging it, after a hook threw", async () => {
    const s = await server();
    const logger = recordingLogger();
    const client = new SMTP(
      options(s, {
        logger,
        logLevel: "error",
        hooks: {
          onSent: () => {
            throw new Error("onSent failed");
          },
        },
      }),
    );
    client.on("error", () => {
      throw new Error("error listener failed");
    });
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(result.response.code).toBe(250);
    expect(logger.lines.error).toEqual([
      "mailport smtp: the onSent hook threw: onSent failed",
      "mailport smtp: an error listener threw: error listener failed",
    ]);
  });

  it("rejects a failed send with its own error even when an error listener throws", async () => {
    const s = await server({ refuse: ["bob@example.org"] });
    const client = new SMTP(options(s));
    client.on("error", () => {
      throw new Error("error listener failed");
    });
    await client.connect();
    await expect(client.send(MESSAGE)).rejects.toBeInstanceOf(SMTPRecipientsRefused);
    await client.quit();
  });

  it("reports a logger that throws as an error event, and resolves", async () => {
    const s = await server();
    const infoFailure = new Error("logger.info failed");
    const errors: unknown[] = [];
    const client = new SMTP(
      options(s, {
        logLevel: "info",
        logger: {
          info: () => {
            throw infoFailure;
          },
          error: () => {
            throw new Error("logger.error failed too");
          },
        },
      }),
    );
    client.on("error", (_message, error) => errors.push(error));
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(result.response.code).toBe(250);
    expect(s.messages).toHaveLength(1);
    // connected, sent, closed: each info line threw.
    expect(errors).toEqual([infoFailure, infoFailure, infoFailure]);
  });

  it("reports a log listener that throws on the final reply as an error event, and resolves", async () => {
    const s = await server();
    const errors: unknown[] = [];
    const client = new SMTP(options(s));
    client.on("log", (entry) => {
      if (entry.line.startsWith("250 queued")) throw new Error("log listener failed");
    });
    client.on("error", (_message, error) => errors.push((error as Error).message));
    await client.connect();
    const result = await client.send(MESSAGE);
    await client.quit();
    expect(result.response.code).toBe(250);
    expect(errors).toEqual(["log listener failed"]);
  });

  it("reports connect and close listeners that throw, and still connects and quits", async () => {
    const s = await server();
    const errors: string[] = [];
    const client = new SMTP(options(s));
    client.on("connect", () => {
      throw new Error("connect listener failed");
    });
    client.on("close", () => {
      throw new Error("close listener failed");
    });
    client.on("error", (_message, error) => errors.push((error as Error).message));
    await client.connect();
    expect(client.isConnected).toBe(true);
    expect((await client.quit()).code).toBe(221);
    expect(errors).toEqual(["connect listener failed", "close listener failed"]);
  });
});

describe("connect, error and close", () => {
  it("emits connect after EHLO even with startTls: false and no username, the extensions known", async () => {
    const s = await server();
    const client = new SMTP(options(s, { startTls: false }));
    const order: string[] = [];
    let extensions = 0;
    client.on("log", (entry) => order.push(`${entry.direction}: ${entry.line.split(" ")[0]}`));
    client.on("connect", () => {
      order.push("event:connect");
      extensions = client.esmtpExtensions.size;
    });
    await client.connect();
    await client.quit();
    expect(extensions).toBeGreaterThan(0);
    expect(order.indexOf("event:connect")).toBeGreaterThan(order.indexOf("client: EHLO"));
    expect(order.slice(order.indexOf("client: EHLO") + 1, order.indexOf("event:connect")).every((line) => line.startsWith("server: 250"))).toBe(true);
  });

  function recordOrder(client: SMTP, order: string[]): void {
    for (const event of ["connect", "sent", "close", "error"] as const) client.on(event, () => order.push(`event:${event}`));
  }

  const hooks = (order: string[]): SMTPOptions["hooks"] => ({
    onError: async () => {
      await pause(20);
      order.push("hook:onError");
    },
    onClose: async () => {
      await pause(20);
      order.push("hook:onClose");
    },
  });

  it("reports a failed connection with error and onError, then close and onClose, then rejects", async () => {
    const peer = await startPeer(async (p) => {
      await p.write("554 go away\r\n");
      await p.readLine().catch(() => undefined);
    });
    servers.push(peer);
    const order: string[] = [];
    const client = new SMTP(options(peer, { hooks: hooks(order) }));
    recordOrder(client, order);
    await client.connect().catch(() => order.push("connect() rejected"));
    expect(order).toEqual(["event:error", "hook:onError", "event:close", "hook:onClose", "connect() rejected"]);
  });

  it("reports a send that lost the connection with error and onError, then close and onClose, then rejects", async () => {
    const peer = await hangingUpAtMail();
    const order: string[] = [];
    const client = new SMTP(options(peer, { hooks: hooks(order) }));
    recordOrder(client, order);
    await client.connect();
    await client.send(MESSAGE).catch(() => order.push("send() rejected"));
    expect(order).toEqual(["event:connect", "event:error", "hook:onError", "event:close", "hook:onClose", "send() rejected"]);
  });
});

describe("the size and the times of a SendResult", () => {
  it("gives the RFC 1870 size, the SIZE= the server got, and the transcript's data line the same number", async () => {
    const s = await server({ size: 1_000_000 });
    const client = new SMTP(options(s));
    const log: string[] = [];
    client.on("log", (entry) => log.push(entry.line));
    await client.connect();
    // Bare LFs and a leading dot: the size counts CRLF line endings, not the added dot.
    const raw = "Subject: size\n\n.dot\nline\n";
    const result = await client.sendmail("a@example.com", "b@example.com", raw);
    await client.quit();
    const crlf = raw.replace(/\n/g, "\r\n");
    expect(result.messageSize).toBe(crlf.length);
    expect(s.messages[0]?.mailArgs).toMatchObject({ SIZE: String(crlf.length) });
    expect(s.messages[0]?.data.toString("latin1")).toBe(crlf);
    expect(log).toContain(`[message data: ${crlf.length} bytes]`);
  });

  for (const pipelining of [true, false]) {
    it(`counts MAIL and RCPT in envelopeTime and DATA in messageTime, ${pipelining ? "with" : "without"} PIPELINING`, async () => {
      const peer = await startPeer(async (p) => {
        await p.write("220 peer ready\r\n");
        await p.expect("EHLO", pipelining ? "250-peer\n250 PIPELINING" : "250 peer");
        if (pipelining) {
          await p.readLine();
          await p.readLine();
          await p.readLine();
          await pause(150);
          await p.write("250 sender ok\r\n250 recipient ok\r\n");
          await pause(150);
          await p.write("354 go ahead\r\n");
        } else {
          await p.expect("MAIL", "250 sender ok");
          await p.readLine();
          await pause(150);
          await p.write("250 recipient ok\r\n");
          await p.readLine();
          await pause(150);
          await p.write("354 go ahead\r\n");
        }
        await p.readUntil("\r\n.\r\n");
        await p.write("250 stored\r\n");
        await p.expect("QUIT", "221 bye");
      });
      servers.push(peer);
      const client = new SMTP(options(peer, { startTls: false }));
      await client.connect();
      const result = await client.sendmail("a@example.com", "b@example.com", "Subject: times\r\n\r\nHi\r\n");
      await client.quit();
      // The RCPT reply's delay is the envelope's, the 354's the message's.
      expect(result.envelopeTime).toBeGreaterThanOrEqual(140);
      expect(result.messageTime).toBeGreaterThanOrEqual(140);
    });
  }
});

describe("the log in order", () => {
  it("gives each line before the event it leads to", async () => {
    const s = await server();
    const order: string[] = [];
    const client = new SMTP(options(s));
    client.on("log", (entry) => order.push(`${entry.direction === "client" ? "C" : "S"}: ${entry.line.split(" ")[0]}`));
    for (const event of ["connect", "sent", "close"] as const) client.on(event, () => order.push(`event:${event}`));
    await client.connect();
    await client.send(MESSAGE);
    await client.quit();
    const at = (entry: string): number => order.lastIndexOf(entry);
    expect(order[0]).toBe("S: 220");
    expect(at("C: EHLO")).toBeLessThan(at("event:connect"));
    expect(at("C: [message")).toBeLessThan(at("event:sent"));
    expect(order[at("event:sent") - 1]).toBe("S: 250");
    expect(order.slice(at("event:sent") + 1)).toEqual(["C: QUIT", "S: 221", "event:close"]);
  });

  it("writes to the console when only logLevel is given", async () => {
    const s = await server();
    const debug = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const info = vi.spyOn(console, "info").mockImplementation(() => undefined);
    try {
      await send(MESSAGE, options(s, { logLevel: "debug" }));
      expect(debug.mock.calls.map((call) => call[0])).toContain("S: 220 mx.test ESMTP");
      expect(info.mock.calls.map((call) => String(call[0])).some((line) => line.startsWith("mailport smtp: connected to 127.0.0.1"))).toBe(true);
    } finally {
      debug.mockRestore();
      info.mockRestore();
    }
  });
});
