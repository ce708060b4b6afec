/**
 * The client against smtp-server running in this process on 127.0.0.1, with certificates
 * made for this test run. Every stored message is compared byte for byte with what
 * aiosmtplib's rules (run in Python) say should arrive.
 */
import { once } from "node:events";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SMTP,
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPException,
  SMTPNotSupported,
  SMTPRecipientsRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
  send,
} from "../../src/smtp/index.js";
import { testCertificates, type TestCertificates } from "../peers/certs.js";
import { startSmtpServer, type TestServer, type TestServerOptions } from "../peers/smtp-server.js";
import { PY_DATA_HELPERS, b64, python, unb64 } from "./python.js";

const RAW_MESSAGES = {
  plain: Buffer.from("From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello.\r\n"),
  awkward: Buffer.from("Subject: dots\n\n.leading dot\nbare LF\rbare CR\r\n..two dots\n.\nno final newline"),
  eightBit: Buffer.from("Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\n"),
  large: Buffer.from(`Subject: large\r\n\r\n${"0123456789abcdef".repeat(64).concat("\r\n").repeat(200)}`),
};

/** What aiosmtplib would make each raw message into (Python), and its SIZE. */
let expected: Record<string, { stored: Buffer; size: number }>;
let certs: TestCertificates;

beforeAll(() => {
  certs = testCertificates();
  const names = Object.keys(RAW_MESSAGES) as (keyof typeof RAW_MESSAGES)[];
  const out = python<Array<{ stored: string; size: number }>>(
    PY_DATA_HELPERS +
      "print(json.dumps([{'stored': b64(normalize(unb64(m))), 'size': len(normalize(unb64(m)))} for m in json.load(sys.stdin)]))",
    names.map((n) => b64(RAW_MESSAGES[n])),
  );
  expected = Object.fromEntries(names.map((n, i) => [n, { stored: unb64(out[i]?.stored ?? ""), size: out[i]?.size ?? -1 }]));
});

const servers: TestServer[] = [];
const clients: SMTP[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startSmtpServer({ authOptional: true, ...options });
  servers.push(s);
  return s;
}

function client(options: ConstructorParameters<typeof SMTP>[0]): SMTP {
  const c = new SMTP({ hostname: "127.0.0.1", localHostname: "client.test", timeout: 5, ...options });
  clients.push(c);
  return c;
}

function tlsServerOptions(): TestServerOptions {
  return { key: certs.serverKey, cert: certs.serverCert };
}

