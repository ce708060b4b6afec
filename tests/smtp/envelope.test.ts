import { describe, expect, it } from "vitest";
import { EmailMessage, Message } from "../../src/email/message.js";
import { envelopeAddress, extractRecipients, extractSender, parseAddress, quoteAddress, rawMessageId, withAsciiDomain } from "../../src/smtp/envelope.js";
import { python } from "./python.js";

/** Addresses in the forms MAIL and RCPT take. */
const VALID = [
  "a@b.example",
  "Foo <a@b.example>",
  "José <jösé@exämple.com>",
  "  spaced@x.example  ",
  "<angle@x.example>",
  "Name (comment) <c@x.example>",
  '"Quoted, Name" <q@x.example>',
  "=?utf-8?q?J=C3=B6?= <j@x.example>",
];

/** Text that is not exactly one address; aiosmtplib would send each as it is. */
const NOT_ONE_ADDRESS = [
  "bounce@example.com> RET=FULL ENVID=x <y",
  "victim@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;spy@evil.example <z",
  "<a@example.com> BODY=8BITMIME",
  "a@example.com SMTPUTF8",
  "a@b.example, c@d.example",
  "group: a@b.example;",
  "not an address",
  "a@",
  "@b.example",
  "a@b.c>",
  "<@relay.example:a@b.example>",
  '"a> RET=FULL"@x.example',
  '"a b"@x.example',
  "a..b@x.example",
  "a@-b.example",
];

describe("addresses for MAIL and RCPT", () => {
  it("takes an address, <address> or Name <address> as aiosmtplib's parse_address and quote_address (run in Python)", () => {
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import parseaddr
def parse_address(address):
    return parseaddr(address)[1] or address.strip()
print(json.dumps([[parse_address(a), "<" + parse_address(a) + ">"] for a in json.load(sys.stdin)]))
`,
      VALID,
    );
    VALID.forEach((input, i) => {
      expect([parseAddress(input), quoteAddress(input)]).toEqual(expected[i]);
    });
  });

  for (const input of NOT_ONE_ADDRESS) {
    it(`refuses ${JSON.stringify(input)} with a TypeError naming it, where aiosmtplib would send the text`, () => {
      expect(() => quoteAddress(input)).toThrow(TypeError);
      expect(() => quoteAddress(input)).toThrow(JSON.stringify(input));
    });
  }

  it("refuses a control character, which could inject a command", () => {
    expect(() => quoteAddress("a@example.com\r\nRSET")).toThrow(/contains a control character/);
  });

  it("sends <> as the null reverse-path, where aiosmtplib would send <<>>", () => {
    expect(quoteAddress("<>")).toBe("<>");
    expect(quoteAddress("")).toBe("<>");
    expect(parseAddress(" <> ")).toBe("");
  });

  it("reads an address the same way the second time, when it is remembered: accepted or refused", () => {
    const first = VALID.map((input) => parseAddress(input));
    expect(VALID.map((input) => parseAddress(input))).toEqual(first);
    for (const input of NOT_ONE_ADDRESS) {
      expect(() => parseAddress(input)).toThrow(TypeError);
      expect(() => parseAddress(input)).toThrow(JSON.stringify(input));
    }
    expect(() => envelopeAddress("", "recipient")).toThrow(/only the sender can be the null address/);
    expect(envelopeAddress("", "sender", { nullAllowed: true })).toBe("");
    expect(() => envelopeAddress("", "recipient")).toThrow(/only the sender can be the null address/);
  });

  it("keeps domain literals", () => {
    expect(parseAddress("Ops <ops@[192.0.2.1]>")).toBe("ops@[192.0.2.1]");
    expect(quoteAddress("x@[IPv6:2001:db8::1]")).toBe("<x@[IPv6:2001:db8::1]>");
  });

  it("writes an internationalized domain as A-labels, leaving ASCII and literal domains alone", () => {
    expect(withAsciiDomain("b@bücher.example")).toBe("b@xn--bcher-kva.example");
    expect(withAsciiDomain("b@example.com")).toBe("b@example.com");
    expect(withAsciiDomain("x@[127.0.0.1]")).toBe("x@[127.0.0.1]");
  });
});

describe("the envelope from the headers", () => {
  it("keeps domain-literal addresses of an EmailMessage, read from the typed headers", () => {
    const message = new EmailMessage();
    message.set("From", "Ops <ops@[192.0.2.1]>");
    message.set("To", "a@example.com, x@[127.0.0.1]");
    expect(extractSender(message)).toBe("ops@[192.0.2.1]");
    expect(extractRecipients(message)).toEqual(["a@example.com", "x@[127.0.0.1]"]);
  });

  it("keeps domain-literal addresses of a legacy Message", () => {
    const message = new Message();
    message.set("From", "Ops <ops@[192.0.2.1]>");
    message.set("To", "a@example.com, x@[127.0.0.1]");
    expect(extractSender(message)).toBe("ops@[192.0.2.1]");
    expect(extractRecipients(message)).toEqual(["a@example.com", "x@[127.0.0.1]"]);
  });

  it("leaves out empty groups, which name no recipient", () => {
    const message = new Message();
    message.set("To", "undisclosed-recipients:;");
    message.set("Bcc", "hidden@example.com");
    expect(extractRecipients(message)).toEqual(["hidden@example.com"]);
  });

  for (const MessageClass of [Message, EmailMessage]) {
    it(`refuses a recipient header it cannot read (${MessageClass.name}), rather than dropping an address`, () => {
      const message = new MessageClass();
      message.set("From", "a@example.com");
      message.set("To", "b@example.com, c@example.com> NOTIFY=NEVER");
      expect(() => extractRecipients(message)).toThrow(/the To header .* cannot be read as addresses/);
      message.replaceHeader("To", "b@example.com, not an address");
      expect(() => extractRecipients(message)).toThrow(TypeError);
    });

    it(`refuses a sender header it cannot read (${MessageClass.name})`, () => {
      const message = new MessageClass();
      message.set("From", "nobody");
      expect(() => extractSender(message)).toThrow(/From header/);
    });
  }
});

describe("the Message-ID of a raw message", () => {
  const latin1 = (text: string): Buffer => Buffer.from(text, "latin1");

  it("is read from the header block, unfolded, never from the body", () => {
    expect(rawMessageId(latin1("Subject: x\r\nMessage-ID:\r\n <a@example.com>\r\n\r\nMessage-ID: <body@example.com>\r\n"))).toBe("<a@example.com>");
    expect(rawMessageId(latin1("Subject: x\n\nMessage-ID: <body@example.com>\n"))).toBeUndefined();
    expect(rawMessageId(latin1("Subject: x\r\n\nMessage-ID: <body@example.com>\n"))).toBeUndefined();
    expect(rawMessageId(latin1("Subject: x\n\r\nMessage-ID: <body@example.com>\n"))).toBeUndefined();
  });

  it("is read from the whole text when there is no body", () => {
    expect(rawMessageId(latin1("Subject: x\r\nmessage-id : <only@example.com>"))).toBe("<only@example.com>");
    expect(rawMessageId(latin1(""))).toBeUndefined();
  });
});
