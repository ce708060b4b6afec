/**
 * Errors and defects of the message model, after Python's `email.errors`.
 *
 * Errors are thrown. Defects are problems found in a message that could be
 * worked around; they are collected on the object they concern (`defects`)
 * unless the policy says `raiseOnDefect`, in which case the first one is thrown.
 *
 * @module
 */

/** Base class of every error the message model throws. */
export class MessageError extends Error {
  /**
   * The class's own name (`"HeaderParseError"`, `"CharsetError"` ...), fixed for each
   * subclass, so that a logged or printed error says which it is. Test with `instanceof`.
   */
  override name = "MessageError";
}

/** A message or header could not be parsed. */
export class MessageParseError extends MessageError {
  override name = "MessageParseError";
}

/** A header value could not be parsed as its type requires. */
export class HeaderParseError extends MessageParseError {
  override name = "HeaderParseError";
}

/** A multipart boundary is missing, malformed or collides with part content. */
export class BoundaryError extends MessageParseError {
  override name = "BoundaryError";
}

/** A part was attached to a message that is not, and cannot become, multipart. */
export class MultipartConversionError extends MessageError {
  override name = "MultipartConversionError";
}

/** A charset is unknown or cannot encode the text it was given. */
export class CharsetError extends MessageError {
  override name = "CharsetError";
}

/** A header would serialize to something that is not a valid header (for example it would inject another header). */
export class HeaderWriteError extends MessageError {
  override name = "HeaderWriteError";
}

/**
 * A header name or value given by the caller is not acceptable
 * (a control character, a header that may appear once appearing twice, a value of the wrong type).
 */
export class InvalidHeaderError extends MessageError {
  override name = "InvalidHeaderError";
}

/**
 * Base class of message defects: problems found in a message that the parser or
 * the header machinery could work around.
 */
export class MessageDefect extends Error {
  /**
   * The class's own name (`"StartBoundaryNotFoundDefect"`, `"InvalidHeaderDefect"` ...),
   * fixed for each subclass, so that a listed or thrown defect says which it is.
   */
  override name = "MessageDefect";
  /**
   * Makes a defect, to hand to {@link Policy.handleDefect} (which records it, or throws
   * it under `raiseOnDefect`). The parser and the header machinery make these; a caller
   * makes one only to report its own findings the same way.
   *
   * @param message what was found: a description, or for the header-line defects the
   *   offending line itself; default `""`, as Python's defects often carry none
   */
  constructor(message?: string) {
    super(message ?? "");
  }
}

/** A multipart message declares no boundary parameter. */
export class NoBoundaryInMultipartDefect extends MessageDefect {
  override name = "NoBoundaryInMultipartDefect";
}
/** The start boundary of a multipart body was never found. */
export class StartBoundaryNotFoundDefect extends MessageDefect {
  override name = "StartBoundaryNotFoundDefect";
}
/** The close boundary of a multipart body was never found. */
export class CloseBoundaryNotFoundDefect extends MessageDefect {
  override name = "CloseBoundaryNotFoundDefect";
}
/** The first header line is a continuation line. */
export class FirstHeaderLineIsContinuationDefect extends MessageDefect {
  override name = "FirstHeaderLineIsContinuationDefect";
}
/** A "From " envelope line was found in the middle of the headers. */
export class MisplacedEnvelopeHeaderDefect extends MessageDefect {
  override name = "MisplacedEnvelopeHeaderDefect";
}
/** A line without a colon was found where a header was expected. */
export class MissingHeaderBodySeparatorDefect extends MessageDefect {
  override name = "MissingHeaderBodySeparatorDefect";
}
/** A message claims to be multipart but its payload is not a list of parts. */
export class MultipartInvariantViolationDefect extends MessageDefect {
  override name = "MultipartInvariantViolationDefect";
}
/** A multipart part declares a transfer encoding other than 7bit, 8bit or binary. */
export class InvalidMultipartContentTransferEncodingDefect extends MessageDefect {
  override name = "InvalidMultipartContentTransferEncodingDefect";
}
/**
 * A message names a charset mailport does not know: its text was read as ASCII, other
 * octets as U+FFFD. (Python's `get_content` raises `LookupError` instead.)
 */
export class UnknownCharsetDefect extends MessageDefect {
  override name = "UnknownCharsetDefect";
}
/** Bytes that could not be decoded with the declared charset. */
export class UndecodableBytesDefect extends MessageDefect {
  override name = "UndecodableBytesDefect";
}
/** Base64 data with missing or extra padding. */
export class InvalidBase64PaddingDefect extends MessageDefect {
  override name = "InvalidBase64PaddingDefect";
}
/** Base64 data with characters outside the base64 alphabet. */
export class InvalidBase64CharactersDefect extends MessageDefect {
  override name = "InvalidBase64CharactersDefect";
}
/** Base64 data whose length cannot be valid. */
export class InvalidBase64LengthDefect extends MessageDefect {
  override name = "InvalidBase64LengthDefect";
}

/** Base class of defects found inside a header value. */
export class HeaderDefect extends MessageDefect {
  override name = "HeaderDefect";
}
/** A header value is not valid for its header type. */
export class InvalidHeaderDefect extends HeaderDefect {
  override name = "InvalidHeaderDefect";
}
/** A header that requires a value has none. */
export class HeaderMissingRequiredValue extends HeaderDefect {
  override name = "HeaderMissingRequiredValue";
}
/** A header value holds non-printable characters. */
export class NonPrintableDefect extends HeaderDefect {
  override name = "NonPrintableDefect";
  /** The offending characters. */
  readonly nonPrintables: string;
  /**
   * Makes the defect with a message that lists the characters.
   *
   * @param nonPrintables the non-printable characters found in the value, which the
   *   message quotes (JSON-escaped) and `nonPrintables` keeps as they are
   */
  constructor(nonPrintables: string) {
    super(`the following ASCII non-printables found in header: ${JSON.stringify(nonPrintables)}`);
    this.nonPrintables = nonPrintables;
  }
}
/** A header uses syntax that RFC 5322 marks obsolete. */
export class ObsoleteHeaderDefect extends HeaderDefect {
  override name = "ObsoleteHeaderDefect";
}
/** A local part holds non-ASCII characters (only valid with SMTPUTF8). */
export class NonASCIILocalPartDefect extends HeaderDefect {
  override name = "NonASCIILocalPartDefect";
}
/** A date header could not be parsed as a date. */
export class InvalidDateDefect extends HeaderDefect {
  override name = "InvalidDateDefect";
}
