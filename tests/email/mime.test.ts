/**
 * The legacy MIME classes (Python's `email.mime`): what their constructors set, the
 * transfer encodings they choose, and compat32 output of their headers.
 */
import { describe, expect, it } from "vitest";
import {
  EmailMessage,
  MIMEApplication,
  MIMEAudio,
  MIMEBase,
  MIMEImage,
  MIMEMessage,
  MIMEMultipart,
  MIMEText,
  MultipartConversionError,
  decodeHeader,
  makeHeader,
  messageFromBytes,
  policy,
} from "../../src/index.js";
import { runPythonJson } from "../helpers/python.js";

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

/** Sample data for the subtype sniffing: the first bytes of each format, and near misses. */
const IMAGE_SAMPLES: Record<string, number[] | string> = {
  jfif: [0xff, 0xd8, 0xff, 0xe0, 0, 16, ...Buffer.from("JFIF\0")],
  exif: [0xff, 0xd8, 0xff, 0xe1, 0, 16, ...Buffer.from("Exif\0")],
  jpegRaw: [0xff, 0xd8, 0xff, 0xdb, 0, 0],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0],
  gif87: "GIF87a....",
  gif89: "GIF89a....",
  tiffMM: "MM\0*....",
  tiffII: "II*\0....",
  rgb: [0x01, 0xda, 0, 1],
  pbm: "P1\n1 1\n0",
  pbm4: "P4 1 1",
  pgm: "P2\t1 1",
  pgm5: "P5\r1",
  ppm: "P3\n1",
  ppm6: "P6 1",
  pNoSpace: "P6x1",
  rast: [0x59, 0xa6, 0x6a, 0x95, 0, 0],
  xbm: "#define x_width 1\n",
  bmp: "BM......",
  webp: "RIFF\0\0\0\0WEBPVP8 ",
  riffNotWebp: "RIFF\0\0\0\0WAVEfmt ",
  exr: [0x76, 0x2f, 0x31, 0x01, 0, 0],
  unknown: "hello, world",
  empty: "",
  short: "P",
};

const AUDIO_SAMPLES: Record<string, number[] | string> = {
  au: ".snd\0\0\0\x18",
  wav: "RIFF\0\0\0\0WAVEfmt ",
  aiff: "FORM\0\0\0\0AIFFCOMM",
  aifc: "FORM\0\0\0\0AIFCFVER",
  riffNotWave: "RIFF\0\0\0\0WEBPVP8 ",
  formOther: "FORM\0\0\0\x008SVX",
  unknown: "ID3\x03\0\0",
  empty: "",
};

function bytesOf(sample: number[] | string): Uint8Array {
  return typeof sample === "string" ? new Uint8Array(Buffer.from(sample, "latin1")) : Uint8Array.from(sample);
}

/** Python's guessed subtype for each sample (null when it raises). */
const sniffed = runPythonJson<{ image: Record<string, string | null>; audio: Record<string, string | null> }>(
  `
import base64, json, sys
from email.mime.image import MIMEImage
from email.mime.audio import MIMEAudio
samples = json.load(sys.stdin)
def guess(cls, data):
    try:
        return cls(base64.b64decode(data)).get_content_subtype()
    except TypeError:
        return None
print(json.dumps({kind: {name: guess(MIMEImage if kind == "image" else MIMEAudio, data) for name, data in group.items()}
                  for kind, group in samples.items()}))
`,
  Object.fromEntries(
    (
      [
        ["image", IMAGE_SAMPLES],
        ["audio", AUDIO_SAMPLES],
      ] as const
    ).map(([kind, group]) => [
      kind,
      Object.fromEntries(Object.entries(group).map(([name, sample]) => [name, Buffer.from(bytesOf(sample)).toString("base64")])),
    ]),
  ),
);

