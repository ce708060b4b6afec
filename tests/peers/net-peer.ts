/**
 * A hand-written SMTP peer on 127.0.0.1, for what smtp-server cannot be made to do:
 * replies split across packets, replies sent early, bytes injected after STARTTLS's 220,
 * replies that break the rules, BDAT (CHUNKING, which smtp-server lacks). The test
 * scripts the server side line by line.
 */
import { once } from "node:events";
import net from "node:net";
import tls from "node:tls";

/** The server side of one connection, as a test scripts it. */
export class PeerConnection {
  socket: net.Socket;
  #receivedChunks: Buffer[] = [];
  #receivedLength = 0;
  /** The command lines received, without CRLF. */
  readonly lines: string[] = [];
  #unread: Buffer = Buffer.alloc(0);
  /** Chunks received but not yet joined to #unread (joining on every chunk would be quadratic). */
  #pending: Buffer[] = [];
  #waiters: Array<() => void> = [];
  #ended = false;

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.#listen(socket);
  }

  #listen(socket: net.Socket): void {
    socket.on("data", (chunk: Buffer) => {
      this.#receivedChunks.push(chunk);
      this.#receivedLength += chunk.length;
      this.#pending.push(chunk);
      this.#wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on("error", () => {});
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Every byte received so far (over TLS: the decrypted bytes). */
  get received(): Buffer {
    const all = Buffer.concat(this.#receivedChunks);
    this.#receivedChunks = [all];
    return all;
  }

  /** How many bytes have been received so far. */
  get receivedLength(): number {
    return this.#receivedLength;
  }

  #takePending(): void {
    if (this.#pending.length === 0) return;
    this.#unread = Buffer.concat([this.#unread, ...this.#pending]);
    this.#pending = [];
  }

  /** Whether the client has closed the connection. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Resolves with the next line from the client (without CRLF); rejects if it hangs up first. */
  async readLine(): Promise<string> {
    for (;;) {
      this.#takePending();
      const end = this.#unread.indexOf("\r\n");
      if (end !== -1) {
        const line = this.#unread.subarray(0, end).toString("utf8");
        this.#unread = this.#unread.subarray(end + 2);
        this.lines.push(line);
        return line;
      }
      if (this.#ended) throw new Error("the client hung up");
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves with everything up to and including `marker`. */
  async readUntil(marker: string): Promise<Buffer> {
    let from = 0;
    for (;;) {
      this.#takePending();
      const end = this.#unread.indexOf(marker, from);
      from = Math.max(0, this.#unread.length - marker.length);
      if (end !== -1) {
        const data = this.#unread.subarray(0, end + marker.length);
        this.#unread = this.#unread.subarray(end + marker.length);
        return data;
      }
      if (this.#ended) throw new Error("the client hung up");
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves with the next `n` bytes (a BDAT chunk); rejects if the client hangs up first. */
  async readBytes(n: number): Promise<Buffer> {
    for (;;) {
      this.#takePending();
      if (this.#unread.length >= n) {
        const data = this.#unread.subarray(0, n);
        this.#unread = this.#unread.subarray(n);
        return data;
      }
      if (this.#ended) throw new Error("the client hung up");
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Resolves once `n` bytes have been received in all. */
  async receivedAtLeast(n: number): Promise<void> {
    while (this.#receivedLength < n && !this.#ended) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Writes text or bytes as one packet. */
  async write(data: string | Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.socket.write(data, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Writes pieces as separate packets, with a pause between them so they arrive apart. */
  async writeInPieces(pieces: readonly string[], pauseMs = 15): Promise<void> {
    for (const piece of pieces) {
      await this.write(piece);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /** Answers a command line: reads it, then writes `reply` (CRLF added per line). */
  async expect(prefix: string, reply: string): Promise<string> {
    const line = await this.readLine();
    if (!line.toUpperCase().startsWith(prefix.toUpperCase())) {
      await this.write("500 unexpected command\r\n");
      throw new Error(`expected ${prefix}, got ${JSON.stringify(line)}`);
    }
    await this.write(reply.split("\n").map((l) => `${l}\r\n`).join(""));
    return line;
  }

  /** Starts TLS as the server on this connection. */
  async startTls(key: string, cert: string): Promise<void> {
    this.socket.removeAllListeners("data");
    this.socket.removeAllListeners("close");
    this.#unread = Buffer.alloc(0);
    this.#pending = [];
    const secure = new tls.TLSSocket(this.socket, { isServer: true, key, cert });
    this.socket = secure;
    this.#listen(secure);
    await once(secure, "secure");
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}

export interface Peer {
  /** The TCP port (0 on a Unix socket). */
  readonly port: number;
  /** Settles when the script of the first connection has run (rejects with its error). */
  readonly done: Promise<void>;
  /** The first connection, once made. */
  readonly connection: Promise<PeerConnection>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (or, with `path`, on that Unix socket, whose small buffers keep
 * little data in transit) and runs `script` for the first connection.
 */
export async function startPeer(script: (peer: PeerConnection) => Promise<void>, options: { path?: string } = {}): Promise<Peer> {
  const server = net.createServer();
  const sockets = new Set<net.Socket>();
  let resolveConnection: (c: PeerConnection) => void = () => {};
  const connection = new Promise<PeerConnection>((resolve) => {
    resolveConnection = resolve;
  });
  const done = new Promise<void>((resolve, reject) => {
    server.once("connection", (socket: net.Socket) => {
      sockets.add(socket);
      const peer = new PeerConnection(socket);
      resolveConnection(peer);
      script(peer).then(resolve, reject);
    });
  });
  done.catch(() => undefined);
  if (options.path !== undefined) server.listen(options.path);
  else server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    done,
    connection,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
