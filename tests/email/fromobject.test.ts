/**
 * Messages from plain objects. Every message built here is also built in Python with the
 * calls a Python user would make (set_content, add_alternative, add_related,
 * add_attachment on the same values), and the bytes are compared once the random
 * boundaries are given the same names and the MIME-Version headers of sub-parts (a
 * documented divergence) are left out. Content types are compared with Python's built-in
 * `mimetypes` table.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EmailMessage,
  EmailValidationError,
  KNOWN_EXTENSIONS,
  MessageError,
  guessContentType,
  policy,
  type EmailInit,
} from "../../src/index.js";
import { asLatin1, runPythonJson } from "../helpers/python.js";

/** A case: the object, and how Python builds the same message. */
interface Case {
  readonly init: EmailInit;
  /** Python: header name to value, in order. */
  readonly headers: Array<[string, string]>;
  readonly text?: string;
  readonly html?: string;
  /** Python: attachments with their content as base64 (bytes) or text. */
  readonly attachments: Array<{
    readonly kind: "text" | "bytes";
    readonly data: string;
    readonly maintype: string;
    readonly subtype: string;
    readonly filename: string;
    readonly disposition: string;
    readonly cid?: string;
    readonly related: boolean;
  }>;
}

const BUILD_PY = String.raw`
import base64, json, sys
from email.message import EmailMessage
from email.headerregistry import Address
import email.policy

def build(case):
    m = EmailMessage()
    for name, value in case["headers"]:
        m[name] = value
    text, html = case.get("text"), case.get("html")
    if text:
        m.set_content(text)
    if html:
        if text:
            m.add_alternative(html, subtype="html")
        else:
            m.set_content(html, subtype="html")
    html_part = m.get_payload()[1] if (text and html) else m
    def add(target, a):
        kw = {"filename": a["filename"], "disposition": a["disposition"]}
        if a.get("cid"):
            kw["cid"] = a["cid"]
        if a["kind"] == "text":
            target(a["data"], subtype=a["subtype"], **kw)
        else:
            target(base64.b64decode(a["data"]), a["maintype"], a["subtype"], **kw)
    for a in case["attachments"]:
        if a["related"] and html:
            add(html_part.add_related, a)
    for a in case["attachments"]:
        if not (a["related"] and html):
            add(m.add_attachment, a)
    return m.as_bytes(policy=email.policy.SMTP).decode("latin1")

cases = json.load(sys.stdin)
print(json.dumps([build(c) for c in cases]))
`;

/** Boundaries renamed in order of appearance; MIME-Version kept only on the message itself. */
function normalize(text: string): string {
  const names = new Map<string, string>();
  const boundaries = [...text.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1] as string);
  let out = text;
  for (const boundary of boundaries) {
    if (!names.has(boundary)) names.set(boundary, `BOUNDARY${names.size}`);
    out = out.split(boundary).join(names.get(boundary) as string);
  }
  const first = out.indexOf("MIME-Version: 1.0\r\n");
  return out.slice(0, first + 1) + out.slice(first + 1).split("MIME-Version: 1.0\r\n").join("");
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]);
const PDF_BASE64 = Buffer.from("%PDF-1.4 fake\n").toString("base64");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mailport-fromobject-"));
  writeFileSync(path.join(dir, "report.csv"), "a,b\n1,2\n");
});

