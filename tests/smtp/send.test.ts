/**
 * Sending message objects: the envelope taken from the headers, Bcc stripped, the
 * flattening chosen by the server's extensions. Each message is built the same way in
 * Python, flattened as aiosmtplib does (a copy without Bcc and Resent-Bcc, BytesGenerator
 * with policy.default or compat32, CRLF), and the bytes smtp-server stores are compared
 * with Python's byte for byte. The envelope is compared with aiosmtplib's extraction rules
 * run in Python.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmailMessage, Message } from "../../src/email/message.js";
import { SMTP, SMTPNotSupported, send } from "../../src/smtp/index.js";
import { extractRecipients, extractSender } from "../../src/smtp/envelope.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";
import { python, unb64 } from "./python.js";

/** The same messages, built step by step in both languages. */
const BUILD_PY = String.raw`
import base64, copy, io, json, sys
import email.policy, email.utils, email.headerregistry, email.header
from email.message import EmailMessage, Message
from email.generator import BytesGenerator

def flatten(message, utf8, cte_type):
    # aiosmtplib.email.flatten_message
    c = copy.copy(message)
    del c["Bcc"]
    del c["Resent-Bcc"]
    if isinstance(message, EmailMessage):
        policy = email.policy.default.clone(linesep="\r\n", utf8=utf8, cte_type=cte_type)
    else:
        policy = email.policy.compat32.clone(linesep="\r\n", cte_type=cte_type)
    buf = io.BytesIO()
    BytesGenerator(buf, policy=policy).flatten(c)
    return buf.getvalue()

def addresses(header):
    # aiosmtplib.email.extract_addresses
    if isinstance(header, email.headerregistry.AddressHeader):
        return [a.addr_spec for a in header.addresses]
    return [addr for _, addr in email.utils.getaddresses([header])]

def envelope(message):
    # aiosmtplib.email.extract_sender / extract_recipients
    resent = message.get_all("Resent-Date")
    if resent is not None and len(resent) > 1:
        return None
    names = ("Resent-Sender", "Resent-From", ("Resent-To", "Resent-Cc", "Resent-Bcc")) if resent else ("Sender", "From", ("To", "Cc", "Bcc"))
    header = message[names[0]] if names[0] in message else message[names[1]]
    sender = addresses(header)[0] if header is not None else None
    recipients = [a for n in names[2] for h in message.get_all(n, failobj=[]) for a in addresses(h)]
    return {"sender": sender, "recipients": recipients}

def build():
    out = {}
    m = EmailMessage()
    m["From"] = "Jane Doe <jane@example.com>"
    m["To"] = "bob@example.com, Carol <carol@example.com>"
    m["Cc"] = "dave@example.com"
    m["Bcc"] = "secret@example.com"
    m["Subject"] = "Grüße"
    m.set_content("Grüße aus Köln\n.a line with a leading dot\n")
    out["bcc"] = m
    m = EmailMessage()
    m["From"] = "a@example.com"
    m["To"] = "b@example.com"
    m["Bcc"] = "old-bcc@example.com"
    m["Subject"] = "forwarded"
    m["Resent-Date"] = "Fri, 21 Nov 2025 10:00:00 +0000"
    m["Resent-From"] = "resender@example.com"
    m["Resent-To"] = "t1@example.com"
    m["Resent-Cc"] = "t2@example.com"
    m["Resent-Bcc"] = "hidden@example.com"
    m.set_content("Passing this on.\n")
    out["resent"] = m
    m = EmailMessage()
    m["From"] = "jösé@exämple.com"
    m["To"] = "ünï@exämple.com"
    m["Subject"] = "Grüße"
    m.set_content("Hallo\n")
    out["utf8"] = m
    m = EmailMessage()
    m["From"] = "a@example.com"
    m["Sender"] = "secretary@example.com"
    m["To"] = "b@example.com"
    m["Subject"] = "on behalf"
    m.set_content("Hi\n")
    out["sender"] = m
    m = Message()
    m["From"] = "legacy@example.com"
    m["To"] = "b@example.com"
    m["Bcc"] = "hidden@example.com"
    m["Subject"] = "legacy"
    m.set_payload("Hello\n.dot\n")
    out["legacy"] = m
    return out

b64 = lambda data: base64.b64encode(data).decode()
result = {}
for name, m in build().items():
    result[name] = dict(envelope(m), wire8=b64(flatten(m, False, "8bit")), wire7=b64(flatten(m, False, "7bit")),
                        wireUtf8=b64(flatten(m, True, "8bit")))
print(json.dumps(result))
`;