describe("sending over plain SMTP", () => {
  it("stores a raw message exactly as aiosmtplib's CRLF normalisation makes it, dots and all", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    const result = await smtp.sendmail("a@example.com", ["b@example.com"], RAW_MESSAGES.awkward);
    expect(result.errors.size).toBe(0);
    expect(result.response.code).toBe(250);
    expect(s.messages[0]?.data.equals(expected["awkward"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("sends the envelope given, one RCPT per recipient, and SIZE= the normalised size", async () => {
    const s = await server({ hideSTARTTLS: true, size: 1_000_000 });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("Sender Name <a@example.com>", ["b@example.com", "c@example.com"], RAW_MESSAGES.awkward);
    const received = s.messages[0];
    expect(received?.mailFrom).toBe("a@example.com");
    expect(received?.rcptTo).toEqual(["b@example.com", "c@example.com"]);
    expect(received?.mailArgs).toMatchObject({ SIZE: String(expected["awkward"]?.size) });
  });

  it("streams a message larger than the socket buffers intact", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.large);
    expect(s.messages[0]?.data.equals(expected["large"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("accepts a raw message as an ASCII string, and refuses a non-ASCII string before sending", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain.toString("latin1"));
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
    await expect(smtp.sendmail("a@example.com", "b@example.com", "Subject: é\r\n\r\n")).rejects.toThrow(TypeError);
    expect(s.messages).toHaveLength(1);
  });

  it("reports a refused recipient in errors and still delivers to the others", async () => {
    const s = await server({ hideSTARTTLS: true, refuse: ["nobody@example.com"] });
    const smtp = client({ port: s.port });
    await smtp.connect();
    const { errors } = await smtp.sendmail("a@example.com", ["b@example.com", "nobody@example.com"], RAW_MESSAGES.plain);
    expect([...errors.keys()]).toEqual(["nobody@example.com"]);
    expect(errors.get("nobody@example.com")?.code).toBe(550);
    expect(s.messages[0]?.rcptTo).toEqual(["b@example.com"]);
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("throws SMTPRecipientsRefused when every recipient is refused, and sends nothing", async () => {
    const s = await server({ hideSTARTTLS: true, refuse: ["x@example.com", "y@example.com"] });
    const smtp = client({ port: s.port });
    await smtp.connect();
    const error = await smtp.sendmail("a@example.com", ["x@example.com", "y@example.com"], RAW_MESSAGES.plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPRecipientsRefused);
    expect((error as SMTPRecipientsRefused).recipients.map((r) => [r.recipient, r.code])).toEqual([
      ["x@example.com", 550],
      ["y@example.com", 550],
    ]);
    expect(s.messages).toHaveLength(0);
    expect(smtp.isConnected).toBe(true);
  });

  it("answers NOOP, RSET and HELP, and learns the server's extensions from EHLO", async () => {
    const s = await server({ hideSTARTTLS: true, size: 5000 });
    const smtp = client({ port: s.port });
    const greeting = await smtp.connect();
    expect(greeting.code).toBe(220);
    expect((await smtp.noop()).code).toBe(250);
    expect((await smtp.rset()).code).toBe(250);
    expect([211, 214, 250]).toContain((await smtp.help()).code);
    expect(smtp.esmtpExtensions.get("size")).toBe("5000");
    expect(smtp.supportsExtension("8BITMIME")).toBe(true);
    expect(smtp.lastEhloResponse?.code).toBe(250);
  });

  it("sends the EHLO name given as localHostname", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port, localHostname: "my-host.example" });
    await smtp.connect();
    await smtp.ehlo();
    await smtp.quit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sessions[0]?.clientHostname).toBe("my-host.example");
  });

  it("closes the connection after QUIT", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    expect((await smtp.quit()).code).toBe(221);
    expect(smtp.isConnected).toBe(false);
    await expect(smtp.noop()).rejects.toThrow(SMTPServerDisconnected);
  });
});

describe("8BITMIME, SMTPUTF8 and SIZE", () => {
  it("declares BODY=8BITMIME for 8-bit data when the server offers 8BITMIME", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.eightBit);
    expect(s.messages[0]?.bodyType).toBe("8bitmime");
    expect(s.messages[0]?.data.equals(expected["eightBit"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("declares no BODY for 7-bit data, nor when the server does not offer 8BITMIME", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.mailArgs).not.toHaveProperty("BODY");
    const s2 = await server({ hideSTARTTLS: true, hide8BITMIME: true });
    const smtp2 = client({ port: s2.port });
    await smtp2.connect();
    await smtp2.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.eightBit);
    expect(s2.messages[0]?.mailArgs).not.toHaveProperty("BODY");
    expect(s2.messages[0]?.data.equals(expected["eightBit"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("sends non-ASCII addresses in UTF-8 with SMTPUTF8 when the server offers it", async () => {
    const s = await server({ hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.sendmail("jösé@exämple.com", ["ünï@exämple.com"], RAW_MESSAGES.eightBit);
    expect(s.messages[0]?.smtpUtf8).toBe(true);
    expect(s.messages[0]?.mailFrom).toBe("jösé@exämple.com");
    expect(s.messages[0]?.rcptTo).toEqual(["ünï@exämple.com"]);
    expect(s.messages[0]?.data.equals(expected["eightBit"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("refuses non-ASCII addresses with SMTPNotSupported before MAIL when the server lacks SMTPUTF8", async () => {
    const s = await server({ hideSTARTTLS: true, hideSMTPUTF8: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await expect(smtp.sendmail("a@example.com", ["ünï@exämple.com"], RAW_MESSAGES.plain)).rejects.toThrow(SMTPNotSupported);
    // Nothing was started: a transaction still works on this connection.
    await smtp.sendmail("a@example.com", ["b@example.com"], RAW_MESSAGES.plain);
    expect(s.messages).toHaveLength(1);
  });

  it("refuses a message larger than the server's SIZE before MAIL", async () => {
    const limit = (expected["plain"]?.size ?? 0) + 10;
    const s = await server({ hideSTARTTLS: true, size: limit });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await expect(smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.large)).rejects.toThrow(
      `The message is ${expected["large"]?.size} bytes, more than the ${limit} bytes this server accepts (SIZE)`,
    );
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]?.mailArgs).toMatchObject({ SIZE: String(expected["plain"]?.size) });
  });
});

describe("TLS", () => {
  it("connects with implicit TLS, trusting a private CA from a certBundle file", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const smtp = client({ port: s.port, useTls: true, certBundle: certs.caCertPath });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.secure).toBe(true);
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("verifies the certificate's host name", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const smtp = client({ hostname: "localhost", port: s.port, useTls: true, certBundle: certs.caCert });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
    // The certificate names localhost and 127.0.0.1, not mail.example.
    const sock = net.connect(s.port, "127.0.0.1");
    await once(sock, "connect");
    const other = new SMTP({ sock, hostname: "mail.example", useTls: true, certBundle: certs.caCert, timeout: 5 });
    clients.push(other);
    const failure = await other.connect().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SMTPConnectError);
    expect((failure as Error).cause).toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });

  it("refuses a certificate it cannot verify, keeping the TLS error as cause", async () => {
    const s = await server({ secure: true, key: certs.selfSignedKey, cert: certs.selfSignedCert });
    const smtp = client({ port: s.port, useTls: true });
    const error = await smtp.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectError);
    expect((error as Error).cause).toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(smtp.isConnected).toBe(false);
  });

  it("accepts an unverifiable certificate only with validateCerts: false", async () => {
    const s = await server({ secure: true, key: certs.selfSignedKey, cert: certs.selfSignedCert });
    const smtp = client({ port: s.port, useTls: true, validateCerts: false });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.secure).toBe(true);
  });

  it("uses a given TLS context", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const smtp = client({ port: s.port, useTls: true, tlsContext: tls.createSecureContext({ ca: certs.caCert }) });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
  });

  it("presents a client certificate", async () => {
    const s = await server({ secure: true, ...tlsServerOptions(), requestCert: true, rejectUnauthorized: true, ca: certs.caCert });
    const smtp = client({
      port: s.port,
      useTls: true,
      certBundle: certs.caCert,
      clientCert: certs.clientCertPath,
      clientKey: certs.clientKeyPath,
    });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]?.secure).toBe(true);
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("names the option, the path and the cause when a certificate file cannot be read", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const missing = path.join(mkdtempSync(path.join(tmpdir(), "mailport-pem-")), "missing.pem");
    for (const option of ["certBundle", "clientCert"] as const) {
      const smtp = client({ port: s.port, useTls: true, [option]: missing });
      const error = await smtp.connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SMTPConnectError);
      expect((error as Error).message).toMatch(`Cannot read the ${option} file ${missing}: ENOENT: no such file or directory`);
      expect((error as Error).cause).toMatchObject({ code: "ENOENT" });
    }
  });

  it("refuses PEM-like text that is not a whole PEM block when the client is made, instead of taking it for a path", () => {
    for (const garbage of ["-----BEGIN CERTIFICATE-----\nMIIB", "MIIBkTCB+wIJAK\nMIIB", "-----END CERTIFICATE-----"]) {
      expect(() => new SMTP({ certBundle: garbage })).toThrow(
        'the certBundle option looks like PEM text but holds no complete "-----BEGIN ...-----" ... "-----END ...-----" block',
      );
    }
  });

  it("names the option OpenSSL refuses, with its error as cause", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    const smtp = client({ port: s.port, useTls: true, certBundle: broken });
    const error = await smtp.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectError);
    expect((error as Error).message).toMatch(/^The certBundle option cannot be used for TLS: its certificate 1 cannot be read: /);
    expect((error as Error).cause).toBeInstanceOf(Error);
    const keyless = client({ port: s.port, useTls: true, certBundle: certs.caCert, clientCert: certs.clientCert });
    const refused = await keyless.connect().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SMTPConnectError);
    expect((refused as Error).message).toMatch(/^The clientCert or clientKey option cannot be used for TLS: /);
  });

  it("reads a certBundle file again when it changes", async () => {
    const s = await server({ secure: true, ...tlsServerOptions() });
    const file = path.join(mkdtempSync(path.join(tmpdir(), "mailport-pem-")), "ca.pem");
    writeFileSync(file, certs.caCert);
    const trusting = client({ port: s.port, useTls: true, certBundle: file });
    await trusting.connect();
    trusting.close();
    // Another CA's certificate now: the server's certificate is no longer trusted.
    writeFileSync(file, certs.selfSignedCert);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const error = await client({ port: s.port, useTls: true, certBundle: file }).connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectError);
    expect((error as Error).cause).toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });

  it("upgrades with STARTTLS when required, then sends EHLO again and forgets STARTTLS", async () => {
    const s = await server(tlsServerOptions());
    const smtp = client({ port: s.port, startTls: true, certBundle: certs.caCert });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
    expect(smtp.lastEhloResponse).toBeDefined();
    expect(smtp.supportsExtension("starttls")).toBe(false);
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.awkward);
    expect(s.messages[0]?.secure).toBe(true);
    expect(s.messages[0]?.data.equals(expected["awkward"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("upgrades with STARTTLS when offered and startTls is not set", async () => {
    const s = await server(tlsServerOptions());
    const smtp = client({ port: s.port, certBundle: certs.caCert });
    await smtp.connect();
    expect(smtp.isTls).toBe(true);
  });

  it("stays in plain text when STARTTLS is not offered and not required", async () => {
    const s = await server({ ...tlsServerOptions(), hideSTARTTLS: true });
    const smtp = client({ port: s.port });
    await smtp.connect();
    expect(smtp.isTls).toBe(false);
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.secure).toBe(false);
  });

  it("never upgrades with startTls: false", async () => {
    const s = await server(tlsServerOptions());
    const smtp = client({ port: s.port, startTls: false });
    await smtp.connect();
    expect(smtp.isTls).toBe(false);
    await smtp.ehlo();
    expect(smtp.supportsExtension("starttls")).toBe(true);
  });

  it("fails to connect when STARTTLS is required and the server does not offer it", async () => {
    const s = await server({ ...tlsServerOptions(), hideSTARTTLS: true });
    const smtp = client({ port: s.port, startTls: true });
    await expect(smtp.connect()).rejects.toThrow(new SMTPException("SMTP STARTTLS extension not supported by server."));
    expect(smtp.isConnected).toBe(false);
  });

  it("fails STARTTLS on an unverifiable certificate", async () => {
    const s = await server({ key: certs.selfSignedKey, cert: certs.selfSignedCert });
    const smtp = client({ port: s.port, startTls: true });
    const error = await smtp.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPConnectError);
    expect((error as Error).cause).toMatchObject({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(smtp.isConnected).toBe(false);
  });
});

describe("authentication", () => {
  const users = { alice: "wonderland", "jösé": "pässwörd ✓" };

  for (const [method, call] of [
    ["PLAIN", (c: SMTP, u: string, p: string) => c.authPlain(u, p)],
    ["LOGIN", (c: SMTP, u: string, p: string) => c.authLogin(u, p)],
    ["CRAM-MD5", (c: SMTP, u: string, p: string) => c.authCramMd5(u, p)],
  ] as const) {
    it(`logs in with ${method}, UTF-8 credentials included, and refuses a wrong password`, async () => {
      const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, users });
      const smtp = client({ port: s.port });
      await smtp.connect();
      await smtp.ehlo();
      expect((await call(smtp, "alice", "wonderland")).code).toBe(235);
      const smtp2 = client({ port: s.port });
      await smtp2.connect();
      await smtp2.ehlo();
      expect((await call(smtp2, "jösé", "pässwörd ✓")).code).toBe(235);
      const smtp3 = client({ port: s.port });
      await smtp3.connect();
      await smtp3.ehlo();
      const error = await call(smtp3, "alice", "wrong").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SMTPAuthenticationError);
      expect((error as SMTPAuthenticationError).code).toBe(535);
      expect(s.auths.map((a) => [a.method, a.username, a.ok])).toEqual([
        [method, "alice", true],
        [method, "jösé", true],
        [method, "alice", false],
      ]);
    });
  }

  it("logs in with XOAUTH2, and reports the final reply after a refused token", async () => {
    const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, tokens: { alice: "token-1" } });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await smtp.ehlo();
    expect((await smtp.authXoauth2("alice", "token-1")).code).toBe(235);
    const smtp2 = client({ port: s.port });
    await smtp2.connect();
    const error = await smtp2.authXoauth2("alice", "expired").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPAuthenticationError);
    expect((error as SMTPAuthenticationError).code).toBe(535);
    expect(smtp2.isConnected).toBe(true);
  });

  it("tries CRAM-MD5, then PLAIN, then LOGIN, moving on after each failure", async () => {
    const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, users });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await expect(smtp.login("alice", "wrong")).rejects.toThrow(SMTPAuthenticationError);
    expect(s.auths.map((a) => a.method)).toEqual(["CRAM-MD5", "PLAIN", "LOGIN"]);
  });

  it("uses the next mechanism when the server fails one it offers", async () => {
    const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, users, brokenMechanisms: ["CRAM-MD5"] });
    const smtp = client({ port: s.port });
    await smtp.connect();
    expect((await smtp.login("alice", "wonderland")).code).toBe(235);
    expect(s.auths.map((a) => [a.method, a.ok])).toEqual([
      ["CRAM-MD5", false],
      ["PLAIN", true],
    ]);
  });

  it("logs in on connect when given a username, after STARTTLS", async () => {
    const s = await server({ ...tlsServerOptions(), users });
    const smtp = client({ port: s.port, certBundle: certs.caCert, username: "alice", password: "wonderland" });
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.user).toBe("alice");
    expect(s.messages[0]?.secure).toBe(true);
  });

  it("logs in on connect with XOAUTH2 when given a token generator", async () => {
    const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, tokens: { alice: "fresh" } });
    const smtp = client({ port: s.port, username: "alice", oauthTokenGenerator: async () => "fresh" });
    await smtp.connect();
    expect(s.auths).toEqual([{ method: "XOAUTH2", username: "alice", ok: true }]);
  });

  it("bounds the token generator by the timeout, and by the signal", async () => {
    const s = await server({ hideSTARTTLS: true, allowInsecureAuth: true, tokens: { alice: "fresh" } });
    const never = (): Promise<string> => new Promise<string>(() => undefined);
    const slow = client({ port: s.port, timeout: 0.3, username: "alice", oauthTokenGenerator: never });
    let started = performance.now();
    await expect(slow.connect()).rejects.toThrow(new SMTPTimeoutError("Timed out waiting for the oauthTokenGenerator"));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(slow.isConnected).toBe(false);
    const aborted = client({ port: s.port, timeout: 30, username: "alice", oauthTokenGenerator: never });
    const reason = new Error("user cancelled");
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 100);
    started = performance.now();
    const error = await aborted.connect({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SMTPException);
    expect((error as Error).cause).toBe(reason);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(s.auths).toEqual([]);
  });

  it("explains that AUTH may need TLS when a plain-text server does not offer it", async () => {
    const s = await server({ hideSTARTTLS: true, users, disabledCommands: ["AUTH"] });
    const smtp = client({ port: s.port });
    await smtp.connect();
    await expect(smtp.login("alice", "wonderland")).rejects.toThrow(
      "The SMTP AUTH extension is not supported by this server. Try connecting via TLS (or STARTTLS).",
    );
  });
});