const CASES: Case[] = [
  {
    init: { from: "Ada <ada@example.com>", to: "bob@example.org", subject: "Plain", text: "Hello Bob\n" },
    headers: [["From", "Ada <ada@example.com>"], ["To", "bob@example.org"], ["Subject", "Plain"]],
    text: "Hello Bob\n",
    attachments: [],
  },
  {
    init: {
      from: { email: "ada@example.com", name: "Ada Lövelace" },
      to: [{ email: "bob@example.org" }, "Carol <carol@example.org>"],
      cc: "dave@example.org",
      bcc: ["eve@example.org"],
      replyTo: { email: "replies@example.com", name: "Replies, Inc." },
      subject: "Grüße",
      text: "Grüße aus Köln\n",
      html: "<p>Grüße</p>\n",
      headers: { "X-Campaign": "spring", "List-Unsubscribe": "<mailto:unsub@example.com>" },
    },
    headers: [
      ["From", "Ada Lövelace <ada@example.com>"],
      ["To", "bob@example.org, Carol <carol@example.org>"],
      ["Cc", "dave@example.org"],
      ["Bcc", "eve@example.org"],
      ["Reply-To", '"Replies, Inc." <replies@example.com>'],
      ["Subject", "Grüße"],
      ["X-Campaign", "spring"],
      ["List-Unsubscribe", "<mailto:unsub@example.com>"],
    ],
    text: "Grüße aus Köln\n",
    html: "<p>Grüße</p>\n",
    attachments: [],
  },
  {
    init: {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "Logo",
      text: "See the logo.\n",
      html: '<p><img src="cid:logo@example.com"></p>\n',
      headers: [
        { name: "X-Tag", value: "one" },
        { name: "X-Tag", value: "two" },
      ],
      attachments: [
        { filename: "logo.png", content: PNG, contentId: "logo@example.com", disposition: "inline" },
        { filename: "notes.txt", content: "some notes\n" },
        { filename: "doc.pdf", content: PDF_BASE64, contentEncoding: "base64" },
        { filename: "blob.bin", content: PNG.buffer.slice(0), contentType: "application/x-custom" },
      ],
    },
    headers: [
      ["From", "ada@example.com"],
      ["To", "bob@example.org"],
      ["Subject", "Logo"],
      ["X-Tag", "one"],
      ["X-Tag", "two"],
    ],
    text: "See the logo.\n",
    html: '<p><img src="cid:logo@example.com"></p>\n',
    attachments: [
      { kind: "bytes", data: Buffer.from(PNG).toString("base64"), maintype: "image", subtype: "png", filename: "logo.png", disposition: "inline", cid: "<logo@example.com>", related: true },
      { kind: "text", data: "some notes\n", maintype: "text", subtype: "plain", filename: "notes.txt", disposition: "attachment", related: false },
      { kind: "bytes", data: PDF_BASE64, maintype: "application", subtype: "pdf", filename: "doc.pdf", disposition: "attachment", related: false },
      { kind: "bytes", data: Buffer.from(PNG).toString("base64"), maintype: "application", subtype: "x-custom", filename: "blob.bin", disposition: "attachment", related: false },
    ],
  },
  {
    init: {
      from: "ada@example.com",
      to: [],
      bcc: "hidden@example.org",
      subject: "Html only, inline image",
      html: '<img src="cid:pic">\n',
      attachments: [{ filename: "pic.gif", content: PNG, contentId: "<pic>" }],
    },
    headers: [
      ["From", "ada@example.com"],
      ["Bcc", "hidden@example.org"],
      ["Subject", "Html only, inline image"],
    ],
    html: '<img src="cid:pic">\n',
    attachments: [
      { kind: "bytes", data: Buffer.from(PNG).toString("base64"), maintype: "image", subtype: "gif", filename: "pic.gif", disposition: "inline", cid: "<pic>", related: true },
    ],
  },
  {
    init: {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "Text only, an image with a content id has nothing to relate to",
      text: "no html\n",
      attachments: [{ filename: "pic.jpg", content: PNG, contentId: "pic" }],
    },
    headers: [
      ["From", "ada@example.com"],
      ["To", "bob@example.org"],
      ["Subject", "Text only, an image with a content id has nothing to relate to"],
    ],
    text: "no html\n",
    attachments: [
      { kind: "bytes", data: Buffer.from(PNG).toString("base64"), maintype: "image", subtype: "jpeg", filename: "pic.jpg", disposition: "inline", cid: "<pic>", related: true },
    ],
  },
  {
    init: {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "A content id on a plain attachment",
      html: "<p>see the attachment</p>\n",
      attachments: [{ filename: "chart.png", content: PNG, contentId: "chart", disposition: "attachment" }],
    },
    headers: [
      ["From", "ada@example.com"],
      ["To", "bob@example.org"],
      ["Subject", "A content id on a plain attachment"],
    ],
    html: "<p>see the attachment</p>\n",
    attachments: [
      { kind: "bytes", data: Buffer.from(PNG).toString("base64"), maintype: "image", subtype: "png", filename: "chart.png", disposition: "attachment", cid: "<chart>", related: false },
    ],
  },
];

function bytesOf(message: EmailMessage): string {
  return asLatin1(message.asBytes({ policy: policy.SMTP }));
}

