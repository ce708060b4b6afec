/**
 * Sending messages described as plain objects (EmailInit) to smtp-server: validation
 * before any connection, every field shape, attachments from content and from files, the
 * rich SendResult checked against what the server saw, and many messages over one kept
 * connection. What the server stored is read back with Python's email parser.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  EmailMessage,
  EmailValidationError,
  SMTP,
  SMTPRecipientsRefused,
  send,
  policy,
  type EmailInit,
  type SendOptions,
} from "../../src/index.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";
import { python } from "./python.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, hideSTARTTLS: true, ...options });
  servers.push(s);
  return s;
}

function to(s: TestServer, options: SendOptions = {}): SendOptions {
  return { hostname: "127.0.0.1", port: s.port, localHostname: "client.test", timeout: 5, ...options };
}

/** A port nobody listens on: any attempt to connect fails with SMTPConnectError. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Python's reading of stored messages: headers, and each leaf part. */
interface ParsedPart {
  contentType: string;
  disposition: string | null;
  filename: string | null;
  cid: string | null;
  content: string;
}
interface Parsed {
  headers: Array<[string, string]>;
  structure: string[];
  parts: ParsedPart[];
}

const PARSE_PY = String.raw`
import base64, json, sys
from email import message_from_bytes, policy

def read(data):
    m = message_from_bytes(base64.b64decode(data), policy=policy.default)
    structure, parts = [], []
    def walk(p, depth):
        structure.append("  " * depth + p.get_content_type())
        if p.is_multipart():
            for sub in p.iter_parts():
                walk(sub, depth + 1)
            return
        c = p.get_content()
        parts.append({
            "contentType": p.get_content_type(),
            "disposition": p.get_content_disposition(),
            "filename": p.get_filename(),
            "cid": p["Content-ID"] and str(p["Content-ID"]),
            # Text as the reader sees it: the wire's CRLF line endings read as newlines.
            "content": c.replace("\r\n", "\n") if isinstance(c, str) else "base64:" + base64.b64encode(c).decode(),
        })
    walk(m, 0)
    return {"headers": [[k, str(v)] for k, v in m.items()], "structure": structure, "parts": parts}

print(json.dumps([read(d) for d in json.load(sys.stdin)]))
`;

function parse(...data: Buffer[]): Parsed[] {
  return python<Parsed[]>(PARSE_PY, data.map((d) => d.toString("base64")));
}

function header(parsed: Parsed, name: string): string | undefined {
  return parsed.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mailport-plain-"));
  writeFileSync(path.join(dir, "invoice.pdf"), "%PDF-1.4 invoice\n");
  writeFileSync(path.join(dir, "banner.png"), PNG);
});

const VALID: EmailInit = { from: "ada@example.com", to: "bob@example.org", subject: "Hi", text: "Hello\n" };

