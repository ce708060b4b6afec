/**
 * Reading messages back with postal-mime, an independent parser, for tests: what a
 * mail client would see in the bytes mailport (or Python) writes.
 *
 * @module
 */
import PostalMime from "postal-mime";
import type { Address, Email } from "postal-mime";

/** A mailbox or a group as postal-mime reports it, reduced to plain data. */
export type ReadAddress =
  | { readonly name: string; readonly address: string }
  | { readonly name: string; readonly group: readonly { readonly name: string; readonly address: string }[] };

/** One attachment, with its content as bytes. */
export interface ReadAttachment {
  readonly filename: string | null;
  readonly mimeType: string;
  readonly disposition: string | null;
  readonly contentId: string | undefined;
  readonly content: Uint8Array;
}

/** The decoded view of a message: what a reader gets out of it. */
export interface ReadMessage {
  readonly subject: string | undefined;
  readonly from: ReadAddress | undefined;
  readonly to: readonly ReadAddress[];
  readonly cc: readonly ReadAddress[];
  /** The text body with line endings as LF. */
  readonly text: string | undefined;
  /** The html body with line endings as LF. */
  readonly html: string | undefined;
  readonly attachments: readonly ReadAttachment[];
  /** Every top-level header, lower-case name to raw unfolded values in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

function plainAddress(a: Address): ReadAddress {
  if (a.group) return { name: a.name, group: a.group.map((m) => ({ name: m.name, address: m.address })) };
  return { name: a.name, address: a.address ?? "" };
}

function toLf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.replace(/\r\n/g, "\n");
}

function bytesOf(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/**
 * Parses raw message bytes with postal-mime and reduces the result to plain data.
 * `message/rfc822` parts are kept as attachments rather than merged into the body.
 * @throws whatever postal-mime throws for input it refuses.
 */
export async function readWithPostal(raw: Uint8Array): Promise<ReadMessage> {
  const email: Email = await PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: "arraybuffer" });
  const headers = new Map<string, string[]>();
  for (const h of email.headers) {
    const list = headers.get(h.key) ?? [];
    list.push(h.value);
    headers.set(h.key, list);
  }
  return {
    subject: email.subject,
    from: email.from ? plainAddress(email.from) : undefined,
    to: (email.to ?? []).map(plainAddress),
    cc: (email.cc ?? []).map(plainAddress),
    text: toLf(email.text),
    html: toLf(email.html),
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      mimeType: a.mimeType,
      disposition: a.disposition,
      contentId: a.contentId,
      content: bytesOf(a.content),
    })),
    headers,
  };
}
