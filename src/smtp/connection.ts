/**
 * One socket to an SMTP server, as the client uses it: open it (TCP, Unix socket or a
 * given socket, optionally with TLS), write with backpressure, read one reply at a time
 * with a deadline and an `AbortSignal`, and upgrade to TLS in place (STARTTLS).
 *
 * Bytes that arrive while no reply is awaited are unsolicited and dropped, so they can
 * never be taken for the reply to a later command; this is also what discards anything
 * a server (or an attacker) sends between STARTTLS's 220 and the TLS handshake.
 *
 * @internal Used by the client; not part of the public API.
 * @module
 */
import diagnostics from "node:diagnostics_channel";
import net from "node:net";
import tls from "node:tls";
import {
  SMTPConnectError,
  SMTPConnectTimeoutError,
  SMTPException,
  SMTPReadTimeoutError,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "./errors.js";
import { DataEncoder, ReplyReader } from "./protocol.js";
import { noteNoTicket, saveSession, savedSession, sendsNoTicket, sessionScope, type SessionScope } from "./tlssessions.js";
import { SMTPResponse, SMTPStatus } from "./response.js";

/** When a wait gives up: an absolute time in milliseconds (`Infinity`: never), and a signal. */
export interface WaitOptions {
  readonly deadline: number;
  readonly signal?: AbortSignal | undefined;
  /**
   * For message data ({@link Connection.writeData}): milliseconds each piece may take to
   * be taken by the network. Each piece gets its own deadline, so that a large message to
   * a server that reads slowly but steadily is not cut off; `deadline` then bounds
   * nothing but the first piece.
   */
  readonly stall?: number | undefined;
}

/** Where to connect. */
export type ConnectTarget =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly localAddress?: string | undefined; readonly localPort?: number | undefined }
  | { readonly kind: "unix"; readonly path: string }
  | { readonly kind: "socket"; readonly socket: net.Socket };

/** The deadline `seconds` from now (`Infinity` or `null`: none). */
export function deadlineIn(seconds: number | null): number {
  return seconds === null || !Number.isFinite(seconds) ? Infinity : Date.now() + seconds * 1000;
}

/** The error an aborted operation rejects with: an SMTPException whose cause is the abort reason. */
export function abortError(signal: AbortSignal): SMTPException {
  const reason: unknown = signal.reason ?? new DOMException("This operation was aborted", "AbortError");
  return new SMTPException("The operation was aborted", { cause: reason });
}

const readTimeoutError = (): Error => new SMTPReadTimeoutError("Timed out waiting for server response");
const writeTimeoutError = (): Error => new SMTPTimeoutError("Timed out writing to the server: it took no data for the whole timeout");

/** The QUIT command line. */
export const QUIT = Buffer.from("QUIT\r\n", "latin1");

/** Data is written in pieces of this size, so that a large message is never copied whole. */
export const DATA_CHUNK_SIZE = 64 * 1024;
/** setTimeout's largest delay. */
const MAX_TIMER = 2 ** 31 - 1;

function describe(target: ConnectTarget): string {
  switch (target.kind) {
    case "tcp":
      return `${target.host} on port ${target.port}`;
    case "unix":
      return `Unix socket ${target.path}`;
    default:
      return "the given socket";
  }
}

/**
 * Runs `start`, which calls `settle` with an error or nothing when the operation ends,
 * and rejects at the deadline or on abort (calling `onGiveUp` first).
 */
function settleBy<T>(
  options: WaitOptions,
  timeoutError: () => Error,
  onGiveUp: () => void,
  start: (settle: (error: Error | undefined, value?: T) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let stop: () => void = () => {};
    const finish = (error: Error | undefined, value?: T): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      stop();
      if (error) reject(error);
      else resolve(value as T);
    };
    const onAbort = (): void => {
      if (done) return;
      onGiveUp();
      finish(abortError(options.signal as AbortSignal));
    };
    if (options.signal?.aborted) {
      onGiveUp();
      done = true;
      reject(abortError(options.signal));
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (Number.isFinite(options.deadline)) {
      timer = setTimeout(() => {
        if (done) return;
        onGiveUp();
        finish(timeoutError());
      }, Math.min(Math.max(options.deadline - Date.now(), 0), MAX_TIMER));
    }
    stop = start(finish);
  });
}

/**
 * Waits for `promise` until the deadline or the signal, whichever comes first (the
 * promise itself is left to settle on its own).
 * @throws the promise's error; `timeoutError()` at the deadline; SMTPException (cause: the
 *   abort reason) when the signal aborts
 */
