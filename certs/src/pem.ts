// PEM armour in one place; labels are checked so a key file can never be read as a certificate.
import { CertsError } from './certs-error.ts';

export function derToPem(der: Buffer, label: string): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)-----END \1-----/g;

/** All blocks with the given label, in order. */
export function pemBlocks(pem: string, label: string): Buffer[] {
  const out: Buffer[] = [];
  for (const match of pem.matchAll(PEM_BLOCK)) {
    if (match[1] === label) out.push(Buffer.from((match[2] ?? '').replace(/\s+/g, ''), 'base64'));
  }
  return out;
}

export function pemToDer(pem: string, label: string, errorCode: 'CERT_MALFORMED' | 'CSR_MALFORMED'): Buffer {
  const first = pemBlocks(pem, label)[0];
  if (!first || first.length === 0)
    throw new CertsError(errorCode, `Expected a PEM block labelled ${label}.`);
  return first;
}

/** Splits a bundle (chain.pem, a CRL file) into its certificates' PEM blocks. */
export function splitCertificates(pem: string): string[] {
  return pemBlocks(pem, 'CERTIFICATE').map((der) => derToPem(der, 'CERTIFICATE'));
}
