/**
 * The recipe format shared by the two builders of the differential oracle:
 * `oracle.py` (Python's `email` package) and `build.ts` (mailport). A recipe is plain
 * JSON data: a message to build (a class, its constructor arguments and a list of
 * operations in order), an output policy, and what a reader should find in the result.
 *
 * Tagged values stand for objects JSON cannot hold:
 * - `{ "$address": { displayName, username, domain } }` or `{ "$address": { displayName, addrSpec } }`
 * - `{ "$group": { displayName, addresses: [ {$address} ... ] } }`
 * - `{ "$date": "2021-01-01T00:00:00Z" }` (UTC only: a JS Date has no zone of its own)
 * - `{ "$base64": "..." }` and `{ "$bytes": { length, seed } }` (bytes; see {@link patternBytes})
 * - `{ "$formataddr": [name, address, charset?] }`: the string `formataddr` returns
 * - `{ "$formatdate": { timeval, usegmt? } }`: the string `formatdate` returns (always UTC)
 * - `{ "$message": MessageSpec }` (content of `setContent`/`addAttachment` ...)
 *
 * @module
 */

/** The named policies, by their Python names. */
export type PolicyName = "default" | "SMTP" | "SMTPUTF8" | "HTTP" | "compat32" | "strict";

/** Policy attributes a recipe may override (`maxLineLength: 0` means "never fold"). */
export interface PolicyOverrides {
  readonly maxLineLength?: number;
  readonly cteType?: "7bit" | "8bit";
  readonly utf8?: boolean;
  readonly linesep?: "\n" | "\r\n";
  readonly mangleFrom?: boolean;
  readonly raiseOnDefect?: boolean;
}

/** A named policy, or one cloned with overrides. */
export type PolicyRef = PolicyName | { readonly base: PolicyName; readonly overrides: PolicyOverrides };

/** An address as `Address`'s constructor takes it. */
export interface AddressSpec {
  readonly displayName?: string;
  readonly username?: string;
  readonly domain?: string;
  readonly addrSpec?: string;
}

/** Bytes given by a deterministic pattern, so that large payloads stay small in JSON. */
export interface BytesPattern {
  readonly length: number;
  readonly seed: number;
}

/** A value JSON cannot hold, tagged by its kind (see the module comment). */
export type Tagged =
  | { readonly $address: AddressSpec }
  | { readonly $group: { readonly displayName: string; readonly addresses: readonly { $address: AddressSpec }[] } }
  | { readonly $date: string }
  | { readonly $base64: string }
  | { readonly $bytes: BytesPattern }
  | { readonly $formataddr: readonly [string, string] | readonly [string, string, string] }
  | { readonly $formatdate: { readonly timeval: number; readonly usegmt?: boolean } };

/** A header value: text, a tagged object, or a list of them (address headers). */
export type HeaderArg = string | Tagged | readonly (string | Tagged)[];

/** What `setContent` and friends take. */
export type ContentArg = string | { readonly $base64: string } | { readonly $bytes: BytesPattern } | { readonly $message: MessageSpec };

/** The options of `setContent` and friends, with mailport's (camelCase) names. */
export interface ContentOptions {
  readonly maintype?: string;
  readonly subtype?: string;
  readonly charset?: string;
  readonly cte?: string;
  readonly disposition?: string;
  readonly filename?: string;
  readonly cid?: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly headers?: readonly string[];
}

/** A parameter value for `addHeader`: text, RFC 2231 `[charset, language, value]`, or null (bare name). */
export type ParamArg = string | null | readonly [string | null, string | null, string];

