/**
 * The mailport side of the differential oracle: builds a recipe (see recipe.ts) through
 * mailport's public API only, exactly as oracle.py builds it through Python's `email`.
 *
 * @module
 */
import {
  Address,
  EmailMessage,
  Group,
  MIMEApplication,
  MIMEAudio,
  MIMEBase,
  MIMEImage,
  MIMEMessage,
  MIMEMultipart,
  MIMEText,
  Message,
  formatAddr,
  formatDate,
  policy,
  type Policy,
  type SetContentOptions,
} from "../../src/index.js";
import {
  patternBytes,
  type AddressSpec,
  type BuildResult,
  type ContentArg,
  type HeaderArg,
  type MessageSpec,
  type Op,
  type PolicyRef,
  type Recipe,
  type Tagged,
} from "./recipe.js";

/** The policy a recipe names, cloned with its overrides (`maxLineLength: 0` means never fold). */
export function makePolicy(ref: PolicyRef): Policy {
  if (typeof ref === "string") return policy[ref];
  const { maxLineLength, ...rest } = ref.overrides;
  return policy[ref.base].clone({
    ...rest,
    ...(maxLineLength === undefined ? {} : { maxLineLength: maxLineLength === 0 ? Infinity : maxLineLength }),
  });
}

function makeAddress(spec: AddressSpec): Address {
  return new Address(spec);
}

type HeaderObject = string | Date | Address | Group | Array<string | Address | Group>;

function tagged(v: Tagged): string | Date | Address | Group | Uint8Array {
  if ("$address" in v) return makeAddress(v.$address);
  if ("$group" in v) return new Group({ displayName: v.$group.displayName, addresses: v.$group.addresses.map((a) => makeAddress(a.$address)) });
  if ("$date" in v) return new Date(v.$date);
  if ("$base64" in v) return new Uint8Array(Buffer.from(v.$base64, "base64"));
  if ("$bytes" in v) return patternBytes(v.$bytes);
  if ("$formataddr" in v) {
    const [name, address, charset] = v.$formataddr;
    return charset === undefined ? formatAddr([name, address]) : formatAddr([name, address], charset);
  }
  return formatDate(v.$formatdate.timeval, { localtime: false, usegmt: v.$formatdate.usegmt ?? false });
}

function headerValue(v: HeaderArg): HeaderObject {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    return (v as readonly (string | Tagged)[]).map((item) => {
      if (typeof item === "string") return item;
      const out = tagged(item);
      if (out instanceof Address || out instanceof Group) return out;
      throw new TypeError("a header list holds address strings, addresses and groups only");
    });
  }
  const out = tagged(v as Tagged);
  if (out instanceof Uint8Array) throw new TypeError("bytes are not a header value");
  return out;
}

function contentValue(c: ContentArg): string | Uint8Array | Message {
  if (typeof c === "string") return c;
  if ("$message" in c) return build(c.$message);
  if ("$base64" in c) return new Uint8Array(Buffer.from(c.$base64, "base64"));
  return patternBytes(c.$bytes);
}

function asPart(msg: Message): EmailMessage {
  if (!(msg instanceof EmailMessage)) throw new TypeError("this operation needs an EmailMessage");
  return msg;
}