export function within<T>(promise: Promise<T>, options: WaitOptions, timeoutError: () => Error): Promise<T> {
  return settleBy<T>(options, timeoutError, () => undefined, (settle) => {
    promise.then(
      (value) => settle(undefined, value),
      (error: unknown) => settle(error instanceof Error ? error : new Error(String(error), { cause: error })),
    );
    return () => undefined;
  });
}

/** Waits for `socket` to be connected. */
function awaitConnected(socket: net.Socket, target: ConnectTarget, options: WaitOptions): Promise<void> {
  if (socket.destroyed) {
    return Promise.reject(new SMTPConnectError(`Error connecting to ${describe(target)}: the socket is closed`));
  }
  if (!socket.connecting) return Promise.resolve();
  return settleBy<void>(
    options,
    () => new SMTPConnectTimeoutError(`Timed out connecting to ${describe(target)}`),
    () => socket.destroy(),
    (settle) => {
      const onConnect = (): void => settle(undefined);
      const onError = (error: Error): void =>
        settle(new SMTPConnectError(`Error connecting to ${describe(target)}: ${error.message}`, { cause: error }));
      socket.once("connect", onConnect);
      socket.once("error", onError);
      return () => {
        socket.off("connect", onConnect);
        socket.off("error", onError);
      };
    },
  );
}

/**
 * How long to wait for a TLS 1.3 session ticket after a STARTTLS handshake, in
 * milliseconds: twice what the handshake took (a ticket comes about one round trip after
 * it), at least MIN and at most MAX. A server that sends no ticket costs that much once
 * for each session scope (see {@link noteNoTicket}).
 */
const MIN_TICKET_WAIT = 5;
const MAX_TICKET_WAIT = 100;

/**
 * What a STARTTLS upgrade did about the server's first session ticket: `received` (it
 * came, at once or within the wait), `no ticket` (none came within the wait: the server
 * is noted as silent), `closed` (the connection ended while waiting); or no wait at all:
 * `resumed` (a resumed session), `silent` (the server was seen to send none), `not TLS 1.3`.
 */
export type TicketWaitOutcome = "received" | "no ticket" | "closed" | "resumed" | "silent" | "not TLS 1.3";

/**
 * The `node:diagnostics_channel` channel on which each STARTTLS upgrade publishes
 * `{ outcome: TicketWaitOutcome }`: how the tests observe the ticket wait without timing it.
 */
export const TICKET_WAIT_CHANNEL = "mailport:smtp:ticket-wait";
const ticketWaitChannel = diagnostics.channel(TICKET_WAIT_CHANNEL);

/**
 * Notes whether the server has sent a TLS session ticket. Listening for `session` is what
 * makes Node hand tickets up at all, so this is attached before the handshake starts.
 */
class TicketWatch {
  #received = false;
  readonly #waiters = new Set<() => void>();
  readonly #socket: tls.TLSSocket;
  readonly #scope: SessionScope;

