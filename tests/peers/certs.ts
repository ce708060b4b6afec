/**
 * Certificates for the TLS tests, made once per test run with openssl in a temporary
 * directory: a private CA, a server certificate it signed (for localhost and 127.0.0.1),
 * a self-signed server certificate nobody trusts, and a client certificate the CA signed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCertificates {
  /** The private CA's certificate (PEM), and its file. */
  readonly caCert: string;
  readonly caCertPath: string;
  /** A server certificate and key signed by the CA, for localhost and 127.0.0.1. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A self-signed certificate and key for localhost and 127.0.0.1, trusted by no one. */
  readonly selfSignedCert: string;
  readonly selfSignedKey: string;
  /** A client certificate and key signed by the CA, and their files. */
  readonly clientCert: string;
  readonly clientKey: string;
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
}

let cached: TestCertificates | undefined;

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const SAN = "subjectAltName=DNS:localhost,IP:127.0.0.1";

/** The certificates of this test run (made on first use). */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), "mailport-certs-"));
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
    "-subj", "/CN=mailport test CA", "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  writeFileSync(path.join(dir, "server.ext"), `${SAN}\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, ["req", ...EC_KEY, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", "self.key", "-out", "self.pem", "-days", "2",
    "-subj", "/CN=localhost", "-addext", SAN]);
  writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  openssl(dir, ["req", ...EC_KEY, "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=mailport client"]);
  openssl(dir, ["x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "client.pem", "-days", "2", "-extfile", "client.ext"]);
  const read = (name: string): string => readFileSync(path.join(dir, name), "utf8");
  cached = {
    caCert: read("ca.pem"),
    caCertPath: path.join(dir, "ca.pem"),
    serverCert: read("server.pem"),
    serverKey: read("server.key"),
    selfSignedCert: read("self.pem"),
    selfSignedKey: read("self.key"),
    clientCert: read("client.pem"),
    clientKey: read("client.key"),
    clientCertPath: path.join(dir, "client.pem"),
    clientKeyPath: path.join(dir, "client.key"),
  };
  return cached;
}
