/**
 * The client against hand-written peers (tests/peers/net-peer.ts), for what smtp-server
 * cannot be made to do: replies split across packets, early replies, bytes injected after
 * STARTTLS's 220, silence, oversized replies.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SMTP,
  SMTPConnectError,
  SMTPConnectResponseError,
  SMTPConnectTimeoutError,
  SMTPDataError,
  SMTPException,
  SMTPReadTimeoutError,
  SMTPRecipientsRefused,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "../../src/smtp/index.js";
import { testCertificates, type TestCertificates } from "../peers/certs.js";
import { startPeer, type Peer, type PeerConnection } from "../peers/net-peer.js";
import { PY_DATA_HELPERS, b64, python, unb64 } from "./python.js";

const MESSAGE = Buffer.from("Subject: peer test\n\n.starts with a dot\r\nbare CR\rend");
let wire: Buffer;
let certs: TestCertificates;

beforeAll(() => {
  certs = testCertificates();
  const [encoded] = python<string[]>(PY_DATA_HELPERS + "print(json.dumps([b64(wire(unb64(m))) for m in json.load(sys.stdin)]))", [
    b64(MESSAGE),
  ]);
  wire = unb64(encoded ?? "");
});

const peers: Peer[] = [];
const clients: SMTP[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function peer(script: (p: PeerConnection) => Promise<void>, options: { path?: string } = {}): Promise<Peer> {
  const p = await startPeer(script, options);
  peers.push(p);
  return p;
}

function client(port: number, options: ConstructorParameters<typeof SMTP>[0] = {}): SMTP {
  const c = new SMTP({ hostname: "127.0.0.1", port, localHostname: "client.test", timeout: 5, startTls: false, ...options });
  clients.push(c);
  return c;
}

/** Greets and answers EHLO with these extension lines. */
async function greet(p: PeerConnection, extensions: string[] = []): Promise<void> {
  await p.write("220 peer.test ready\r\n");
  const lines = ["peer.test", ...extensions];
  await p.expect("EHLO", lines.map((line, i) => `${i === lines.length - 1 ? "250 " : "250-"}${line}`).join("\n"));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("reading replies", () => {
  it("reads a multi-line reply that arrives in pieces split anywhere", async () => {
    const p = await peer(async (c) => {
      await c.writeInPieces(["220-peer.test", " first\r\n220 ", "ready\r", "\n"]);
      await c.readLine();
      await c.writeInPieces(["250-peer.te", "st\r\n250-SIZE 1", "000\r", "\n250-8BIT", "MIME\r\n250 AUTH PLAIN\r", "\n"]);
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    const greeting = await smtp.connect(); // EHLO included
    expect(greeting.message).toBe("peer.test first\nready");
    expect([...smtp.esmtpExtensions]).toEqual([
      ["size", "1000"],
      ["8bitmime", ""],
      ["auth", "PLAIN"],
    ]);
  });

  it("drops bytes the server sends when no reply is awaited", async () => {
    let unsolicitedSent: () => void = () => {};
    const written = new Promise<void>((resolve) => {
      unsolicitedSent = resolve;
    });
    const p = await peer(async (c) => {
      await greet(c);
      await c.write("250 unsolicited\r\n");
      unsolicitedSent();
      await c.expect("NOOP", "250 the real reply");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await written;
    await sleep(50);
    expect((await smtp.noop()).message).toBe("the real reply");
  });

  it("refuses a reply line longer than 8192 bytes and closes the connection", async () => {
    const p = await peer(async (c) => {
      await c.write("220 ready\r\n");
      await c.readLine();
      await c.write(`250 ${"x".repeat(9000)}\r\n`);
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    const error = await smtp.connect().catch((e: unknown) => e); // at EHLO
    expect(error).toBeInstanceOf(SMTPResponseException);
    expect((error as SMTPResponseException).code).toBe(-1);
    expect(smtp.isConnected).toBe(false);
  });

  it("fails to connect on a greeting other than 220, or on a hang-up before the greeting", async () => {
    const refusing = await peer(async (c) => {
      await c.write("554 no service for you\r\n");
      await c.readLine().catch(() => undefined);
    });
    const error = await client(refusing.port).connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectResponseError);
    expect(error).toBeInstanceOf(SMTPConnectError);
    expect((error as SMTPConnectResponseError).code).toBe(554);
    const silent = await peer(async (c) => c.close());
    const hangUp = await client(silent.port).connect().catch((e: unknown) => e);
    expect(hangUp).toBeInstanceOf(SMTPConnectError);
    expect((hangUp as Error).cause).toBeInstanceOf(SMTPServerDisconnected);
  });

  it("falls back to HELO when EHLO is refused", async () => {
    const p = await peer(async (c) => {
      await c.write("220 ready\r\n");
      await c.expect("EHLO", "502 command not implemented");
      await c.expect("HELO client.test", "250 hello");
      await c.expect("NOOP", "250 ok");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await smtp.noop();
    expect(smtp.lastHeloResponse?.message).toBe("hello");
    expect(smtp.lastEhloResponse).toBeUndefined();
  });

  it("refuses to log in when the server offers none of CRAM-MD5, PLAIN and LOGIN", async () => {
    const p = await peer(async (c) => {
      await greet(c, ["AUTH GSSAPI NTLM"]);
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.login("u", "p")).rejects.toThrow(new SMTPException("No suitable authentication method found."));
    expect(smtp.serverAuthMethods).toEqual(["gssapi", "ntlm"]);
    await sleep(20);
    expect((await p.connection).lines).toEqual(["EHLO client.test"]);
  });

  it("refuses to connect twice, and connects again after QUIT", async () => {
    let connections = 0;
    const p = await peer(async (c) => {
      connections++;
      await greet(c);
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.connect()).rejects.toThrow(SMTPException);
    await smtp.quit();
    expect(connections).toBe(1);
    // The peer scripts only its first connection; a second one proves the reconnection.
    const second = await smtp.connect({ timeout: 0.3 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(SMTPConnectTimeoutError);
  });

  it("takes a server that hangs up after QUIT without replying as a 221", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.readLine();
      c.close();
    });
    const smtp = client(p.port);
    await smtp.connect();
    expect((await smtp.quit()).code).toBe(221);
    expect(smtp.isConnected).toBe(false);
  });

  it("closes the connection after a 421 reply", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "421 shutting down");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    const error = await smtp.mail("a@example.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPSenderRefused);
    expect((error as SMTPSenderRefused).code).toBe(421);
    expect(smtp.isConnected).toBe(false);
  });
});

describe("transactions", () => {
  it("writes the DATA bytes exactly as aiosmtplib would: CRLF, dot-stuffed, terminated", async () => {
    let data: Buffer = Buffer.alloc(0);
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL FROM:<a@example.com>", "250 ok");
      await c.expect("RCPT TO:<b@example.com>", "250 ok");
      await c.expect("DATA", "354 go ahead");
      data = await c.readUntil("\r\n.\r\n");
      await c.write("250 stored\r\n");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    const { response } = await smtp.sendmail("a@example.com", "b@example.com", MESSAGE);
    expect(response.message).toBe("stored");
    expect(data.equals(wire)).toBe(true);
  });

  it("sends RSET after the sender is refused", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "550 not you");
      await c.expect("RSET", "250 reset");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("a@example.com", "b@example.com", MESSAGE)).rejects.toThrow(SMTPSenderRefused);
    const connection = await p.connection;
    await sleep(20);
    expect(connection.lines).toEqual(["EHLO client.test", "MAIL FROM:<a@example.com>", "RSET"]);
  });

  it("sends RSET after every recipient is refused, and after the data is refused", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "550 no");
      await c.expect("RSET", "250 reset");
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await c.expect("DATA", "354 go ahead");
      await c.readUntil("\r\n.\r\n");
      await c.write("554 rejected as spam\r\n");
      await c.expect("RSET", "250 reset");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("a@example.com", "b@example.com", MESSAGE)).rejects.toThrow(SMTPRecipientsRefused);
    const error = await smtp.sendmail("a@example.com", "b@example.com", MESSAGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPDataError);
    expect((error as SMTPDataError).code).toBe(554);
    await sleep(20);
    expect((await p.connection).lines.filter((l) => l === "RSET")).toHaveLength(2);
  });

  it("stops writing and closes when the server replies before the data is complete", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await c.expect("DATA", "354 go ahead");
      await c.receivedAtLeast(c.receivedLength + 1000);
      await c.write("552 5.3.4 message too big\r\n");
      c.socket.pause();
    });
    const smtp = client(p.port);
    await smtp.connect();
    const huge = Buffer.alloc(16 * 1024 * 1024, "a\r\n");
    // The peer stops reading after its reply: a client that went on writing would stall
    // on the full socket and fail with SMTPTimeoutError, not with the server's 552.
    const error = await smtp.sendmail("a@example.com", "b@example.com", huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPDataError);
    expect((error as SMTPDataError).code).toBe(552);
    expect(smtp.isConnected).toBe(false);
  });

  it("refuses a control character in any command argument before writing anything", async () => {
    const p = await peer(async (c) => {
      await greet(c, ["SIZE 100000"]);
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("a@example.com", ["ok@example.com", "b@example.com>\r\nRSET"], MESSAGE)).rejects.toThrow(TypeError);
    await expect(smtp.sendmail("a@example.com\0", "b@example.com", MESSAGE)).rejects.toThrow(TypeError);
    await expect(smtp.sendmail("a@example.com", "b@example.com", MESSAGE, { mailOptions: ["X=1\r\nRSET"] })).rejects.toThrow(TypeError);
    await expect(smtp.sendmail("a@example.com", "b@example.com", MESSAGE, { rcptOptions: ["NOTIFY=NEVER\n"] })).rejects.toThrow(TypeError);
    await expect(smtp.vrfy("x\ry")).rejects.toThrow(TypeError);
    await expect(smtp.ehlo("evil\r\nMAIL FROM:<x>")).rejects.toThrow(TypeError);
    await sleep(30);
    expect((await p.connection).lines).toEqual(["EHLO client.test"]);
  });
});

