/**
 * What the parser saw of a message's layout that the message model has no place for,
 * kept beside the message so that the generator can write a parsed message back
 * exactly as it came: the white space after a header's colon when it is not the one
 * space the policy writes, the padding of multipart delimiter lines, and a close
 * delimiter line without a line break of its own.
 *
 * The generator only uses what still applies: a header whose stored value has been
 * replaced, or an epilogue that has been set, is written the ordinary way.
 *
 * @module
 */
import type { Message } from "./message.js";
import type { StoredHeaderValue } from "./policy.js";

/** The layout details of one parsed message. */
export interface SourceLayout {
  /**
   * The white space after the colon of headers where it was not one space, by stored
   * value (the value the parser stored, so a replaced header no longer matches).
   */
  readonly headerGaps: Map<StoredHeaderValue, Array<{ readonly name: string; readonly gap: string }>>;
  /** Blanks after the `--boundary` of the delimiter line before each part, by part index. */
  readonly delimiterPadding: Map<number, string>;
  /** Blanks after the close delimiter `--boundary--`. */
  closePadding: string;
  /**
   * Whether the close delimiter line had a line break of its own. It has none at the
   * end of the input, nor when the line break after it is the one that belongs to the
   * next delimiter of an enclosing multipart (`--inner--` CRLF `--outer--`).
   */
  closeLineBreak: boolean;
}

const layouts = new WeakMap<Message, SourceLayout>();

/** The layout recorded for `msg`, if it was parsed and had anything to record. */
export function sourceLayout(msg: Message): SourceLayout | undefined {
  return layouts.get(msg);
}

/** The layout of `msg`, made empty on first use (for the parser). */
export function recordLayout(msg: Message): SourceLayout {
  let layout = layouts.get(msg);
  if (!layout) {
    layout = { headerGaps: new Map(), delimiterPadding: new Map(), closePadding: "", closeLineBreak: true };
    layouts.set(msg, layout);
  }
  return layout;
}

/** The white space the source had after the colon of header `name` stored as `value`, if not one space. */
export function headerGap(layout: SourceLayout | undefined, name: string, value: StoredHeaderValue): string | undefined {
  return layout?.headerGaps.get(value)?.find((entry) => entry.name === name)?.gap;
}
