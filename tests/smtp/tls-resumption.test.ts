/**
 * TLS session resumption: the second connection to the same server, with the same trust
 * settings, resumes the first one's session instead of a full handshake; another trust
 * setting does not offer it. The server is a Node TLS server (implicit TLS) that records,
 * for each connection, whether the session was resumed.
 */
import { once } from "node:events";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTP } from "../../src/smtp/index.js";
import { testCertificates, type TestCertificates } from "../peers/certs.js";

let certs: TestCertificates;
let server: tls.Server;
let port: number;
const resumed: boolean[] = [];

beforeAll(async () => {
  certs = testCertificates();
  server = tls.createServer({ key: certs.serverKey, cert: certs.serverCert, minVersion: "TLSv1.3" }, (socket) => {
    resumed.push(socket.isSessionReused());
    socket.write("220 tls.test ready\r\n");
    let buffered = "";
    socket.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("latin1");
      for (let end = buffered.indexOf("\r\n"); end >= 0; end = buffered.indexOf("\r\n")) {
        const line = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (line.startsWith("EHLO")) socket.write("250 tls.test\r\n");
        else if (line === "NOOP") socket.write("250 ok\r\n");
        else if (line === "QUIT") socket.end("221 bye\r\n");
      }
    });
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as { port: number }).port;
});

afterAll(() => {
  server.close();
});

/** Connects, waits for the server's session tickets to arrive (a NOOP round trip), quits. */
async function oneConnection(options: ConstructorParameters<typeof SMTP>[0]): Promise<void> {
  const smtp = new SMTP({ hostname: "127.0.0.1", port, useTls: true, localHostname: "client.test", timeout: 5, ...options });
  await smtp.connect();
  await smtp.noop();
  await smtp.quit();
}

describe("TLS session resumption", () => {
  it("resumes the session of the previous connection to the same server under the same trust", async () => {
    resumed.length = 0;
    await oneConnection({ certBundle: certs.caCertPath });
    await oneConnection({ certBundle: certs.caCertPath });
    expect(resumed).toEqual([false, true]);
  });

  it("does not offer a session verified under other trust settings", async () => {
    await oneConnection({ certBundle: certs.caCertPath });
    resumed.length = 0;
    // A session verified with the CA exists; one without verification must not use it.
    await oneConnection({ validateCerts: false });
    await oneConnection({ validateCerts: false });
    expect(resumed).toEqual([false, true]);
  });
});