  constructor(socket: tls.TLSSocket, scope: SessionScope) {
    this.#socket = socket;
    this.#scope = scope;
    socket.on("session", () => {
      this.#received = true;
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /**
   * Waits for the first ticket (at most `ms`, or until the socket closes). A TLS 1.3 server
   * sends its tickets just after the handshake; a client that writes its first command
   * before the first ticket arrives sends no ACK with it, and a server with Nagle's
   * algorithm on then holds its second ticket and the reply behind that ACK, which the
   * client delays: about 40 ms per connection (seen with Postfix). Writing after the
   * first ticket carries the ACK at once.
   */
  async wait(ms: number): Promise<void> {
    const outcome = await this.#wait(ms);
    if (ticketWaitChannel.hasSubscribers) ticketWaitChannel.publish({ outcome });
  }

  #wait(ms: number): Promise<TicketWaitOutcome> | TicketWaitOutcome {
    const socket = this.#socket;
    if (this.#received) return "received";
    if (socket.getProtocol() !== "TLSv1.3") return "not TLS 1.3";
    if (socket.isSessionReused()) return "resumed";
    // Without a ticket there is no session to resume: each connection would wait again.
    if (sendsNoTicket(this.#scope)) return "silent";
    return new Promise<TicketWaitOutcome>((resolve) => {
      const finish = (outcome: TicketWaitOutcome): void => {
        clearTimeout(timer);
        this.#waiters.delete(onTicket);
        socket.off("close", onClose);
        // Not from inside the ticket callback: a write made from there was seen to never
        // reach the server (Node 20).
        setImmediate(resolve, outcome);
      };
      const onTicket = (): void => finish("received");
      const onClose = (): void => finish("closed");
      const timer = setTimeout(() => {
        noteNoTicket(this.#scope);
        finish("no ticket");
      }, ms);
      this.#waiters.add(onTicket);
      socket.once("close", onClose);
    });
  }
}

const tickets = new WeakMap<tls.TLSSocket, TicketWatch>();

/** Starts TLS on a connected socket and waits for the handshake. */
function handshake(
  raw: net.Socket,
  tlsOptions: tls.ConnectionOptions,
  options: WaitOptions,
  timeoutError: () => Error,
): Promise<tls.TLSSocket> {
  // Errors of the plain socket surface on the TLS socket; this keeps them from being unhandled.
  raw.on("error", () => {});
  const scope = sessionScope(tlsOptions, raw.remoteAddress, raw.remotePort);
  const session = tlsOptions.session ?? savedSession(scope);
  const secure = tls.connect({ ...tlsOptions, socket: raw, ...(session ? { session } : {}) });
  tickets.set(secure, new TicketWatch(secure, scope));
  // Kept only from a connection whose handshake succeeded (so verified, when verifying).
  secure.on("session", (ticket: Buffer) => {
    if (secure.authorized || tlsOptions.rejectUnauthorized === false) saveSession(scope, ticket);
  });
  return settleBy<tls.TLSSocket>(
    options,
    timeoutError,
    () => secure.destroy(),
    (settle) => {
      const onSecure = (): void => settle(undefined, secure);
      const onError = (error: Error): void => {
        secure.destroy();
        settle(new SMTPConnectError(`TLS handshake failed: ${error.message}`, { cause: error }));
      };
      const onClose = (): void =>
        settle(new SMTPServerDisconnected("Connection reset while upgrading transport"));
      secure.once("secureConnect", onSecure);
      secure.once("error", onError);
      secure.once("close", onClose);
      return () => {
        secure.off("secureConnect", onSecure);
        secure.off("error", onError);
        secure.off("close", onClose);
      };
    },
  );
}

/** A wait of a connection, until `ready()` holds, the deadline, or the signal. */
interface Wait {
  readonly ready: () => boolean;
  readonly deadline: number;
  readonly timeoutError: () => Error;
  readonly signal: AbortSignal | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly onAbort: () => void;
}

/** A connected socket and the reply reader on it. */
export class Connection {
  #socket: net.Socket;
  readonly #reader = new ReplyReader();
  /** How many replies are still awaited; bytes arriving when none is are dropped. */
  #awaited = 1;
  /** Replies received and not yet read, in order. */
  #replies: SMTPResponse[] = [];
  /** How many replies have come since the last command, or since a message's first chunk. */
  #received = 0;
  #failure: Error | undefined;
  #closed = false;
  #eof = false;
  #closeCause: Error | undefined;
  /**
   * How many replies come before QUIT's, once QUIT is written (-1: not written): a server
   * that hangs up instead of sending QUIT's reply counts as a 221.
   */
  #repliesBeforeQuit = -1;
  /** The waits under way (for a reply, or for the socket to drain). */
  readonly #waits = new Set<Wait>();
  /**
   * One deadline timer for the connection's waits, kept from one wait to the next: a
   * command's wait ends long before its deadline, and the next wait's deadline is later,
   * so the timer set for the first wait serves the later ones (it is re-armed when it
   * fires early). Unreferenced while nothing waits.
   */
  #timer: NodeJS.Timeout | undefined;
  /** When `#timer` fires. */
  #timerDue = Infinity;
  #onClose: (() => void) | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  /**
   * Opens a connection (and, with `tlsOptions`, a TLS session on it).
   * @throws SMTPConnectError when the socket cannot be opened or the handshake fails
   * @throws SMTPConnectTimeoutError at the deadline
   * @throws SMTPException (cause: the abort reason) when the signal aborts
   */
  static async open(
    target: ConnectTarget,
    tlsOptions: tls.ConnectionOptions | undefined,
    options: WaitOptions,
  ): Promise<Connection> {
    let socket: net.Socket;
    if (target.kind === "socket") {
      socket = target.socket;
    } else if (target.kind === "unix") {
      socket = net.connect({ path: target.path });
    } else {
      socket = net.connect({
        host: target.host,
        port: target.port,
        ...(target.localAddress !== undefined ? { localAddress: target.localAddress } : {}),
        ...(target.localPort !== undefined ? { localPort: target.localPort } : {}),
      });
    }
    await awaitConnected(socket, target, options);
    // Commands and the end of the data are small writes that wait for a reply: with
    // Nagle's algorithm each can sit behind the server's delayed ACK (about 40 ms).
    if (target.kind === "tcp") socket.setNoDelay(true);
    if (tlsOptions) {
      socket = await handshake(
        socket,
        tlsOptions,
        options,
        () => new SMTPConnectTimeoutError(`Timed out connecting to ${describe(target)}`),
      );
    }
    return new Connection(socket);
  }

  /** Called once when the socket closes, for whatever reason. */
  set onClose(callback: (() => void) | undefined) {
    this.#onClose = callback;
  }

  /** Whether the socket is open. */
  get isConnected(): boolean {
    return !this.#closed && !this.#eof && !this.#socket.destroyed;
  }

  /** Whether the connection is encrypted. */
  get isTls(): boolean {
    return this.#socket instanceof tls.TLSSocket && this.#socket.encrypted === true;
  }

  /** The underlying socket (a `tls.TLSSocket` once encrypted). */
  get socket(): net.Socket {
    return this.#socket;
  }

  /** Closes the socket at once. */
  close(): void {
    if (!this.#socket.destroyed) this.#socket.destroy();
  }

  #attach(socket: net.Socket): void {
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("error", this.#onError);
    socket.on("close", this.#onSocketClose);
    socket.on("drain", this.#wake);
  }

  #detach(socket: net.Socket): void {
    socket.off("data", this.#onData);
    socket.off("end", this.#onEnd);
    socket.off("error", this.#onError);
    socket.off("close", this.#onSocketClose);
    socket.off("drain", this.#wake);
  }

  /** Ends the waits whose condition now holds. */
  readonly #wake = (): void => {
    for (const wait of this.#waits) {
      if (wait.ready()) this.#endWait(wait, undefined);
    }
  };

  readonly #onData = (chunk: Buffer): void => {
    if (this.#awaited === 0) return;
    try {
      this.#reader.feed(chunk);
      for (let reply = this.#reader.read(); reply !== undefined; reply = this.#reader.read()) {
        this.#replies.push(reply);
        this.#received++;
        if (--this.#awaited === 0) break;
      }
      if (this.#awaited > 0) {
        if (this.#replies.length > 0) this.#wake();
        return;
      }
    } catch (error) {
      // The stream is out of step with the replies: nothing later on it can be trusted.
      this.#failure = error as Error;
      this.close();
    }
    // Every awaited reply is in: whatever follows is unsolicited.
    this.#awaited = 0;
    this.#reader.clear();
    this.#wake();
  };

  readonly #onEnd = (): void => {
    this.#eof = true;
    this.close();
    this.#wake();
  };

  readonly #onError = (error: Error): void => {
    this.#closeCause = error;
  };

  readonly #onSocketClose = (): void => {
    this.#closed = true;
    this.#wake();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#onClose?.();
  };

  /**
   * Waits until `ready()` holds; at the deadline or on abort the connection is closed.
   * Returns `undefined` when there is nothing to wait for (a reply already in, a write the
   * socket took at once): the common case costs no promise and no timer.
   */
  #waitUntil(ready: () => boolean, options: WaitOptions, timeoutError: () => Error): Promise<void> | undefined {
    const { signal, deadline } = options;
    if (ready() && signal?.aborted !== true) return undefined;
    if (signal?.aborted) {
      this.close();
      return Promise.reject(abortError(signal));
    }
    return new Promise<void>((resolve, reject) => {
      const wait: Wait = { ready, deadline, timeoutError, signal, resolve, reject, onAbort: () => this.#abortWait(wait) };
      signal?.addEventListener("abort", wait.onAbort, { once: true });
      this.#waits.add(wait);
      this.#armTimer(deadline);
    });
  }

  #endWait(wait: Wait, error: Error | undefined): void {
    if (!this.#waits.delete(wait)) return;
    wait.signal?.removeEventListener("abort", wait.onAbort);
    if (this.#waits.size === 0) this.#timer?.unref();
    if (error) wait.reject(error);
    else wait.resolve();
  }

  #abortWait(wait: Wait): void {
    if (!this.#waits.has(wait)) return;
    this.close();
    this.#endWait(wait, abortError(wait.signal as AbortSignal));
  }

  /** Makes sure the timer fires by `deadline`, and keeps the process alive while a wait needs it. */
  #armTimer(deadline: number): void {
    if (!Number.isFinite(deadline)) return;
    if (this.#timer !== undefined && this.#timerDue <= deadline) {
      this.#timer.ref();
      return;
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerDue = deadline;
    this.#timer = setTimeout(this.#onTimer, Math.min(Math.max(deadline - Date.now(), 0), MAX_TIMER));
  }

  /** Times out the waits whose deadline has passed (closing the connection), and re-arms for the others. */
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const wait of this.#waits) {
      if (wait.deadline <= now) {
        this.close();
        this.#endWait(wait, wait.timeoutError());
      } else {
        next = Math.min(next, wait.deadline);
      }
    }
    if (this.#waits.size > 0) this.#armTimer(next);
  };

  readonly #replyReady = (): boolean => this.#replies.length > 0 || this.#failure !== undefined || this.#closed || this.#eof;

  readonly #writable = (): boolean =>
    !this.#socket.writableNeedDrain || this.#replies.length > 0 || this.#closed || this.#eof;

  /** Marks `count` replies as awaited and forgets anything received before. */
  #expectReplies(count = 1): void {
    this.#reader.clear();
    this.#replies = [];
    this.#awaited = count;
    this.#received = 0;
  }

  /** How many replies have come and are not read yet. */
  get unreadReplies(): number {
    return this.#replies.length;
  }

  /**
   * Reads the next reply (the greeting, or the reply to what was just written).
   * After QUIT, a server that hangs up without replying counts as a 221.
   * @throws SMTPReadTimeoutError at the deadline (the connection is closed)
   * @throws SMTPServerDisconnected when the connection ends first
   * @throws SMTPResponseException (code -1) for a malformed or oversized reply
   */
  async readReply(options: WaitOptions): Promise<SMTPResponse> {
    const waiting = this.#waitUntil(this.#replyReady, options, readTimeoutError);
    if (waiting !== undefined) await waiting;
    const reply = this.#replies.shift();
    if (reply) {
      if (this.#repliesBeforeQuit > 0) this.#repliesBeforeQuit--;
      return reply;
    }
    if (this.#failure) throw this.#failure;
    if (this.#repliesBeforeQuit === 0) return new SMTPResponse(SMTPStatus.closing, "");
    if (this.#eof && !this.#closeCause) throw new SMTPServerDisconnected("Unexpected EOF received");
    throw new SMTPServerDisconnected("Connection lost", { cause: this.#closeCause });
  }

  /**
   * Writes bytes; when the socket's buffer is full, returns a wait until it drains, a reply
   * arrives, or the connection ends (`undefined`: nothing to wait for).
   * @throws SMTPServerDisconnected when the connection is closed
   * @throws SMTPTimeoutError (the wait) when the socket does not drain by the deadline
   */
  #write(data: Uint8Array, options: WaitOptions): Promise<void> | undefined {
    if (!this.isConnected) throw new SMTPServerDisconnected("Connection lost", { cause: this.#closeCause });
    if (this.#socket.write(data)) return undefined;
    return this.#waitUntil(this.#writable, options, writeTimeoutError);
  }

  /**
   * Sends one command line and reads its reply.
   * @throws as `#write` and {@link Connection.readReply}
   */
  async command(line: Uint8Array, options: WaitOptions): Promise<SMTPResponse> {
    this.#expectReplies(1);
    if (QUIT.equals(line)) this.#repliesBeforeQuit = 0;
    const writing = this.#write(line, options);
    if (writing !== undefined) await writing;
    return this.readReply(options);
  }

  /**
   * Sends several command lines in one write and awaits one reply for each (RFC 2920
   * pipelining); read them in order with {@link Connection.readReply}. Anything after the
   * last awaited reply is dropped, as for a single command.
   * @throws as `#write`
   */
  async pipeline(lines: readonly Uint8Array[], options: WaitOptions): Promise<void> {
    this.#expectReplies(lines.length);
    await this.#write(Buffer.concat(lines), options);
  }

  /**
   * Streams message data after the server's 354: encoded chunk by chunk ({@link DataEncoder}),
   * each written once the socket has room, the terminator with the last chunk. Stops early
   * when the server replies before the data is complete. With `options.stall`, each piece
   * has that long to be taken by the network. With `quit`, QUIT follows the terminator in
   * the same write (RFC 2920 lets the message data start a pipelined group and QUIT end
   * it): read the data's reply, then QUIT's.
   * @returns whether the whole message and the terminator were written
   */
  async writeData(message: Uint8Array, options: WaitOptions, quit = false): Promise<boolean> {
    this.#expectReplies(quit ? 2 : 1);
    if (quit) this.#repliesBeforeQuit = 1;
    const encoder = new DataEncoder();
    const stall = options.stall;
    // With `stall`, the deadline starts again at each piece: a stall is bounded, not the transfer.
    const piece = (): WaitOptions => (stall === undefined ? options : { ...options, deadline: deadlineIn(stall / 1000) });
    for (let at = 0; ; at += DATA_CHUNK_SIZE) {
      const chunk = encoder.encode(message.subarray(at, at + DATA_CHUNK_SIZE));
      const last = at + DATA_CHUNK_SIZE >= message.length;
      // The terminator goes in the same write as the last chunk: the server reads them at
      // once instead of waking up again for the terminator alone.
      await this.#write(last ? Buffer.concat(quit ? [chunk, encoder.end(), QUIT] : [chunk, encoder.end()]) : chunk, piece());
      // A reply while the socket was full came before the end of the data.
      if (this.#replies.length > 0 || this.#failure !== undefined) return false;
      if (last) return true;
    }
  }

  /**
   * Writes a BDAT command and its chunk (RFC 3030) together, and awaits one more reply, for
   * the chunk. `answered` is how many chunks of the message were written whole before this
   * one (0: the first, and what came before it is forgotten): as many replies may come
   * while this one is written, for a server with PIPELINING takes the chunks without
   * replying to each first. With `quit`, QUIT follows the chunk (the last one) in the same
   * write (RFC 2920): its reply is read after the chunks'. With `options.stall`, the chunk
   * has that long to be taken by the network. The chunk is not copied.
   * @returns false when the server replied to this chunk before it was written whole
   * @throws as `#write`
   */
  async writeChunk(command: Uint8Array, chunk: Uint8Array, options: WaitOptions, answered: number, quit = false): Promise<boolean> {
    if (answered === 0) this.#expectReplies(1);
    else this.#awaited++;
    if (quit) {
      this.#repliesBeforeQuit = this.#awaited + this.#replies.length;
      this.#awaited++;
    }
    const early = (): boolean => this.#received > answered || this.#failure !== undefined;
    if (!this.isConnected) throw new SMTPServerDisconnected("Connection lost", { cause: this.#closeCause });
    const socket = this.#socket;
    socket.cork();
    socket.write(command);
    let room = socket.write(chunk);
    if (quit) room = socket.write(QUIT);
    socket.uncork();
    const deadline = options.stall === undefined ? options : { ...options, deadline: deadlineIn(options.stall / 1000) };
    if (!room) {
      const ready = (): boolean => !socket.writableNeedDrain || early() || this.#closed || this.#eof;
      const waiting = this.#waitUntil(ready, deadline, writeTimeoutError);
      if (waiting !== undefined) await waiting;
    }
    return !early();
  }

  /**
   * Starts TLS on this connection (after STARTTLS's 220). Whatever the server sent after
   * the 220 is discarded first. The caller must forget what it learnt before (RFC 3207).
   * @throws SMTPConnectError when the handshake fails (certificate not trusted ...)
   * @throws SMTPTimeoutError at the deadline
   * @throws SMTPServerDisconnected when the connection ends during the handshake
   */
  async startTls(tlsOptions: tls.ConnectionOptions, options: WaitOptions): Promise<void> {
    const raw = this.#socket;
    this.#detach(raw);
    this.#awaited = 0;
    this.#reader.clear();
    this.#replies = [];
    let secure: tls.TLSSocket;
    const started = performance.now();
    try {
      secure = await handshake(raw, tlsOptions, options, () => new SMTPTimeoutError("Timed out while upgrading transport"));
    } catch (error) {
      raw.destroy();
      this.#closed = true;
      this.#onClose?.();
      throw error;
    }
    const took = performance.now() - started;
    this.#socket = secure;
    this.#attach(secure);
    // After STARTTLS the client speaks first: wait for the server's session ticket (see TicketWatch).
    await tickets.get(secure)?.wait(Math.min(Math.max(2 * took, MIN_TICKET_WAIT), MAX_TICKET_WAIT));
  }
}
