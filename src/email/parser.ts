/**
 * Reading messages: bytes or text in, a message tree out (Python's `email.parser`
 * and the `message_from_*` functions of `email`).
 *
 * Unlike Python, whose parsers default to the legacy `compat32` policy and hand back
 * the legacy `Message` (a trap: `get_body`, `iter_attachments` and `get_content` are
 * then missing), every entry point here defaults to `policy.default` and gives an
 * {@link EmailMessage}. Pass `{ policy: policy.compat32 }` for the legacy `Message`.
 *
 * Parsing never throws on malformed input unless the policy says `raiseOnDefect`
 * (`policy.strict`): what can be recovered is returned, and each problem is recorded
 * in the `defects` of the part it concerns, named as Python's `email.errors` names it.
 * Parts nested deeper than {@link MAX_NESTING_DEPTH} levels are kept as text.
 *
 * @example
 * const msg = messageFromBytes(readFileSync("mail.eml"));
 * const body = msg.getBody(["plain", "html"])?.getContent();
 * for (const part of msg.iterAttachments()) console.log(part.getFilename());
 *
 * @module
 */
import { FeedParserCore, MAX_NESTING_DEPTH, type ParsedMessage } from "./feedparser.js";
import type { EmailMessage, Message } from "./message.js";
import { defaultPolicy, type Compat32, type EmailPolicy, type Policy } from "./policy.js";

export { MAX_NESTING_DEPTH } from "./feedparser.js";
export type { ParsedMessage } from "./feedparser.js";

/** Options of {@link messageFromBytes} and {@link messageFromString}. */
export interface ParseOptions<P extends Policy = Policy> {
  /** The policy of the result; default `policy.default` (an {@link EmailMessage}). */
  readonly policy?: P;
  /**
   * Read the headers only: the rest of the input becomes the payload as it is, even
   * for a multipart message (Python's `headersonly`).
   */
  readonly headersOnly?: boolean;
}

/** Options of the parser classes. */
export interface ParserOptions<P extends Policy = Policy> {
  /** The policy of the messages made; default `policy.default`. */
  readonly policy?: P;
}

/** Options of one `parse` call. */
export interface ParseCallOptions {
  /** Read the headers only (see {@link ParseOptions.headersOnly}). */
  readonly headersOnly?: boolean;
}

const UTF8 = new TextEncoder();

function checkPolicy(policy: unknown): Policy {
  if (policy === undefined) return defaultPolicy;
  if (
    typeof policy !== "object" ||
    policy === null ||
    typeof (policy as Policy).headerSourceParse !== "function" ||
    typeof (policy as Policy).handleDefect !== "function"
  ) {
    throw new TypeError("options.policy must be a Policy (for example policy.default or policy.compat32)");
  }
  return policy as Policy;
}

