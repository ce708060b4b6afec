/**
 * The generator (Python's `email.generator`): what it writes for headers whose values
 * cannot go out as they are, boundaries, and the Generator and BytesGenerator classes.
 */
import { describe, expect, it } from "vitest";
import {
  BoundaryError,
  BytesGenerator,
  EmailMessage,
  Generator,
  MIMEMultipart,
  MIMEText,
  messageFromBytes,
  policy,
} from "../../src/index.js";

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("latin1");

describe("parameter values holding CR, LF or NUL", () => {
  const cases: Array<[string, string, string]> = [
    ["an RFC 2231 %00", "Content-Type", "text/plain; name*=utf-8''a%00b.txt"],
    ["an RFC 2231 %0A", "Content-Disposition", "attachment; filename*=utf-8''a%0Ab.txt"],
    ["an RFC 2231 %0D", "Content-Disposition", "attachment; filename*=utf-8''a%0Db.txt"],
    ["an encoded word holding =0A", "Content-Disposition", 'attachment; filename="=?utf-8?q?a=0Ab.txt?="'],
  ];

  for (const [what, name, value] of cases) {
    it(`writes ${what} percent-encoded, never raw and without throwing`, () => {
      const msg = new EmailMessage();
      msg.set(name, value);
      for (const p of [policy.default, policy.SMTP, policy.SMTPUTF8, policy.HTTP]) {
        const out = latin1(msg.asBytes({ policy: p }));
        expect(out).not.toMatch(/\0/);
        expect(out.slice(0, out.indexOf(`${p.linesep}${p.linesep}`))).not.toMatch(new RegExp(`[\\r\\n](?![ \\t])(?!$)`));
        expect(out).toMatch(/\*=utf-8''a%0[0AD]b\.txt/);
      }
      const param = name === "Content-Type" ? "name" : "filename";
      const readBack = messageFromBytes(msg.asBytes()).getParam(param, { header: name });
      expect(readBack).toBe(msg.getParam(param, { header: name }));
    });
  }

  it("keeps a parsed message's such parameter as it came, and re-encodes it when refolding", () => {
    const raw =
      "Content-Type: text/plain; name*=utf-8''a%00b.txt\n" +
      'Content-Disposition: attachment;\n filename="=?utf-8?q?a=0Ab.txt?="\n\nbody\n';
    const parsed = messageFromBytes(new TextEncoder().encode(raw));
    expect(latin1(parsed.asBytes())).toBe(raw);
    const refolded = latin1(parsed.asBytes({ policy: policy.default.clone({ refoldSource: "all" }) }));
    expect(refolded).toBe(
      "Content-Type: text/plain; name*=utf-8''a%00b.txt\nContent-Disposition: attachment; filename*=utf-8''a%0Ab.txt\n\nbody\n",
    );
    expect(messageFromBytes(new TextEncoder().encode(refolded)).getFilename()).toBe("a\nb.txt");
  });

  it("writes ordinary parameters as Python does, quoted", () => {
    const msg = new EmailMessage();
    msg.set("Content-Disposition", "attachment; filename=report.pdf");
    expect(latin1(msg.asBytes())).toBe('Content-Disposition: attachment; filename="report.pdf"\n\n');
  });
});

describe("Generator and BytesGenerator", () => {
  it("write what asString and asBytes write, with the policy, linesep and header length asked for", () => {
    const msg = new EmailMessage();
    msg.set("Subject", "word ".repeat(20).trim());
    msg.setContent("body\n");
    expect(new Generator().flatten(msg)).toBe(msg.asString({ maxHeaderLength: 78 }));
    expect(latin1(new BytesGenerator({ policy: policy.SMTP }).flatten(msg))).toBe(latin1(msg.asBytes({ policy: policy.SMTP })));
    expect(new Generator().flatten(msg, { linesep: "\r\n" })).toBe(msg.asString({ policy: policy.SMTP }));
    const unfolded = new Generator({ maxHeaderLength: 0 }).flatten(msg);
    expect(unfolded.split("\n")[0]).toBe(`Subject: ${"word ".repeat(20).trim()}`);
  });

  it("escapes body lines starting with 'From ' when mangleFrom is set (compat32's default)", () => {
    const msg = new MIMEText("From here on\nnot From there\n");
    expect(new Generator().flatten(msg)).toContain("\n>From here on\nnot From there\n");
    expect(new Generator({ mangleFrom: false }).flatten(msg)).toContain("\nFrom here on\n");
  });

  it("writes the Unix From line when asked", () => {
    const msg = new EmailMessage();
    msg.setUnixfrom("From ada@example.com Thu Jan  1 00:00:00 2021");
    msg.setContent("x\n");
    expect(new Generator().flatten(msg, { unixfrom: true }).split("\n")[0]).toBe("From ada@example.com Thu Jan  1 00:00:00 2021");
  });

  it("transfer-encodes an 8-bit body in text output, which cannot carry octets", () => {
    const msg = new EmailMessage();
    msg.setContent("Grüße\n", { cte: "8bit" });
    expect(new Generator().flatten(msg)).toContain("Content-Transfer-Encoding: base64");
    expect(latin1(new BytesGenerator().flatten(msg))).toContain("Content-Transfer-Encoding: 8bit");
  });
});