/** One operation on a message, applied in order. */
export type Op =
  | { readonly op: "set"; readonly name: string; readonly value: HeaderArg }
  | { readonly op: "append"; readonly name: string; readonly value: HeaderArg }
  | { readonly op: "delete"; readonly name: string }
  | { readonly op: "replaceHeader"; readonly name: string; readonly value: HeaderArg }
  | { readonly op: "addHeader"; readonly name: string; readonly value: string | null; readonly params: Readonly<Record<string, ParamArg>> }
  | {
      readonly op: "setParam";
      readonly param: string;
      readonly value: string;
      readonly header?: string;
      readonly requote?: boolean;
      readonly charset?: string;
      readonly language?: string;
      readonly replace?: boolean;
    }
  | { readonly op: "delParam"; readonly param: string; readonly header?: string }
  | {
      readonly op: "setContent" | "addAlternative" | "addRelated" | "addAttachment";
      readonly content: ContentArg;
      readonly options?: ContentOptions;
    }
  | { readonly op: "makeMixed" | "makeAlternative" | "makeRelated"; readonly boundary?: string }
  | { readonly op: "attach"; readonly part: MessageSpec }
  | { readonly op: "setPayload"; readonly payload: string; readonly charset?: string }
  | { readonly op: "setCharset"; readonly charset: string }
  | { readonly op: "preamble"; readonly text: string }
  | { readonly op: "epilogue"; readonly text: string }
  | { readonly op: "setBoundary"; readonly boundary: string };

/** The classes a recipe can start from, with Python's constructor arguments in order. */
export type MessageSpec =
  | { readonly class: "EmailMessage" | "Message"; readonly policy?: PolicyRef; readonly ops?: readonly Op[] }
  | { readonly class: "MIMEText"; readonly args: readonly [string] | readonly [string, string] | readonly [string, string, string]; readonly ops?: readonly Op[] }
  | { readonly class: "MIMEMultipart"; readonly args: readonly [string?, string?, (readonly MessageSpec[])?]; readonly ops?: readonly Op[] }
  | { readonly class: "MIMEBase"; readonly args: readonly [string, string, Readonly<Record<string, string>>?]; readonly ops?: readonly Op[] }
  | {
      readonly class: "MIMEApplication" | "MIMEImage" | "MIMEAudio";
      readonly args: readonly [{ readonly $base64: string } | { readonly $bytes: BytesPattern }, string?];
      readonly ops?: readonly Op[];
    }
  | { readonly class: "MIMEMessage"; readonly args: readonly [MessageSpec, string?]; readonly ops?: readonly Op[] };

/** An address as postal-mime reports it. */
export type ExpectedAddress =
  | { readonly name: string; readonly address: string }
  | { readonly name: string; readonly group: readonly { readonly name: string; readonly address: string }[] };

/** An attachment as postal-mime should report it. */
export interface ExpectedAttachment {
  readonly filename: string | null;
  readonly mimeType: string;
  readonly content: { readonly $base64: string } | { readonly $bytes: BytesPattern } | { readonly $text: string };
  readonly contentId?: string;
}

/** What a reader (postal-mime) should find in the message; only the fields given are checked. */
export interface Expectation {
  readonly subject?: string;
  readonly from?: ExpectedAddress;
  readonly to?: readonly ExpectedAddress[];
  readonly cc?: readonly ExpectedAddress[];
  readonly text?: string;
  readonly html?: string;
  readonly attachments?: readonly ExpectedAttachment[];
  /** Extra headers to find, by lower-case name, as postal-mime's raw (unfolded) value. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One recipe of the oracle. */
export interface Recipe {
  /** Unique, used as the test name. */
  readonly name: string;
  readonly message: MessageSpec;
  /** The policy passed to asBytes/asString. */
  readonly output: PolicyRef;
  /** Also compare `asString({ policy })`. */
  readonly string?: boolean;
  /** Both sides are expected to throw while building or serializing. */
  readonly expectError?: boolean;
  /** What postal-mime should read back; absent for error recipes. */
  readonly expect?: Expectation;
}

/** The result of building one recipe, on either side. */
export interface BuildResult {
  readonly name: string;
  /** `asBytes({ policy })`, base64 in JSON. */
  readonly bytes?: string;
  readonly string?: string;
  /** `"ExceptionName: message"` when building or serializing threw. */
  readonly error?: string;
}

/**
 * The bytes of a {@link BytesPattern}: byte i is `(seed + 31 * i + 7 * (i >> 8)) & 0xff`.
 * The same formula is in oracle.py.
 */
export function patternBytes(pattern: BytesPattern): Uint8Array {
  const out = new Uint8Array(pattern.length);
  for (let i = 0; i < pattern.length; i++) out[i] = (pattern.seed + 31 * i + 7 * (i >> 8)) & 0xff;
  return out;
}