describe("building a message from a plain object, compared with Python", () => {
  let python: string[];
  beforeAll(() => {
    python = runPythonJson<string[]>(BUILD_PY, CASES);
  });

  it("builds a text-only message as a single text/plain part", () => {
    expect(normalize(bytesOf(EmailMessage.fromObject(CASES[0]!.init)))).toBe(normalize(python[0]!));
  });

  it("writes every address shape, Cc, Bcc, Reply-To, headers as a record, and text with html as multipart/alternative", () => {
    expect(normalize(bytesOf(EmailMessage.fromObject(CASES[1]!.init)))).toBe(normalize(python[1]!));
  });

  it("puts inline images under multipart/related with the html, and the rest under multipart/mixed", () => {
    const message = EmailMessage.fromObject(CASES[2]!.init);
    expect(normalize(bytesOf(message))).toBe(normalize(python[2]!));
    expect(message.getContentType()).toBe("multipart/mixed");
  });

  it("relates inline images to an html-only body", () => {
    expect(normalize(bytesOf(EmailMessage.fromObject(CASES[3]!.init)))).toBe(normalize(python[3]!));
  });

  it("puts an inline image with no html to relate to with the attachments, inline", () => {
    expect(normalize(bytesOf(EmailMessage.fromObject(CASES[4]!.init)))).toBe(normalize(python[4]!));
  });

  it("keeps an attachment with a contentId and disposition \"attachment\" under multipart/mixed, with its Content-ID", () => {
    const message = EmailMessage.fromObject(CASES[5]!.init);
    expect(normalize(bytesOf(message))).toBe(normalize(python[5]!));
    expect(message.getContentType()).toBe("multipart/mixed");
    const part = [...message.iterAttachments()][0];
    expect(part?.getContentDisposition()).toBe("attachment");
    expect(part?.get("Content-ID")).toBe("<chart>");
  });

  it("reads a path attachment synchronously in fromObject and asynchronously in fromObjectAsync", async () => {
    const init: EmailInit = {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "File",
      text: "attached\n",
      attachments: [{ filename: "report.csv", path: path.join(dir, "report.csv") }],
    };
    const sync = EmailMessage.fromObject(init);
    const async = await EmailMessage.fromObjectAsync(init);
    const part = [...sync.iterAttachments()][0];
    expect(part?.getContentType()).toBe("text/csv");
    expect(part?.getFilename()).toBe("report.csv");
    expect(part?.getContent()).toBe("a,b\n1,2\n");
    expect(normalize(bytesOf(async))).toBe(normalize(bytesOf(sync)));
  });

  it("reads Blob content in fromObjectAsync, and refuses it in fromObject", async () => {
    const init: EmailInit = {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "Blob",
      text: "attached\n",
      attachments: [{ filename: "data.bin", content: new Blob([PNG]) }],
    };
    const message = await EmailMessage.fromObjectAsync(init);
    const part = [...message.iterAttachments()][0];
    expect(part?.getContentType()).toBe("application/octet-stream");
    expect(Buffer.from(part?.getContent() as Uint8Array).equals(Buffer.from(PNG))).toBe(true);
    expect(() => EmailMessage.fromObject(init)).toThrow(/Blob content.*fromObjectAsync/);
  });

  it("reports a file that cannot be read as a validation error naming the attachment", async () => {
    const init: EmailInit = {
      from: "ada@example.com",
      to: "bob@example.org",
      subject: "Missing",
      text: "x\n",
      attachments: [{ filename: "gone.txt", path: path.join(dir, "no-such-file.txt") }],
    };
    await expect(EmailMessage.fromObjectAsync(init)).rejects.toThrow(/Attachment "gone.txt" could not be read/);
    expect(() => EmailMessage.fromObject(init)).toThrow(EmailValidationError);
  });

  it("adds neither Date nor Message-ID, as Python's EmailMessage", () => {
    const message = EmailMessage.fromObject(CASES[0]!.init);
    expect(message.has("Date")).toBe(false);
    expect(message.has("Message-ID")).toBe(false);
  });
});

/** A message that passes validation. */
const valid: EmailInit = { from: "ada@example.com", to: "bob@example.org", subject: "Hi", text: "Hello\n" };

