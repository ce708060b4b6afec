/**
 * The set side of the content manager (Python's `raw_data_manager.set_content`): the
 * transfer encoding chosen for text, and the refusals at the boundary.
 */
import { describe, expect, it } from "vitest";
import { EmailMessage, policy } from "../../src/index.js";
import { runPythonJson } from "../helpers/python.js";

const TEXTS: Record<string, string> = {
  ascii: "Hello\n",
  asciiLong: `${"word ".repeat(40)}\n`,
  latin: "Grüße aus Köln\n",
  mostlyNonAscii: `${"éèêë".repeat(30)}\n`,
  someNonAsciiLongLines: `${"a".repeat(90)} é\n`.repeat(3),
  cjk: "日本語のテキスト\n",
  emoji: "🎉 party\n",
  empty: "",
  crlf: "one\r\ntwo\r\n",
  bareCr: "one\rtwo\r",
  tabs: "a\tb\t\n",
  fromLine: "From here\n",
  lineOf78: `${"x".repeat(78)}\n`,
  lineOf79: `${"x".repeat(79)}\n`,
};

/** Python's chosen Content-Transfer-Encoding for each text, under default and a 7bit policy. */
const chosen = runPythonJson<Record<string, [string, string]>>(
  `
import json, sys
from email.message import EmailMessage
from email import policy
out = {}
for name, text in json.load(sys.stdin).items():
    ctes = []
    for p in (policy.default, policy.default.clone(cte_type="7bit")):
        m = EmailMessage(policy=p)
        m.set_content(text)
        ctes.append(m["Content-Transfer-Encoding"])
    out[name] = ctes
print(json.dumps(out))
`,
  TEXTS,
);

describe("the transfer encoding chosen for text", () => {
  it("is the one python3's set_content chooses, under 8bit and 7bit policies", () => {
    const ours = Object.fromEntries(
      Object.entries(TEXTS).map(([name, text]) => {
        const ctes = [policy.default, policy.default.clone({ cteType: "7bit" })].map((p) => {
          const msg = new EmailMessage(p);
          msg.setContent(text);
          return msg.get("Content-Transfer-Encoding");
        });
        return [name, ctes];
      }),
    );
    expect(ours).toEqual(chosen);
  });

  it("keeps the text: getContent gives back what was set, line endings made LF", () => {
    for (const text of Object.values(TEXTS)) {
      const msg = new EmailMessage();
      msg.setContent(text);
      expect(msg.getContent()).toBe(text === "" ? "\n" : text.replace(/\r\n|\r/g, "\n"));
    }
  });

  it("honours an explicit cte and charset", () => {
    const msg = new EmailMessage();
    msg.setContent("Grüße\n", { cte: "quoted-printable", charset: "iso-8859-1" });
    expect(msg.get("Content-Type")).toBe('text/plain; charset="iso-8859-1"');
    expect(msg.getPayload()).toBe("Gr=FC=DFe\n");
  });
});

describe("setContent refuses, with a clear error", () => {
  it("a maintype or subtype that is not a MIME token", () => {
    const msg = new EmailMessage();
    expect(() => msg.setContent(new Uint8Array(1), { maintype: "app lication", subtype: "x" })).toThrow(/maintype "app lication"/);
    expect(() => msg.setContent("x", { subtype: "pl;ain" })).toThrow(/subtype/);
  });

  it("string content with a maintype other than text, and bytes without maintype and subtype", () => {
    const msg = new EmailMessage();
    expect(() => msg.setContent("x", { maintype: "image" })).toThrow(/maintype must be "text"/);
    expect(() => msg.setContent(new Uint8Array(1))).toThrow(/needs maintype and subtype/);
    expect(() => msg.setContent(new Uint8Array(1), { maintype: "multipart", subtype: "mixed" })).toThrow(/multipart/);
  });

  it("an extra header that does not parse, or one given without a colon", () => {
    const msg = new EmailMessage();
    expect(() => msg.setContent("x", { headers: ["X-Thing no colon"] })).toThrow(/expected "Name: value"/);
    expect(() => msg.setContent("x", { headers: ["To: <"] })).toThrow(/invalid header/);
  });

  it("a transfer encoding message parts may not use (RFC 2046 §5.2)", () => {
    const inner = new EmailMessage();
    inner.setContent("x\n");
    const msg = new EmailMessage();
    expect(() => msg.setContent(inner, { cte: "base64" })).toThrow(/message\/rfc822/);
    expect(() => msg.setContent(inner, { subtype: "external-body", cte: "8bit" })).toThrow(/external-body/);
  });

  it("content on a multipart, and content of another kind", () => {
    const msg = new EmailMessage();
    msg.makeMixed();
    expect(() => msg.setContent("x")).toThrow(/multipart/);
    expect(() => new EmailMessage().setContent(42 as unknown as string)).toThrow(/not number/);
  });
});