function build(): Record<string, Message> {
  const out: Record<string, Message> = {};
  let m = new EmailMessage();
  m.set("From", "Jane Doe <jane@example.com>");
  m.set("To", "bob@example.com, Carol <carol@example.com>");
  m.set("Cc", "dave@example.com");
  m.set("Bcc", "secret@example.com");
  m.set("Subject", "Grüße");
  m.setContent("Grüße aus Köln\n.a line with a leading dot\n");
  out["bcc"] = m;
  m = new EmailMessage();
  m.set("From", "a@example.com");
  m.set("To", "b@example.com");
  m.set("Bcc", "old-bcc@example.com");
  m.set("Subject", "forwarded");
  m.set("Resent-Date", "Fri, 21 Nov 2025 10:00:00 +0000");
  m.set("Resent-From", "resender@example.com");
  m.set("Resent-To", "t1@example.com");
  m.set("Resent-Cc", "t2@example.com");
  m.set("Resent-Bcc", "hidden@example.com");
  m.setContent("Passing this on.\n");
  out["resent"] = m;
  m = new EmailMessage();
  m.set("From", "jösé@exämple.com");
  m.set("To", "ünï@exämple.com");
  m.set("Subject", "Grüße");
  m.setContent("Hallo\n");
  out["utf8"] = m;
  m = new EmailMessage();
  m.set("From", "a@example.com");
  m.set("Sender", "secretary@example.com");
  m.set("To", "b@example.com");
  m.set("Subject", "on behalf");
  m.setContent("Hi\n");
  out["sender"] = m;
  const legacy = new Message();
  legacy.set("From", "legacy@example.com");
  legacy.set("To", "b@example.com");
  legacy.set("Bcc", "hidden@example.com");
  legacy.set("Subject", "legacy");
  legacy.setPayload("Hello\n.dot\n");
  out["legacy"] = legacy;
  return out;
}

interface Expected {
  sender: string;
  recipients: string[];
  wire8: string;
  wire7: string;
  wireUtf8: string;
}

let expected: Record<string, Expected>;
beforeAll(() => {
  expected = python<Record<string, Expected>>(BUILD_PY);
});

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, hideSTARTTLS: true, ...options });
  servers.push(s);
  return s;
}

function sendTo(s: TestServer, message: Message, options: Parameters<typeof send>[1] = {}): ReturnType<typeof send> {
  return send(message, { hostname: "127.0.0.1", port: s.port, localHostname: "client.test", timeout: 5, ...options });
}

/**
 * The received data without the Message-ID header that send() adds to a message that has
 * none (the last header line; Python's flattening, the reference here, adds none).
 * Throws when that header is not there exactly as send() writes it.
 */
function withoutAddedMessageId(data: Buffer | undefined): Buffer {
  const text = (data ?? Buffer.alloc(0)).toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const headers = text.slice(0, end + 2);
  const match = /Message-ID: <[^<>\s]+@[^<>\s]+>\r\n$/.exec(headers);
  if (!match) throw new Error(`send() did not add a Message-ID as the last header:\n${headers}`);
  return Buffer.from(text.slice(0, match.index) + text.slice(end + 2), "latin1");
}

function want(name: string, key: "wire8" | "wire7" | "wireUtf8"): Buffer {
  return unb64(expected[name]?.[key] ?? "");
}

describe("the envelope from the headers", () => {
  it("takes Sender over From, and To, Cc and Bcc in that order, as aiosmtplib", () => {
    const messages = build();
    for (const name of ["bcc", "sender", "legacy", "utf8"]) {
      const message = messages[name] as Message;
      expect(extractSender(message)).toBe(expected[name]?.sender);
      expect(extractRecipients(message)).toEqual(expected[name]?.recipients);
    }
  });

  it("uses the Resent-* block when there is exactly one Resent-Date", () => {
    const message = build()["resent"] as Message;
    expect(extractSender(message)).toBe("resender@example.com");
    expect(extractSender(message)).toBe(expected["resent"]?.sender);
    expect(extractRecipients(message)).toEqual(expected["resent"]?.recipients);
  });

  it("refuses a message with two Resent- blocks", () => {
    const message = build()["resent"] as Message;
    message.append("Resent-Date", "Sat, 22 Nov 2025 10:00:00 +0000");
    expect(() => extractSender(message)).toThrow(TypeError);
    expect(() => extractRecipients(message)).toThrow(TypeError);
  });
});

