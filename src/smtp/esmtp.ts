/**
 * Reading the server's EHLO reply: the service extensions it offers and its AUTH mechanisms.
 *
 * @module
 */

/** What an EHLO reply says the server offers. */
export interface EsmtpCapabilities {
  /** Lower-case extension keyword to its parameters (`"size"` to `"10240000"`, `"8bitmime"` to `""`). */
  readonly extensions: Map<string, string>;
  /** The AUTH mechanisms offered, lower case, in the server's order. */
  readonly authMethods: string[];
}

const OLDSTYLE_AUTH = /^auth=(.*)/i;
const EXTENSION = /^([A-Za-z0-9][A-Za-z0-9-]*) ?/;

/**
 * Parses the text of an EHLO reply (lines joined with `\n`; the first line, the server's
 * greeting, is skipped). Each line gives an extension keyword (lower-cased) and its
 * parameters; AUTH lines, including the old `AUTH=` form some servers still send, add
 * their mechanisms to `authMethods` (each once). aiosmtplib keeps `AUTH=LOGIN PLAIN` as
 * one mechanism named "login plain"; here it is two.
 *
 * @example
 * parseEsmtpExtensions("mail.example\nSIZE 1000\nAUTH PLAIN LOGIN").extensions.get("size") // "1000"
 */
export function parseEsmtpExtensions(message: string): EsmtpCapabilities {
  const extensions = new Map<string, string>();
  const authMethods: string[] = [];
  const addMethods = (text: string): void => {
    for (const method of text.toLowerCase().split(/\s+/)) {
      if (method && !authMethods.includes(method)) authMethods.push(method);
    }
  };
  for (const line of message.split("\n").slice(1)) {
    const oldStyle = OLDSTYLE_AUTH.exec(line);
    if (oldStyle) {
      // The pre-RFC 2554 form "AUTH=LOGIN PLAIN": the mechanisms count, but the line must
      // not replace the parameters of a proper AUTH line.
      addMethods(oldStyle[1] ?? "");
      if (!extensions.has("auth")) extensions.set("auth", (oldStyle[1] ?? "").trim());
      continue;
    }
    const match = EXTENSION.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? "").toLowerCase();
    const params = line.slice((match[1] ?? "").length).trim();
    extensions.set(keyword, params);
    if (keyword === "auth") addMethods(params);
  }
  return { extensions, authMethods };
}