describe("STARTTLS", () => {
  for (const startTls of [undefined, true]) {
    it(`fails to connect when the server refuses STARTTLS with 454 (${startTls === undefined ? "opportunistic" : "required"}), sending nothing more`, async () => {
      const p = await peer(async (c) => {
        await greet(c, ["STARTTLS", "AUTH PLAIN"]);
        await c.expect("STARTTLS", "454 4.7.0 TLS not available due to temporary reason");
        await c.readLine().catch(() => undefined);
      });
      const smtp = client(p.port, { hostname: "localhost", startTls, username: "u", password: "secret" });
      const error = await smtp.connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SMTPResponseException);
      expect(error).toMatchObject({ code: 454, command: "STARTTLS" });
      expect(smtp.isConnected).toBe(false);
      await p.done;
      const connection = await p.connection;
      // No credentials over the unencrypted connection.
      expect(connection.lines).toEqual(["EHLO client.test", "STARTTLS"]);
      expect(connection.ended).toBe(true);
    });
  }

  it("discards what the server sent after its 220, then sends EHLO again over TLS", async () => {
    let data: Buffer = Buffer.alloc(0);
    const p = await peer(async (c) => {
      await greet(c, ["STARTTLS"]);
      await c.readLine();
      // A man in the middle appends plain-text replies to the 220, hoping they are read after the handshake.
      await c.write("220 go ahead\r\n250-evil.test\r\n250 AUTH PLAIN\r\n");
      await c.startTls(certs.serverKey, certs.serverCert);
      await c.expect("EHLO client.test", "250-peer.test over TLS\n250 SIZE 1000");
      await c.expect("MAIL FROM:<a@example.com> SIZE=", "250 ok");
      await c.expect("RCPT TO:<b@example.com>", "250 ok");
      await c.expect("DATA", "354 go ahead");
      data = await c.readUntil("\r\n.\r\n");
      await c.write("250 stored\r\n");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port, { hostname: "localhost", startTls: true, certBundle: certs.caCert });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
    expect(smtp.supportsExtension("auth")).toBe(false);
    expect(smtp.esmtpExtensions.get("size")).toBe("1000");
    await smtp.sendmail("a@example.com", "b@example.com", MESSAGE);
    expect(data.equals(wire)).toBe(true);
    expect((await p.connection).lines.filter((l) => l.startsWith("EHLO"))).toEqual(["EHLO client.test", "EHLO client.test"]);
  });
});

