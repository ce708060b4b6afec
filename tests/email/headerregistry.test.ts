import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HeaderMissingRequiredValue, HeaderWriteError, InvalidDateDefect, InvalidHeaderError } from "../../src/email/errors.js";
import {
  Address,
  AddressHeader,
  ContentDispositionHeader,
  ContentTransferEncodingHeader,
  ContentTypeHeader,
  DateHeader,
  Group,
  HeaderRegistry,
  MIMEVersionHeader,
  MessageIDHeader,
  SingleAddressHeader,
  UnstructuredHeader,
  UniqueAddressHeader,
  UniqueUnstructuredHeader,
  type BaseHeader,
  type HeaderInput,
} from "../../src/email/headerregistry.js";
import { policy } from "../../src/email/policy.js";

/** Runs a python3 script with JSON on stdin and returns its JSON stdout. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const HEADER_NAMES = [
  "Subject", "Date", "Resent-Date", "Orig-Date", "Sender", "Resent-Sender", "To", "Resent-To", "Cc",
  "Resent-Cc", "Bcc", "Resent-Bcc", "From", "Resent-From", "Reply-To", "MIME-Version", "Content-Type",
  "Content-Disposition", "Content-Transfer-Encoding", "Message-ID", "X-Mailer", "Comments", "subject", "FROM",
];

// Python's header class (without the registry's "_" prefix) and max_count for each name.
const CLASS_ORACLE = `
import json, sys
from email import policy
out = []
for name in json.load(sys.stdin):
    cls = policy.default.header_factory[name]
    out.append([cls.__name__.lstrip('_'), cls.max_count])
print(json.dumps(out))
`;

describe("the header registry", () => {
  const registry = new HeaderRegistry();

  it("chooses the same header class and maximum count as Python for each name", () => {
    const expected = python<Array<[string, number | null]>>(CLASS_ORACLE, HEADER_NAMES);
    const ours = HEADER_NAMES.map((name) => {
      const cls = registry.classFor(name);
      return [cls.name, new cls(name, name === "Date" ? "" : "").maxCount ?? null];
    });
    expect(ours).toEqual(expected);
  });

  it("makes headers of a mapped class for any spelling of the name", () => {
    const custom = new HeaderRegistry();
    custom.mapToType("X-Recipients", AddressHeader);
    const header = custom.create("x-RECIPIENTS", "a@example.com, b@example.com") as AddressHeader;
    expect(header).toBeInstanceOf(AddressHeader);
    expect(header.addresses.map((a) => a.addrSpec)).toEqual(["a@example.com", "b@example.com"]);
  });

  it("uses the default class for unknown names, and only it without the default map", () => {
    const bare = new HeaderRegistry({ useDefaultMap: false, defaultClass: UniqueUnstructuredHeader });
    const to = bare.create("To", "a@example.com");
    expect(to).toBeInstanceOf(UniqueUnstructuredHeader);
    expect(to.maxCount).toBe(1);
  });

  it("keeps the name as given", () => {
    expect(registry.create("sUbJeCt", "x").name).toBe("sUbJeCt");
  });

  it("refuses a value of the wrong type with a TypeError that names the header", () => {
    const bad: Array<[string, unknown]> = [
      ["Subject", new Address({ addrSpec: "a@example.com" })],
      ["To", new Date(0)],
      ["Date", new Address({ addrSpec: "a@example.com" })],
      ["To", 42],
      ["To", [new Address({ addrSpec: "a@example.com" }), 42]],
      ["Content-Type", ["text/plain"]],
      ["Date", new Date(Number.NaN)],
    ];
    for (const [name, value] of bad) {
      expect(() => registry.create(name, value as HeaderInput)).toThrow(TypeError);
      expect(() => registry.create(name, value as HeaderInput)).toThrow(name);
    }
  });

  it("folds with the policy's line separator", () => {
    const header = registry.create("Subject", "hello");
    expect(header.fold({ policy: policy.SMTP })).toBe("Subject: hello\r\n");
    expect(header.fold({ policy: policy.default })).toBe("Subject: hello\n");
  });

  it("keeps encoded words written by the caller when folding, and decodes them in the value", () => {
    const header = registry.create("Subject", "=?utf-8?q?caf=C3=A9?= ok");
    expect(header.toString()).toBe("café ok");
    expect(header.fold({ policy: policy.default })).toBe("Subject: =?utf-8?q?caf=C3=A9?= ok\n");
  });

  it("records the defects of an unstructured value (Python drops them)", () => {
    expect(registry.create("Subject", "=?utf-8?b?w6k?=").defects.map((d) => d.name)).toEqual(["InvalidBase64PaddingDefect"]);
  });
});

describe("Address", () => {
  const ORACLE = `
import json, sys
from email.headerregistry import Address
out = []
for d, u, dom in json.load(sys.stdin):
    a = Address(d, u, dom)
    out.append([str(a), a.addr_spec])
print(json.dumps(out))
`;
  const parts: Array<[string, string, string]> = [
    ["", "bob", "example.com"],
    ["Bob", "bob", "example.com"],
    ["Smith, Bob", "bob", "example.com"],
    ['Say "hi"', "bob", "example.com"],
    ["back\\slash", "bob", "example.com"],
    ["Bob", "first last", "example.com"],
    ["Bob", "a.b", "example.com"],
    ["Bob", 'q"uote', "example.com"],
    ["Zoë", "zoe", "example.com"],
    ["Mr. Bob", "bob", "example.com"],
    ["", "", ""],
    ["Nobody", "", ""],
    ["", "local", ""],
    ["(Bob)", "bob", "example.com"],
  ];

  it("renders names and addr-specs exactly as Python's Address", () => {
    const expected = python<Array<[string, string]>>(ORACLE, parts);
    const ours = parts.map(([displayName, username, domain]) => {
      const a = new Address({ displayName, username, domain });
      return [a.toString(), a.addrSpec];
    });
    expect(ours).toEqual(expected);
  });

  it("parses an addr-spec into user name and domain", () => {
    const a = new Address({ displayName: "Bob", addrSpec: '"first last"@example.com' });
    expect([a.username, a.domain, a.addrSpec]).toEqual(["first last", "example.com", '"first last"@example.com']);
  });

  it("refuses an addr-spec together with a user name or domain", () => {
    expect(() => new Address({ username: "a", addrSpec: "a@example.com" })).toThrow(TypeError);
  });

  it("refuses an addr-spec that is not one complete valid address", () => {
    for (const addrSpec of ["a@example.com junk", "a b@example.com", "bob", "", "a@b@c"]) {
      expect(() => new Address({ addrSpec }), addrSpec).toThrow(InvalidHeaderError);
    }
  });

  it("refuses CR, LF or NUL in any part", () => {
    expect(() => new Address({ displayName: "a\r\nBcc: x" })).toThrow(InvalidHeaderError);
    expect(() => new Address({ username: "a\nb" })).toThrow(InvalidHeaderError);
    expect(() => new Address({ domain: "x\0y" })).toThrow(InvalidHeaderError);
    expect(() => new Address({ addrSpec: "a@b\rc" })).toThrow(InvalidHeaderError);
  });

  it("compares by display name, user name and domain", () => {
    const a = new Address({ displayName: "A", username: "a", domain: "example.com" });
    expect(a.equals(new Address({ displayName: "A", addrSpec: "a@example.com" }))).toBe(true);
    expect(a.equals(new Address({ displayName: "B", addrSpec: "a@example.com" }))).toBe(false);
  });

  it("is immutable", () => {
    const a = new Address({ addrSpec: "a@example.com" });
    expect(() => {
      (a as { username: string }).username = "b";
    }).toThrow(TypeError);
  });
});

describe("Group", () => {
  const ORACLE = `
import json, sys
from email.headerregistry import Address, Group
out = []
for name, members in json.load(sys.stdin):
    out.append(str(Group(name, [Address(*m) for m in members])))
print(json.dumps(out))
`;
  const groups: Array<[string | null, Array<[string, string, string]>]> = [
    ["Friends", [["", "a", "example.com"], ["Bob", "b", "example.com"]]],
    ["Empty", []],
    ["Team: A", [["", "a", "example.com"]]],
    [null, [["Bob", "b", "example.com"]]],
  ];

  it("renders groups exactly as Python's Group", () => {
    const expected = python<string[]>(ORACLE, groups);
    const ours = groups.map(([displayName, members]) =>
      new Group({
        displayName,
        addresses: members.map(([d, u, dom]) => new Address({ displayName: d, username: u, domain: dom })),
      }).toString(),
    );
    expect(ours).toEqual(expected);
  });

  it("writes the addresses of a group without a name as a plain list (Python writes 'None:')", () => {
    const a = new Address({ addrSpec: "a@example.com" });
    const b = new Address({ addrSpec: "b@example.com" });
    expect(new Group({ addresses: [a, b] }).toString()).toBe("a@example.com, b@example.com");
    expect(new Group().toString()).toBe("");
  });

  it("refuses members that are not addresses", () => {
    expect(() => new Group({ addresses: ["a@example.com" as unknown as Address] })).toThrow(TypeError);
  });

  it("compares by name and members", () => {
    const a = new Address({ addrSpec: "a@example.com" });
    expect(new Group({ displayName: "G", addresses: [a] }).equals(new Group({ displayName: "G", addresses: [a] }))).toBe(true);
    expect(new Group({ displayName: "G", addresses: [a] }).equals(new Group({ displayName: "H", addresses: [a] }))).toBe(false);
  });
});

describe("address headers", () => {
  const registry = new HeaderRegistry();

  it("take Address and Group objects and render them as Python does", () => {
    const header = registry.create("To", [
      new Address({ displayName: "Smith, Bob", addrSpec: "bob@example.com" }),
      new Group({ displayName: "Team", addresses: [new Address({ addrSpec: "t@example.com" })] }),
    ]) as AddressHeader;
    expect(header.toString()).toBe('"Smith, Bob" <bob@example.com>, Team: t@example.com;');
    expect(header.groups.map((g) => g.displayName)).toEqual([null, "Team"]);
    expect(header.addresses.map((a) => a.addrSpec)).toEqual(["bob@example.com", "t@example.com"]);
    expect(header.fold({ policy: policy.default })).toBe('To: "Smith, Bob" <bob@example.com>, Team: t@example.com;\n');
  });

  it("take an array mixing address strings, Address and Group objects, as Python does", () => {
    const header = registry.create("Cc", [
      "a@example.com",
      "B <b@example.com>, c@example.com",
      new Address({ displayName: "Dee", addrSpec: "d@example.com" }),
      new Group({ displayName: "Team", addresses: [new Address({ addrSpec: "t@example.com" })] }),
    ]) as AddressHeader;
    expect(header.toString()).toBe("a@example.com, B <b@example.com>, c@example.com, Dee <d@example.com>, Team: t@example.com;");
    expect(header.addresses.map((a) => a.addrSpec)).toEqual(["a@example.com", "b@example.com", "c@example.com", "d@example.com", "t@example.com"]);
    expect(header.fold({ policy: policy.default })).toBe(
      "Cc: a@example.com, B <b@example.com>, c@example.com, Dee <d@example.com>,\n Team: t@example.com;\n",
    );
  });

  it("refuse an array holding something other than strings, Address and Group objects, saying what", () => {
    expect(() => registry.create("To", ["a@example.com", 42] as unknown as HeaderInput)).toThrow(
      /To header must be a string, an Address, a Group, or an array of those, not number in the array/,
    );
    expect(() => registry.create("To", ["a@example.com\nBcc: x@y.z"])).toThrow(InvalidHeaderError);
  });

  it("take a single Address", () => {
    const header = registry.create("From", new Address({ displayName: "Zoë", addrSpec: "zoe@example.com" }));
    expect(header.fold({ policy: policy.default })).toBe("From: =?utf-8?q?Zo=C3=AB?= <zoe@example.com>\n");
    expect(header.fold({ policy: policy.SMTPUTF8 })).toBe("From: Zoë <zoe@example.com>\r\n");
  });

  it("give the single address of Sender, and refuse when there is not exactly one", () => {
    const sender = registry.create("Sender", "Bob <bob@example.com>") as SingleAddressHeader;
    expect(sender.address.username).toBe("bob");
    const two = registry.create("Resent-Sender", "a@example.com, b@example.com") as SingleAddressHeader;
    expect(() => two.address).toThrow(InvalidHeaderError);
  });

  it("write a non-ASCII domain as its IDNA A-label without utf8, and as it is with utf8", () => {
    const header = registry.create("To", "Jörg <j@exämple.com>, Grp: a@bücher.de;");
    expect(header.fold({ policy: policy.default })).toBe(
      "To: =?utf-8?q?J=C3=B6rg?= <j@xn--exmple-cua.com>, Grp: a@xn--bcher-kva.de;\n",
    );
    expect(header.fold({ policy: policy.SMTPUTF8 })).toBe("To: Jörg <j@exämple.com>, Grp: a@bücher.de;\r\n");
    expect(header.toString()).toBe("Jörg <j@exämple.com>, Grp: a@bücher.de;");
  });

  it("refuse to write a non-ASCII local part without utf8, naming the header and the address", () => {
    for (const value of ["jörg@example.com", new Address({ displayName: "J", username: "jörg", domain: "example.com" })]) {
      const header = registry.create("Cc", value);
      expect(() => header.fold({ policy: policy.default })).toThrow(HeaderWriteError);
      expect(() => header.fold({ policy: policy.default })).toThrow(/Cc header .*"jörg@example\.com".*policy\.SMTPUTF8/);
      expect(header.fold({ policy: policy.SMTPUTF8 })).toContain("jörg@example.com");
    }
  });

  it("refuse a non-ASCII domain literal without utf8: it has no A-label", () => {
    const header = registry.create("To", "a@[ä]");
    expect(() => header.fold({ policy: policy.default })).toThrow(/domain "\[ä\]"/);
  });

  it("are unique for To and not for Resent-To", () => {
    expect(registry.create("To", "a@example.com")).toBeInstanceOf(UniqueAddressHeader);
    expect(registry.create("Resent-To", "a@example.com").maxCount).toBeUndefined();
  });
});

describe("date headers", () => {
  const registry = new HeaderRegistry();
  const date = (value: HeaderInput): DateHeader => registry.create("Date", value) as DateHeader;

  it("render a Date in UTC with +0000", () => {
    const h = date(new Date(Date.UTC(2001, 10, 9, 6, 8, 47)));
    expect(h.toString()).toBe("Fri, 09 Nov 2001 06:08:47 +0000");
    expect(h.utcOffset).toBe(0);
    expect(h.datetime?.toISOString()).toBe("2001-11-09T06:08:47.000Z");
  });

  it("keep the UTC offset a date string was written in", () => {
    const h = date("Fri, 9 Nov 2001 01:08:47 -0500");
    expect(h.toString()).toBe("Fri, 09 Nov 2001 01:08:47 -0500");
    expect(h.utcOffset).toBe(-300);
    expect(h.datetime?.toISOString()).toBe("2001-11-09T06:08:47.000Z");
  });

  it("keep -0000 as an unknown zone", () => {
    const h = date("Fri, 09 Nov 2001 01:08:47 -0000");
    expect(h.toString()).toBe("Fri, 09 Nov 2001 01:08:47 -0000");
    expect(h.utcOffset).toBeNull();
  });

  it("keep an unparseable date as written, with a defect (Python drops it on output)", () => {
    const h = date("next tuesday");
    expect(h.datetime).toBeUndefined();
    expect(h.defects[0]).toBeInstanceOf(InvalidDateDefect);
    expect(h.fold({ policy: policy.default })).toBe("Date: next tuesday\n");
  });

  it("report an empty date as a missing value", () => {
    const h = date("");
    expect(h.defects[0]).toBeInstanceOf(HeaderMissingRequiredValue);
    expect(h.fold({ policy: policy.default })).toBe("Date:\n");
  });
});

describe("MIME headers", () => {
  const registry = new HeaderRegistry();

  it("give MIME-Version's version, major and minor", () => {
    const h = registry.create("MIME-Version", "1.0 (mailport)") as MIMEVersionHeader;
    expect([h.version, h.major, h.minor]).toEqual(["1.0", 1, 0]);
    const bad = registry.create("MIME-Version", "1") as MIMEVersionHeader;
    expect([bad.version, bad.major, bad.minor]).toEqual([undefined, undefined, undefined]);
  });

  it("give Content-Type's type and parameters with lower-cased names", () => {
    const h = registry.create("Content-Type", "Text/HTML; Charset=UTF-8; NAME*=utf-8''%C3%A9.html") as ContentTypeHeader;
    expect([h.contentType, h.maintype, h.subtype]).toEqual(["text/html", "text", "html"]);
    expect(h.params).toEqual({ charset: "UTF-8", name: "é.html" });
    expect(Object.isFrozen(h.params)).toBe(true);
  });

  it("fall back to text/plain for an invalid Content-Type", () => {
    const h = registry.create("Content-Type", "garbage") as ContentTypeHeader;
    expect(h.contentType).toBe("text/plain");
    expect(h.defects.length).toBeGreaterThan(0);
  });

  it("give Content-Disposition's disposition and parameters", () => {
    const h = registry.create("Content-Disposition", 'Attachment; filename="a b.txt"') as ContentDispositionHeader;
    expect(h.contentDisposition).toBe("attachment");
    expect(h.params).toEqual({ filename: "a b.txt" });
  });

  it("give Content-Transfer-Encoding's mechanism lower-cased", () => {
    expect((registry.create("Content-Transfer-Encoding", " BASE64 ") as ContentTransferEncodingHeader).cte).toBe("base64");
  });

  it("never fold a Message-ID", () => {
    const id = `<${"x".repeat(120)}@example.com>`;
    const h = registry.create("Message-ID", id) as MessageIDHeader;
    expect(h.fold({ policy: policy.default })).toBe(`Message-ID: ${id}\n`);
  });

  it("write RFC 2231 sections for a long non-ASCII file name", () => {
    const h: BaseHeader = registry.create("Content-Disposition", `attachment; filename="${"ü".repeat(40)}.pdf"`);
    const folded = h.fold({ policy: policy.default });
    expect(folded).toMatch(/^Content-Disposition: attachment;\n filename\*0\*=utf-8''%C3%BC/);
    for (const line of folded.split("\n")) expect(line.length).toBeLessThanOrEqual(78);
  });
});

describe("unstructured headers", () => {
  it("refuse a value that is not a string", () => {
    expect(() => new UnstructuredHeader("X-Count", 3 as unknown as string)).toThrow(TypeError);
  });
});
