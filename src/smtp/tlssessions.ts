/**
 * TLS sessions kept from earlier connections, so that the next connection to the same
 * server resumes (RFC 8446 2.2) instead of running a full handshake: no certificate
 * chain to send and verify again. A client sending one message per connection pays the
 * full handshake once. A session is only offered to the server it came from, under the
 * same trust settings; a server that refuses it simply runs a full handshake.
 *
 * It also remembers the servers that sent no TLS 1.3 session ticket after a full
 * handshake, so that the client stops waiting for one (see the connection's ticket wait):
 * without a ticket there is no session to resume, and every connection would wait again.
 *
 * @module
 */
import type tls from "node:tls";

const MAX_SESSIONS = 64;
/** The trust settings a session was verified under: a secure context, or the defaults. */
const DEFAULT_TRUST = {};
const sessions = new WeakMap<object, Map<string, Buffer>>();
const silent = new WeakMap<object, Set<string>>();

/** Where a session may be reused: the trust it was verified under and the peer it came from. */
export interface SessionScope {
  readonly trust: object;
  readonly key: string;
}

/** The scope of a connection made with `options` to `address`:`port`. */
export function sessionScope(options: tls.ConnectionOptions, address: string | undefined, port: number | undefined): SessionScope {
  const trust = options.secureContext ?? DEFAULT_TRUST;
  const key = [address ?? "", port ?? "", options.servername ?? "", options.host ?? "", options.rejectUnauthorized !== false].join("|");
  return { trust, key };
}

/** The last session kept for `scope`, if any. */
export function savedSession(scope: SessionScope): Buffer | undefined {
  return sessions.get(scope.trust)?.get(scope.key);
}

/** Keeps `session` for the next connection in `scope` (a server that sends one is no longer silent). */
export function saveSession(scope: SessionScope, session: Buffer): void {
  silent.get(scope.trust)?.delete(scope.key);
  let byPeer = sessions.get(scope.trust);
  if (!byPeer) sessions.set(scope.trust, (byPeer = new Map()));
  byPeer.delete(scope.key);
  byPeer.set(scope.key, session);
  if (byPeer.size > MAX_SESSIONS) byPeer.delete(byPeer.keys().next().value as string);
}

/** Notes that the server of `scope` sent no session ticket after a full TLS 1.3 handshake. */
export function noteNoTicket(scope: SessionScope): void {
  let peers = silent.get(scope.trust);
  if (!peers) silent.set(scope.trust, (peers = new Set()));
  peers.delete(scope.key);
  peers.add(scope.key);
  if (peers.size > MAX_SESSIONS) peers.delete(peers.values().next().value as string);
}

/** Whether the server of `scope` was seen to send no session ticket (and none since). */
export function sendsNoTicket(scope: SessionScope): boolean {
  return silent.get(scope.trust)?.has(scope.key) ?? false;
}
