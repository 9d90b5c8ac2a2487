// TLS settings every Enclave link uses: TLS 1.3 only, client certificates required and checked
// against the appliance root, CRLs of both CAs loaded (Node's `crl` option checks the whole
// chain, so with only the intermediate's CRL every client would be refused). Rotation swaps the
// secure context of a live server: new connections get the new material, open ones carry on.
import type { SecureContextOptions, Server as TlsServer, TlsOptions, ConnectionOptions } from 'node:tls';
import type { IssuedCertificate } from './issued-certificate.ts';

export interface TlsMaterial {
  readonly keyPem: string;
  /** The leaf alone; `chainPem` is preferred when given, so peers get the intermediate too. */
  readonly certPem: string;
  readonly chainPem?: string;
  /** The root certificate: the only trust anchor. */
  readonly caPem: string;
  /** CRLs of the root and the intermediate (both needed when any is given). */
  readonly crlPems?: readonly string[];
}

export function secureContextOptions(material: TlsMaterial): SecureContextOptions {
  return {
    key: material.keyPem,
    cert: material.chainPem ?? material.certPem,
    ca: material.caPem,
    ...(material.crlPems && material.crlPems.length > 0 ? { crl: [...material.crlPems] } : {}),
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
  };
}

export function serverTlsOptions(material: TlsMaterial): TlsOptions {
  return { ...secureContextOptions(material), requestCert: true, rejectUnauthorized: true };
}

export function clientTlsOptions(material: TlsMaterial, servername?: string): ConnectionOptions {
  return {
    ...secureContextOptions(material),
    rejectUnauthorized: true,
    ...(servername ? { servername } : {}),
  };
}

/** Installs new certificate, key and CRLs on a running server; no restart, no dropped connection. */
export function applyRotation(server: TlsServer, material: TlsMaterial): void {
  server.setSecureContext(secureContextOptions(material));
}

export function tlsMaterialFrom(issued: IssuedCertificate, crlPems?: readonly string[]): TlsMaterial {
  if (issued.keyPem === undefined)
    throw new Error('The issued certificate has no private key here (it came from a CSR).');
  return {
    keyPem: issued.keyPem,
    certPem: issued.certPem,
    chainPem: issued.chainPem,
    caPem: issued.caPem,
    ...(crlPems ? { crlPems } : {}),
  };
}
