/**
 * CHUNKING (RFC 3030): with the `chunking` option and a server that offers CHUNKING, the
 * message goes in BDAT chunks that carry their length: line endings made CRLF, no
 * dot-stuffing, no terminator, the last chunk marked LAST. Hand-written peers play the
 * server (smtp-server has no BDAT): they parse each BDAT command, read exactly the bytes it
 * announces, and record what came. Pipelined chunks are proven by a peer that reads every
 * chunk before answering any; chunks awaited one by one by a peer whose refusal of the
 * first chunk must be followed by RSET, not by a second chunk.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  SMTP,
  SMTPDataError,
  SMTPNotSupported,
  SMTPRecipientsRefused,
  send,
  type SendOptions,
} from "../../src/smtp/index.js";
import { startPeer, type Peer, type PeerConnection } from "../peers/net-peer.js";

const peers: Peer[] = [];
const clients: SMTP[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

/** Lines with LF endings, some starting with a dot, as a user would write them. */
function message(bodyLines: number): string {
  const lines = ["Subject: chunked", "", ".a line with a leading dot", ".", "..two dots"];
  for (let i = 0; i < bodyLines; i++) lines.push(`line ${i} of the body, long enough to fill the chunks quickly`);
  return `${lines.join("\n")}\n`;
}

/** The message as BDAT must carry it: CRLF line endings, nothing else changed. */
const onTheWire = (text: string): string => text.replace(/\n/g, "\r\n");

interface Chunk {
  readonly size: number;
  readonly last: boolean;
  readonly data: string;
}

/** Reads one `BDAT <size> [LAST]` command and its chunk. */
async function readChunk(c: PeerConnection): Promise<Chunk> {
  const line = await c.readLine();
  const match = /^BDAT (\d+)( LAST)?$/.exec(line);
  if (!match) throw new Error(`expected BDAT, got ${JSON.stringify(line)}`);
  const size = Number(match[1]);
  return { size, last: match[2] !== undefined, data: (await c.readBytes(size)).toString("latin1") };
}

async function peer(extensions: string[], script: (c: PeerConnection) => Promise<void>): Promise<Peer> {
  const p = await startPeer(async (c) => {
    await c.write("220 peer.test ready\r\n");
    await c.expect("EHLO", ["peer.test", ...extensions].map((e, i, all) => `250${i === all.length - 1 ? " " : "-"}${e}`).join("\n"));
    await script(c);
  });
  peers.push(p);
  return p;
}

function client(port: number, chunking = true): SMTP {
  const c = new SMTP({ hostname: "127.0.0.1", port, localHostname: "client.test", timeout: 5, startTls: false, chunking });
  clients.push(c);
  return c;
}

const sendOptions = (port: number, extra: SendOptions = {}): SendOptions => ({
  hostname: "127.0.0.1",
  port,
  localHostname: "client.test",
  timeout: 5,
  startTls: false,
  chunking: true,
  sender: "ada@example.com",
  recipients: ["bob@example.org"],
  ...extra,
});

