/**
 * TLS contexts for the client's certificate options, built once and reused. Building a
 * context parses every trusted root certificate (about 140), which costs tens of
 * milliseconds: too much to pay on every connection of a client that sends one message
 * per connection. Files named by the options are read once too, and read again only
 * when they change.
 *
 * @module
 */
import { X509Certificate } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import tls from "node:tls";
import { SMTPConnectError } from "./errors.js";

/** The certificate options of the client. */
export type PemOption = "certBundle" | "clientCert" | "clientKey";

/** PEM text, and what identifies it for the context cache (its file and version, or the text). */
export interface PemSource {
  readonly text: string;
  readonly key: string;
}

/** What a context is made of (a changed file makes a new context). */
export interface ContextMaterial {
  /** Extra CA certificates to trust besides the system's. */
  readonly certBundle?: PemSource | undefined;
  /** The client certificate. */
  readonly cert?: PemSource | undefined;
  /** The client certificate's key. */
  readonly key?: PemSource | undefined;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/**
 * Whether an option's value is PEM text rather than a file path. Text with a line break
 * or a PEM armour line is PEM text (and must then hold a whole PEM block).
 * @throws TypeError for text that looks like PEM but holds no complete block
 */
export function isPemText(option: PemOption, value: string): boolean {
  if (!/[\r\n]|-----/.test(value)) return false;
  if (!PEM_BLOCK.test(value)) {
    throw new TypeError(
      `the ${option} option looks like PEM text but holds no complete "-----BEGIN ...-----" ... "-----END ...-----" block ` +
        "(give PEM text, or the path of a PEM file)",
    );
  }
  return true;
}

const MAX_FILES = 32;
const files = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly source: PemSource }>();

/**
 * The PEM text of a certificate option: the text given, or the contents of the file it
 * names. A file is read once and again only when its modification time or size changes.
 * @throws SMTPConnectError naming the option and the path, with the cause, when the file
 *   cannot be read or holds no PEM block
 */
export async function pemSource(option: PemOption, value: string): Promise<PemSource> {
  if (isPemText(option, value)) return { text: value, key: value };
  try {
    const { mtimeMs, size } = await stat(value);
    const cached = files.get(value);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) return cached.source;
    const text = await readFile(value, "utf8");
    if (!PEM_BLOCK.test(text)) {
      throw new SMTPConnectError(`The ${option} file ${value} holds no PEM block ("-----BEGIN ...-----")`);
    }
    const source = { text, key: `file\0${value}\0${mtimeMs}\0${size}` };
    files.delete(value);
    files.set(value, { mtimeMs, size, source });
    if (files.size > MAX_FILES) files.delete(files.keys().next().value as string);
    return source;
  } catch (error) {
    if (error instanceof SMTPConnectError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SMTPConnectError(`Cannot read the ${option} file ${value}: ${reason}`, { cause: error });
  }
}

const MAX_CONTEXTS = 32;
const contexts = new Map<string, tls.SecureContext>();

/**
 * The secure context for `material`, from the cache when it was built before.
 * @throws SMTPConnectError naming the option whose PEM text OpenSSL refuses, with the cause
 */
export function secureContextFor(material: ContextMaterial): tls.SecureContext {
  const key = JSON.stringify([material.certBundle?.key ?? null, material.cert?.key ?? null, material.key?.key ?? null]);
  const cached = contexts.get(key);
  if (cached) {
    // Most recently used last, so that the oldest is evicted first.
    contexts.delete(key);
    contexts.set(key, cached);
    return cached;
  }
  const context = build(material);
  contexts.set(key, context);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  return context;
}

/**
 * Checks each certificate of a bundle: Node skips a CA certificate it cannot read without
 * a word, which would leave the server unverifiable for no visible reason.
 * @throws SMTPConnectError for a bundle without certificates, or one that cannot be read
 */
function checkBundle(bundle: string): void {
  const blocks = bundle.match(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new SMTPConnectError('The certBundle option holds no certificate ("-----BEGIN CERTIFICATE-----")');
  blocks.forEach((block, i) => {
    if (block.startsWith("-----BEGIN TRUSTED")) return;
    try {
      new X509Certificate(block);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SMTPConnectError(`The certBundle option cannot be used for TLS: its certificate ${i + 1} cannot be read: ${reason}`, {
        cause: error,
      });
    }
  });
}

function build(material: ContextMaterial): tls.SecureContext {
  const bundle = material.certBundle?.text;
  const cert = material.cert?.text;
  if (bundle !== undefined) checkBundle(bundle);
  try {
    return tls.createSecureContext({
      ...(bundle !== undefined ? { ca: [...tls.rootCertificates, bundle] } : {}),
      ...(cert !== undefined ? { cert, key: material.key?.text } : {}),
    });
  } catch (error) {
    // The bundle's certificates were read above: what OpenSSL refuses is the client's.
    const reason = error instanceof Error ? error.message : String(error);
    throw new SMTPConnectError(`The clientCert or clientKey option cannot be used for TLS: ${reason}`, { cause: error });
  }
}