/** The EmailValidationError fromObject throws for `init`. */
function failure(init: unknown): EmailValidationError {
  try {
    EmailMessage.fromObject(init as EmailInit);
  } catch (error) {
    expect(error).toBeInstanceOf(EmailValidationError);
    expect((error as EmailValidationError).code).toBe("validation_error");
    return error as EmailValidationError;
  }
  throw new Error("no error was thrown");
}

describe("the validation contract", () => {
  it("requires a from address", () => {
    for (const from of [undefined, "", "   ", []]) {
      const error = failure({ ...valid, from });
      expect(error.message).toBe("Email message requires a from address.");
      expect(error.code).toBe("validation_error");
    }
  });

  it("requires at least one recipient among To, Cc and Bcc", () => {
    for (const to of [undefined, [], "", [""]]) {
      expect(failure({ ...valid, to }).message).toBe("Email message requires at least one recipient.");
    }
    expect(() => EmailMessage.fromObject({ ...valid, to: [], cc: "carol@example.org" })).not.toThrow();
  });

  it("requires a subject", () => {
    for (const subject of [undefined, ""]) {
      expect(failure({ ...valid, subject }).message).toBe("Email message requires a subject.");
    }
  });

  it("requires html or text content", () => {
    expect(failure({ ...valid, text: undefined }).message).toBe("Email message requires either html or text content.");
    expect(failure({ ...valid, text: "", html: "" }).message).toBe("Email message requires either html or text content.");
  });

  it("requires content or a path for each attachment", () => {
    const error = failure({ ...valid, attachments: [{ filename: "report.pdf" }] });
    expect(error.message).toBe('Attachment "report.pdf" requires content or path.');
  });

  it("checks in the contract's order: from, recipients, subject, content, attachments", () => {
    expect(failure({ attachments: [{ filename: "a" }] }).message).toBe("Email message requires a from address.");
    expect(failure({ from: "a@b.c", attachments: [{ filename: "a" }] }).message).toBe("Email message requires at least one recipient.");
    expect(failure({ from: "a@b.c", to: "d@e.f", attachments: [{ filename: "a" }] }).message).toBe("Email message requires a subject.");
    expect(failure({ from: "a@b.c", to: "d@e.f", subject: "s", attachments: [{ filename: "a" }] }).message).toBe(
      "Email message requires either html or text content.",
    );
  });

  it("is a MessageError with a fixed name", () => {
    const error = failure({ ...valid, subject: undefined });
    expect(error).toBeInstanceOf(MessageError);
    expect(error.name).toBe("EmailValidationError");
  });

  it("refuses fields an EmailInit does not have, naming them", () => {
    expect(failure({ ...valid, tags: [{ name: "a", value: "b" }] }).message).toBe(
      "EmailMessage.fromObject does not support these fields: tags.",
    );
  });

  it("refuses addresses that do not parse", () => {
    expect(failure({ ...valid, to: "not an address" }).message).toBe('Invalid to address "not an address".');
    expect(failure({ ...valid, from: { email: "a b@" } }).message).toMatch(/^Invalid from address "a b@"/);
    expect(failure({ ...valid, cc: [42] }).message).toBe("Each cc address must be a string or { email, name }.");
  });

  it("takes from as one address, alone or in a one-element array, and refuses several", () => {
    const single = EmailMessage.fromObject({ ...valid, from: [{ email: "ada@example.com", name: "Ada" }] });
    expect(single.get("From")).toBe("Ada <ada@example.com>");
    expect(failure({ ...valid, from: ["a@example.com", "b@example.com"] }).message).toBe("Email message takes a single from address.");
  });

  it("refuses CR, LF and NUL in the subject and in header values", () => {
    expect(failure({ ...valid, subject: "Hi\r\nBcc: x@example.com" }).message).toBe("The subject cannot contain CR, LF or NUL.");
    expect(failure({ ...valid, headers: { "X-A": "1\nBcc: x@example.com" } }).message).toBe(
      "The value of header X-A cannot contain CR, LF or NUL.",
    );
  });

  it("refuses Content-* and MIME-Version in headers: the content sets them", () => {
    expect(failure({ ...valid, headers: { "Content-Type": "text/html" } }).message).toBe(
      "The Content-Type header is set from the message's content and cannot be given in headers.",
    );
  });

  it("refuses bad attachment options with messages naming the attachment", () => {
    const attach = (extra: object): string =>
      failure({ ...valid, attachments: [{ filename: "a.bin", content: "x", ...extra }] }).message;
    expect(attach({ contentEncoding: "hex" })).toBe('The contentEncoding of attachment "a.bin" must be "raw" or "base64".');
    expect(attach({ content: "***", contentEncoding: "base64" })).toBe('The content of attachment "a.bin" is not valid base64.');
    expect(attach({ contentType: "image" })).toBe(
      'The contentType of attachment "a.bin" must be "type/subtype", optionally with parameters ("text/csv; charset=utf-8").',
    );
    expect(attach({ contentType: "text/csv; =x" })).toBe(
      'The contentType of attachment "a.bin" must be "type/subtype", optionally with parameters ("text/csv; charset=utf-8").',
    );
    expect(attach({ contentType: "multipart/mixed" })).toBe('Attachment "a.bin" cannot be of type multipart/mixed.');
    expect(attach({ disposition: "hidden" })).toBe('The disposition of attachment "a.bin" must be "attachment" or "inline".');
    expect(attach({ content: 42 })).toBe(
      'The content of attachment "a.bin" must be a string, a Uint8Array, an ArrayBuffer or a Blob.',
    );
    expect(attach({ path: "/tmp/a.bin" })).toBe('Attachment "a.bin" has both content and path; give one of them.');
    expect(attach({ content: new Uint8Array([1]), contentEncoding: "base64" })).toBe(
      'The contentEncoding "base64" of attachment "a.bin" applies to string content only.',
    );
    expect(failure({ ...valid, attachments: [{ content: "x" }] }).message).toBe("Each attachment requires a filename.");
    expect(failure({ ...valid, attachments: ["a.bin"] }).message).toBe("Each attachment must be an object.");
  });

  it("refuses a from string holding several addresses, as it refuses an array of several", () => {
    expect(failure({ ...valid, from: "a@example.com, b@example.com" }).message).toBe("Email message takes a single from address.");
  });
});

