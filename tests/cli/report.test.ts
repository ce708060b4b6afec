/**
 * How the debug server shows a received message: envelope with its parameters, the
 * header block and the body split at the first empty line, and the SHA-256 of the bytes.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatReceivedMessage, sha256Hex, type ReceivedMessage } from "../../src/cli/report.js";

function received(data: string | Uint8Array, overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  return {
    mailFrom: "a@example.com",
    mailParams: [],
    rcptTo: ["b@example.org"],
    rcptParams: [[]],
    user: undefined,
    secure: false,
    data: typeof data === "string" ? new TextEncoder().encode(data) : data,
    ...overrides,
  };
}

describe("formatReceivedMessage", () => {
  it("splits the headers from the body at the first empty line", () => {
    const report = formatReceivedMessage(received("Subject: hi\r\nX-A: 1\r\n\r\nbody line\r\n\r\nsecond\r\n"), 1);
    expect(report).toContain("---------- headers ----------\nSubject: hi\nX-A: 1\n---------- body ----------\nbody line\n\nsecond\n----------");
  });

  it("shows a message without an empty line as headers only", () => {
    const report = formatReceivedMessage(received("Subject: only headers\r\n"), 2);
    expect(report).toContain("---------- headers ----------\nSubject: only headers\n---------- body ----------\n\n");
  });

  it("shows the envelope with the ESMTP parameters of each command", () => {
    const report = formatReceivedMessage(
      received("S: x\r\n\r\nb\r\n", {
        mailParams: ["SIZE=10", "RET=HDRS"],
        rcptTo: ["b@example.org", "c@example.org"],
        rcptParams: [["NOTIFY=NEVER"], []],
        user: "ada",
        secure: true,
      }),
      3,
    );
    expect(report).toContain("MAIL FROM: <a@example.com> SIZE=10 RET=HDRS\nRCPT TO: <b@example.org> NOTIFY=NEVER\nRCPT TO: <c@example.org>\nlogin: ada, TLS: yes\n");
  });

  it("gives the size and SHA-256 of the bytes received, undecodable ones included", () => {
    const data = Uint8Array.from([0x53, 0x3a, 0x20, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0x0d, 0x0a]);
    const digest = createHash("sha256").update(data).digest("hex");
    expect(sha256Hex(data)).toBe(digest);
    const report = formatReceivedMessage(received(data), 4);
    expect(report).toContain(`size: 11 bytes, SHA-256: ${digest}`);
    expect(report).toContain("S: \uFFFD");
  });
});
