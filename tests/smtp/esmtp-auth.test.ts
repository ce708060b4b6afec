import { describe, expect, it } from "vitest";
import { authCramMd5Verify, authLoginEncode, authPlainEncode, authXoauth2Encode } from "../../src/smtp/auth.js";
import { parseEsmtpExtensions } from "../../src/smtp/esmtp.js";
import { python } from "./python.js";

const EHLO_REPLIES = [
  "mx.test Hello\nPIPELINING\n8BITMIME\nSMTPUTF8\nSIZE 10240000\nAUTH PLAIN LOGIN CRAM-MD5\nSTARTTLS",
  "size.does.matter.af.MIL offers FIFTEEN extensions:\n8BITMIME\nPIPELINING\nDSN\nENHANCEDSTATUSCODES\nEXPN\nHELP\nSAML\nSEND\nSOML\nTURN\nXADR\nXSTA\nETRN\nXGEN\nSIZE 51200000",
  "old.server\nAUTH=LOGIN PLAIN\nAUTH LOGIN PLAIN\nsize   42  \nX-EXT-1 a b c\n-bad line\n",
  "only the greeting",
];

describe("parseEsmtpExtensions", () => {
  it("finds the same extensions and parameters as Python's smtplib", () => {
    // smtplib parses EHLO the way aiosmtplib does, except that it keeps AUTH's parameters concatenated.
    const expected = python<Array<Record<string, string>>>(
      `
import json, sys, smtplib
out = []
for text in json.load(sys.stdin):
    s = smtplib.SMTP()
    s.putcmd = lambda *a, **k: None
    s.getreply = lambda text=text: (250, text.encode())
    s.ehlo("client.test")
    out.append({k: v for k, v in s.esmtp_features.items() if k != "auth"})
print(json.dumps(out))
`,
      EHLO_REPLIES,
    );
    EHLO_REPLIES.forEach((reply, i) => {
      const { extensions } = parseEsmtpExtensions(reply);
      const mine = Object.fromEntries([...extensions].filter(([k]) => k !== "auth"));
      expect(mine).toEqual(expected[i]);
    });
  });

  it("collects AUTH mechanisms in lower case, each once", () => {
    expect(parseEsmtpExtensions(EHLO_REPLIES[0] ?? "").authMethods).toEqual(["plain", "login", "cram-md5"]);
    expect(parseEsmtpExtensions(EHLO_REPLIES[2] ?? "").authMethods).toEqual(["login", "plain"]);
  });

  it("counts the old AUTH= form as the AUTH extension, without overriding a proper AUTH line", () => {
    const oldOnly = parseEsmtpExtensions("old.server\nAUTH=LOGIN");
    expect(oldOnly.extensions.get("auth")).toBe("LOGIN");
    expect(oldOnly.authMethods).toEqual(["login"]);
    const both = parseEsmtpExtensions("s\nAUTH PLAIN CRAM-MD5\nAUTH=LOGIN");
    expect(both.extensions.get("auth")).toBe("PLAIN CRAM-MD5");
    expect(both.authMethods).toEqual(["plain", "cram-md5", "login"]);
  });

  it("skips the first line, the server's greeting", () => {
    expect(parseEsmtpExtensions("SIZE 10").extensions.size).toBe(0);
  });
});

describe("SASL encodings", () => {
  const cases = [
    ["user", "pass"],
    ["jösé@exämple.com", "pässwörd ✓"],
    ["", ""],
  ] as const;

  it("encode PLAIN, LOGIN, CRAM-MD5 and XOAUTH2 as Python does, with UTF-8 credentials", () => {
    const challenge = Buffer.from("<1896.697170952@postoffice.example.net>").toString("base64");
    const expected = python<Array<[string, string, string, string, string]>>(
      `
import base64, hmac, json, sys
b = lambda x: base64.b64encode(x).decode()
out = []
for user, pw, challenge in json.load(sys.stdin):
    u, p = user.encode(), pw.encode()
    digest = hmac.new(p, msg=base64.b64decode(challenge), digestmod="md5").hexdigest()
    out.append([b(b"\\0" + u + b"\\0" + p), b(u), b(p), b(u + b" " + digest.encode()),
                b(b"user=" + u + b"\\x01auth=Bearer " + p + b"\\x01\\x01")])
print(json.dumps(out))
`,
      cases.map(([u, p]) => [u, p, challenge]),
    );
    cases.forEach(([user, password], i) => {
      const [plain, loginUser, loginPassword, cram, xoauth2] = expected[i] ?? [];
      expect(authPlainEncode(user, password)).toBe(plain);
      expect(authLoginEncode(user, password)).toEqual([loginUser, loginPassword]);
      expect(authCramMd5Verify(user, password, challenge)).toBe(cram);
      expect(authXoauth2Encode(user, password)).toBe(xoauth2);
    });
  });

  it("answers RFC 2195's CRAM-MD5 example", () => {
    const challenge = Buffer.from("<1896.697170952@postoffice.reston.mci.net>").toString("base64");
    const answer = Buffer.from(authCramMd5Verify("tim", "tanstaaftanstaaf", challenge), "base64").toString();
    expect(answer).toBe("tim b913a602c7eda7a495b4e6e7334d3890");
  });

  it("refuses an XOAUTH2 user name holding its \\x01 separator", () => {
    expect(() => authXoauth2Encode("a\x01auth=x", "t")).toThrow(TypeError);
  });
});
