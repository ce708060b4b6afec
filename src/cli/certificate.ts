/**
 * A throw-away, self-signed certificate for the debug server (for `localhost`,
 * `127.0.0.1` and `::1`), made with the `selfsigned` package when TLS is asked for and no
 * certificate is given.
 *
 * @module
 */
import { CliError } from "./errors.js";

/** A certificate and its private key, both PEM. */
export interface CertificatePair {
  /** The certificate (PEM); a client trusts it by passing it as `certBundle`. */
  readonly cert: string;
  /** The private key (PEM). */
  readonly key: string;
}

interface SelfsignedModule {
  generate(
    attributes: Array<{ name: string; value: string }>,
    options: Record<string, unknown>,
  ): Promise<{ cert: string; private: string }>;
}

/**
 * Makes a self-signed certificate valid for one day, for the loopback names only.
 * @throws CliError when the `selfsigned` package is not installed (pass a certificate and key instead)
 */
export async function selfSignedCertificate(): Promise<CertificatePair> {
  let module: SelfsignedModule;
  try {
    // A dependency of mailport, loaded only when a certificate is to be made: it brings
    // in a whole X.509 library that plain runs and the library itself never need.
    const name = "selfsigned";
    module = (await import(name)) as SelfsignedModule;
  } catch {
    throw new CliError(
      "cannot make a self-signed certificate: the selfsigned package is not installed; pass --cert and --key",
    );
  }
  const now = Date.now();
  const pems = await module.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 24 * 3600_000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
