/**
 * mailport against a real Postfix on 127.0.0.1 (tests/integration/postfix): STARTTLS with
 * a self-signed certificate trusted through `certBundle`, SASL AUTH through Dovecot, the
 * ESMTP extensions a real MTA offers, and the messages as Postfix delivers them to its
 * maildirs. Where a result is compared with Python, Python's smtplib sends the same bytes
 * to the same server.
 *
 * Skipped, with the reason printed, only where the instance cannot be made (not root; no
 * apt-get, or apt-get fails); in CI (`CI=true`) that fails instead. Dovecot is set up to
 * answer wrong passwords at once and to keep no penalty for the address they came from.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { EmailMessage } from "../../src/email/message.js";
import {
  SMTP,
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPDataError,
  SMTPException,
  SMTPNotSupported,
  SMTPRecipientsRefused,
  SMTPSenderRefused,
  send,
  flattenMessage,
  type SendOptions,
  type SMTPOptions,
} from "../../src/smtp/index.js";
import { startPostfix, waitForDelivery, withoutDeliveryFields, type PostfixInstance } from "./postfix/instance.js";

const availability = await startPostfix();
if (!availability.available) console.warn(`[postfix.test] skipped: ${availability.reason}`);
const postfix = availability.available ? availability.instance : undefined;

afterAll(() => postfix?.stop());

const clients: SMTP[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

function server(): PostfixInstance {
  if (!postfix) throw new Error("Postfix is not running");
  return postfix;
}

/** Options for the full-featured port: STARTTLS required, the certificate trusted. */
function options(extra: SendOptions = {}): SendOptions {
  const p = server();
  return {
    hostname: p.host,
    port: p.port,
    localHostname: "client.mailport.test",
    timeout: 10,
    startTls: true,
    certBundle: p.certPath,
    ...extra,
  };
}

function client(extra: SMTPOptions = {}): SMTP {
  const smtp = new SMTP(options(extra));
  clients.push(smtp);
  return smtp;
}

const login = (): SMTPOptions => ({ username: server().username, password: server().password });

/** The command lines `smtp` sends from now on, as its `log` events show them. */
function sentLines(smtp: SMTP): string[] {
  const lines: string[] = [];
  smtp.on("log", ({ direction, line }) => {
    if (direction === "client") lines.push(line);
  });
  return lines;
}

/** A Message-ID nobody else uses, to find the delivered copy by. */
const uniqueId = (): string => `<${randomUUID()}@client.mailport.test>`;

/** What a maildir holds of the data sent: the same lines, ending in LF. */
const asDelivered = (wire: Uint8Array): Buffer => Buffer.from(Buffer.from(wire).toString("latin1").replace(/\r\n/g, "\n"), "latin1");

/**
 * Sends `message` with Python's smtplib (STARTTLS, AUTH), as mailport does, so that
 * Postfix's copies of the two can be compared.
 */
function sendWithSmtplib(sender: string, recipients: string[], message: Uint8Array): void {
  const p = server();
  const script = String.raw`
import base64, json, smtplib, ssl, sys
args = json.load(sys.stdin)
context = ssl.create_default_context(cafile=args["cert"])
with smtplib.SMTP("127.0.0.1", args["port"], local_hostname="client.mailport.test", timeout=10) as s:
    s.starttls(context=context)
    s.login(args["user"], args["password"])
    refused = s.sendmail(args["sender"], args["recipients"], base64.b64decode(args["message"]))
print(json.dumps(sorted(refused)))
`;
  const result = spawnSync("python3", ["-c", script], {
    encoding: "utf8",
    input: JSON.stringify({
      cert: p.certPath,
      port: p.port,
      user: p.username,
      password: p.password,
      sender,
      recipients,
      message: Buffer.from(message).toString("base64"),
    }),
  });
  if (result.status !== 0) throw new Error(`smtplib failed: ${result.stderr}`);
}

function textMessage(subject: string, body: string, id: string): EmailMessage {
  const message = new EmailMessage();
  message.set("From", "Tester <tester@mailport.test>");
  message.set("To", "Alice <alice@mailport.test>");
  message.set("Subject", subject);
  message.set("Message-ID", id);
  message.set("Date", "Sat, 21 Nov 2026 12:00:00 +0000");
  message.setContent(body);
  return message;
}