describe("sending with BDAT", () => {
  it("sends a short message as one BDAT LAST chunk after MAIL and RCPT, without dot-stuffing", async () => {
    const text = message(3);
    let envelope: string[] = [];
    let chunk: Chunk | undefined;
    const p = await peer(["PIPELINING", "CHUNKING", "SIZE 1000000"], async (c) => {
      envelope = [await c.readLine(), await c.readLine()];
      await c.write("250 sender ok\r\n250 recipient ok\r\n");
      chunk = await readChunk(c);
      // send() writes QUIT with the last chunk.
      expect(await c.readLine()).toBe("QUIT");
      await c.write("250 queued\r\n221 bye\r\n");
      c.close();
    });
    const result = await send(text, sendOptions(p.port));
    await p.done;
    expect(envelope).toEqual([`MAIL FROM:<ada@example.com> SIZE=${onTheWire(text).length}`, "RCPT TO:<bob@example.org>"]);
    expect(chunk).toEqual({ size: onTheWire(text).length, last: true, data: onTheWire(text) });
    expect(result.response.toString()).toBe("250 queued");
    expect(result.messageSize).toBe(onTheWire(text).length);
  });

  it("adds the final CRLF a message lacks, and sends an empty message as a 2-byte chunk", async () => {
    const chunks: Chunk[] = [];
    const p = await peer(["CHUNKING"], async (c) => {
      for (let i = 0; i < 2; i++) {
        await c.expect("MAIL", "250 ok");
        await c.expect("RCPT", "250 ok");
        chunks.push(await readChunk(c));
        await c.write("250 queued\r\n");
      }
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await smtp.sendmail("ada@example.com", "bob@example.org", "Subject: no final newline\n\nbody");
    await smtp.sendmail("ada@example.com", "bob@example.org", "");
    await smtp.quit();
    const expected = ["Subject: no final newline\r\n\r\nbody\r\n", "\r\n"];
    expect(chunks).toEqual(expected.map((data) => ({ size: data.length, last: true, data })));
  });

  it("pipelines the chunks of a large message when the server offers PIPELINING: every chunk is in before any reply", async () => {
    const text = message(6000);
    const chunks: Chunk[] = [];
    const p = await peer(["PIPELINING", "CHUNKING"], async (c) => {
      await c.readLine();
      await c.readLine();
      await c.write("250 ok\r\n250 ok\r\n");
      do chunks.push(await readChunk(c));
      while (!(chunks.at(-1)?.last ?? true));
      await c.write(chunks.map((_, i) => (i === chunks.length - 1 ? "250 queued\r\n" : "250 chunk ok\r\n")).join(""));
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const result = await smtp.sendmail("ada@example.com", "bob@example.org", text);
    await smtp.quit();
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).every((chunk) => !chunk.last)).toBe(true);
    expect(chunks.map((chunk) => chunk.data).join("")).toBe(onTheWire(text));
    expect(result.response.toString()).toBe("250 queued");
  });

  it("awaits each chunk's reply without PIPELINING: a refused first chunk is followed by RSET, not by the next chunk", async () => {
    const text = message(6000);
    let first: Chunk | undefined;
    let next = "";
    const p = await peer(["CHUNKING"], async (c) => {
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      first = await readChunk(c);
      await c.write("452 4.3.1 insufficient system storage\r\n");
      next = await c.expect("RSET", "250 reset");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const error = await smtp.sendmail("ada@example.com", "bob@example.org", text).catch((e: unknown) => e);
    await smtp.quit();
    expect(error).toBeInstanceOf(SMTPDataError);
    expect(error).toMatchObject({ code: 452, command: "BDAT" });
    expect(first?.last).toBe(false);
    expect(next).toBe("RSET");
  });

  it("reports the refused last chunk as SMTPDataError, then resets the transaction", async () => {
    const p = await peer(["PIPELINING", "CHUNKING"], async (c) => {
      await c.readLine();
      await c.readLine();
      await c.write("250 ok\r\n250 ok\r\n");
      await readChunk(c);
      await c.write("554 5.7.1 rejected as spam\r\n");
      await c.expect("RSET", "250 reset");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    const failure = smtp.sendmail("ada@example.com", "bob@example.org", message(1));
    await expect(failure).rejects.toBeInstanceOf(SMTPDataError);
    await expect(failure).rejects.toMatchObject({ code: 554, message: "5.7.1 rejected as spam" });
    await smtp.quit();
    await p.done;
  });

  it("sends no chunk when every recipient is refused", async () => {
    let after = "";
    const p = await peer(["PIPELINING", "CHUNKING"], async (c) => {
      await c.readLine();
      await c.readLine();
      await c.write("250 ok\r\n550 no such user\r\n");
      after = await c.expect("RSET", "250 reset");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("ada@example.com", "nobody@example.org", message(1))).rejects.toBeInstanceOf(SMTPRecipientsRefused);
    await smtp.quit();
    expect(after).toBe("RSET");
  });

  it("closes the connection on a 421 to a chunk", async () => {
    const p = await peer(["CHUNKING"], async (c) => {
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await readChunk(c);
      await c.write("421 4.3.2 shutting down\r\n");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.sendmail("ada@example.com", "bob@example.org", message(1))).rejects.toMatchObject({ code: 421, command: "BDAT" });
    expect(smtp.isConnected).toBe(false);
  });

  it("uses DATA, dot-stuffed, when the server does not offer CHUNKING", async () => {
    let data = "";
    const p = await peer(["PIPELINING"], async (c) => {
      for (let i = 0; i < 3; i++) await c.readLine();
      await c.write("250 ok\r\n250 ok\r\n354 go ahead\r\n");
      data = (await c.readUntil("\r\n.\r\n")).toString("latin1");
      await c.write("250 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await smtp.sendmail("ada@example.com", "bob@example.org", ".dot\n");
    await smtp.quit();
    expect(data).toBe("..dot\r\n.\r\n");
  });

  it("uses DATA when chunking is off, even if the server offers CHUNKING (the default, as aiosmtplib)", async () => {
    let command = "";
    const p = await peer(["CHUNKING"], async (c) => {
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      command = await c.expect("DATA", "354 go ahead");
      await c.readUntil("\r\n.\r\n");
      await c.write("250 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = new SMTP({ hostname: "127.0.0.1", port: p.port, localHostname: "client.test", timeout: 5, startTls: false });
    clients.push(smtp);
    expect(smtp.options.chunking).toBe(false);
    await smtp.connect();
    await smtp.sendmail("ada@example.com", "bob@example.org", message(1));
    await smtp.quit();
    expect(command).toBe("DATA");
  });

  it("refuses a chunking option that is not a boolean", () => {
    expect(() => new SMTP({ chunking: "yes" as unknown as boolean })).toThrow(/chunking/);
  });
});

describe("SMTP.bdat()", () => {
  it("sends the chunk exactly as given, LAST when asked, and returns the server's reply", async () => {
    const chunks: Chunk[] = [];
    const p = await peer(["CHUNKING"], async (c) => {
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      chunks.push(await readChunk(c));
      await c.write("250 2.0.0 chunk received\r\n");
      chunks.push(await readChunk(c));
      await c.write("250 2.0.0 queued\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await smtp.mail("ada@example.com");
    await smtp.rcpt("bob@example.org");
    const first = await smtp.bdat("Subject: hi\r\n\r\n.no stuffing, ");
    const last = await smtp.bdat(new TextEncoder().encode("bare LF kept\n"), { last: true });
    await smtp.quit();
    expect(chunks).toEqual([
      { size: 29, last: false, data: "Subject: hi\r\n\r\n.no stuffing, " },
      { size: 13, last: true, data: "bare LF kept\n" },
    ]);
    expect(first.toString()).toBe("250 2.0.0 chunk received");
    expect(last.toString()).toBe("250 2.0.0 queued");
  });

  it("throws SMTPNotSupported when the server does not offer CHUNKING, writing nothing", async () => {
    const p = await peer(["PIPELINING"], async (c) => {
      await c.expect("MAIL", "250 ok");
      await c.expect("RCPT", "250 ok");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await smtp.mail("ada@example.com");
    await smtp.rcpt("bob@example.org");
    await expect(smtp.bdat("Subject: hi\r\n\r\n", { last: true })).rejects.toBeInstanceOf(SMTPNotSupported);
    await smtp.quit();
    const c = await p.connection;
    expect(c.lines.some((line) => line.startsWith("BDAT"))).toBe(false);
  });

  it("throws SMTPDataError for a refused chunk", async () => {
    const p = await peer(["CHUNKING"], async (c) => {
      await readChunk(c);
      await c.write("503 5.5.1 no transaction\r\n");
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.bdat("x", { last: true })).rejects.toMatchObject({ code: 503, command: "BDAT" });
    await smtp.quit();
  });

  it("refuses a non-boolean last option and a non-ASCII string before writing", async () => {
    const p = await peer(["CHUNKING"], async (c) => {
      await c.expect("QUIT", "221 bye");
    });
    const smtp = client(p.port);
    await smtp.connect();
    await expect(smtp.bdat("x", { last: 1 as unknown as boolean })).rejects.toThrow(/last/);
    await expect(smtp.bdat("caf\u00e9")).rejects.toThrow(TypeError);
    await smtp.quit();
  });
});
