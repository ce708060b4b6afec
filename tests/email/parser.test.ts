/**
 * The parser, as a specification: entry points, what a parsed message holds, the
 * defects of malformed input (compared with python3's `email` package, policy.default,
 * in one batch), incremental feeding, nesting limits and linear time.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  BytesFeedParser,
  BytesHeaderParser,
  BytesParser,
  FeedParser,
  HeaderParser,
  MAX_NESTING_DEPTH,
  Parser,
  messageFromBytes,
  messageFromString,
} from "../../src/email/parser.js";
import { EmailMessage, Message } from "../../src/email/message.js";
import { policy } from "../../src/email/policy.js";
import { CharsetError, HeaderWriteError, MessageDefect, UnknownCharsetDefect } from "../../src/email/errors.js";
import { RawHeaderValue } from "../../src/email/rawheader.js";
import { runPythonJson } from "../helpers/python.js";

/** Bytes from a string of octets written as characters U+0000..U+00FF. */
function octets(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

// ------------------------------------------------------------ the oracle

interface Tree {
  type: string;
  defaultType: string;
  headers: Array<[string, string]>;
  headerDefects: string[][];
  preamble: string | null;
  epilogue: string | null;
  unixfrom: string | null;
  defects: string[];
  payload: string | null;
  parts: Tree[] | null;
}

const PY_DUMP = String.raw`
import base64, json, sys, email
from email import policy

def dump(m):
    multipart = m.is_multipart()
    payload = None
    if not multipart:
        data = m.get_payload(decode=True)
        payload = None if data is None else base64.b64encode(data).decode()
    return {
        "type": m.get_content_type(),
        "defaultType": m.get_default_type(),
        "headers": [[k, str(v)] for k, v in m.items()],
        "headerDefects": [[type(d).__name__ for d in getattr(v, "defects", [])] for v in m.values()],
        "preamble": m.preamble,
        "epilogue": m.epilogue,
        "unixfrom": m.get_unixfrom(),
        "defects": [type(d).__name__ for d in m.defects],
        "payload": payload,
        "parts": [dump(p) for p in m.get_payload()] if multipart else None,
    }

out = {}
for name, b64 in json.load(sys.stdin).items():
    data = base64.b64decode(b64)
    entry = {}
    msg = email.message_from_bytes(data, policy=policy.default)
    entry["tree"] = dump(msg)
    entry["out"] = base64.b64encode(msg.as_bytes()).decode()
    entry["compat32"] = dump(email.message_from_bytes(data, policy=policy.compat32))
    try:
        email.message_from_bytes(data, policy=policy.strict)
        entry["strict"] = None
    except Exception as e:
        entry["strict"] = type(e).__name__
    out[name] = entry
print(json.dumps(out))
`;

function opt(v: string | undefined): string | null {
  return v === undefined ? null : v;
}

function dump(m: Message): Tree {
  const multipart = m.isMultipart();
  let payload: string | null = null;
  if (!multipart) {
    const data = m.getPayload({ decode: true });
    payload = data === undefined ? null : Buffer.from(data).toString("base64");
  }
  return {
    type: m.getContentType(),
    defaultType: m.getDefaultType(),
    headers: m.items(),
    headerDefects: m.keys().map((_, i) => {
      if (!m.policy.isModern) return [];
      const name = m.keys()[i]!;
      const same = m.keys().slice(0, i).filter((k) => k.toLowerCase() === name.toLowerCase()).length;
      return (m.getAllHeaders(name)[same]?.defects ?? []).map((d) => d.name);
    }),
    preamble: opt(m.preamble),
    epilogue: opt(m.epilogue),
    unixfrom: opt(m.getUnixfrom()),
    defects: m.defects.map((d) => d.name),
    payload,
    parts: multipart ? (m.getPayload() as Message[]).map(dump) : null,
  };
}

/**
 * Inputs whose reading is compared with python3's: the tree, the bytes written back,
 * and the first defect under policy.strict. Octets are written as U+0000..U+00FF.
 */
const CASES: Record<string, string> = {
  "simple text": "From: a@example.com\nSubject: hi\n\nhello\nworld\n",
  "CRLF line endings": "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\nworld\r\n",
  "bare CR line endings": "From: a@example.com\rSubject: hi\r\rhello\rworld\r",
  "mixed line endings": "Subject: hi\r\nX: y\n\rbody\r\nline\rend\n",
  "no body": "Subject: only headers\n",
  "no trailing line break": "Subject: x\n\nbody without newline",
  "empty input": "",
  "only a blank line": "\n",
  "folded headers": "Subject: a\n  folded\n\tline\nTo: b@example.com,\n c@example.com\n\nbody\n",
  "a header line without a colon": "Subject: x\nthis is not a header\nmore\n",
  "a first line that is a continuation": " continued\nSubject: x\n\nbody\n",
  "a header with no name": "Subject: x\n: no name\nTo: y@example.com\n\nbody\n",
  "a Unix From line": "From someone@example.com Mon Jan  1 00:00:00 2001\nSubject: x\n\nbody\n",
  "a misplaced From line": "Subject: x\nFrom someone Mon Jan 1\nTo: y@example.com\n\nbody\n",
  "a From line right before the body": "Subject: x\nFrom the desk of\n\nbody\n",
  "NUL in a header": "Subject: a\x00b\n\nbody\n",
  "UTF-8 in a header": "Subject: caf\xc3\xa9\nTo: J\xc3\xb6rg <j@example.com>\n\nbody\n",
  "Latin-1 octets in a header": "Subject: caf\xe9 cr\xe8me\n\nbody\n",
  "Latin-1 octets in an address header": "To: J\xf6rg <j@example.com>\n\nbody\n",
  "an invalid date": "Date: nope\n\nbody\n",
  "an encoded word in an unknown charset": "Subject: =?x-bogus?q?a?=\n\nbody\n",
  "an encoded word": "Subject: =?iso-8859-1?q?caf=E9?= and =?utf-8?b?w6k=?=\n\nbody\n",
  "8-bit body": "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9 \xff\xfe\n",
  "base64 body": "Content-Transfer-Encoding: base64\n\naGVsbG8gd29y\nbGQ=\n",
  "base64 with bad padding": "Content-Transfer-Encoding: base64\n\naGVsbG8\n",
  "quoted-printable body": "Content-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nsoft break\n",
  multipart:
    'Content-Type: multipart/mixed; boundary="XX"\n\npreamble\n--XX\nContent-Type: text/plain\n\none\n--XX\n\ntwo\n--XX--\nepilogue\n',
  "multipart with CRLF":
    'Content-Type: multipart/mixed; boundary="XX"\r\n\r\npre\r\n--XX\r\n\r\none\r\n--XX\r\n\r\ntwo\r\n--XX--\r\nepi\r\n',
  "multipart without preamble or epilogue": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n\none\n--XX--',
  "multipart with blank preamble and epilogue": 'Content-Type: multipart/mixed; boundary="XX"\n\n\n--XX\n\none\n--XX--\n\n',
  "boundary lines with trailing blanks": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX \t\n\none\n--XX--  \n',
  "consecutive delimiters": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n--XX\n\none\n--XX\n--XX\n\ntwo\n--XX--\n',
  "a delimiter-like line that is not one": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n\n--XXY\n--XX-\n--XX--\n',
  "missing start boundary": 'Content-Type: multipart/mixed; boundary="XX"\n\nno delimiter here\n',
  "missing close boundary": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n\none\n',
  "multipart with no parts": 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX--\n',
  "multipart without boundary parameter": "Content-Type: multipart/mixed\n\n--XX\n\none\n--XX--\n",
  "multipart with a base64 transfer encoding":
    'Content-Type: multipart/mixed; boundary="XX"\nContent-Transfer-Encoding: base64\n\n--XX\n\none\n--XX--\n',
  "nested multiparts":
    'Content-Type: multipart/mixed; boundary="A"\n\n--A\nContent-Type: multipart/alternative; boundary="B"\n\n' +
    "pre B\n--B\n\nplain\n--B\nContent-Type: text/html\n\n<p>html</p>\n--B--\nepi B\n\n--A\n\nlast\n--A--\nepi A\n",
  "an inner part cut short by the outer boundary":
    'Content-Type: multipart/mixed; boundary="A"\n\n--A\nContent-Type: multipart/alternative; boundary="B"\n\n' +
    "--B\n\nplain\n--A\n\nafter\n--A--\n",
  "message/rfc822":
    "Content-Type: message/rfc822\n\nSubject: inner\nFrom: x@example.com\n\ninner body\n",
  "message/rfc822 in a multipart":
    'Content-Type: multipart/mixed; boundary="A"\n\n--A\nContent-Type: message/rfc822\n\nSubject: inner\n\nbody\n--A--\n',
  "multipart/digest":
    'Content-Type: multipart/digest; boundary="D"\n\n--D\n\nSubject: one\n\n1\n--D\nContent-Type: text/plain\n\n2\n--D--\n',
  "message/delivery-status":
    'Content-Type: multipart/report; boundary="R"\n\n--R\n\nnotice\n--R\nContent-Type: message/delivery-status\n\n' +
    "Reporting-MTA: dns; example.com\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\n\n" +
    "Final-Recipient: rfc822; b@example.com\nAction: failed\n--R--\n",
  "8-bit preamble and epilogue": 'Content-Type: multipart/mixed; boundary="XX"\n\ncaf\xc3\xa9\n--XX\n\none\n--XX--\n\xc3\xa9t\xc3\xa9\n',
  "a header of 20,000 characters": `Subject: ${"x".repeat(20000)}\n\nbody\n`,
  "white space after header colons":
    "Subject:hello\nX-Tab:\thello\nX-Two:  x\nX-Empty:\nTo:\n a@example.com,\n b@example.com\n\nbody\n",
  "a nested close delimiter right before the outer one":
    'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: multipart/alternative; boundary="i"\n\n' +
    "--i\n\nplain\n--i--\n--o\n\nnext\n--o--\n",
  "nested close delimiters on consecutive lines":
    'Content-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: multipart/alternative; boundary="i"\n\n' +
    "--i\n\nplain\n--i--\n--o--\n",
};

interface PythonCase {
  tree: Tree;
  compat32: Tree;
  out: string;
  strict: string | null;
}

const python = runPythonJson<Record<string, PythonCase>>(
  PY_DUMP,
  Object.fromEntries(Object.entries(CASES).map(([name, text]) => [name, Buffer.from(text, "latin1").toString("base64")])),
);

/** The reason of the cases Python does not write back unchanged and mailport does (checked as such). */
const WRITTEN_AS_READ = "mailport writes the input back unchanged";

/** The reason of the cases where policy.strict throws a header's defect and Python's strict policy does not. */
const HEADER_DEFECTS_RAISE =
  "Python's strict policy never raises the defects of header values (nor parses them before they are read); " +
  "mailport parses the headers as it reads them under raiseOnDefect and throws the first defect";

/** Cases where mailport's answer differs from Python's on purpose, and why. */
const KNOWN: Record<
  string,
  { readonly tree?: string; readonly out?: string; readonly strict?: string; readonly compat32?: string }
> = {
  "a header with no name": {
    strict: "Python appends this defect without asking the policy, so policy.strict lets it pass; mailport raises it",
  },
  "a misplaced From line": {
    strict: "Python appends MisplacedEnvelopeHeaderDefect without asking the policy; mailport raises it under strict",
  },
  "NUL in a header": {
    tree:
      "not the parser: mailport's header registry reports a NonPrintableDefect on the Subject header, Python's " +
      "unstructured header reports none (mailport's is the more useful answer)",
    strict: HEADER_DEFECTS_RAISE,
  },
  "Latin-1 octets in a header": {
    tree:
      "the Subject's octets are not UTF-8: mailport's header reports an UndecodableBytesDefect, Python's " +
      "unstructured header drops the defects of its value",
    strict: HEADER_DEFECTS_RAISE,
  },
  "Latin-1 octets in an address header": { strict: HEADER_DEFECTS_RAISE },
  "an invalid date": { strict: HEADER_DEFECTS_RAISE },
  "an encoded word in an unknown charset": {
    tree:
      "mailport reports an InvalidHeaderDefect on the Subject (Python's unstructured header drops the defects " +
      "of its value)",
    strict: HEADER_DEFECTS_RAISE,
  },
  "UTF-8 in a header": {
    tree:
      "Python's BytesParser reads 8-bit header octets as surrogate escapes and reports UndecodableBytesDefect; " +
      "mailport reads valid UTF-8 headers as text (RFC 6532), so there is nothing undecodable",
    compat32: "Python's compat32 gives the 8-bit octets of the header as U+FFFD; mailport reads valid UTF-8 as text",
  },
  "multipart with no parts": {
    tree:
      "a close delimiter before any start delimiter: Python drops the delimiter line and all that follows; " +
      "mailport keeps them in the body",
    out: "as above: Python loses the line --XX--, mailport writes the input back",
    compat32: "as above, under compat32 too",
  },
  "8-bit preamble and epilogue": {
    tree:
      "Python keeps 8-bit octets of the preamble and epilogue as surrogate escapes; mailport's preamble and " +
      "epilogue are strings decoded as UTF-8 (exact for UTF-8, lossy for other 8-bit charsets)",
    compat32: "as above, under compat32 too",
  },
  "a header of 20,000 characters": {
    out: "not the parser: a 20,000-character word is refolded by headerfolding.ts differently from Python",
  },
  "multipart without preamble or epilogue": {
    out: WRITTEN_AS_READ + ": Python adds a line break after the close delimiter at the end of the input",
  },
  "boundary lines with trailing blanks": {
    out: WRITTEN_AS_READ + ": Python drops the blanks after the delimiters (RFC 2046 transport padding)",
  },
  "white space after header colons": {
    out: WRITTEN_AS_READ + ": Python writes one space after every colon (and after an empty value's)",
  },
  "a nested close delimiter right before the outer one": {
    out: WRITTEN_AS_READ + ": Python writes a blank line between the two delimiters",
  },
  "nested close delimiters on consecutive lines": {
    out: WRITTEN_AS_READ + ": Python writes a blank line between the two delimiters",
  },
};

describe("reading what python3 reads", () => {
  describe.each(Object.keys(CASES))("%s", (name) => {
    const data = octets(CASES[name]!);
    const py = python[name]!;
    const known = KNOWN[name] ?? {};

    it("gives the tree python3 gives", () => {
      const tree = dump(messageFromBytes(data));
      if (known.tree) expect(tree).not.toEqual(py.tree);
      else expect(tree).toEqual(py.tree);
    });

    it("gives the tree python3 gives under compat32", () => {
      const tree = dump(messageFromBytes(data, { policy: policy.compat32 }));
      if (known.compat32) expect(tree).not.toEqual(py.compat32);
      else expect(tree).toEqual(py.compat32);
    });

    it("writes back the bytes python3 writes", () => {
      const out = latin1(messageFromBytes(data).asBytes());
      const want = latin1(Buffer.from(py.out, "base64"));
      if (known.out) expect(out).not.toBe(want);
      else expect(out).toBe(want);
      if (known.out?.startsWith(WRITTEN_AS_READ)) {
        expect(out).toBe(latin1(data));
        expect(latin1(messageFromBytes(data, { policy: policy.compat32 }).asBytes())).toBe(latin1(data));
      }
    });

    it("under policy.strict, throws the defect python3 throws (or none)", () => {
      let thrown: string | null = null;
      try {
        messageFromBytes(data, { policy: policy.strict });
      } catch (e) {
        expect(e).toBeInstanceOf(MessageDefect);
        thrown = (e as Error).name;
      }
      if (known.strict) expect(thrown).not.toBe(py.strict);
      else expect(thrown).toBe(py.strict);
    });

    it("gives the same message whatever the chunks it is fed in", () => {
      // Each dump is of a fresh message: decoding a payload may add defects (bad base64).
      const whole = (): Message => messageFromBytes(data);
      for (const size of [1, 2, 3, 7, 64]) {
        const parser = new BytesFeedParser();
        for (let i = 0; i < data.length; i += size) parser.feed(data.subarray(i, i + size));
        const msg = parser.close();
        expect(latin1(msg.asBytes())).toBe(latin1(whole().asBytes()));
        expect(dump(msg)).toEqual(dump(whole()));
      }
    });
  });
});

describe("entry points", () => {
  it("gives an EmailMessage under the default policy", () => {
    const msg = messageFromBytes(octets("Subject: x\n\nbody\n"));
    expect(msg).toBeInstanceOf(EmailMessage);
    expect(msg.policy).toBe(policy.default);
  });

  it("gives a legacy Message, not an EmailMessage, under compat32", () => {
    const msg = messageFromBytes(octets("Subject: x\n\nbody\n"), { policy: policy.compat32 });
    expect(msg).toBeInstanceOf(Message);
    expect(msg).not.toBeInstanceOf(EmailMessage);
    expect(msg.get("subject")).toBe("x");
  });

  it("types the result by the policy: EmailMessage for modern policies, Message for compat32", () => {
    const data = octets("Subject: x\n\nbody\n");
    expectTypeOf(messageFromBytes(data)).toEqualTypeOf<EmailMessage>();
    expectTypeOf(messageFromBytes(data, { policy: policy.SMTP })).toEqualTypeOf<EmailMessage>();
    expectTypeOf(messageFromBytes(data, { policy: policy.compat32 })).toEqualTypeOf<Message>();
    expectTypeOf(new BytesParser().parse(data)).toEqualTypeOf<EmailMessage>();
    expectTypeOf(new BytesParser({ policy: policy.compat32 }).parse(data)).toEqualTypeOf<Message>();
    expectTypeOf(new FeedParser({ policy: policy.HTTP }).close()).toEqualTypeOf<EmailMessage>();
    expect(messageFromBytes(data, { policy: policy.SMTP })).toBeInstanceOf(EmailMessage);
  });

  it("makes sub-parts of the same class as the message", () => {
    const text = 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\none\n--b--\n';
    for (const p of [policy.default, policy.compat32]) {
      const msg = messageFromString(text, { policy: p });
      const part = (msg.getPayload() as Message[])[0]!;
      expect(part.constructor).toBe(msg.constructor);
      expect(part.policy).toBe(p);
    }
  });

  it("parses text as its UTF-8 octets", () => {
    const msg = messageFromString("Subject: café\nContent-Type: text/plain; charset=utf-8\n\nnaïve\n");
    expect(msg.get("subject")).toBe("café");
    expect(msg.getContent()).toBe("naïve\n");
  });

  it("gives the same message from Parser, BytesParser and the functions", () => {
    const text = "Subject: x\nTo: a@example.com\n\nbody\n";
    const a = new Parser().parse(text);
    const b = new BytesParser().parse(octets(text));
    const c = messageFromString(text);
    expect(dump(a)).toEqual(dump(c));
    expect(dump(b)).toEqual(dump(c));
  });

  it("reads only the headers with the header parsers, keeping the rest as the payload", () => {
    const text = 'Content-Type: multipart/mixed; boundary="b"\nSubject: x\n\n--b\n\none\n--b--\n';
    for (const msg of [new HeaderParser().parse(text), new BytesHeaderParser().parse(octets(text)), messageFromString(text, { headersOnly: true })]) {
      expect(msg.get("subject")).toBe("x");
      expect(msg.isMultipart()).toBe(false);
      expect(msg.getPayload()).toBe("--b\n\none\n--b--\n");
      expect(msg.defects).toEqual([]);
    }
  });

  it("refuses input of the wrong type with a TypeError", () => {
    expect(() => messageFromBytes("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => messageFromString(octets("x") as unknown as string)).toThrow(TypeError);
    expect(() => new BytesFeedParser().feed("x" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => messageFromBytes(octets(""), { policy: {} as typeof policy.default })).toThrow(TypeError);
  });

  it("returns the same message when closed twice, and refuses data after close", () => {
    const parser = new BytesFeedParser();
    parser.feed(octets("Subject: x\n\nbody\n"));
    const msg = parser.close();
    expect(parser.close()).toBe(msg);
    expect(() => parser.feed(octets("more"))).toThrow(TypeError);
  });

  it("joins a surrogate pair split between two pieces of text", () => {
    const text = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n\u{1F600}\n";
    const cut = text.indexOf("\u{1F600}") + 1;
    const parser = new FeedParser();
    parser.feed(text.slice(0, cut));
    parser.feed(text.slice(cut));
    expect(parser.close().getContent()).toBe("\u{1F600}\n");
  });

  it("joins a CR and an LF fed separately into one line ending", () => {
    const parser = new BytesFeedParser();
    parser.feed(octets("Subject: x\r"));
    parser.feed(octets("\nTo: y@example.com\r"));
    parser.feed(octets("\n\r\nbody\r\n"));
    const msg = parser.close();
    expect(msg.items()).toEqual([
      ["Subject", "x"],
      ["To", "y@example.com"],
    ]);
    expect(msg.getPayload()).toBe("body\r\n");
  });
});

describe("policy.strict", () => {
  const HEADERS: Array<[string, string]> = [
    ["Subject: a\x00b", "NonPrintableDefect"],
    ["To: Foo <", "InvalidHeaderDefect"],
    ["Subject: =?x-bogus?q?a?=", "InvalidHeaderDefect"],
    ["Date: nope", "InvalidDateDefect"],
    ["To: J\xf6rg <j@example.com>", "UndecodableBytesDefect"],
  ];

  it.each(HEADERS)("throws from the parser the first defect of %j (%s)", (header, defect) => {
    const data = octets(`${header}\nX-Other: fine\n\nbody\n`);
    expect(() => messageFromBytes(data, { policy: policy.strict })).toThrow(
      expect.objectContaining({ name: defect }) as unknown as Error,
    );
    const msg = messageFromBytes(data);
    expect(msg.getHeader(header.slice(0, header.indexOf(":")))?.defects.map((d) => d.name)).toContain(defect);
  });

  it("lets a message without defects through", () => {
    expect(messageFromBytes(octets("Subject: fine\nTo: a@example.com\n\nbody\n"), { policy: policy.strict }).get("to")).toBe(
      "a@example.com",
    );
  });
});

describe("an unknown body charset", () => {
  const data = octets("Content-Type: text/plain; charset=x-bogus\n\ncaf\xe9\n");

  it("is read as ASCII under the default policy, with an UnknownCharsetDefect (Python raises LookupError)", () => {
    const msg = messageFromBytes(data);
    expect(msg.getContent()).toBe("caf\ufffd\n");
    expect(msg.getContent()).toBe("caf\ufffd\n");
    expect(msg.defects.map((d) => d.name)).toEqual(["UnknownCharsetDefect"]);
  });

  it("throws the UnknownCharsetDefect under policy.strict", () => {
    expect(() => messageFromBytes(data, { policy: policy.strict }).getContent()).toThrow(UnknownCharsetDefect);
  });

  it("throws a CharsetError when strict decoding is asked for", () => {
    expect(() => messageFromBytes(data).getContent({ errors: "strict" })).toThrow(CharsetError);
  });
});

describe("what a parsed message holds", () => {
  it("keeps an ASCII body as text and an 8-bit body as its exact octets", () => {
    expect(typeof messageFromBytes(octets("Subject: x\n\nplain\n")).rawPayload()).toBe("string");
    const raw = messageFromBytes(octets("Subject: x\n\n\xff\xfe\x80\n")).rawPayload();
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(latin1(raw as Uint8Array)).toBe("\xff\xfe\x80\n");
  });

  it("keeps a header in an unknown 8-bit charset as its octets and writes them back unchanged", () => {
    const data = octets("Subject: caf\xe9\n  cr\xe8me\n\nbody\n");
    const msg = messageFromBytes(data);
    const stored = msg.rawItems()[0]![1];
    expect(stored).toBeInstanceOf(RawHeaderValue);
    expect(latin1((stored as RawHeaderValue).bytes)).toBe("caf\xe9\n  cr\xe8me");
    expect(latin1(msg.asBytes())).toBe(latin1(data));
  });

  it("reads a UTF-8 header as text and writes its octets back unchanged", () => {
    const data = octets("Subject: caf\xc3\xa9\n\nbody\n");
    const msg = messageFromBytes(data);
    expect(msg.get("subject")).toBe("café");
    expect(latin1(msg.asBytes())).toBe(latin1(data));
  });

  it("keeps the folding of a header as read", () => {
    const msg = messageFromBytes(octets("Subject: one\n\ttwo\n three\n\nbody\n"));
    expect(msg.rawItems()[0]).toEqual(["Subject", "one\n\ttwo\n three"]);
    expect(msg.get("subject")).toBe("one\ttwo three");
  });

  it("sets the Unix From line without its line ending", () => {
    const msg = messageFromBytes(octets("From a@example.com  Mon Jan 1 00:00:00 2001\r\nSubject: x\r\n\r\nbody\r\n"));
    expect(msg.getUnixfrom()).toBe("From a@example.com  Mon Jan 1 00:00:00 2001");
  });

  it("reads the parts of multipart/digest as message/rfc822 by default", () => {
    const msg = messageFromString('Content-Type: multipart/digest; boundary="D"\n\n--D\n\nSubject: inner\n\nx\n--D--\n');
    const part = msg.getPayload({ i: 0 });
    expect(part.getContentType()).toBe("message/rfc822");
    expect((part.getPayload() as Message[])[0]!.get("subject")).toBe("inner");
  });

  it("parses each header once, however often it is read, and never hands out a replaced one", () => {
    const msg = messageFromString("Content-Type: text/plain; name*0*=utf-8''%E6%97; name*1*=%A5.txt\n\nx\n");
    const first = msg.getHeader("content-type");
    expect(msg.getHeader("content-type")).toBe(first);
    expect([msg.getContentType(), msg.getFilename()]).toEqual(["text/plain", "日.txt"]);
    msg.setParam("name", "other.txt");
    expect(msg.getHeader("content-type")).not.toBe(first);
    expect(msg.getFilename()).toBe("other.txt");
    msg.set("Content-Type", "text/html");
    expect(msg.getContentType()).toBe("text/html");
  });

  it("writes back a multipart message with preamble, epilogue and CRLF line endings unchanged", () => {
    const data = octets(CASES["multipart with CRLF"]!);
    expect(latin1(messageFromBytes(data, { policy: policy.SMTP }).asBytes())).toBe(latin1(data));
  });
});

/**
 * A multipart nested `depth` levels deep, each level with its own boundary, each close
 * delimiter on the line right after the one it encloses (Python writes such a message
 * back with a blank line between them; mailport writes it back unchanged).
 */
function nestedMultipart(depth: number): Uint8Array {
  const head: string[] = [];
  const tail: string[] = [];
  for (let i = 0; i < depth; i++) {
    head.push(`Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n`);
    tail.push(`--b${i}--\n`);
  }
  return octets(head.join("") + "Content-Type: text/plain\n\ninnermost\n" + tail.reverse().join(""));
}

function depthOf(msg: Message): number {
  let depth = 0;
  let cur = msg;
  while (cur.isMultipart()) {
    cur = (cur.getPayload() as Message[])[0]!;
    depth++;
  }
  return depth;
}

describe("writing back 8-bit headers", () => {
  const longTo = Array.from({ length: 6 }, (_, i) => `jörg${i}@example.com`).join(", ");
  const source = `From: a@example.com\nTo: ${longTo}\nSubject: Grüße\n\nbody\n`;

  it("writes UTF-8 header text as it came in asString(), as asBytes() writes the octets", () => {
    const msg = messageFromBytes(octets(Buffer.from(source, "utf8").toString("latin1")));
    expect(msg.asString()).toBe(source);
    expect(Buffer.from(msg.asBytes()).toString("utf8")).toBe(source);
  });

  it("keeps a long read header it cannot refold without utf8, and refolds it with utf8", () => {
    const msg = messageFromBytes(octets(Buffer.from(source, "utf8").toString("latin1")));
    expect(Buffer.from(msg.asBytes({ policy: policy.SMTP })).toString("utf8")).toBe(source.replace(/\n/g, "\r\n"));
    const folded = Buffer.from(msg.asBytes({ policy: policy.SMTPUTF8 })).toString("utf8");
    expect(folded).toContain("jörg3@example.com,\r\n jörg4@example.com");
  });

  it("refuses to write a non-ASCII local part where the output must be 7-bit", () => {
    const msg = messageFromBytes(octets(Buffer.from(source, "utf8").toString("latin1")));
    expect(() => msg.asBytes({ policy: policy.SMTP.clone({ cteType: "7bit" }) })).toThrow(HeaderWriteError);
  });
});

describe("nesting", () => {
  it("parses nesting as deep as Python can in full", () => {
    const msg = messageFromBytes(nestedMultipart(150));
    expect(depthOf(msg)).toBe(150);
    expect([...msg.walk()].flatMap((p) => p.defects)).toEqual([]);
  });

  it(`stops descending at ${MAX_NESTING_DEPTH} levels with a MultipartInvariantViolationDefect`, () => {
    const msg = messageFromBytes(nestedMultipart(MAX_NESTING_DEPTH + 5));
    expect(depthOf(msg)).toBe(MAX_NESTING_DEPTH);
    const defects = [...msg.walk()].flatMap((p) => p.defects.map((d) => d.name));
    expect(defects).toEqual(["MultipartInvariantViolationDefect"]);
  });

  it("survives a 10,000-deep nesting attempt of multiparts and writes it back unchanged", () => {
    const data = nestedMultipart(10_000);
    const msg = messageFromBytes(data);
    expect(depthOf(msg)).toBe(MAX_NESTING_DEPTH);
    expect(latin1(msg.asBytes())).toBe(latin1(data));
  });

  it("survives a 10,000-deep nesting attempt of message/rfc822", () => {
    const data = octets("Content-Type: message/rfc822\n\n".repeat(10_000) + "Subject: x\n\nbody\n");
    const msg = messageFromBytes(data);
    expect(latin1(msg.asBytes())).toBe(latin1(data));
    const names = [...msg.walk()].flatMap((p) => p.defects.map((d) => d.name));
    expect(names).toEqual(["MultipartInvariantViolationDefect"]);
  });
});

describe("large inputs of hostile shape", () => {
  // How the time grows with the size is measured in bench/parse.ts (npm run bench -- parse),
  // never here; these check what such inputs parse into.
  const boundaries = 100;
  const lines = 20_000;

  it("reads thousands of parts", () => {
    const data = octets('Content-Type: multipart/mixed; boundary="b"\n\n' + "--b\nContent-Type: text/plain\n\nx\n".repeat(5_000) + "--b--\n");
    const msg = messageFromBytes(data);
    expect([...msg.iterParts()]).toHaveLength(5_000);
    expect(latin1(msg.asBytes())).toBe(latin1(data));
  });

  it("keeps boundary-like lines as content", () => {
    const noise = "--b-not-quite\n--bb--\n".repeat(lines);
    const msg = messageFromBytes(octets('Content-Type: multipart/mixed; boundary="b"\n\n--b\n\n' + noise + "--b--\n"));
    const [part] = [...msg.iterParts()];
    expect(part?.getPayload()).toBe(noise.slice(0, -1));
  });

  it(`keeps lines that look like boundaries under ${boundaries} enclosing multiparts as content`, () => {
    const head: string[] = [];
    for (let i = 0; i < boundaries; i++) head.push(`Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n`);
    const msg = messageFromBytes(octets(head.join("") + "\n" + "--line that looks like a boundary\n".repeat(lines)));
    const leaf = [...msg.walk()].at(-1)!;
    // No close delimiter: the last line break goes with the missing delimiter, as in Python.
    expect(leaf.getPayload()).toBe("--line that looks like a boundary\n".repeat(lines).slice(0, -1));
  });

  it("unfolds a header folded over thousands of lines", () => {
    const msg = messageFromBytes(octets("Subject: x\n" + " folded word\n".repeat(lines) + "\nbody\n"));
    expect(msg.get("Subject")).toBe("x" + " folded word".repeat(lines));
  });
});