describe("boundaries and the preamble and epilogue", () => {
  function mixed(boundary?: string): MIMEMultipart {
    const msg = new MIMEMultipart("mixed", boundary);
    msg.attach(new MIMEText("x"));
    return msg;
  }

  it("refuses a caller's boundary that a preamble line repeats", () => {
    const msg = mixed("abc");
    msg.preamble = "--abc";
    expect(() => msg.asBytes()).toThrow(BoundaryError);
    expect(() => msg.asBytes()).toThrow(/"abc".*preamble/);
    msg.preamble = "before\n--abc-- \nafter";
    expect(() => msg.asString()).toThrow(BoundaryError);
  });

  it("writes a caller's boundary that the epilogue repeats: readers ignore what follows the close delimiter", () => {
    const msg = mixed("abc");
    msg.epilogue = "--abc\n--abc--\n";
    const parsed = messageFromBytes(msg.asBytes());
    expect([...parsed.iterParts()].length).toBe(1);
    expect(parsed.epilogue).toBe(msg.epilogue);
  });

  it("accepts preamble and epilogue lines that only start like the boundary", () => {
    const msg = mixed("abc");
    msg.preamble = "--abcdef\n-- abc";
    msg.epilogue = "--abc-x";
    expect(() => msg.asBytes()).not.toThrow();
  });

  it("generates a boundary that the preamble and epilogue do not hold, and reads back the same parts", () => {
    const msg = new EmailMessage();
    msg.setContent("text\n");
    msg.addAttachment(new Uint8Array([1, 2, 3]), { maintype: "application", subtype: "octet-stream" });
    msg.preamble = "--===============0000000000000000000==\n";
    msg.epilogue = "--===============0000000000000000001==--\n";
    const parsed = messageFromBytes(msg.asBytes());
    expect([...parsed.iterParts()].length).toBe(2);
    expect(parsed.preamble).toBe(msg.preamble);
    expect(msg.getBoundary()).not.toMatch(/^={15}000000000000000000[01]==$/);
  });
});

describe("encoded words the caller wrote", () => {
  it("are kept as written in a quoted parameter value (Python rewrites them as RFC 2231)", () => {
    const msg = new EmailMessage();
    msg.set("Content-Disposition", 'attachment; filename="=?utf-8?q?f=C3=BC.txt?="');
    expect(latin1(msg.asBytes())).toBe('Content-Disposition: attachment; filename="=?utf-8?q?f=C3=BC.txt?="\n\n');
    expect(msg.getFilename()).toBe("fü.txt");
  });

  it("in a quoted parameter value too long for a line, go on a line of their own rather than into RFC 2231 sections", () => {
    const word = `=?utf-8?b?${Buffer.from(`${"ü".repeat(20)}.pdf`).toString("base64")}?=`;
    const msg = new EmailMessage();
    msg.set("Content-Disposition", `attachment; filename="${word}"`);
    expect(latin1(msg.asBytes())).toBe(`Content-Disposition: attachment;\n filename="${word}"\n\n`);
  });

  it("in a quoted display name are read as encoded, as Python and most readers do, and so written unquoted", () => {
    const msg = new EmailMessage();
    msg.set("From", '"=?utf-8?q?J=C3=B6rg?=" <j@example.com>');
    expect(msg.get("From")).toBe("Jörg <j@example.com>");
    expect(latin1(msg.asBytes())).toBe("From: =?utf-8?q?J=C3=B6rg?= <j@example.com>\n\n");
  });

  it("longer than the 75 characters RFC 2047 allows are written again as valid encoded words", () => {
    const word = `=?utf-8?q?${"caf=C3=A9_".repeat(7)}x?=`;
    expect(word.length).toBeGreaterThan(75);
    const msg = new EmailMessage();
    msg.set("Subject", word);
    const out = latin1(msg.asBytes());
    for (const ew of out.match(/=\?[^?\s]+\?[qb]\?[^?\s]*\?=/g) ?? []) expect(ew.length).toBeLessThanOrEqual(75);
    expect(messageFromBytes(msg.asBytes()).get("Subject")).toBe(msg.get("Subject"));
  });
});