describe.skipIf(postfix === undefined)(
  `mailport against Postfix${availability.available ? "" : ` (skipped: ${availability.reason})`}`,
  () => {
    describe("STARTTLS and AUTH", () => {
      it("upgrades with STARTTLS when it is required, trusting the certificate through certBundle", async () => {
        const smtp = client({ startTls: true });
        await smtp.connect();
        expect(smtp.isTls).toBe(true);
        expect(smtp.supportsExtension("auth")).toBe(true);
      });

      it("upgrades opportunistically when startTls is left undefined and the server offers it", async () => {
        const smtp = client({ startTls: undefined });
        await smtp.connect();
        expect(smtp.isTls).toBe(true);
      });

      it("fails the handshake with SMTPConnectError when the self-signed certificate is not trusted", async () => {
        const smtp = client({ certBundle: undefined });
        await expect(smtp.connect()).rejects.toBeInstanceOf(SMTPConnectError);
        expect(smtp.isConnected).toBe(false);
      });

      it("offers no AUTH before TLS, so logging in in clear text fails with a clear SMTPException", async () => {
        const smtp = client({ startTls: false });
        await smtp.connect();
        await smtp.ehlo();
        expect(smtp.supportsExtension("starttls")).toBe(true);
        expect(smtp.supportsExtension("auth")).toBe(false);
        const error = await smtp.login(server().username, server().password).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPException);
        expect((error as Error).message).toMatch(/AUTH extension is not supported.*Try connecting via TLS/);
      });

      it("offers AUTH PLAIN and LOGIN once encrypted", async () => {
        const smtp = client();
        await smtp.connect();
        expect(smtp.serverAuthMethods).toEqual(expect.arrayContaining(["plain", "login"]));
      });

      it("logs in with AUTH PLAIN", async () => {
        const smtp = client();
        await smtp.connect();
        const reply = await smtp.authPlain(server().username, server().password);
        expect(reply.code).toBe(235);
      });

      it("logs in with AUTH LOGIN", async () => {
        const smtp = client();
        await smtp.connect();
        const reply = await smtp.authLogin(server().username, server().password);
        expect(reply.code).toBe(235);
      });

      it("fails AUTH PLAIN with a wrong password: SMTPAuthenticationError 535", async () => {
        const smtp = client();
        await smtp.connect();
        const error = await smtp.authPlain(server().username, "wrong").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPAuthenticationError);
        expect((error as SMTPAuthenticationError).code).toBe(535);
      });

      it("fails AUTH LOGIN with a wrong password: SMTPAuthenticationError 535", async () => {
        const smtp = client();
        await smtp.connect();
        const error = await smtp.authLogin(server().username, "wrong").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPAuthenticationError);
        expect((error as SMTPAuthenticationError).code).toBe(535);
      });

      it("fails connect() with SMTPAuthenticationError for a wrong password, and closes", async () => {
        const smtp = client({ username: server().username, password: "wrong" });
        const error = await smtp.connect().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPAuthenticationError);
        expect((error as SMTPAuthenticationError).code).toBe(535);
        expect(smtp.isConnected).toBe(false);
      });
    });

    describe("messages as Postfix delivers them", () => {
      it("delivers an EmailMessage byte for byte, minus the fields Postfix adds", async () => {
        const id = uniqueId();
        const message = textMessage("A plain message", "Hello Alice,\n.a line starting with a dot\n..and two\n\nBye.\n", id);
        const result = await send(message, options(login()));
        expect(result.errors.size).toBe(0);
        expect(result.response.code).toBe(250);
        const delivered = await waitForDelivery(server(), "alice", id);
        const sent = flattenMessage(message, { utf8: false, cteType: "8bit" });
        expect(withoutDeliveryFields(delivered).toString("latin1")).toBe(asDelivered(sent).toString("latin1"));
      });

      it("delivers raw bytes exactly as Python's smtplib does (dots, bare LF, no final newline)", async () => {
        const id = uniqueId();
        const raw = Buffer.from(
          `From: tester@mailport.test\r\nTo: bob@mailport.test\r\nSubject: raw\r\nMessage-ID: ${id}\n\n.\n.. two dots\r\nbare LF\nend without newline`,
          "latin1",
        );
        const pythonId = id.replace("<", "<py-");
        const viaPython = Buffer.from(raw.toString("latin1").replace(id, pythonId), "latin1");
        await send(raw, options({ ...login(), sender: "tester@mailport.test", recipients: ["bob@mailport.test"] }));
        sendWithSmtplib("tester@mailport.test", ["bob@mailport.test"], viaPython);
        const ours = withoutDeliveryFields(await waitForDelivery(server(), "bob", id)).toString("latin1");
        const theirs = withoutDeliveryFields(await waitForDelivery(server(), "bob", pythonId)).toString("latin1");
        expect(ours).toBe(theirs.replace(pythonId, id));
      });

      it("sends non-ASCII addresses with SMTPUTF8, and Postfix delivers to the UTF-8 mailbox", async () => {
        const id = uniqueId();
        const message = new EmailMessage();
        message.set("From", "Añil <añil@mailport.test>");
        message.set("To", "José <jösé@mailport.test>");
        message.set("Subject", "Grüße über SMTPUTF8");
        message.set("Message-ID", id);
        message.setContent("Hallo José, schöne Grüße!\n");
        const smtp = client(login());
        await smtp.connect();
        expect(smtp.supportsExtension("smtputf8")).toBe(true);
        const sent = sentLines(smtp);
        const result = await smtp.sendMessage(message);
        expect(result.errors.size).toBe(0);
        // Postfix would take the UTF-8 address without it too: the client must ask.
        expect(sent.find((line) => line.startsWith("MAIL FROM:"))).toMatch(/^MAIL FROM:<añil@mailport\.test>.* SMTPUTF8(\s|$)/);
        const delivered = await waitForDelivery(server(), "jösé", id);
        expect(delivered.toString("utf8")).toContain("Return-Path: <añil@mailport.test>");
        expect(delivered.toString("utf8")).toContain("Delivered-To: jösé@mailport.test");
        const wire = flattenMessage(message, { utf8: true, cteType: "8bit" });
        expect(withoutDeliveryFields(delivered).equals(asDelivered(wire))).toBe(true);
      });

      it("sends an 8-bit body with BODY=8BITMIME and it arrives unchanged", async () => {
        const id = uniqueId();
        const raw = Buffer.concat([
          Buffer.from(
            `From: tester@mailport.test\r\nTo: alice@mailport.test\r\nSubject: 8bit\r\nMessage-ID: ${id}\r\n` +
              "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
            "latin1",
          ),
          Buffer.from("Ünïcödé body: 日本語, ½ and ÿ\r\n", "utf8"),
        ]);
        const smtp = client(login());
        await smtp.connect();
        expect(smtp.supportsExtension("8bitmime")).toBe(true);
        const sent = sentLines(smtp);
        await smtp.sendmail("tester@mailport.test", ["alice@mailport.test"], raw);
        // Postfix would take the 8-bit data without it too: the client must declare it.
        expect(sent.find((line) => line.startsWith("MAIL FROM:"))).toMatch(/^MAIL FROM:<tester@mailport\.test>.* BODY=8BITMIME(\s|$)/);
        const delivered = await waitForDelivery(server(), "alice", id);
        expect(withoutDeliveryFields(delivered).equals(asDelivered(raw))).toBe(true);
      });

      it("has DSN parameters accepted, and Postfix's success notice comes back to the sender", async () => {
        const id = uniqueId();
        const envid = `mailport-${randomUUID()}`;
        const raw = Buffer.from(`From: tester@mailport.test\r\nTo: alice@mailport.test\r\nSubject: dsn\r\nMessage-ID: ${id}\r\n\r\nbody\r\n`, "latin1");
        const smtp = client(login());
        await smtp.connect();
        expect(smtp.supportsExtension("dsn")).toBe(true);
        const result = await smtp.sendmail("tester@mailport.test", ["alice@mailport.test"], raw, {
          mailOptions: ["RET=HDRS", `ENVID=${envid}`],
          rcptOptions: ["NOTIFY=SUCCESS", "ORCPT=rfc822;alice@mailport.test"],
        });
        expect(result.response.code).toBe(250);
        await waitForDelivery(server(), "alice", id);
        // RFC 3464: the notice carries the envelope id and the original recipient back.
        const notice = (await waitForDelivery(server(), "tester", envid)).toString("latin1");
        expect(notice).toContain(`Original-Envelope-Id: ${envid}`);
        expect(notice).toMatch(/Original-Recipient: rfc822; ?alice@mailport\.test/);
        expect(notice).toMatch(/Action: delivered/);
      });

      it("sends the dsn option as RET, ENVID, NOTIFY and ORCPT, and Postfix's success notice comes back", async () => {
        const id = uniqueId();
        const envid = `mailport-${randomUUID()}`;
        const raw = Buffer.from(`From: tester@mailport.test\r\nTo: bob@mailport.test\r\nSubject: dsn option\r\nMessage-ID: ${id}\r\n\r\nbody\r\n`, "latin1");
        const smtp = client(login());
        await smtp.connect();
        const result = await smtp.sendmail("tester@mailport.test", ["bob@mailport.test"], raw, {
          dsn: { ret: "HDRS", envid, notify: ["SUCCESS"], orcpt: true },
        });
        expect(result.response.code).toBe(250);
        await waitForDelivery(server(), "bob", id);
        const notice = (await waitForDelivery(server(), "tester", envid)).toString("latin1");
        expect(notice).toContain(`Original-Envelope-Id: ${envid}`);
        expect(notice).toMatch(/Original-Recipient: rfc822; ?bob@mailport\.test/);
        expect(notice).toMatch(/Action: delivered/);
      });

      it("refuses before sending when the message is larger than the SIZE the server announces", async () => {
        const smtp = client(login());
        await smtp.connect();
        expect(smtp.esmtpExtensions.get("size")).toBe("1048576");
        const big = Buffer.alloc(1_100_000, "a");
        await expect(smtp.sendmail("tester@mailport.test", ["alice@mailport.test"], big)).rejects.toBeInstanceOf(SMTPNotSupported);
        expect(smtp.isConnected).toBe(true);
      });

      it("has MAIL refused with 552 when it declares a SIZE over the limit", async () => {
        const smtp = client(login());
        await smtp.connect();
        const error = await smtp.mail("tester@mailport.test", { options: ["SIZE=2000000"] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPSenderRefused);
        expect((error as SMTPSenderRefused).code).toBe(552);
      });

      it("has the data refused with 552 when a message over the limit is sent anyway", async () => {
        const smtp = client(login());
        await smtp.connect();
        const big = Buffer.concat([Buffer.from("Subject: too big\r\n\r\n"), Buffer.alloc(1_100_000, "line of text\r\n")]);
        // A false SIZE declaration gets past MAIL; sendmail() refuses to send one, so the
        // transaction is made command by command.
        await smtp.mail("tester@mailport.test", { options: ["SIZE=1000"] });
        await smtp.rcpt("alice@mailport.test");
        const error = await smtp.data(big).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPDataError);
        expect((error as SMTPDataError).code).toBe(552);
      });

      it("reports an unknown local recipient as refused, and delivers to the others", async () => {
        const id = uniqueId();
        const raw = Buffer.from(`From: tester@mailport.test\r\nSubject: some refused\r\nMessage-ID: ${id}\r\n\r\nbody\r\n`, "latin1");
        const smtp = client(login());
        await smtp.connect();
        const result = await smtp.sendmail(
          "tester@mailport.test",
          ["alice@mailport.test", "nobody@mailport.test", "bob@mailport.test"],
          raw,
        );
        expect([...result.errors.keys()]).toEqual(["nobody@mailport.test"]);
        expect(result.errors.get("nobody@mailport.test")?.code).toBe(550);
        expect(withoutDeliveryFields(await waitForDelivery(server(), "alice", id)).equals(asDelivered(raw))).toBe(true);
        expect(withoutDeliveryFields(await waitForDelivery(server(), "bob", id)).equals(asDelivered(raw))).toBe(true);
      });

      it("refuses every recipient outside its domains: the test instance never relays", async () => {
        const smtp = client(login());
        await smtp.connect();
        const error = await smtp
          .sendmail("tester@mailport.test", ["someone@example.com"], "Subject: relay\r\n\r\nno\r\n")
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SMTPRecipientsRefused);
        expect((error as SMTPRecipientsRefused).recipients[0]?.code).toBe(554);
      });
    });

    describe("PIPELINING and CHUNKING", () => {
      it("offers PIPELINING and CHUNKING on one port and neither on the other", async () => {
        const full = client();
        await full.connect();
        expect(full.supportsExtension("pipelining")).toBe(true);
        expect(full.supportsExtension("chunking")).toBe(true);
        const plain = client({ port: server().plainPort });
        await plain.connect();
        expect(plain.supportsExtension("pipelining")).toBe(false);
        expect(plain.supportsExtension("chunking")).toBe(false);
      });

      it("PIPELINING makes no difference to what is delivered or refused", async () => {
        const outcome = async (port: number): Promise<{ errors: [string, number][]; body: string }> => {
          const id = uniqueId();
          const raw = Buffer.from(`From: tester@mailport.test\r\nSubject: same\r\nMessage-ID: ${id}\r\n\r\n.dot\r\nbody\r\n`, "latin1");
          const result = await send(raw, options({
            ...login(),
            port,
            sender: "tester@mailport.test",
            recipients: ["alice@mailport.test", "nobody@mailport.test"],
          }));
          const delivered = withoutDeliveryFields(await waitForDelivery(server(), "alice", id));
          return {
            errors: [...result.errors].map(([address, reply]) => [address, reply.code]),
            body: delivered.toString("latin1").replace(id, "<id>"),
          };
        };
        const withExtensions = await outcome(server().port);
        const without = await outcome(server().plainPort);
        expect(withExtensions).toEqual(without);
        expect(withExtensions.errors).toEqual([["nobody@mailport.test", 550]]);
      });

      it("CHUNKING (BDAT) makes no difference to what is delivered or refused", async () => {
        // A message over one chunk (64 KiB), lines that DATA must dot-stuff and BDAT must not.
        const body = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `.line ${i} starts with a dot` : `line ${i} of the body`)).join("\r\n");
        const outcome = async (port: number, chunking: boolean): Promise<{ errors: [string, number][]; body: string; log: string[] }> => {
          const id = uniqueId();
          const raw = Buffer.from(`From: tester@mailport.test\r\nSubject: chunks\r\nMessage-ID: ${id}\r\n\r\n${body}\r\n`, "latin1");
          const log: string[] = [];
          const result = await send(raw, options({
            ...login(),
            port,
            chunking,
            sender: "tester@mailport.test",
            recipients: ["alice@mailport.test", "nobody@mailport.test"],
            logLevel: "debug",
            logger: { debug: (line) => log.push(line) },
          }));
          const delivered = withoutDeliveryFields(await waitForDelivery(server(), "alice", id));
          expect(delivered.equals(asDelivered(raw))).toBe(true);
          return {
            errors: [...result.errors].map(([address, reply]) => [address, reply.code]),
            body: delivered.toString("latin1").replace(id, "<id>"),
            log: log.filter((line) => /^C: (BDAT|DATA)/.test(line)),
          };
        };
        const chunked = await outcome(server().port, true);
        const withData = await outcome(server().plainPort, true);
        expect(chunked.log.length).toBeGreaterThan(1);
        expect(chunked.log.every((line) => line.startsWith("C: BDAT"))).toBe(true);
        expect(chunked.log.at(-1)).toMatch(/^C: BDAT \d+ LAST$/);
        expect(withData.log).toEqual(["C: DATA"]);
        expect(chunked.errors).toEqual(withData.errors);
        expect(chunked.body).toBe(withData.body);
        expect(chunked.errors).toEqual([["nobody@mailport.test", 550]]);
      });
    });

    describe("a connection per message", () => {
      it("sends one message on each of several connections in a row, with STARTTLS and AUTH", async () => {
        const ids = [uniqueId(), uniqueId(), uniqueId()];
        for (const id of ids) {
          const raw = Buffer.from(`From: tester@mailport.test\r\nSubject: one of three\r\nMessage-ID: ${id}\r\n\r\nbody\r\n`, "latin1");
          const result = await send(raw, options({ ...login(), sender: "tester@mailport.test", recipients: "bob@mailport.test" }));
          expect(result.response.code).toBe(250);
        }
        for (const id of ids) await waitForDelivery(server(), "bob", id);
      });
    });
  },
);
