/**
 * The legacy MIME classes (Python's `email.mime` package): messages built with their
 * Content-Type and encoding set by the constructor. Their default policy is compat32,
 * as in Python; pass `{ policy }` for another.
 *
 * @module
 */
import { encodeBase64, type Encoder } from "./encoders.js";
import { MultipartConversionError } from "./errors.js";
import { Message } from "./message.js";
import type { ParamValue } from "./params.js";
import { compat32, type Policy } from "./policy.js";
import type { Charset } from "./charset.js";

/** Options shared by the legacy MIME constructors. */
export interface MIMEOptions {
  /** The message's policy; default compat32. */
  readonly policy?: Policy;
  /** Extra Content-Type parameters. */
  readonly params?: Readonly<Record<string, ParamValue | null>>;
}

/** Options of the constructors that transfer-encode binary data. */
export interface MIMEEncodedOptions extends MIMEOptions {
  /** How to transfer-encode the data; default base64 ({@link encodeBase64}). */
  readonly encoder?: Encoder;
}

/** Base of the legacy MIME classes: sets Content-Type (with parameters) and MIME-Version. */
export class MIMEBase extends Message {
  /**
   * Makes a message with only the Content-Type and MIME-Version headers; set its payload
   * yourself.
   *
   * @param maintype main type, e.g. `application`
   * @param subtype subtype, e.g. `pdf`
   * @param params Content-Type parameters
   * @param options `policy`: default compat32
   * @throws InvalidHeaderError when a type or parameter holds CR or LF
   */
  constructor(maintype: string, subtype: string, params: Readonly<Record<string, ParamValue | null>> = {}, options: Omit<MIMEOptions, "params"> = {}) {
    super(options.policy ?? compat32);
    this.addHeader("Content-Type", `${maintype}/${subtype}`, params);
    this.append("MIME-Version", "1.0");
  }
}

/** A MIME part that is not multipart: attaching sub-parts to it is an error. */
export class MIMENonMultipart extends MIMEBase {
  /** @throws MultipartConversionError always: this part cannot hold sub-parts. */
  override attach(_part: Message): never {
    throw new MultipartConversionError("cannot attach sub-parts to a non-multipart part");
  }
}

/** A multipart message (default multipart/mixed). */
export class MIMEMultipart extends MIMEBase {
  /**
   * Makes a multipart message with the given parts, in order.
   *
   * @param subtype multipart subtype; default `mixed`
   * @param boundary the boundary; generated when serializing if omitted
   * @param subparts parts to attach
   * @param options `policy`: default compat32; `params`: extra Content-Type parameters
   * @throws InvalidHeaderError for a boundary RFC 2046 does not allow, or CR or LF in the
   *   subtype or a parameter
   * @throws TypeError when a subpart is not a {@link Message}
   */
  constructor(subtype = "mixed", boundary?: string, subparts?: readonly Message[], options: MIMEOptions = {}) {
    super("multipart", subtype, options.params ?? {}, options);
    this.setPayload([]);
    for (const part of subparts ?? []) this.attach(part);
    if (boundary) this.setBoundary(boundary);
  }
}

/**
 * A text part. Without a charset, us-ascii is used when the text allows it, else utf-8;
 * the body is transfer-encoded as the charset prescribes (base64 for utf-8,
 * quoted-printable for iso-8859-x, 7bit for us-ascii).
 */
export class MIMEText extends MIMENonMultipart {
  /**
   * Makes a text part holding `text`, encoded in the charset.
   *
   * @param text the body
   * @param subtype `plain` (default), `html` ...
   * @param charset a charset name or {@link Charset}; default us-ascii when the text is
   *   ASCII, else utf-8
   * @param options `policy`: default compat32; `params`: extra Content-Type parameters
   * @throws CharsetError for an unknown charset, or text the charset cannot encode
   * @throws InvalidHeaderError when the subtype or a parameter holds CR or LF
   */
  constructor(text: string, subtype = "plain", charset?: string | Charset, options: MIMEOptions = {}) {
    const chosen = charset ?? (/^[\x00-\x7f]*$/.test(text) ? "us-ascii" : "utf-8");
    super("text", subtype, { charset: chosen.toString(), ...(options.params ?? {}) }, options);
    this.setPayload(text, chosen);
  }
}

/** @throws TypeError when `data` is not bytes (text goes in a MIMEText). */
function requireBytes(className: string, data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new TypeError(`${className} takes its data as a Uint8Array, not ${typeof data === "string" ? "a string (use MIMEText for text)" : typeof data}`);
  }
}

/** An application/* part (default application/octet-stream), base64-encoded by default. */
export class MIMEApplication extends MIMENonMultipart {
  /**
   * Makes an application part holding `data`, transfer-encoded by the encoder.
   *
   * @param data the body
   * @param subtype default `octet-stream`
   * @param options `policy`: default compat32; `params`: extra Content-Type parameters;
   *   `encoder`: default base64
   * @throws TypeError when `data` is not a Uint8Array
   * @throws InvalidHeaderError when the subtype or a parameter holds CR or LF
   */
  constructor(data: Uint8Array, subtype = "octet-stream", options: MIMEEncodedOptions = {}) {
    requireBytes("MIMEApplication", data);
    super("application", subtype, options.params ?? {}, options);
    this.setPayload(data);
    (options.encoder ?? encodeBase64)(this);
  }
}