function checkBytes(data: unknown, what: string): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${what} takes a Uint8Array (use messageFromString/Parser for text)`);
  return data;
}

function checkText(text: unknown, what: string): string {
  if (typeof text !== "string") throw new TypeError(`${what} takes a string (use messageFromBytes/BytesParser for bytes)`);
  return text;
}

/** One octet per character, as the parsing engine reads its input. */
function binaryString(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
}

function parseBinary(data: string, policy: Policy, headersOnly: boolean): Message {
  const core = new FeedParserCore(policy, headersOnly);
  core.feed(data);
  return core.close();
}

/**
 * Parses a message from its octets (Python's `email.message_from_bytes`, with
 * `policy.default` as the default policy).
 *
 * Headers that are ASCII or UTF-8 are read as text; headers in any other 8-bit
 * encoding keep their octets so that the message is written back unchanged. Bodies
 * are kept as they came (8-bit bodies as `Uint8Array`).
 *
 * @throws MessageDefect (the first defect found) only when the policy has `raiseOnDefect`.
 * @throws TypeError when `data` is not a `Uint8Array` or the policy is not a Policy.
 * @example
 * const msg = messageFromBytes(bytes);                              // EmailMessage
 * const legacy = messageFromBytes(bytes, { policy: policy.compat32 }); // Message
 */
export function messageFromBytes(data: Uint8Array, options?: ParseOptions<EmailPolicy>): EmailMessage;
export function messageFromBytes(data: Uint8Array, options: ParseOptions<Compat32>): Message;
export function messageFromBytes(data: Uint8Array, options?: ParseOptions): EmailMessage | Message;
export function messageFromBytes(data: Uint8Array, options: ParseOptions = {}): EmailMessage | Message {
  const policy = checkPolicy(options.policy);
  return parseBinary(binaryString(checkBytes(data, "messageFromBytes")), policy, options.headersOnly ?? false);
}

/**
 * Parses a message from text: the text's UTF-8 octets are parsed as by
 * {@link messageFromBytes} (Python's `email.message_from_string`, with `policy.default`).
 *
 * @throws MessageDefect (the first defect found) only when the policy has `raiseOnDefect`.
 * @throws TypeError when `text` is not a string or the policy is not a Policy.
 */
export function messageFromString(text: string, options?: ParseOptions<EmailPolicy>): EmailMessage;
export function messageFromString(text: string, options: ParseOptions<Compat32>): Message;
export function messageFromString(text: string, options?: ParseOptions): EmailMessage | Message;
export function messageFromString(text: string, options: ParseOptions = {}): EmailMessage | Message {
  const policy = checkPolicy(options.policy);
  const bytes = UTF8.encode(checkText(text, "messageFromString"));
  return parseBinary(binaryString(bytes), policy, options.headersOnly ?? false);
}

/**
 * Parses whole messages from octets (Python's `email.parser.BytesParser`).
 * @example new BytesParser({ policy: policy.SMTP }).parse(bytes)
 */
export class BytesParser<P extends Policy = EmailPolicy> {
  /** The policy of the messages made. */
  readonly policy: P;

  /** @throws TypeError when `options.policy` is not a Policy. */
  constructor(options: ParserOptions<P> = {}) {
    this.policy = checkPolicy(options.policy) as P;
  }

  /**
   * Parses one message.
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   * @throws TypeError when `data` is not a `Uint8Array`.
   */
  parse(data: Uint8Array, options: ParseCallOptions = {}): ParsedMessage<P> {
    const bytes = checkBytes(data, "BytesParser.parse");
    return parseBinary(binaryString(bytes), this.policy, options.headersOnly ?? false) as ParsedMessage<P>;
  }
}

/**
 * Parses whole messages from text (Python's `email.parser.Parser`); the text's UTF-8
 * octets are what is parsed.
 */
export class Parser<P extends Policy = EmailPolicy> {
  /** The policy of the messages made. */
  readonly policy: P;

  /** @throws TypeError when `options.policy` is not a Policy. */
  constructor(options: ParserOptions<P> = {}) {
    this.policy = checkPolicy(options.policy) as P;
  }

  /**
   * Parses one message.
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   * @throws TypeError when `text` is not a string.
   */
  parse(text: string, options: ParseCallOptions = {}): ParsedMessage<P> {
    const bytes = UTF8.encode(checkText(text, "Parser.parse"));
    return parseBinary(binaryString(bytes), this.policy, options.headersOnly ?? false) as ParsedMessage<P>;
  }
}

/**
 * Parses the headers of messages from octets, leaving everything after them as the
 * payload (Python's `email.parser.BytesHeaderParser`).
 */
export class BytesHeaderParser<P extends Policy = EmailPolicy> extends BytesParser<P> {
  /** Parses the headers of one message; the rest is its payload, as it is. */
  override parse(data: Uint8Array, _options: ParseCallOptions = {}): ParsedMessage<P> {
    return super.parse(data, { headersOnly: true });
  }
}

/**
 * Parses the headers of messages from text, leaving everything after them as the
 * payload (Python's `email.parser.HeaderParser`).
 */
export class HeaderParser<P extends Policy = EmailPolicy> extends Parser<P> {
  /** Parses the headers of one message; the rest is its payload, as it is. */
  override parse(text: string, _options: ParseCallOptions = {}): ParsedMessage<P> {
    return super.parse(text, { headersOnly: true });
  }
}

/** Options of the feed parsers. */
export interface FeedParserOptions<P extends Policy = Policy> extends ParseOptions<P> {}

/**
 * Parses a message given piece by piece (Python's `email.feedparser.BytesFeedParser`),
 * for example as it arrives from a socket. Any split of the input into chunks gives
 * the same result. Call {@link BytesFeedParser.close} for the message.
 *
 * @example
 * const parser = new BytesFeedParser();
 * for await (const chunk of stream) parser.feed(chunk);
 * const msg = parser.close();
 */
export class BytesFeedParser<P extends Policy = EmailPolicy> {
  /** The policy of the messages made. */
  readonly policy: P;
  private readonly core: FeedParserCore;

  /** @throws TypeError when `options.policy` is not a Policy. */
  constructor(options: FeedParserOptions<P> = {}) {
    this.policy = checkPolicy(options.policy) as P;
    this.core = new FeedParserCore(this.policy, options.headersOnly ?? false);
  }

  /**
   * Parses as much as the data given so far allows.
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   * @throws TypeError when `chunk` is not a `Uint8Array`, or after {@link BytesFeedParser.close}.
   */
  feed(chunk: Uint8Array): void {
    this.core.feed(binaryString(checkBytes(chunk, "BytesFeedParser.feed")));
  }

  /**
   * Parses the rest and returns the message (the same message when called again).
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   */
  close(): ParsedMessage<P> {
    return this.core.close() as ParsedMessage<P>;
  }
}

/**
 * Parses a message given piece by piece as text (Python's `email.feedparser.FeedParser`);
 * the text's UTF-8 octets are what is parsed. Any split of the input gives the same result,
 * also one that falls between the two halves of a surrogate pair.
 */
export class FeedParser<P extends Policy = EmailPolicy> {
  /** The policy of the messages made. */
  readonly policy: P;
  private readonly core: FeedParserCore;
  private pendingHighSurrogate = "";

  /** @throws TypeError when `options.policy` is not a Policy. */
  constructor(options: FeedParserOptions<P> = {}) {
    this.policy = checkPolicy(options.policy) as P;
    this.core = new FeedParserCore(this.policy, options.headersOnly ?? false);
  }

  /**
   * Parses as much as the text given so far allows.
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   * @throws TypeError when `text` is not a string, or after {@link FeedParser.close}.
   */
  feed(text: string): void {
    let data = this.pendingHighSurrogate + checkText(text, "FeedParser.feed");
    this.pendingHighSurrogate = "";
    const lastCode = data.charCodeAt(data.length - 1);
    if (lastCode >= 0xd800 && lastCode <= 0xdbff) {
      // Wait for the low half: encoding half a pair would give U+FFFD.
      this.pendingHighSurrogate = data.slice(-1);
      data = data.slice(0, -1);
    }
    this.core.feed(binaryString(UTF8.encode(data)));
  }

  /**
   * Parses the rest and returns the message (the same message when called again).
   * @throws MessageDefect only when the policy has `raiseOnDefect`.
   */
  close(): ParsedMessage<P> {
    if (this.pendingHighSurrogate !== "") {
      const rest = this.pendingHighSurrogate;
      this.pendingHighSurrogate = "";
      this.core.feed(binaryString(UTF8.encode(rest)));
    }
    return this.core.close() as ParsedMessage<P>;
  }
}
