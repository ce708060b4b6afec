/**
 * The SASL mechanisms the client speaks: what to send for PLAIN, LOGIN, CRAM-MD5 and
 * XOAUTH2. Credentials are encoded as UTF-8; everything sent is base64.
 *
 * @module
 */
import { createHmac } from "node:crypto";

const utf8 = new TextEncoder();

function base64(data: string | Uint8Array): string {
  return Buffer.from(typeof data === "string" ? utf8.encode(data) : data).toString("base64");
}

/**
 * The PLAIN initial response (RFC 4616): base64 of NUL, user name, NUL, password.
 * @example authPlainEncode("user", "pass") // "AHVzZXIAcGFzcw=="
 */
export function authPlainEncode(username: string, password: string): string {
  return base64(`\0${username}\0${password}`);
}

/** The two LOGIN responses: the user name and the password, each in base64. */
export function authLoginEncode(username: string, password: string): [string, string] {
  return [base64(username), base64(password)];
}

/**
 * The CRAM-MD5 response (RFC 2195) to a base64 `challenge`: base64 of the user name, a
 * space and the hex HMAC-MD5 of the decoded challenge keyed with the password.
 */
export function authCramMd5Verify(username: string, password: string, challenge: string): string {
  const decoded = Buffer.from(challenge, "base64");
  const digest = createHmac("md5", utf8.encode(password)).update(decoded).digest("hex");
  return base64(`${username} ${digest}`);
}

/**
 * The XOAUTH2 initial response (Google's and Microsoft's SASL XOAUTH2): base64 of
 * `user=<name>\x01auth=Bearer <token>\x01\x01`.
 * @throws TypeError when the user name or token holds the \x01 separator
 */
export function authXoauth2Encode(username: string, accessToken: string): string {
  if (username.includes("\x01") || accessToken.includes("\x01")) {
    throw new TypeError("an XOAUTH2 user name or token cannot contain the \\x01 character");
  }
  return base64(`user=${username}\x01auth=Bearer ${accessToken}\x01\x01`);
}