describe("timeouts and cancellation", () => {
  it("gives up connecting when the greeting does not come within the timeout, and closes", async () => {
    const p = await peer(async (c) => {
      await sleep(3000).then(() => c.close());
    });
    const smtp = client(p.port, { timeout: 0.3 });
    const started = Date.now();
    const error = await smtp.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    await sleep(30);
    expect((await p.connection).ended).toBe(true);
  });

  it("gives up waiting for a reply after the timeout, and closes", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.readLine();
      await sleep(3000);
    });
    const smtp = client(p.port, { timeout: 0.3 });
    await smtp.connect();
    await expect(smtp.noop()).rejects.toThrow(SMTPReadTimeoutError);
    expect(smtp.isConnected).toBe(false);
    await sleep(30);
    expect((await p.connection).ended).toBe(true);
  });

  it("gives each reply its own timeout: a short one after a long one, and a long one after a short one", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("NOOP", "250 quick");
      await c.readLine();
      await sleep(600);
      await c.write("250 slow but in time\r\n");
      await c.readLine();
      await sleep(3000);
    });
    const smtp = client(p.port, { timeout: 30 });
    await smtp.connect();
    expect((await smtp.noop({ timeout: 0.2 })).message).toBe("quick");
    // The 0.2 s of the NOOP before is over by the time this reply comes: it must not count.
    expect((await smtp.noop({ timeout: 2 })).message).toBe("slow but in time");
    const started = Date.now();
    await expect(smtp.noop({ timeout: 0.3 })).rejects.toThrow(SMTPReadTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(smtp.isConnected).toBe(false);
  });

  it("stops when the signal aborts, with the AbortError as cause, and closes", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.readLine();
      await sleep(3000);
    });
    const smtp = client(p.port);
    await smtp.connect();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await smtp.noop({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPException);
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    expect(smtp.isConnected).toBe(false);
    await sleep(30);
    expect((await p.connection).ended).toBe(true);
  });

  it("does not start connecting with an already aborted signal", async () => {
    const p = await peer(async (c) => {
      await c.write("220 ready\r\n");
    });
    const smtp = client(p.port);
    const error = await smtp.connect({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    expect(smtp.isConnected).toBe(false);
  });
});