describe("validation before any connection", () => {
  const cases: Array<[string, unknown, string]> = [
    ["no from", { ...VALID, from: undefined }, "Email message requires a from address."],
    ["no recipient", { ...VALID, to: [] }, "Email message requires at least one recipient."],
    ["no subject", { ...VALID, subject: undefined }, "Email message requires a subject."],
    ["no content", { ...VALID, text: undefined }, "Email message requires either html or text content."],
    ["an attachment with nothing", { ...VALID, attachments: [{ filename: "a.pdf" }] }, 'Attachment "a.pdf" requires content or path.'],
    ["tags and metadata", { ...VALID, tags: [], metadata: {} }, "smtp does not support these EmailMessage fields: tags, metadata."],
    ["metadata only", { ...VALID, metadata: { a: 1 } }, "smtp does not support these EmailMessage fields: metadata."],
    [
      "an attachment's unknown field",
      { ...VALID, attachments: [{ filename: "logo.png", content: "x", cid: "logo" }] },
      'Attachment "logo.png" has an unknown field: cid (did you mean contentId?).',
    ],
    [
      "an address object's unknown field",
      { ...VALID, to: { address: "bob@example.org" } },
      "A to address has an unknown field: address (did you mean email?).",
    ],
    [
      "a header entry's unknown field",
      { ...VALID, headers: [{ name: "X-A", value: "1", priority: 1 }] },
      "The headers entry X-A has an unknown field: priority.",
    ],
    ["a To header", { ...VALID, headers: { To: "eve@example.org" } }, "The To header is set from the to field and cannot be given in headers."],
    [
      "a Message-ID given twice",
      { ...VALID, headers: [{ name: "Message-ID", value: "<a@example.com>" }, { name: "Message-ID", value: "<b@example.com>" }] },
      "The Message-ID header may appear only once in a message, and headers gives it more than once.",
    ],
    [
      "an attachment with content and path",
      { ...VALID, attachments: [{ filename: "a.txt", content: "x", path: "/tmp/a.txt" }] },
      'Attachment "a.txt" has both content and path; give one of them.',
    ],
    [
      "base64 for bytes",
      { ...VALID, attachments: [{ filename: "a.bin", content: new Uint8Array(1), contentEncoding: "base64" }] },
      'The contentEncoding "base64" of attachment "a.bin" applies to string content only.',
    ],
  ];

  for (const [what, init, message] of cases) {
    it(`send() refuses ${what} with "${message}" without connecting`, async () => {
      // Nobody listens on this port: trying to connect would fail with SMTPConnectError.
      const port = await closedPort();
      const error = await send(init as EmailInit, { hostname: "127.0.0.1", port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmailValidationError);
      expect((error as EmailValidationError).message).toBe(message);
      expect((error as EmailValidationError).code).toBe("validation_error");
    });
  }

  it("sendMessage() refuses fields SMTP cannot carry before MAIL, and the connection stays usable", async () => {
    const s = await server();
    const client = await SMTP.connect(to(s));
    const tagged = { ...VALID, tags: [{ name: "x", value: "y" }] } as EmailInit;
    await expect(client.sendMessage(tagged)).rejects.toThrow("smtp does not support these EmailMessage fields: tags.");
    await client.send(VALID);
    await client.quit();
    expect(s.messages).toHaveLength(1);
  });
});

describe("field shapes", () => {
  it("takes addresses as strings and { email, name }, singly and in arrays, and sends to To, Cc and Bcc without a Bcc header", async () => {
    const s = await server();
    const result = await send(
      {
        from: { email: "ada@example.com", name: "Ada Lovelace" },
        to: ["bob@example.org", { email: "carol@example.org", name: "Carol" }],
        cc: "Dave <dave@example.org>",
        bcc: [{ email: "eve@example.org" }],
        replyTo: ["replies@example.com", { email: "help@example.com", name: "Help Desk" }],
        subject: "Shapes",
        text: "Hello\n",
      },
      to(s),
    );
    const received = s.messages[0]!;
    expect(received.mailFrom).toBe("ada@example.com");
    expect(received.rcptTo).toEqual(["bob@example.org", "carol@example.org", "dave@example.org", "eve@example.org"]);
    const [parsed] = parse(received.data);
    expect(header(parsed!, "From")).toBe("Ada Lovelace <ada@example.com>");
    expect(header(parsed!, "To")).toBe("bob@example.org, Carol <carol@example.org>");
    expect(header(parsed!, "Cc")).toBe("Dave <dave@example.org>");
    expect(header(parsed!, "Reply-To")).toBe("replies@example.com, Help Desk <help@example.com>");
    expect(header(parsed!, "Bcc")).toBeUndefined();
    expect(received.data.includes("eve@example.org")).toBe(false);
    expect(result.accepted).toEqual(received.rcptTo);
  });

  it("sends headers given as a record and as a list of { name, value }, in order", async () => {
    const s = await server();
    await send({ ...VALID, headers: { "X-One": "1", "X-Two": "2" } }, to(s));
    await send({ ...VALID, headers: [{ name: "X-Tag", value: "a" }, { name: "X-Tag", value: "b" }] }, to(s));
    const [first, second] = parse(s.messages[0]!.data, s.messages[1]!.data);
    expect(first!.headers.filter(([k]) => k.startsWith("X-"))).toEqual([["X-One", "1"], ["X-Two", "2"]]);
    expect(second!.headers.filter(([k]) => k.startsWith("X-"))).toEqual([["X-Tag", "a"], ["X-Tag", "b"]]);
  });

  it("sends text and html as multipart/alternative", async () => {
    const s = await server();
    await send({ ...VALID, html: "<p>Hello</p>\n" }, to(s));
    const [parsed] = parse(s.messages[0]!.data);
    expect(parsed!.structure).toEqual(["multipart/alternative", "  text/plain", "  text/html"]);
    expect(parsed!.parts.map((p) => p.content)).toEqual(["Hello\n", "<p>Hello</p>\n"]);
  });

  it("sends an inline image under multipart/related with the html, and attachments from content and from files under multipart/mixed", async () => {
    const s = await server();
    await send(
      {
        ...VALID,
        html: '<p><img src="cid:logo"><img src="cid:banner"></p>\n',
        attachments: [
          { filename: "logo.png", content: PNG, contentId: "logo", disposition: "inline" },
          { filename: "banner.png", path: path.join(dir, "banner.png"), contentId: "banner" },
          { filename: "notes.txt", content: "some notes\n" },
          { filename: "data.bin", content: PNG.toString("base64"), contentEncoding: "base64", contentType: "application/x-thing" },
          { filename: "blob.json", content: new Blob(['{"a":1}']) },
          { filename: "invoice.pdf", path: path.join(dir, "invoice.pdf") },
        ],
      },
      to(s),
    );
    const [parsed] = parse(s.messages[0]!.data);
    expect(parsed!.structure).toEqual([
      "multipart/mixed",
      "  multipart/alternative",
      "    text/plain",
      "    multipart/related",
      "      text/html",
      "      image/png",
      "      image/png",
      "  text/plain",
      "  application/x-thing",
      "  application/json",
      "  application/pdf",
    ]);
    const b64 = (data: Buffer | string): string => `base64:${Buffer.from(data).toString("base64")}`;
    expect(parsed!.parts.slice(2)).toEqual([
      { contentType: "image/png", disposition: "inline", filename: "logo.png", cid: "<logo>", content: b64(PNG) },
      { contentType: "image/png", disposition: "inline", filename: "banner.png", cid: "<banner>", content: b64(PNG) },
      { contentType: "text/plain", disposition: "attachment", filename: "notes.txt", cid: null, content: "some notes\n" },
      { contentType: "application/x-thing", disposition: "attachment", filename: "data.bin", cid: null, content: b64(PNG) },
      { contentType: "application/json", disposition: "attachment", filename: "blob.json", cid: null, content: b64('{"a":1}') },
      { contentType: "application/pdf", disposition: "attachment", filename: "invoice.pdf", cid: null, content: b64("%PDF-1.4 invoice\n") },
    ]);
  });

  it("sends an ArrayBuffer attachment byte for byte", async () => {
    const s = await server();
    const bytes = new Uint8Array(256).map((_, i) => 255 - i);
    const buffer = bytes.buffer.slice(0);
    await send({ ...VALID, attachments: [{ filename: "all-bytes.bin", content: buffer }] }, to(s));
    const [parsed] = parse(s.messages[0]!.data);
    expect(parsed!.parts[1]).toEqual({
      contentType: "application/octet-stream",
      disposition: "attachment",
      filename: "all-bytes.bin",
      cid: null,
      content: `base64:${Buffer.from(bytes).toString("base64")}`,
    });
    expect(new Uint8Array(buffer)).toEqual(bytes);
  });

  it("sends an attachment with a contentId and disposition \"attachment\" under multipart/mixed, not with the html", async () => {
    const s = await server();
    await send(
      { ...VALID, html: "<p>chart attached</p>\n", attachments: [{ filename: "chart.png", content: PNG, contentId: "chart", disposition: "attachment" }] },
      to(s),
    );
    const [parsed] = parse(s.messages[0]!.data);
    expect(parsed!.structure).toEqual(["multipart/mixed", "  multipart/alternative", "    text/plain", "    text/html", "  image/png"]);
    expect(parsed!.parts[2]).toEqual({
      contentType: "image/png",
      disposition: "attachment",
      filename: "chart.png",
      cid: "<chart>",
      content: `base64:${PNG.toString("base64")}`,
    });
  });

  it("sends an object parsed from JSON, its nulls and undefined fields taken as not given", async () => {
    const s = await server();
    const init = JSON.parse(
      JSON.stringify({ ...VALID, cc: null, html: null, headers: { "X-Source": "json", "X-Empty": null }, attachments: [{ filename: "a.txt", content: "a\n", path: null }] }),
    ) as EmailInit;
    const result = await send({ ...init, tags: undefined } as EmailInit, to(s));
    expect(result.accepted).toEqual(["bob@example.org"]);
    const [parsed] = parse(s.messages[0]!.data);
    expect(parsed!.headers.filter(([k]) => k.startsWith("X-"))).toEqual([["X-Source", "json"]]);
    expect(parsed!.structure).toEqual(["multipart/mixed", "  text/plain", "  text/plain"]);
    expect(parsed!.parts[1]?.content).toBe("a\n");
  });

  it("reads a path attachment when sending, not before", async () => {
    const s = await server();
    const file = path.join(dir, "late.txt");
    const init: EmailInit = { ...VALID, attachments: [{ filename: "late.txt", path: file }] };
    writeFileSync(file, "first\n");
    await send(init, to(s));
    writeFileSync(file, "second\n");
    await send(init, to(s));
    const parsed = parse(s.messages[0]!.data, s.messages[1]!.data);
    expect(parsed.map((p) => p.parts[1]?.content)).toEqual(["first\n", "second\n"]);
  });

  it("sends an EmailMessage built with fromObject as it is", async () => {
    const s = await server();
    const message = EmailMessage.fromObject({ ...VALID, headers: { "Message-ID": "<given@example.com>" } });
    const result = await send(message, to(s));
    expect(result.messageId).toBe("<given@example.com>");
    expect(s.messages[0]!.data.equals(Buffer.from(message.asBytes({ policy: policy.SMTP })))).toBe(true);
  });
});

describe("the SendResult", () => {
  it("lists accepted and rejected recipients, the envelope, the Message-ID and the size, as the server saw them", async () => {
    const s = await server({ refuse: ["nobody@example.org"], size: 100_000 });
    const result = await send(
      { from: "Ada <ada@example.com>", to: ["bob@example.org", "nobody@example.org"], cc: "carol@example.org", subject: "R", text: "Hello\n" },
      to(s),
    );
    const received = s.messages[0]!;
    expect(result.accepted).toEqual(received.rcptTo);
    expect(result.accepted).toEqual(["bob@example.org", "carol@example.org"]);
    expect(result.rejected).toEqual(["nobody@example.org"]);
    expect([...result.errors.keys()]).toEqual(result.rejected);
    expect(result.errors.get("nobody@example.org")?.code).toBe(550);
    expect(result.envelope).toEqual({ from: received.mailFrom, to: ["bob@example.org", "nobody@example.org", "carol@example.org"] });
    expect(result.messageSize).toBe(received.data.length);
    expect(received.mailArgs).toMatchObject({ SIZE: String(received.data.length) });
    const [parsed] = parse(received.data);
    expect(result.messageId).toBe(header(parsed!, "Message-ID"));
    expect(result.messageId).toMatch(/^<[^<>@\s]+@example\.com>$/);
    expect(result.response.code).toBe(250);
    expect(result.response.message).toBe("queued as 1");
  });

  it("times the envelope and the data in milliseconds", async () => {
    const s = await server();
    const started = performance.now();
    const result = await send(VALID, to(s));
    const total = performance.now() - started;
    expect(result.envelopeTime).toBeGreaterThan(0);
    expect(result.messageTime).toBeGreaterThan(0);
    expect(result.envelopeTime + result.messageTime).toBeLessThan(total);
  });

  it("gives a new Message-ID to each message sent from a plain object", async () => {
    const s = await server();
    const a = await send(VALID, to(s));
    const b = await send(VALID, to(s));
    expect(a.messageId).not.toBe(b.messageId);
  });

  it("keeps a Message-ID given in headers", async () => {
    const s = await server();
    const result = await send({ ...VALID, headers: { "Message-ID": "<mine@example.com>" } }, to(s));
    expect(result.messageId).toBe("<mine@example.com>");
    expect(parse(s.messages[0]!.data)[0]!.headers.filter(([k]) => k === "Message-ID")).toEqual([["Message-ID", "<mine@example.com>"]]);
  });

  it("reads the Message-ID of a raw message, and adds one to a message object without one", async () => {
    const s = await server();
    const raw = await send("Message-ID:\r\n <raw@example.com>\r\nSubject: x\r\n\r\nbody\r\n", to(s, { sender: "a@example.com", recipients: "b@example.org" }));
    expect(raw.messageId).toBe("<raw@example.com>");
    const bare = new EmailMessage();
    bare.set("From", "a@example.com");
    bare.set("To", "b@example.org");
    bare.setContent("x\n");
    const objectResult = await send(bare, to(s));
    expect(objectResult.messageId).toMatch(/^<[^<>@\s]+@example\.com>$/);
    expect(s.messages[1]!.data.toString("latin1")).toContain(`Message-ID: ${objectResult.messageId}\r\n`);
    expect(bare.has("Message-ID")).toBe(false);
  });

  it("keeps a message object's own Message-ID, and sendMessage adds none (as aiosmtplib)", async () => {
    const s = await server();
    const own = new EmailMessage();
    own.set("From", "a@example.com");
    own.set("To", "b@example.org");
    own.set("Message-ID", "<own@example.com>");
    own.setContent("x\n");
    expect((await send(own, to(s))).messageId).toBe("<own@example.com>");
    const bare = new EmailMessage();
    bare.set("From", "a@example.com");
    bare.set("To", "b@example.org");
    bare.setContent("x\n");
    const client = await SMTP.connect(to(s));
    const result = await client.sendMessage(bare);
    await client.quit();
    expect(result.messageId).toBeUndefined();
    expect(s.messages[1]!.data.includes("Message-ID")).toBe(false);
  });

  it("is the same shape from sendmail, with the null sender as the empty string", async () => {
    const s = await server();
    const client = await SMTP.connect(to(s));
    const result = await client.sendmail("", ["b@example.org"], "Subject: bounce\r\n\r\nx\r\n");
    await client.quit();
    expect(result.envelope).toEqual({ from: "", to: ["b@example.org"] });
    expect(s.messages[0]!.mailFrom).toBe("");
    expect(result.messageSize).toBe(s.messages[0]!.data.length);
  });

  it("rejects, without a result, when every recipient is refused", async () => {
    const s = await server({ refuse: ["x@example.org"] });
    await expect(send({ ...VALID, to: "x@example.org" }, to(s))).rejects.toBeInstanceOf(SMTPRecipientsRefused);
  });
});

describe("a kept connection", () => {
  it("SMTP.connect() gives a connected, logged-in client", async () => {
    const s = await server({ users: { ada: "pw" }, allowInsecureAuth: true, authOptional: false });
    const client = await SMTP.connect(to(s, { username: "ada", password: "pw" }));
    expect(client.isConnected).toBe(true);
    await client.send(VALID);
    await client.quit();
    expect(s.auths).toEqual([{ method: "CRAM-MD5", username: "ada", ok: true }]);
    expect(s.messages[0]!.user).toBe("ada");
  });

  it("sends many messages of every kind over one session", async () => {
    const s = await server();
    const client = await SMTP.connect(to(s));
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await client.send({ ...VALID, subject: `n${i}` }));
    results.push(await client.send(EmailMessage.fromObject({ ...VALID, subject: "object" })));
    results.push(await client.send("Subject: raw\r\n\r\nx\r\n", { sender: "a@example.com", recipients: ["b@example.org"] }));
    await client.quit();
    expect(s.messages).toHaveLength(7);
    await vi.waitFor(() => expect(s.sessions).toHaveLength(1));
    expect(results.map((r) => r.response.message)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `queued as ${n}`));
    const subjects = parse(...s.messages.map((m) => m.data)).map((p) => header(p, "Subject"));
    expect(subjects).toEqual(["n0", "n1", "n2", "n3", "n4", "object", "raw"]);
  });

  it("refuses a raw message without sender or recipients before sending", async () => {
    const s = await server();
    const client = await SMTP.connect(to(s));
    await expect(client.send("Subject: x\r\n\r\n", { sender: "a@b.c" })).rejects.toThrow("Recipients must be provided with raw messages.");
    await expect(client.send("Subject: x\r\n\r\n", { recipients: "a@b.c" })).rejects.toThrow("Sender must be provided with raw messages.");
    await client.quit();
    expect(s.messages).toHaveLength(0);
  });
});