describe("sending an EmailMessage", () => {
  it("sends to Bcc recipients, never sends the Bcc header, and leaves the message alone", async () => {
    const s = await server();
    const message = build()["bcc"] as EmailMessage;
    const result = await sendTo(s, message);
    expect(result.errors.size).toBe(0);
    const received = s.messages[0];
    expect(received?.mailFrom).toBe(expected["bcc"]?.sender);
    expect(received?.rcptTo).toEqual(expected["bcc"]?.recipients);
    expect(received?.rcptTo).toContain("secret@example.com");
    expect(withoutAddedMessageId(received?.data).equals(want("bcc", "wire8"))).toBe(true);
    expect(received?.data.includes("secret@example.com")).toBe(false);
    expect(message.get("Bcc")).toBe("secret@example.com");
  });

  it("sends 8-bit bodies as they are, with BODY=8BITMIME, when the server offers 8BITMIME", async () => {
    const s = await server();
    await sendTo(s, build()["bcc"] as Message);
    expect(s.messages[0]?.bodyType).toBe("8bitmime");
    expect(withoutAddedMessageId(s.messages[0]?.data).equals(want("bcc", "wire8"))).toBe(true);
  });

  it("transfer-encodes 8-bit bodies when the server does not offer 8BITMIME", async () => {
    const s = await server({ hide8BITMIME: true });
    await sendTo(s, build()["bcc"] as Message);
    expect(s.messages[0]?.mailArgs).not.toHaveProperty("BODY");
    expect(withoutAddedMessageId(s.messages[0]?.data).equals(want("bcc", "wire7"))).toBe(true);
  });

  it("uses the Resent-* envelope and strips both Bcc and Resent-Bcc", async () => {
    const s = await server();
    await sendTo(s, build()["resent"] as Message);
    const received = s.messages[0];
    expect(received?.mailFrom).toBe("resender@example.com");
    expect(received?.rcptTo).toEqual(expected["resent"]?.recipients);
    expect(withoutAddedMessageId(received?.data).equals(want("resent", "wire8"))).toBe(true);
  });

  it("sends non-ASCII addresses with SMTPUTF8 and UTF-8 headers when the server offers it", async () => {
    const s = await server();
    await sendTo(s, build()["utf8"] as Message);
    const received = s.messages[0];
    expect(received?.smtpUtf8).toBe(true);
    expect(received?.mailFrom).toBe("jösé@exämple.com");
    expect(withoutAddedMessageId(received?.data).equals(want("utf8", "wireUtf8"))).toBe(true);
  });

  it("refuses non-ASCII addresses with SMTPNotSupported before MAIL when the server lacks SMTPUTF8", async () => {
    const s = await server({ hideSMTPUTF8: true });
    await expect(sendTo(s, build()["utf8"] as Message)).rejects.toThrow(SMTPNotSupported);
    expect(s.messages).toHaveLength(0);
  });

  it("lets explicit sender and recipients replace the headers, still without Bcc on the wire", async () => {
    const s = await server();
    await sendTo(s, build()["bcc"] as Message, { sender: "bounce@example.com", recipients: "only@example.com" });
    expect(s.messages[0]?.mailFrom).toBe("bounce@example.com");
    expect(s.messages[0]?.rcptTo).toEqual(["only@example.com"]);
    expect(withoutAddedMessageId(s.messages[0]?.data).equals(want("bcc", "wire8"))).toBe(true);
  });

  it("takes the envelope sender from Sender when present", async () => {
    const s = await server();
    await sendTo(s, build()["sender"] as Message);
    expect(s.messages[0]?.mailFrom).toBe("secretary@example.com");
    expect(withoutAddedMessageId(s.messages[0]?.data).equals(want("sender", "wire8"))).toBe(true);
  });
});

describe("sending a legacy Message", () => {
  it("flattens it with compat32, without Bcc", async () => {
    const s = await server();
    const smtp = new SMTP({ hostname: "127.0.0.1", port: s.port, timeout: 5 });
    await smtp.connect();
    await smtp.sendMessage(build()["legacy"] as Message);
    await smtp.quit();
    expect(s.messages[0]?.rcptTo).toEqual(expected["legacy"]?.recipients);
    expect(s.messages[0]?.data.equals(want("legacy", "wire8"))).toBe(true);
  });
});