describe("refusing what would otherwise be dropped", () => {
  const logo = { filename: "logo.png", content: PNG };

  it("refuses an attachment's unknown field, suggesting the field meant (an inline image does not become a plain attachment)", () => {
    const html = '<img src="cid:logo">';
    expect(failure({ ...valid, html, attachments: [{ ...logo, cid: "logo" }] }).message).toBe(
      'Attachment "logo.png" has an unknown field: cid (did you mean contentId?).',
    );
    expect(failure({ ...valid, attachments: [{ ...logo, content_type: "image/png" }] }).message).toBe(
      'Attachment "logo.png" has an unknown field: content_type (did you mean contentType?).',
    );
    expect(failure({ ...valid, attachments: [{ ...logo, contnet: "x", inline: true, size: 4 }] }).message).toBe(
      'Attachment "logo.png" has unknown fields: contnet (did you mean content?), inline (did you mean disposition?), size.',
    );
  });

  it("names an attachment without a file name by its index", () => {
    expect(failure({ ...valid, attachments: [logo, { name: "b.txt", content: "x" }] }).message).toBe(
      "The attachment at index 1 has an unknown field: name (did you mean filename?).",
    );
  });

  it("refuses an address object's unknown field", () => {
    expect(failure({ ...valid, to: { email: "bob@example.org", nmae: "Bob" } }).message).toBe(
      'The to address "bob@example.org" has an unknown field: nmae (did you mean name?).',
    );
    expect(failure({ ...valid, cc: [{ address: "carol@example.org", name: "Carol" }] }).message).toBe(
      "A cc address has an unknown field: address (did you mean email?).",
    );
  });

  it("refuses a header entry's unknown field", () => {
    expect(failure({ ...valid, headers: [{ name: "X-Tag", value: "a", priority: 1 }] }).message).toBe(
      "The headers entry X-Tag has an unknown field: priority.",
    );
    expect(failure({ ...valid, headers: [{ key: "X-Tag", value: "a" }] }).message).toBe(
      "The headers entry at index 0 has an unknown field: key (did you mean name?).",
    );
  });

  it("suggests the field meant for a misspelt top-level field", () => {
    expect(failure({ ...valid, reply_to: "help@example.com" }).message).toBe(
      "EmailMessage.fromObject does not support these fields: reply_to (did you mean replyTo?).",
    );
  });

  it("refuses headers the fields set: From, To, Cc, Bcc, Reply-To and Subject", () => {
    const fields: Array<[string, string]> = [
      ["From", "from"],
      ["to", "to"],
      ["CC", "cc"],
      ["Bcc", "bcc"],
      ["Reply-To", "replyTo"],
      ["Subject", "subject"],
    ];
    for (const [name, field] of fields) {
      expect(failure({ ...valid, headers: { [name]: "x@example.com" } }).message).toBe(
        `The ${name} header is set from the ${field} field and cannot be given in headers.`,
      );
    }
  });

  it("refuses a header that may appear once given twice, whatever the case, and takes repeats of the others", () => {
    const twice = (a: string, b: string, value: string): unknown => ({
      ...valid,
      headers: [
        { name: a, value },
        { name: b, value },
      ],
    });
    expect(failure(twice("Message-ID", "message-id", "<a@example.com>")).message).toBe(
      "The message-id header may appear only once in a message, and headers gives it more than once.",
    );
    expect(failure(twice("Date", "Date", "Mon, 1 Jan 2024 00:00:00 +0000")).message).toBe(
      "The Date header may appear only once in a message, and headers gives it more than once.",
    );
    const message = EmailMessage.fromObject(twice("Comments", "Comments", "x") as EmailInit);
    expect(message.getAll("Comments")).toEqual(["x", "x"]);
  });
});