/**
 * An image/* part, base64-encoded by default. Without a subtype it is guessed from the
 * data's signature (jpeg, png, gif, tiff, bmp, webp, exr, rgb, pbm, pgm, ppm, rast, xbm).
 * @throws TypeError when no subtype is given and none can be guessed.
 */
export class MIMEImage extends MIMENonMultipart {
  /**
   * Makes an image part holding `data`, transfer-encoded by the encoder.
   *
   * @param data the image
   * @param subtype `png`, `jpeg` ...; default guessed from the data
   * @param options `policy`: default compat32; `params`: extra Content-Type parameters;
   *   `encoder`: default base64
   * @throws TypeError when `data` is not a Uint8Array
   * @throws TypeError when no subtype is given and none can be guessed
   * @throws InvalidHeaderError when the subtype or a parameter holds CR or LF
   */
  constructor(data: Uint8Array, subtype?: string, options: MIMEEncodedOptions = {}) {
    requireBytes("MIMEImage", data);
    const resolved = subtype ?? guessImageSubtype(data);
    if (resolved === undefined) throw new TypeError("could not guess the image subtype; pass it explicitly");
    super("image", resolved, options.params ?? {}, options);
    this.setPayload(data);
    (options.encoder ?? encodeBase64)(this);
  }
}

/**
 * An audio/* part, base64-encoded by default. Without a subtype it is guessed from the
 * data's signature (basic for Sun .au, x-wav, x-aiff).
 * @throws TypeError when no subtype is given and none can be guessed.
 */
export class MIMEAudio extends MIMENonMultipart {
  /**
   * Makes an audio part holding `data`, transfer-encoded by the encoder.
   *
   * @param data the sound
   * @param subtype `mpeg`, `x-wav` ...; default guessed from the data
   * @param options `policy`: default compat32; `params`: extra Content-Type parameters;
   *   `encoder`: default base64
   * @throws TypeError when `data` is not a Uint8Array
   * @throws TypeError when no subtype is given and none can be guessed
   * @throws InvalidHeaderError when the subtype or a parameter holds CR or LF
   */
  constructor(data: Uint8Array, subtype?: string, options: MIMEEncodedOptions = {}) {
    requireBytes("MIMEAudio", data);
    const resolved = subtype ?? guessAudioSubtype(data);
    if (resolved === undefined) throw new TypeError("could not guess the audio subtype; pass it explicitly");
    super("audio", resolved, options.params ?? {}, options);
    this.setPayload(data);
    (options.encoder ?? encodeBase64)(this);
  }
}

/** A message/rfc822 part (or another message/* subtype) holding a whole message. */
export class MIMEMessage extends MIMENonMultipart {
  /**
   * Makes a part whose payload is `message`.
   *
   * @param message the message to carry
   * @param subtype default `rfc822`
   * @param options `policy`: default compat32
   * @throws TypeError when `message` is not a {@link Message}
   * @throws InvalidHeaderError when the subtype holds CR or LF
   */
  constructor(message: Message, subtype = "rfc822", options: Omit<MIMEOptions, "params"> = {}) {
    if (!(message instanceof Message)) throw new TypeError("MIMEMessage takes a Message");
    super("message", subtype, {}, options);
    this.setPayload([message]);
    this.setDefaultType("message/rfc822");
  }
}

function startsWith(data: Uint8Array, ...signature: number[]): boolean {
  return signature.every((b, i) => data[i] === b);
}

function ascii(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.subarray(start, end)).toString("latin1");
}

/** The image subtype Python's `email.mime.image` guesses from the data's first bytes. */
export function guessImageSubtype(data: Uint8Array): string | undefined {
  const head = ascii(data, 0, 32);
  if (head.slice(6, 10) === "JFIF" || head.slice(6, 10) === "Exif" || startsWith(data, 0xff, 0xd8, 0xff, 0xdb)) return "jpeg";
  if (startsWith(data, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (head.startsWith("GIF87a") || head.startsWith("GIF89a")) return "gif";
  if (head.startsWith("MM") || head.startsWith("II")) return "tiff";
  if (startsWith(data, 0x01, 0xda)) return "rgb";
  if (data.length >= 3 && head[0] === "P" && " \t\n\r".includes(head[2] ?? "")) {
    if ("14".includes(head[1] ?? "")) return "pbm";
    if ("25".includes(head[1] ?? "")) return "pgm";
    if ("36".includes(head[1] ?? "")) return "ppm";
  }
  if (startsWith(data, 0x59, 0xa6, 0x6a, 0x95)) return "rast";
  if (head.startsWith("#define ")) return "xbm";
  if (head.startsWith("BM")) return "bmp";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return "webp";
  if (startsWith(data, 0x76, 0x2f, 0x31, 0x01)) return "exr";
  return undefined;
}

/** The audio subtype Python's `email.mime.audio` guesses from the data's first bytes. */
export function guessAudioSubtype(data: Uint8Array): string | undefined {
  const head = ascii(data, 0, 12);
  if (head.startsWith(".snd")) return "basic";
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WAVE") return "x-wav";
  if (head.startsWith("FORM") && (head.slice(8, 12) === "AIFC" || head.slice(8, 12) === "AIFF")) return "x-aiff";
  return undefined;
}