function apply(msg: Message, op: Op): void {
  switch (op.op) {
    case "set":
      msg.set(op.name, headerValue(op.value));
      return;
    case "append":
      msg.append(op.name, headerValue(op.value));
      return;
    case "delete":
      msg.delete(op.name);
      return;
    case "replaceHeader":
      msg.replaceHeader(op.name, headerValue(op.value));
      return;
    case "addHeader":
      msg.addHeader(op.name, op.value, op.params);
      return;
    case "setParam": {
      const { op: _op, param, value, ...options } = op;
      msg.setParam(param, value, options);
      return;
    }
    case "delParam":
      msg.delParam(op.param, op.header === undefined ? {} : { header: op.header });
      return;
    case "setContent":
    case "addAlternative":
    case "addRelated":
    case "addAttachment": {
      const part = asPart(msg);
      const content = contentValue(op.content);
      const options = (op.options ?? {}) as SetContentOptions;
      if (op.op === "setContent") part.setContent(content, options);
      else if (op.op === "addAlternative") part.addAlternative(content, options);
      else if (op.op === "addRelated") part.addRelated(content, options);
      else part.addAttachment(content, options);
      return;
    }
    case "makeMixed":
      asPart(msg).makeMixed(op.boundary);
      return;
    case "makeAlternative":
      asPart(msg).makeAlternative(op.boundary);
      return;
    case "makeRelated":
      asPart(msg).makeRelated(op.boundary);
      return;
    case "attach":
      msg.attach(build(op.part));
      return;
    case "setPayload":
      if (op.charset === undefined) msg.setPayload(op.payload);
      else msg.setPayload(op.payload, op.charset);
      return;
    case "setCharset":
      msg.setCharset(op.charset);
      return;
    case "preamble":
      msg.preamble = op.text;
      return;
    case "epilogue":
      msg.epilogue = op.text;
      return;
    case "setBoundary":
      msg.setBoundary(op.boundary);
      return;
  }
}

function construct(spec: MessageSpec): Message {
  switch (spec.class) {
    case "EmailMessage":
      return spec.policy === undefined ? new EmailMessage() : new EmailMessage(makePolicy(spec.policy));
    case "Message":
      return spec.policy === undefined ? new Message() : new Message(makePolicy(spec.policy));
    case "MIMEText": {
      const [text, subtype, charset] = spec.args;
      return new MIMEText(text, subtype ?? "plain", charset);
    }
    case "MIMEMultipart": {
      const [subtype, boundary, subparts] = spec.args;
      return new MIMEMultipart(subtype ?? "mixed", boundary ?? undefined, subparts?.map(build));
    }
    case "MIMEBase": {
      const [maintype, subtype, params] = spec.args;
      return new MIMEBase(maintype, subtype, params ?? {});
    }
    case "MIMEApplication": {
      const [data, subtype] = spec.args;
      return new MIMEApplication(contentValue(data) as Uint8Array, subtype ?? "octet-stream");
    }
    case "MIMEImage": {
      const [data, subtype] = spec.args;
      return new MIMEImage(contentValue(data) as Uint8Array, subtype);
    }
    case "MIMEAudio": {
      const [data, subtype] = spec.args;
      return new MIMEAudio(contentValue(data) as Uint8Array, subtype);
    }
    case "MIMEMessage": {
      const [inner, subtype] = spec.args;
      return new MIMEMessage(build(inner), subtype ?? "rfc822");
    }
  }
}

/** Builds the message a spec describes, applying its operations in order. */
export function build(spec: MessageSpec): Message {
  const msg = construct(spec);
  for (const op of spec.ops ?? []) apply(msg, op);
  return msg;
}

/** Gives every multipart, in walk order, the boundary `===============<n>==` (n from 1), as oracle.py does. */
export function fixBoundaries(msg: Message): void {
  let n = 0;
  for (const part of msg.walk()) {
    if (part.getContentMaintype() === "multipart") part.setBoundary(`===============${++n}==`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Builds a recipe with mailport: its bytes (and string when asked) under the output policy, or the error. */
export function buildRecipe(recipe: Recipe): BuildResult {
  try {
    const msg = build(recipe.message);
    fixBoundaries(msg);
    const out = makePolicy(recipe.output);
    const bytes = Buffer.from(msg.asBytes({ policy: out })).toString("base64");
    return recipe.string ? { name: recipe.name, bytes, string: msg.asString({ policy: out }) } : { name: recipe.name, bytes };
  } catch (error) {
    return { name: recipe.name, error: describe(error) };
  }
}