describe("null and undefined mean not given", () => {
  const fromJson = (init: unknown): EmailMessage => EmailMessage.fromObject(init as EmailInit);

  it("for the optional fields of the message, and for fields it does not have", () => {
    const message = fromJson({
      ...valid,
      text: null,
      html: "<p>Hello</p>",
      cc: null,
      bcc: undefined,
      replyTo: null,
      headers: null,
      attachments: null,
      tags: undefined,
      metadata: null,
    });
    expect(message.getContentType()).toBe("text/html");
    expect(message.keys()).toEqual(["From", "To", "Subject", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"]);
  });

  it("for an address's name, and blank addresses in a list", () => {
    const message = fromJson({ ...valid, from: { email: "ada@example.com", name: null }, to: [null, "bob@example.org", undefined] });
    expect(message.get("From")).toBe("ada@example.com");
    expect(message.get("To")).toBe("bob@example.org");
  });

  it("for header values, which leaves the header out, in both forms", () => {
    const record = fromJson({ ...valid, headers: { "X-A": "1", "X-B": null, "X-C": undefined } });
    const list = fromJson({ ...valid, headers: [{ name: "X-A", value: "1" }, null, { name: "X-B", value: null }] });
    for (const message of [record, list]) {
      expect(message.keys().filter((name) => name.startsWith("X-"))).toEqual(["X-A"]);
    }
  });

  it("for an attachment's fields: content null beside a path, path null beside content, and the options", () => {
    const file = path.join(dir, "report.csv");
    const message = fromJson({
      ...valid,
      attachments: [
        { filename: "report.csv", content: null, path: file, contentType: null, contentId: null, disposition: null, contentEncoding: null },
        { filename: "note.txt", content: "a note\n", path: undefined, extra: undefined },
        null,
      ],
    });
    const parts = [...message.iterAttachments()];
    expect(parts.map((part) => [part.getContentType(), part.getContentDisposition(), part.getContent()])).toEqual([
      ["text/csv", "attachment", "a,b\n1,2\n"],
      ["text/plain", "attachment", "a note\n"],
    ]);
  });

  it("so that an attachment with neither content nor path given gets the contract's message", () => {
    for (const attachment of [
      { filename: "a.pdf", content: null },
      { filename: "a.pdf", path: null },
      { filename: "a.pdf", content: undefined, path: null },
    ]) {
      expect(() => fromJson({ ...valid, attachments: [attachment] })).toThrow('Attachment "a.pdf" requires content or path.');
    }
  });
});

/** Common attachment types Python 3.11's table lacks, with their IANA registrations. */
const LACKING: Readonly<Record<string, string>> = {
  "minutes.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "budget.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "slides.pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "letter.odt": "application/vnd.oasis.opendocument.text",
  "invite.ics": "text/calendar",
  "README.md": "text/markdown",
  "dump.gz": "application/gzip",
  "song.flac": "audio/flac",
  "font.woff2": "font/woff2",
};

describe("a contentType with parameters", () => {
  const attachmentOf = (attachment: object) =>
    [...EmailMessage.fromObject({ ...valid, attachments: [{ filename: "r.csv", ...attachment }] }).iterAttachments()][0]!;

  it("encodes text content in the charset it names", () => {
    const part = attachmentOf({ content: "café,1\n", contentType: "text/csv; charset=iso-8859-1" });
    expect(part.getContentType()).toBe("text/csv");
    expect(part.getContentCharset()).toBe("iso-8859-1");
    expect(part.getContent()).toBe("café,1\n");
    expect(Buffer.from(part.asBytes()).includes(Buffer.from("caf\xe9", "latin1"))).toBe(true);
  });

  it("keeps the other parameters", () => {
    const part = attachmentOf({ content: "a,b\n", contentType: "text/csv; charset=utf-8; header=present" });
    expect(part.getParam("header")).toBe("present");
    expect(part.getContentCharset()).toBe("utf-8");
  });

  it("labels bytes with a charset without changing them", () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x7d]);
    const part = attachmentOf({ content: bytes, contentType: "application/json; charset=utf-8" });
    expect(part.getParam("charset")).toBe("utf-8");
    expect(part.getContent()).toEqual(bytes);
  });
});

