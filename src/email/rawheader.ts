/**
 * A header value read from a source with 8-bit octets (UTF-8 per RFC 6532, or some legacy
 * charset). The octets are kept so that the message can be written back exactly; the
 * text is what the header means as far as it can be told. A plain string in a message's
 * header list is therefore always text a caller gave, never octets from a wire.
 *
 * @module
 */

const UTF8_LENIENT = new TextDecoder("utf-8");

/** The raw octets of one header value as the parser read them (folding included). */
export class RawHeaderValue {
  /** The octets after "Name:" and its leading white space, without the final line break. */
  readonly bytes: Uint8Array;

  /**
   * Keeps a copy of the octets. The parser makes these; use {@link RawHeaderValue.needed}
   * to tell whether a value needs one.
   *
   * @param bytes the value's octets after "Name:" and its white space, folding line
   *   breaks included, without the final line break
   * @throws TypeError when `bytes` is not a Uint8Array
   */
  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("a RawHeaderValue is made of the header's octets, a Uint8Array");
    this.bytes = Uint8Array.from(bytes);
  }

  /** Whether `bytes` need this class: they hold octets above 127. ASCII values are stored as strings. */
  static needed(bytes: Uint8Array): boolean {
    return bytes.some((b) => b >= 0x80);
  }

  /** The value as text, undecodable octets replaced by U+FFFD. */
  toString(): string {
    return UTF8_LENIENT.decode(this.bytes);
  }
}
