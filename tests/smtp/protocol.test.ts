import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SMTPResponseException } from "../../src/smtp/errors.js";
import {
  DataEncoder,
  MAX_LINE_LENGTH,
  ReplyReader,
  checkCommandArgument,
  encodeCommand,
  normalizedSize,
} from "../../src/smtp/protocol.js";
import { PY_DATA_HELPERS, b64, python, unb64 } from "./python.js";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

function encodeInChunks(message: Uint8Array, cuts: number[], options: { dotStuffing?: boolean } = {}): Buffer {
  const encoder = new DataEncoder(options);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(encoder.encode(message.subarray(at, Math.max(at, cut))));
    at = Math.max(at, cut);
  }
  out.push(encoder.encode(message.subarray(at)), encoder.end());
  return Buffer.concat(out);
}

describe("ReplyReader", () => {
  it("reads a one-line reply", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("250 OK\r\n"));
    expect(String(reader.read())).toBe("250 OK");
  });

  it("joins the lines of a multi-line reply with newlines, without their codes", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("250-mx.test Hello\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"));
    const reply = reader.read();
    expect(reply?.code).toBe(250);
    expect(reply?.message).toBe("mx.test Hello\nSIZE 1000\n8BITMIME");
  });

  it("waits for the last line of a multi-line reply, however the bytes are split", () => {
    const text = "250-first\r\n250-second\r\n250 last\r\n";
    for (let cut = 1; cut < text.length; cut++) {
      const reader = new ReplyReader();
      reader.feed(bytes(text.slice(0, cut)));
      expect(reader.read()).toBeUndefined();
      reader.feed(bytes(text.slice(cut)));
      expect(reader.read()?.message).toBe("first\nsecond\nlast");
    }
  });

  it("accepts a reply that ends with a bare LF and strips spaces and tabs around the text", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("220 \t ready \t\n"));
    expect(reader.read()?.message).toBe("ready");
  });

  it("reads a code with no text", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("354\r\n"));
    expect(String(reader.read())).toBe("354 ");
  });

  it("refuses a line that does not start with a reply code", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("hello there\r\n"));
    expect(() => reader.read()).toThrow(SMTPResponseException);
    expect(() => {
      const r = new ReplyReader();
      r.feed(bytes("xyz oops\r\n"));
      r.read();
    }).toThrow("Malformed SMTP response line: xyz oops");
  });

  it("refuses a reply line longer than 8192 bytes, even before its line ending arrives", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("250 " + "x".repeat(MAX_LINE_LENGTH)));
    let caught: unknown;
    try {
      reader.read();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SMTPResponseException);
    expect((caught as SMTPResponseException).code).toBe(-1);
    expect((caught as SMTPResponseException).message).toBe("Response too long");
  });

  it("refuses a reply whose continuation lines add up to more than 32 KiB", () => {
    const reader = new ReplyReader();
    const line = "250-" + "x".repeat(1000) + "\r\n";
    expect(() => {
      for (let i = 0; i < 40; i++) reader.feed(bytes(line));
    }).toThrow("Response too long");
  });

  it("leaves the bytes after a reply for the next read", () => {
    const reader = new ReplyReader();
    reader.feed(bytes("250 one\r\n251 two\r\n"));
    expect(reader.read()?.code).toBe(250);
    expect(reader.read()?.code).toBe(251);
  });
});

describe("DataEncoder", () => {
  it("makes bare LF and bare CR into CRLF, doubles leading dots and terminates with a dot line", () => {
    const out = encodeInChunks(bytes("a\nb\rc\r\n.d\n..e"), []);
    expect(out.toString("latin1")).toBe("a\r\nb\r\nc\r\n..d\r\n...e\r\n.\r\n");
  });

  it("agrees with aiosmtplib's regular expressions (run in Python) on random data, however it is chunked", () => {
    const alphabet = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x41, 0x20, 0xff, 0x00);
    const cases = fc.sample(
      fc.record({
        message: fc.uint8Array({ maxLength: 60 }).chain((random) =>
          fc.array(alphabet, { maxLength: 60 }).map((chosen) => Uint8Array.from([...chosen, ...random.slice(0, 5)])),
        ),
        cuts: fc.array(fc.nat(70), { maxLength: 6 }),
      }),
      { numRuns: 400, seed: 20261121 },
    );
    const expected = python<Array<{ wire: string; size: number }>>(
      PY_DATA_HELPERS +
        "cases = json.load(sys.stdin)\n" +
        "print(json.dumps([{'wire': b64(wire(unb64(c))), 'size': len(normalize(unb64(c)))} for c in cases]))",
      cases.map((c) => b64(c.message)),
    );
    cases.forEach((c, i) => {
      expect(b64(encodeInChunks(c.message, c.cuts))).toBe(expected[i]?.wire);
      expect(normalizedSize(c.message)).toBe(expected[i]?.size);
    });
  });

  it("sends an empty message as an empty line and the terminator, as aiosmtplib", () => {
    const [wire] = python<string[]>(PY_DATA_HELPERS + "print(json.dumps([b64(wire(b''))]))");
    expect(b64(encodeInChunks(new Uint8Array(0), []))).toBe(wire);
    expect(unb64(wire ?? "").toString("latin1")).toBe("\r\n.\r\n");
  });

  it("without dot-stuffing (BDAT), only makes line endings CRLF and adds the final CRLF, as aiosmtplib normalizes (run in Python)", () => {
    const alphabet = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x41, 0x20, 0xff, 0x00);
    const cases = fc.sample(
      fc.record({ message: fc.array(alphabet, { maxLength: 60 }).map((chosen) => Uint8Array.from(chosen)), cuts: fc.array(fc.nat(70), { maxLength: 6 }) }),
      { numRuns: 300, seed: 20261203 },
    );
    const expected = python<string[]>(
      PY_DATA_HELPERS + "print(json.dumps([b64(normalize(unb64(c))) for c in json.load(sys.stdin)]))",
      [...cases.map((c) => b64(c.message)), ""],
    );
    cases.forEach((c, i) => {
      const out = encodeInChunks(c.message, c.cuts, { dotStuffing: false });
      expect(b64(out)).toBe(expected[i]);
      expect(out.length).toBe(normalizedSize(c.message));
    });
    expect(encodeInChunks(new Uint8Array(0), [], { dotStuffing: false }).toString("latin1")).toBe("\r\n");
    expect(unb64(expected[cases.length] ?? "").toString("latin1")).toBe("\r\n");
  });

  it("keeps a CRLF split between two chunks as one line ending", () => {
    const encoder = new DataEncoder();
    const out = Buffer.concat([encoder.encode(bytes("x\r")), encoder.encode(bytes("\n.y")), encoder.end()]);
    expect(out.toString("latin1")).toBe("x\r\n..y\r\n.\r\n");
  });
});

describe("command lines", () => {
  it("joins the arguments with spaces and ends with CRLF", () => {
    expect(Buffer.from(encodeCommand(["MAIL", "FROM:<a@b>", "SIZE=10"])).toString()).toBe("MAIL FROM:<a@b> SIZE=10\r\n");
  });

  it("refuses an argument holding CR, LF, NUL or another control character", () => {
    for (const bad of ["a\r\nRCPT TO:<x@y>", "a\nb", "a\0b", "a\tb", "a\x7fb", "a\x1bb"]) {
      expect(() => encodeCommand(["MAIL", bad])).toThrow(TypeError);
      expect(() => checkCommandArgument(bad, "sender")).toThrow(/sender .* contains a control character/);
    }
    expect(() => encodeCommand([Uint8Array.from([0x41, 0x0d, 0x0a])])).toThrow(TypeError);
  });
});