describe("guessing the content type from the file name", () => {
  /** Python's answers from its built-in table (MimeTypes() reads no /etc/mime.types), null where it has no type. */
  let python: Map<string, string | null>;
  beforeAll(() => {
    const names = [...KNOWN_EXTENSIONS.map((ext) => `file.${ext}`), ...Object.keys(LACKING), "mail.eml"];
    const types = runPythonJson<Array<string | null>>(
      String.raw`
import json, sys, mimetypes
table = mimetypes.MimeTypes(filenames=())
print(json.dumps([table.guess_type(n, strict=False)[0] for n in json.load(sys.stdin)]))
`,
      names,
    );
    python = new Map(names.map((name, i) => [name, types[i] ?? null]));
  });
  const pythonTypes = (names: readonly string[]): Array<string | null> => names.map((name) => python.get(name) ?? null);

  // Where mailport deliberately differs from Python 3.11's table, and why.
  const DIFFERENT: Readonly<Record<string, string>> = {
    "file.js": "text/javascript", // RFC 9239, section 6: application/javascript is obsolete (Python 3.12 agrees)
    "file.mjs": "text/javascript", // the same
    "file.vcf": "text/vcard", // RFC 6350, section 10.1 registered text/vcard; Python has text/x-vcard
    "file.tgz": "application/gzip", // the bytes are gzip (RFC 6713); Python says x-tar with a gzip encoding an attachment cannot carry
  };

  it("agrees with Python's built-in mimetypes table for every extension both know, but for a few RFC types", () => {
    const names = KNOWN_EXTENSIONS.map((ext) => `file.${ext}`);
    const py = pythonTypes(names);
    const both = names.filter((_, i) => py[i] !== null);
    expect(both.length).toBeGreaterThan(50);
    expect(both.map(guessContentType)).toEqual(both.map((name) => DIFFERENT[name] ?? py[names.indexOf(name)]));
    // Each difference is real: Python does know these, differently.
    const differences = Object.keys(DIFFERENT);
    expect(pythonTypes(differences).every((type, i) => type !== null && type !== DIFFERENT[differences[i] as string])).toBe(true);
  });

  it("knows the common attachment types Python 3.11's table lacks, with their registered types", () => {
    const names = Object.keys(LACKING);
    expect(pythonTypes(names)).toEqual(names.map(() => null));
    expect(names.map(guessContentType)).toEqual(Object.values(LACKING));
  });

  it("sends .eml files as application/octet-stream: an attachment cannot be message/rfc822 here", () => {
    expect(pythonTypes(["mail.eml"])).toEqual(["message/rfc822"]);
    expect(guessContentType("mail.eml")).toBe("application/octet-stream");
  });

  it("ignores the case of the extension and falls back to application/octet-stream", () => {
    expect(guessContentType("REPORT.PDF")).toBe("application/pdf");
    expect(guessContentType("README")).toBe("application/octet-stream");
    expect(guessContentType("archive.unknownext")).toBe("application/octet-stream");
  });
});
