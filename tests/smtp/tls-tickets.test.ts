/**
 * The wait for the server's first TLS 1.3 session ticket after STARTTLS (see
 * src/smtp/connection.ts): taken after a full handshake, skipped on a resumed one, and
 * skipped for a server already seen to send no ticket at all, which would otherwise cost
 * the wait on every connection (no ticket, so no session to resume). The peer is Python's
 * ssl module, whose `num_tickets` can be 0 (Node's TLS server always sends tickets). The
 * wait is observed on its diagnostics channel, never timed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import diagnostics from "node:diagnostics_channel";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TICKET_WAIT_CHANNEL, type TicketWaitOutcome } from "../../src/smtp/connection.js";
import { SMTP } from "../../src/smtp/index.js";
import { noteNoTicket, saveSession, sendsNoTicket } from "../../src/smtp/tlssessions.js";
import { testCertificates, type TestCertificates } from "../peers/certs.js";

/**
 * A minimal ESMTP server with STARTTLS (TLS 1.3 only) that sends `argv[3]` session
 * tickets after each full handshake. Prints its port, then for each connection whether
 * its TLS session was resumed.
 */
const PEER = String.raw`
import socket, ssl, sys, threading
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.minimum_version = ssl.TLSVersion.TLSv1_3
context.load_cert_chain(sys.argv[1], sys.argv[2])
context.num_tickets = int(sys.argv[3])
server = socket.create_server(("127.0.0.1", 0))
print(server.getsockname()[1], flush=True)

def line(sock):
    data = b""
    while not data.endswith(b"\n"):
        byte = sock.recv(1)
        if not byte:
            return None
        data += byte
    return data.strip().upper()

def serve(sock):
    try:
        sock.sendall(b"220 tickets.test ready\r\n")
        while True:
            command = line(sock)
            if command is None:
                return
            if command.startswith(b"EHLO"):
                tls = isinstance(sock, ssl.SSLSocket)
                sock.sendall(b"250 tickets.test\r\n" if tls else b"250-tickets.test\r\n250 STARTTLS\r\n")
            elif command == b"STARTTLS":
                sock.sendall(b"220 go ahead\r\n")
                sock = context.wrap_socket(sock, server_side=True)
                print("resumed" if sock.session_reused else "full", flush=True)
            elif command == b"QUIT":
                sock.sendall(b"221 bye\r\n")
                return
            else:
                sock.sendall(b"250 ok\r\n")
    except OSError:
        pass
    finally:
        sock.close()

while True:
    connection, _ = server.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
`;

interface Peer {
  readonly port: number;
  /** "full" or "resumed", one per STARTTLS handshake so far. */
  readonly handshakes: string[];
  readonly process: ChildProcessWithoutNullStreams;
}

let certs: TestCertificates;
let dir: string;
const peers: Peer[] = [];

async function startPeer(tickets: number): Promise<Peer> {
  const child = spawn("python3", ["-c", PEER, path.join(dir, "server.pem"), path.join(dir, "server.key"), String(tickets)]);
  const handshakes: string[] = [];
  let port: number | undefined;
  let buffered = "";
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const text = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (port === undefined) resolve((port = Number(text)));
        else handshakes.push(text);
      }
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the python3 TLS peer exited with ${String(code)}`)));
  });
  const peer = { port: await ready, handshakes, process: child };
  peers.push(peer);
  return peer;
}

/** Connects with STARTTLS, sends NOOP, quits; returns what the client did about the ticket. */
async function oneConnection(peer: Peer): Promise<TicketWaitOutcome[]> {
  const outcomes: TicketWaitOutcome[] = [];
  const listener = (message: unknown): void => {
    outcomes.push((message as { outcome: TicketWaitOutcome }).outcome);
  };
  diagnostics.subscribe(TICKET_WAIT_CHANNEL, listener);
  try {
    const smtp = new SMTP({ hostname: "127.0.0.1", port: peer.port, startTls: true, certBundle: certs.caCert, timeout: 5 });
    await smtp.connect();
    await smtp.noop();
    await smtp.quit();
  } finally {
    diagnostics.unsubscribe(TICKET_WAIT_CHANNEL, listener);
  }
  return outcomes;
}

/** Waits until the peer has reported `count` handshakes (its output may lag the client). */
async function handshakes(peer: Peer, count: number): Promise<string[]> {
  while (peer.handshakes.length < count) await once(peer.process.stdout, "data");
  return peer.handshakes;
}

beforeAll(() => {
  certs = testCertificates();
  dir = mkdtempSync(path.join(tmpdir(), "mailport-tickets-"));
  writeFileSync(path.join(dir, "server.pem"), certs.serverCert);
  writeFileSync(path.join(dir, "server.key"), certs.serverKey);
});

afterAll(() => {
  for (const peer of peers) peer.process.kill();
});

describe("the wait for a TLS session ticket after STARTTLS", () => {
  it("waits after a full handshake and, with the ticket, resumes the next connection without waiting", async () => {
    const peer = await startPeer(2);
    expect(await oneConnection(peer)).toEqual(["received"]);
    expect(await oneConnection(peer)).toEqual(["resumed"]);
    expect(await handshakes(peer, 2)).toEqual(["full", "resumed"]);
  });

  it("waits once for a server that sends no ticket, and not again on the next connections", async () => {
    const peer = await startPeer(0);
    expect(await oneConnection(peer)).toEqual(["no ticket"]);
    expect(await oneConnection(peer)).toEqual(["silent"]);
    expect(await oneConnection(peer)).toEqual(["silent"]);
    // No ticket, so nothing to resume: every handshake is a full one.
    expect(await handshakes(peer, 3)).toEqual(["full", "full", "full"]);
  });

  it("forgets that a server sent no ticket once it sends one", () => {
    const scope = { trust: {}, key: "127.0.0.1|2525|||true" };
    noteNoTicket(scope);
    expect(sendsNoTicket(scope)).toBe(true);
    expect(sendsNoTicket({ trust: {}, key: scope.key })).toBe(false);
    saveSession(scope, Buffer.from("a session"));
    expect(sendsNoTicket(scope)).toBe(false);
  });
});
