/**
 * TLS contexts for the client's certificate options, built once and reused. Building a
 * context parses every trusted root certificate (about 140), which costs tens of
 * milliseconds: too much to pay on every connection of a client that sends one message
 * per connection.
 *
 * @module
 */
import tls from "node:tls";

/** What a context is made of: PEM texts, not file names (a changed file makes a new context). */
export interface ContextMaterial {
  /** Extra CA certificates to trust besides the system's. */
  readonly certBundle?: string | undefined;
  /** The client certificate. */
  readonly cert?: string | undefined;
  /** The client certificate's key. */
  readonly key?: string | undefined;
}

const MAX_CONTEXTS = 32;
const contexts = new Map<string, tls.SecureContext>();

/** The secure context for `material`, from the cache when it was built before. */
export function secureContextFor(material: ContextMaterial): tls.SecureContext {
  const key = JSON.stringify([material.certBundle ?? null, material.cert ?? null, material.key ?? null]);
  const cached = contexts.get(key);
  if (cached) {
    // Most recently used last, so that the oldest is evicted first.
    contexts.delete(key);
    contexts.set(key, cached);
    return cached;
  }
  const context = tls.createSecureContext({
    ...(material.certBundle !== undefined ? { ca: [...tls.rootCertificates, material.certBundle] } : {}),
    ...(material.cert !== undefined ? { cert: material.cert, key: material.key } : {}),
  });
  contexts.set(key, context);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  return context;
}
