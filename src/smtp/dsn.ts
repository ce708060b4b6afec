/**
 * Delivery status notifications (RFC 3461): the options, their checks, and the MAIL and
 * RCPT parameters they become (`RET=`, `ENVID=`, `NOTIFY=`, `ORCPT=`), with xtext
 * encoding (RFC 3461, section 4).
 *
 * @module
 */

/** What a DSN may be asked for: delivery, failure, delay. */
export type DSNNotifyEvent = "SUCCESS" | "FAILURE" | "DELAY";

/**
 * Delivery status notification options (RFC 3461). Every field is optional; an empty
 * object sends no parameter but still needs a server that offers DSN.
 */
export interface DSNOptions {
  /** Return the whole message (`"FULL"`) or only its headers (`"HDRS"`) in a failure report (MAIL `RET=`). */
  readonly ret?: "FULL" | "HDRS" | undefined;
  /** An envelope identifier returned in reports (MAIL `ENVID=`): printable ASCII, at most 100 characters. */
  readonly envid?: string | undefined;
  /** When to report, for every recipient (RCPT `NOTIFY=`): some events, or `"NEVER"`. */
  readonly notify?: readonly DSNNotifyEvent[] | "NEVER" | undefined;
  /**
   * The original recipient (RCPT `ORCPT=rfc822;`): `true` gives each recipient its own
   * address, a string gives that address for every recipient. ASCII only.
   */
  readonly orcpt?: string | boolean | undefined;
}

const NOTIFY_EVENTS: readonly string[] = ["SUCCESS", "FAILURE", "DELAY"];

function checkOrcptAddress(address: string): void {
  if (address === "" || !/^[\x21-\x7e]+$/.test(address)) {
    throw new TypeError(
      `the dsn orcpt address ${JSON.stringify(address)} must be a non-empty ASCII address without spaces or control characters`,
    );
  }
}

/**
 * Checks DSN options, as given by a caller, and returns a frozen copy.
 * @throws TypeError for a value RFC 3461 does not allow: `ret` other than FULL or HDRS,
 *   `envid` not printable ASCII or longer than 100 characters, `notify` empty, with an
 *   unknown or repeated event, or NEVER with other events, `orcpt` not an ASCII address
 */
export function checkDsnOptions(dsn: unknown): DSNOptions {
  if (typeof dsn !== "object" || dsn === null || Array.isArray(dsn)) {
    throw new TypeError("the dsn option must be an object { ret, envid, notify, orcpt }");
  }
  const given = dsn as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!["ret", "envid", "notify", "orcpt"].includes(key)) {
      throw new TypeError(`the dsn option has no field ${JSON.stringify(key)} (it takes ret, envid, notify, orcpt)`);
    }
  }
  const { ret, envid, notify, orcpt } = given;
  if (ret !== undefined && ret !== "FULL" && ret !== "HDRS") {
    throw new TypeError(`dsn ret must be "FULL" or "HDRS", got ${JSON.stringify(ret)}`);
  }
  if (envid !== undefined) {
    if (typeof envid !== "string" || envid === "" || !/^[\x20-\x7e]+$/.test(envid)) {
      throw new TypeError(`dsn envid must be a non-empty string of printable ASCII characters, got ${JSON.stringify(envid)}`);
    }
    if (envid.length > 100) throw new TypeError(`dsn envid must be at most 100 characters, got ${envid.length}`);
  }
  let checkedNotify: readonly DSNNotifyEvent[] | "NEVER" | undefined;
  if (notify !== undefined) {
    if (notify === "NEVER") {
      checkedNotify = "NEVER";
    } else if (Array.isArray(notify)) {
      if (notify.length === 0) throw new TypeError("dsn notify must list at least one event, or be \"NEVER\"");
      if (notify.includes("NEVER")) {
        if (notify.length > 1) throw new TypeError("dsn notify NEVER cannot be combined with other events");
        checkedNotify = "NEVER";
      } else {
        const seen = new Set<string>();
        for (const event of notify as unknown[]) {
          if (typeof event !== "string" || !NOTIFY_EVENTS.includes(event)) {
            throw new TypeError(`dsn notify events are SUCCESS, FAILURE and DELAY, got ${JSON.stringify(event)}`);
          }
          if (seen.has(event)) throw new TypeError(`dsn notify lists ${event} twice`);
          seen.add(event);
        }
        checkedNotify = Object.freeze([...(notify as DSNNotifyEvent[])]);
      }
    } else {
      throw new TypeError(`dsn notify must be an array of SUCCESS, FAILURE, DELAY, or "NEVER", got ${JSON.stringify(notify)}`);
    }
  }
  if (orcpt !== undefined && typeof orcpt !== "boolean") {
    if (typeof orcpt !== "string") throw new TypeError("dsn orcpt must be a boolean or an address");
    checkOrcptAddress(orcpt);
  }
  return Object.freeze({
    ret: ret as DSNOptions["ret"],
    envid: envid as string | undefined,
    notify: checkedNotify,
    orcpt: orcpt as string | boolean | undefined,
  });
}

/**
 * xtext (RFC 3461, section 4): `+`, `=`, and characters outside `!` to `~` become `+XX`
 * (two upper-case hex digits).
 * @throws TypeError for a character outside ASCII (xtext encodes octets of US-ASCII only)
 */
export function xtextEncode(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code > 0x7f) throw new TypeError(`xtext cannot carry the non-ASCII character ${JSON.stringify(char)}`);
    out += code < 0x21 || code > 0x7e || char === "+" || char === "=" ? `+${code.toString(16).toUpperCase().padStart(2, "0")}` : char;
  }
  return out;
}

/** The MAIL FROM parameters of `dsn`: `RET=` and `ENVID=` (xtext), when set. */
export function dsnMailParameters(dsn: DSNOptions): string[] {
  const params: string[] = [];
  if (dsn.ret !== undefined) params.push(`RET=${dsn.ret}`);
  if (dsn.envid !== undefined) params.push(`ENVID=${xtextEncode(dsn.envid)}`);
  return params;
}

/**
 * The RCPT TO parameters of `dsn` for one recipient: `NOTIFY=` and `ORCPT=rfc822;` (xtext),
 * when set.
 * @param recipient the recipient's bare address, for `orcpt: true`
 * @throws TypeError when `orcpt: true` and the recipient is not ASCII (RFC 3461's rfc822
 *   address type cannot carry it)
 */
export function dsnRcptParameters(dsn: DSNOptions, recipient: string): string[] {
  const params: string[] = [];
  if (dsn.notify !== undefined) params.push(`NOTIFY=${dsn.notify === "NEVER" ? "NEVER" : dsn.notify.join(",")}`);
  if (dsn.orcpt !== undefined && dsn.orcpt !== false) {
    const address = dsn.orcpt === true ? recipient : dsn.orcpt;
    checkOrcptAddress(address);
    params.push(`ORCPT=rfc822;${xtextEncode(address)}`);
  }
  return params;
}
