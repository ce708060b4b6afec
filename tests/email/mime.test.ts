/**
 * The legacy MIME classes (Python's `email.mime`): what their constructors set, the
 * transfer encodings they choose, and compat32 output of their headers.
 */
import { describe, expect, it } from "vitest";
import { MIMEText, decodeHeader, makeHeader, messageFromBytes, policy } from "../../src/index.js";

function text(msg: { asBytes(o?: object): Uint8Array }): string {
  return Buffer.from(msg.asBytes()).toString("latin1");
}

function longestLine(out: string): number {
  return Math.max(...out.split(/\r?\n/).map((l) => l.length));
}

describe("MIMEText chooses a transfer encoding that keeps lines within 998 octets", () => {
  it("writes quoted-printable for us-ascii text with a line over 998 octets (Python writes 7bit)", () => {
    const msg = new MIMEText("a".repeat(1200));
    expect(msg.get("Content-Transfer-Encoding")).toBe("quoted-printable");
    expect(longestLine(text(msg))).toBeLessThanOrEqual(76);
    expect(new TextDecoder().decode(msg.getPayload({ decode: true }))).toBe("a".repeat(1200));
  });

  it("writes base64 for a stateful iso-2022-jp line over 998 octets, which soft breaks would cut", () => {
    const msg = new MIMEText("日本語".repeat(300), "plain", "iso-2022-jp");
    expect(msg.get("Content-Transfer-Encoding")).toBe("base64");
    expect(longestLine(text(msg))).toBeLessThanOrEqual(76);
    const parsed = messageFromBytes(msg.asBytes());
    expect(parsed.getContent()).toBe("日本語".repeat(300));
  });

  it("keeps 7bit for lines of 998 octets or less, as Python", () => {
    expect(new MIMEText("a".repeat(998)).get("Content-Transfer-Encoding")).toBe("7bit");
    expect(new MIMEText("日本語".repeat(10), "plain", "iso-2022-jp").get("Content-Transfer-Encoding")).toBe("7bit");
  });

  it("leaves long lines of a parsed message alone: they go out as they came", () => {
    const raw = `Content-Type: text/plain\nContent-Transfer-Encoding: 7bit\n\n${"b".repeat(1200)}\n`;
    const parsed = messageFromBytes(new TextEncoder().encode(raw));
    expect(Buffer.from(parsed.asBytes()).toString("latin1")).toBe(raw);
  });
});

describe("compat32 output of address headers", () => {
  it("encodes only the display names of a non-ASCII address header; the addresses stay readable", () => {
    const msg = new MIMEText("hello");
    msg.set("To", "Jörg Müller <jorg@example.com>, plain@example.org");
    const line = text(msg).split("\n").find((l) => l.startsWith("To:"));
    expect(line).toBe("To: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jorg@example.com>, plain@example.org");
    expect(messageFromBytes(msg.asBytes()).getHeader("To")?.toString()).toBe("Jörg Müller <jorg@example.com>, plain@example.org");
  });

  it("writes an ASCII address header exactly as Python's compat32", () => {
    const msg = new MIMEText("hello");
    msg.set("To", "Bob <bob@example.org>");
    expect(text(msg)).toContain("\nTo: Bob <bob@example.org>\n");
  });

  it("keeps encoding the whole value of an unstructured header, in words of at most 75 characters", () => {
    const msg = new MIMEText("x");
    msg.set("Subject", "ü".repeat(2000));
    for (const out of [msg.asString(), msg.toString(), text(msg)]) {
      const words = out.match(/=\?[^?\s]+\?[bq]\?[^?\s]*\?=/g) ?? [];
      expect(words.length).toBeGreaterThan(1);
      expect(Math.max(...words.map((w) => w.length))).toBeLessThanOrEqual(75);
      expect(longestLine(out)).toBeLessThanOrEqual(998);
      const subject = out.slice(out.indexOf("Subject:") + 9, out.indexOf("\n\n")).replace(/\n(?=[ \t])/g, "");
      expect(makeHeader(decodeHeader(subject)).toString()).toBe("ü".repeat(2000));
    }
  });

  it("refuses a non-ASCII local part: compat32 has no utf8 to carry it", () => {
    const msg = new MIMEText("x");
    msg.set("To", "jörg@example.com");
    expect(() => msg.asBytes()).toThrow(/To header .*policy\.SMTPUTF8/);
    expect(() => msg.asBytes({ policy: policy.SMTPUTF8 })).not.toThrow();
  });
});
