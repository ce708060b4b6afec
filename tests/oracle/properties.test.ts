/**
 * The oracle's own RFC checks, on hand-made messages, so that a divergence is only
 * accepted when the rule it names is really checked.
 */
import { describe, expect, it } from "vitest";
import {
  encodedWordsAtMost75,
  headerLinesWellFormed,
  linesAtMost998,
  noAddressInEncodedWords,
  noAsciiEncodedWords,
  noEmptyEncodedWords,
  noNul,
  oneKindOfLineEnding,
  qpLinesAtMost76,
  splitRaw,
} from "./properties.js";

const enc = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, "latin1"));

function multipart(partHeaders: string, body: string): string {
  return (
    'Content-Type: multipart/mixed; boundary="b1"\r\n\r\npreamble\r\n--b1\r\n' +
    `${partHeaders}\r\n\r\n${body}\r\n--b1--\r\n`
  );
}

describe("splitRaw", () => {
  it("splits a multipart into its parts and unfolds headers", () => {
    const tree = splitRaw(multipart("Content-Type: text/plain;\r\n charset=utf-8", "hello"));
    expect(tree.parts).toHaveLength(1);
    expect(tree.parts[0]?.headers).toEqual([["Content-Type", "text/plain; charset=utf-8"]]);
    expect(tree.parts[0]?.body).toBe("hello");
  });

  it("descends into message/rfc822 parts", () => {
    const tree = splitRaw("Content-Type: message/rfc822\n\nSubject: inner\n\nbody\n");
    expect(tree.parts[0]?.headers).toEqual([["Subject", "inner"]]);
  });
});

describe("qpLinesAtMost76", () => {
  it("accepts a quoted-printable line of 76 characters", () => {
    expect(qpLinesAtMost76(enc(multipart("Content-Transfer-Encoding: quoted-printable", `${"a".repeat(75)}=`)))).toEqual([]);
  });

  it("flags a quoted-printable line of 77 characters", () => {
    expect(qpLinesAtMost76(enc(multipart("Content-Transfer-Encoding: quoted-printable", `${"a".repeat(76)}=`)))).toHaveLength(1);
  });

  it("finds the encoding in a folded Content-Transfer-Encoding header", () => {
    expect(qpLinesAtMost76(enc(multipart("Content-Transfer-Encoding:\r\n quoted-printable", `${"a".repeat(76)}=`)))).toHaveLength(1);
  });

  it("ignores long lines of parts that are not quoted-printable", () => {
    expect(qpLinesAtMost76(enc(multipart("Content-Transfer-Encoding: 7bit", "a".repeat(200))))).toEqual([]);
  });
});

describe("encodedWordsAtMost75", () => {
  it("accepts an encoded word of 75 characters", () => {
    const word = `=?utf-8?b?${"A".repeat(63)}?=`;
    expect(word).toHaveLength(75);
    expect(encodedWordsAtMost75(enc(`Subject: ${word}\n\nbody\n`))).toEqual([]);
  });

  it("flags an encoded word of 76 characters, also in a folded line", () => {
    const word = `=?utf-8?b?${"A".repeat(64)}?=`;
    expect(encodedWordsAtMost75(enc(`Subject: x\n ${word}\n\nbody\n`))).toHaveLength(1);
  });
});

describe("noAddressInEncodedWords", () => {
  it("flags a From whose address is inside an encoded word", () => {
    // base64 of "Jürgen <jm@example.de>" in UTF-8
    const word = `=?utf-8?b?${Buffer.from("Jürgen <jm@example.de>").toString("base64")}?=`;
    expect(noAddressInEncodedWords(enc(`From: ${word}\n\nbody\n`))).toHaveLength(1);
  });

  it("accepts an encoded display name followed by a plain address", () => {
    expect(noAddressInEncodedWords(enc("From: =?utf-8?q?J=C3=BCrgen?= <jm@example.de>\n\nbody\n"))).toEqual([]);
  });

  it("flags an encoded local part or domain", () => {
    expect(noAddressInEncodedWords(enc("To: =?utf-8?q?j=C3=B6rg?=@example.com\n\nbody\n"))).toHaveLength(1);
    expect(noAddressInEncodedWords(enc("To: J <j@=?utf-8?q?ex=C3=A4mple?=.com>\n\nbody\n"))).toHaveLength(1);
  });

  it("accepts an encoded display name before an address with an A-label domain", () => {
    expect(noAddressInEncodedWords(enc("To: =?utf-8?q?J=C3=B6rg?= <j@xn--exmple-cua.com>\n\nbody\n"))).toEqual([]);
  });

  it("ignores encoded words in unstructured headers", () => {
    expect(noAddressInEncodedWords(enc("Subject: =?utf-8?q?mail_me_at_a=40b.c?=\n\nbody\n"))).toEqual([]);
  });
});

describe("noEmptyEncodedWords", () => {
  it("flags an encoded word with no encoded text", () => {
    expect(noEmptyEncodedWords(enc("Subject: a =?utf-8?q??=\n =?utf-8?q?b?=\n\nbody\n"))).toHaveLength(1);
  });

  it("accepts encoded words with text", () => {
    expect(noEmptyEncodedWords(enc("Subject: =?utf-8?q?a?= =?utf-8?b?YQ==?=\n\nbody\n"))).toEqual([]);
  });
});

describe("noAsciiEncodedWords", () => {
  it("flags an encoded word that stands for ASCII text", () => {
    expect(noAsciiEncodedWords(enc("Subject: =?utf-8?q?xxxxxxxx?=\n =?utf-8?q?xxxx?=\n\nbody\n"))).toHaveLength(2);
  });

  it("accepts encoded words with non-ASCII text, and long ASCII words written as they are", () => {
    expect(noAsciiEncodedWords(enc(`Subject: =?utf-8?q?caf=C3=A9?= ${"x".repeat(120)}\n\nbody\n`))).toEqual([]);
  });
});

describe("linesAtMost998", () => {
  it("accepts a line of 998 octets", () => {
    expect(linesAtMost998(enc(`X: ${"a".repeat(995)}\n\n`))).toEqual([]);
  });

  it("flags a line of 999 octets", () => {
    expect(linesAtMost998(enc(`X: ${"a".repeat(996)}\n\n`))).toHaveLength(1);
  });
});

describe("noNul", () => {
  it("flags a NUL octet anywhere", () => {
    expect(noNul(enc("X: a\u0000b\n\nbody\n"))).toHaveLength(1);
  });
});

describe("headerLinesWellFormed", () => {
  it("accepts fields and continuation lines", () => {
    expect(headerLinesWellFormed(enc("Subject: a\n b\nX-Y:z\n\nbody\n"))).toEqual([]);
  });

  it("flags a header line that is neither a field nor a continuation", () => {
    expect(headerLinesWellFormed(enc("X-Bad\nInjected: v\n\nbody\n"))).toHaveLength(1);
  });
});

describe("oneKindOfLineEnding", () => {
  it("accepts CRLF throughout", () => {
    expect(oneKindOfLineEnding(enc("A: b\r\n\r\nbody\r\n"))).toEqual([]);
  });

  it("flags a CRLF inside LF output", () => {
    expect(oneKindOfLineEnding(enc("A: b\r\nC: d\n\nbody\n"))).toHaveLength(1);
  });
});