describe("connections", () => {
  it("connects to a Unix socket", async () => {
    const socketPath = path.join(mkdtempSync(path.join(tmpdir(), "mailport-sock-")), "smtp.sock");
    const s = await server({ hideSTARTTLS: true, socketPath });
    const smtp = new SMTP({ socketPath, localHostname: "client.test", timeout: 5 });
    clients.push(smtp);
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("uses a socket it is given", async () => {
    const s = await server({ hideSTARTTLS: true });
    const sock = net.connect(s.port, "127.0.0.1");
    await once(sock, "connect");
    const smtp = new SMTP({ sock, localHostname: "client.test", timeout: 5 });
    clients.push(smtp);
    await smtp.connect();
    await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.awkward);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]?.data.equals(expected["awkward"]?.stored ?? Buffer.alloc(0))).toBe(true);
    await smtp.quit();
    expect(sock.destroyed).toBe(true);
  });

  it("QUITs and closes at the end of an `await using` block", async () => {
    const s = await server({ hideSTARTTLS: true });
    let outside: SMTP | undefined;
    {
      await using smtp = new SMTP({ hostname: "127.0.0.1", port: s.port, timeout: 5 });
      outside = smtp;
      await smtp.connect();
      await smtp.sendmail("a@example.com", "b@example.com", RAW_MESSAGES.plain);
      expect(smtp.isConnected).toBe(true);
      expect(s.commands).not.toContain("QUIT");
    }
    expect(outside.isConnected).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sessions).toHaveLength(1);
    expect(s.commands.at(-1)).toBe("QUIT");
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
  });

  it("defaults the port to 465 with useTls, 587 with startTls, else 25", async () => {
    // Nothing listens on these ports here; the error names the port tried.
    const tries: Array<[ConstructorParameters<typeof SMTP>[0], number]> = [
      [{ useTls: true }, 465],
      [{ startTls: true }, 587],
      [{}, 25],
    ];
    for (const [options, port] of tries) {
      const smtp = client({ ...options, timeout: 2 });
      const error = await smtp.connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SMTPConnectError);
      expect((error as Error).message).toContain(`127.0.0.1 on port ${port}`);
      expect((error as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
    }
  });

  it("refuses options that exclude each other, as aiosmtplib", () => {
    const sock = new net.Socket();
    const context = tls.createSecureContext();
    const cases: Array<[ConstructorParameters<typeof SMTP>[0], string]> = [
      [{ useTls: true, startTls: true }, "The startTls and useTls options are not compatible."],
      [{ tlsContext: context, clientCert: "x" }, "Either a TLS context or a certificate/key must be provided"],
      [{ sock, socketPath: "/tmp/x" }, "Either a socket or a socket path must be provided, not both"],
      [{ socketPath: "/tmp/x", port: 25 }, "If using a socket, port is not required"],
      [{ sock, useTls: true }, "If using a socket with TLS, hostname is required"],
      [{ username: "u", password: "x", oauthTokenGenerator: async () => "t" }, "The password and oauthTokenGenerator options are not compatible."],
    ];
    for (const [options, message] of cases) expect(() => new SMTP(options)).toThrow(new TypeError(message));
  });

  it("refuses options that would be ignored, and TLS over a socket without a name to check", () => {
    const sock = new net.Socket();
    const context = tls.createSecureContext();
    const cases: Array<[ConstructorParameters<typeof SMTP>[0], string]> = [
      [{ sock, startTls: true }, "If using a socket with TLS, hostname is required"],
      [{ socketPath: "/tmp/x", startTls: true }, "If using a socket with TLS, hostname is required"],
      [{ socketPath: "/tmp/x", sourceAddress: { host: "127.0.0.1", port: 0 } }, "If using a socket, sourceAddress cannot be used (the socket is already bound)"],
      [{ tlsContext: context, clientKey: "x" }, "Either a TLS context or a certificate/key must be provided"],
      [{ tlsContext: context, certBundle: "x" }, "Either a TLS context or a certBundle must be provided (the context holds the certificates it trusts)"],
      [{ clientKey: "key.pem" }, "The clientKey option needs clientCert, the certificate it is the key of"],
      [{ password: "x" }, "A password was given without a username: give both, or neither"],
      [{ oauthTokenGenerator: async () => "t" }, "The oauthTokenGenerator option needs a username: XOAUTH2 sends it with the token"],
    ];
    for (const [options, message] of cases) expect(() => new SMTP(options)).toThrow(new TypeError(message));
    expect(() => new SMTP({ sock, startTls: true, hostname: "mail.example" })).not.toThrow();
  });

  it("does not upgrade a given socket without a host name to check the certificate against", async () => {
    const s = await server(tlsServerOptions());
    const sock = net.connect(s.port, "127.0.0.1");
    await once(sock, "connect");
    const smtp = new SMTP({ sock, localHostname: "client.test", timeout: 5, certBundle: certs.caCert });
    clients.push(smtp);
    await expect(smtp.connect()).rejects.toThrow(/There is no host name to check the server's certificate against/);
    expect(s.commands).toEqual(["EHLO client.test"]);
  });

  it("refuses a hostname or EHLO name holding a control character", () => {
    expect(() => new SMTP({ hostname: "evil\r\nHELO x" })).toThrow(TypeError);
    expect(() => new SMTP({ localHostname: "a\nb" })).toThrow(TypeError);
  });
});