describe("the timeout while sending the message data", () => {
  /**
   * A peer on a Unix socket (which keeps little in transit, so that the client feels the
   * server's pace) that accepts one envelope, then runs `data` after its 354.
   */
  async function dataPeer(data: (c: PeerConnection) => Promise<void>): Promise<{ p: Peer; smtp: (timeout: number) => SMTP }> {
    const path = join(mkdtempSync(join(tmpdir(), "mailport-data-")), "data.sock");
    const p = await peer(
      async (c) => {
        await greet(c);
        await c.expect("MAIL", "250 ok");
        await c.expect("RCPT", "250 ok");
        await c.expect("DATA", "354 go ahead");
        await data(c);
      },
      { path },
    );
    const smtp = (timeout: number): SMTP => {
      const c = new SMTP({ socketPath: path, localHostname: "client.test", timeout, startTls: false });
      clients.push(c);
      return c;
    };
    return { p, smtp };
  }

  it("bounds each stall, not the whole transfer, for a server that reads slowly but steadily", async () => {
    const message = Buffer.from(`Subject: slow\r\n\r\n${"x".repeat(99)}\r\n`.repeat(15_000)); // 1.8 MB
    let received: Buffer = Buffer.alloc(0);
    const { p, smtp: client } = await dataPeer(async (c) => {
      // Read one piece, then rest 25 ms, and so on: most of a second for the whole message.
      const slow = (): void => {
        c.socket.pause();
        setTimeout(() => c.socket.resume(), 25);
      };
      c.socket.on("data", slow);
      received = await c.readUntil("\r\n.\r\n");
      c.socket.off("data", slow);
      await c.write("250 stored\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(0.4);
    await smtp.connect();
    const started = performance.now();
    const result = await smtp.sendmail("a@example.com", "b@example.com", message);
    // Longer than the timeout in all, yet never stalled that long.
    expect(performance.now() - started).toBeGreaterThan(400);
    expect(result.response.code).toBe(250);
    expect(received.equals(Buffer.concat([message, Buffer.from(".\r\n")]))).toBe(true);
    await smtp.quit();
    await p.done;
  });

  it("still gives up when the server stops reading for the whole timeout", async () => {
    const { smtp: client } = await dataPeer(async (c) => {
      c.socket.pause();
      await sleep(2000);
    });
    const smtp = client(0.2);
    await smtp.connect();
    const error = await smtp.sendmail("a@example.com", "b@example.com", Buffer.alloc(4 * 1024 * 1024, 0x61)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPTimeoutError);
    expect(smtp.isConnected).toBe(false);
  });
});

describe("backpressure and other commands", () => {
  it("waits for the socket to drain instead of buffering the whole message", async () => {
    const line = "line of text\n";
    const count = Math.floor((8 * 1024 * 1024) / line.length);
    const big = Buffer.from(line.repeat(count));
    // Python builds the same message and returns the digest of its wire form.
    const [expectedDigest] = python<string[]>(
      PY_DATA_HELPERS +
        "import hashlib\nline, count = json.load(sys.stdin)\n" +
        "print(json.dumps([hashlib.sha256(wire((line * count).encode())).hexdigest()]))",
      [line, count],
    );
    let data: Buffer = Buffer.alloc(0);
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await c.expect("DATA", "354 go ahead");
      c.socket.pause();
      await sleep(300);
      c.socket.resume();
      data = await c.readUntil("\r\n.\r\n");
      await c.write("250 stored\r\n");
      await c.readLine().catch(() => undefined);
    });
    const net = await import("node:net");
    const sock = net.connect(p.port, "127.0.0.1");
    await new Promise((resolve) => sock.once("connect", resolve));
    const smtp = new SMTP({ sock, localHostname: "client.test", timeout: 5 });
    clients.push(smtp);
    await smtp.connect();
    let largestBuffer = 0;
    const sampler = setInterval(() => {
      largestBuffer = Math.max(largestBuffer, sock.writableLength);
    }, 5);
    try {
      await smtp.sendmail("a@example.com", "b@example.com", big);
    } finally {
      clearInterval(sampler);
    }
    expect(largestBuffer).toBeGreaterThan(0);
    expect(largestBuffer).toBeLessThan(512 * 1024);
    expect(createHash("sha256").update(data).digest("hex")).toBe(expectedDigest);
  });

  it("sends VRFY, EXPN and raw commands, checking each reply code", async () => {
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("VRFY postmaster@example.com", "252 cannot verify, will try");
      await c.expect("EXPN list@example.com", "502 not here");
      await c.expect("XCLIENT NAME=x", "220 whatever");
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port);
    await smtp.connect();
    expect((await smtp.vrfy("<postmaster@example.com>")).code).toBe(252);
    const error = await smtp.expn("Team <list@example.com>").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPResponseException);
    expect((error as SMTPResponseException).code).toBe(502);
    expect((await smtp.executeCommand("XCLIENT", "NAME=x", { timeout: 2 })).code).toBe(220);
  });

  it("connects from the source address given", async () => {
    const freePort = await new Promise<number>((resolve) => {
      void import("node:net").then(({ default: net }) => {
        const probe = net.createServer().listen(0, "127.0.0.1", () => {
          const port = (probe.address() as { port: number }).port;
          probe.close(() => resolve(port));
        });
      });
    });
    const p = await peer(async (c) => {
      await greet(c);
      await c.readLine().catch(() => undefined);
    });
    const smtp = client(p.port, { sourceAddress: { host: "127.0.0.1", port: freePort } });
    await smtp.connect();
    expect((await p.connection).socket.remotePort).toBe(freePort);
  });

  it("stops send() when its signal aborts, and closes the connection", async () => {
    const { send } = await import("../../src/smtp/index.js");
    const p = await peer(async (c) => {
      await greet(c);
      await c.expect("MAIL", "250 ok");
      await c.readLine();
      await sleep(3000);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const error = await send(MESSAGE, {
      hostname: "127.0.0.1",
      port: p.port,
      startTls: false,
      sender: "a@example.com",
      recipients: "b@example.com",
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPException);
    expect((error as Error).cause).toMatchObject({ name: "AbortError" });
    await sleep(30);
    expect((await p.connection).ended).toBe(true);
  });
});
