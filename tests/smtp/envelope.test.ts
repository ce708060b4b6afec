import { describe, expect, it } from "vitest";
import { parseAddress, quoteAddress } from "../../src/smtp/envelope.js";
import { python } from "./python.js";

const INPUTS = [
  "a@b.example",
  "Foo <a@b.example>",
  "",
  '"a b"@x.example',
  "José <jösé@exämple.com>",
  "  spaced@x.example  ",
  "<angle@x.example>",
  "Name (comment) <c@x.example>",
  "a@b.example, c@d.example",
  "group: a@b.example;",
  "not an address",
  '"Quoted, Name" <q@x.example>',
];

describe("addresses for MAIL and RCPT", () => {
  it("parses and quotes addresses as aiosmtplib's parse_address and quote_address (run in Python)", () => {
    const expected = python<Array<[string, string]>>(
      `
import json, sys
from email.utils import parseaddr
def parse_address(address):
    return parseaddr(address)[1] or address.strip()
print(json.dumps([[parse_address(a), "<" + parse_address(a) + ">"] for a in json.load(sys.stdin)]))
`,
      INPUTS,
    );
    INPUTS.forEach((input, i) => {
      expect([parseAddress(input), quoteAddress(input)]).toEqual(expected[i]);
    });
  });

  it("sends <> as the null reverse-path, where aiosmtplib would send <<>>", () => {
    expect(quoteAddress("<>")).toBe("<>");
    expect(quoteAddress("")).toBe("<>");
  });
});