describe("send()", () => {
  it("connects, sends a raw message, and quits", async () => {
    const s = await server({ hideSTARTTLS: true });
    const result = await send(RAW_MESSAGES.awkward, {
      hostname: "127.0.0.1",
      port: s.port,
      sender: "a@example.com",
      recipients: ["b@example.com", "c@example.com"],
      timeout: 5,
    });
    expect(result.errors.size).toBe(0);
    expect(result.response.code).toBe(250);
    expect(s.messages[0]?.rcptTo).toEqual(["b@example.com", "c@example.com"]);
    expect(s.messages[0]?.data.equals(expected["awkward"]?.stored ?? Buffer.alloc(0))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sessions).toHaveLength(1);
  });

  it("refuses a raw message without sender or recipients before connecting", async () => {
    const s = await server({ hideSTARTTLS: true });
    await expect(send("Subject: x\r\n\r\n", { hostname: "127.0.0.1", port: s.port, sender: "a@b.c" })).rejects.toThrow(
      new TypeError("Recipients must be provided with raw messages."),
    );
    await expect(send("Subject: x\r\n\r\n", { hostname: "127.0.0.1", port: s.port, recipients: "a@b.c" })).rejects.toThrow(
      new TypeError("Sender must be provided with raw messages."),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.sessions).toHaveLength(0);
  });

  it("upgrades, logs in and sends in one call", async () => {
    const s = await server({ ...tlsServerOptions(), users: { alice: "wonderland" } });
    await send(RAW_MESSAGES.plain, {
      hostname: "localhost",
      port: s.port,
      localHostname: "client.test",
      certBundle: certs.caCert,
      username: "alice",
      password: "wonderland",
      sender: "a@example.com",
      recipients: "b@example.com",
      timeout: 5,
    });
    expect(s.messages[0]).toMatchObject({ secure: true, user: "alice" });
    expect(s.messages[0]?.data.equals(expected["plain"]?.stored ?? Buffer.alloc(0))).toBe(true);
    expect(s.commands.filter((line) => /^(EHLO|STARTTLS|AUTH|QUIT)/.test(line))).toEqual([
      "EHLO client.test",
      "STARTTLS",
      "EHLO client.test",
      "AUTH CRAM-MD5",
      "QUIT",
    ]);
  });
});