function ourGuess(make: () => MIMEBase): string | null {
  try {
    return make().getContentSubtype();
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

describe("MIMEImage and MIMEAudio guess the subtype from the data as python3 does", () => {
  it("MIMEImage, for every format Python knows and some near misses", () => {
    const ours = Object.fromEntries(
      Object.entries(IMAGE_SAMPLES).map(([name, sample]) => [name, ourGuess(() => new MIMEImage(bytesOf(sample)))]),
    );
    expect(ours).toEqual(sniffed.image);
    expect(Object.values(ours).filter((v) => v !== null).length).toBeGreaterThan(15);
  });

  it("MIMEAudio, for Sun audio, WAV, AIFF and AIFC, and some near misses", () => {
    const ours = Object.fromEntries(
      Object.entries(AUDIO_SAMPLES).map(([name, sample]) => [name, ourGuess(() => new MIMEAudio(bytesOf(sample)))]),
    );
    expect(ours).toEqual(sniffed.audio);
  });

  it("refuses data it cannot guess with a TypeError that says to pass the subtype, and takes one given", () => {
    expect(() => new MIMEImage(bytesOf("hello"))).toThrow(/pass it explicitly/);
    expect(new MIMEImage(bytesOf("hello"), "x-custom").getContentType()).toBe("image/x-custom");
    expect(new MIMEAudio(bytesOf("hello"), "mpeg").getContentType()).toBe("audio/mpeg");
  });
});

describe("the legacy constructors", () => {
  it("MIMEBase sets Content-Type with its parameters, then MIME-Version, as Python", () => {
    const msg = new MIMEBase("application", "x-thing", { name: "a.bin", flag: null });
    expect(msg.items()).toEqual([
      ["Content-Type", 'application/x-thing; name="a.bin"; flag'],
      ["MIME-Version", "1.0"],
    ]);
  });

  it("MIMEApplication and MIMEImage base64-encode their data", () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    for (const msg of [new MIMEApplication(data), new MIMEImage(data, "png")]) {
      expect(msg.get("Content-Transfer-Encoding")).toBe("base64");
      expect(msg.getPayload({ decode: true })).toEqual(data);
    }
  });

  it("refuses text where the data must be bytes, as Python's base64 encoder does", () => {
    const text = "hello" as unknown as Uint8Array;
    expect(() => new MIMEApplication(text)).toThrow(
      new TypeError("MIMEApplication takes its data as a Uint8Array, not a string (use MIMEText for text)"),
    );
    expect(() => new MIMEImage(text, "png")).toThrow(TypeError);
    expect(() => new MIMEAudio(text, "wav")).toThrow(TypeError);
  });

  it("refuses a policy that is not a Policy", () => {
    expect(() => new MIMEText("x", "plain", undefined, { policy: {} as unknown as typeof policy.default })).toThrow(
      /a message's policy must be a Policy/,
    );
    expect(() => new EmailMessage("SMTP" as unknown as typeof policy.default)).toThrow(
      new TypeError("a message's policy must be a Policy (policy.default, policy.SMTP, compat32 ...), not a string"),
    );
  });

  it("MIMEText refuses sub-parts, MIMEMultipart takes them", () => {
    expect(() => new MIMEText("x").attach(new MIMEText("y"))).toThrow(MultipartConversionError);
    const multi = new MIMEMultipart("alternative", undefined, [new MIMEText("a"), new MIMEText("<p>a</p>", "html")]);
    expect([...multi.walk()].map((p) => p.getContentType())).toEqual(["multipart/alternative", "text/plain", "text/html"]);
  });

  it("MIMEMessage wraps a message as message/rfc822", () => {
    const inner = new MIMEText("inner");
    inner.set("Subject", "inside");
    const outer = new MIMEMessage(inner);
    expect(outer.getContentType()).toBe("message/rfc822");
    expect(Buffer.from(outer.asBytes()).toString("latin1")).toContain("\n\nContent-Type: text/plain");
    expect(() => new MIMEMessage("text" as unknown as MIMEText)).toThrow(TypeError);
  });

  it("take another policy", () => {
    const msg = new MIMEText("x", "plain", undefined, { policy: policy.SMTP });
    expect(Buffer.from(msg.asBytes()).toString("latin1")).toMatch(/\r\n\r\nx$/);
  });
});
