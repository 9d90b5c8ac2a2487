// CSR policy. A CSR contributes one thing, its public key; everything the certificate asserts
// comes from the trusted identity (enrollment record or current certificate). A CSR that asks
// for something else is refused, not quietly corrected, so a misconfigured or hostile node is
// visible in the error and the log rather than half-succeeding.
import type { KeyObject } from 'node:crypto';
import { OID } from './asn1-encoding.ts';
import { CertsError, quote } from './certs-error.ts';
import type { CertificateIdentity } from './certificate-identity.ts';
import { parseCsr, type ParsedCsr } from './csr-parser.ts';
import { utilExtras } from './forge-extras.ts';
import { checkLeafKeyStrength } from './key-pairs.ts';
import { EKU_OIDS, ORGANISATION, type ExtendedKeyUsage } from './profiles.ts';
import { verifySignature } from './signer.ts';

const SIGNATURE_ALGORITHMS: Readonly<Record<string, { hash: string; keyType: 'rsa' | 'ec' }>> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', keyType: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', keyType: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', keyType: 'rsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', keyType: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', keyType: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', keyType: 'ec' },
};

export interface AcceptedCsr {
  readonly publicKey: KeyObject;
  readonly csr: ParsedCsr;
}

/** Parses, verifies the self-signature with Node crypto, checks the key, then the identity. */
export function intakeCsr(csrPem: unknown, identity: CertificateIdentity): AcceptedCsr {
  const csr = parseCsr(csrPem);
  verifyCsrSignature(csr);
  checkLeafKeyStrength(csr.publicKey);
  checkCsrIdentity(csr, identity);
  return { publicKey: csr.publicKey, csr };
}

export function verifyCsrSignature(csr: ParsedCsr): void {
  const algorithm = SIGNATURE_ALGORITHMS[csr.signatureAlgorithmOid];
  if (!algorithm) {
    throw new CertsError(
      'CSR_UNSUPPORTED_ALGORITHM',
      `CSR signature algorithm ${csr.signatureAlgorithmOid} is not accepted: sign with SHA-256/384/512 and RSA PKCS#1 v1.5 or ECDSA.`,
    );
  }
  if (csr.publicKey.asymmetricKeyType !== algorithm.keyType) {
    throw new CertsError('CSR_BAD_SIGNATURE', 'CSR signature algorithm does not match its key type.');
  }
  if (!verifySignature(algorithm.hash, csr.signedBytes, csr.publicKey, csr.signature)) {
    throw new CertsError(
      'CSR_BAD_SIGNATURE',
      'CSR signature does not verify: the request was altered or not signed by its key.',
    );
  }
}

export function checkCsrIdentity(csr: ParsedCsr, identity: CertificateIdentity): void {
  const mismatch = (what: string): never => {
    throw new CertsError('CSR_IDENTITY_MISMATCH', `CSR refused: ${what}.`);
  };
  const expected: Record<string, string> = {
    [OID.commonName]: identity.principal,
    [OID.organizationalUnitName]: identity.profile,
    [OID.organizationName]: ORGANISATION,
  };
  const names: Record<string, string> = {
    [OID.commonName]: 'CN',
    [OID.organizationalUnitName]: 'OU',
    [OID.organizationName]: 'O',
  };
  const cn = csr.subject.filter((a) => a.oid === OID.commonName);
  if (cn.length !== 1) mismatch(`its subject must carry exactly one CN, ${quote(identity.principal)}`);
  for (const attribute of csr.subject) {
    const want = expected[attribute.oid];
    if (want === undefined)
      mismatch(`its subject carries attribute ${attribute.oid}, which this CA does not issue`);
    if (attribute.value !== want) {
      mismatch(
        `subject ${names[attribute.oid] ?? '?'} is ${quote(attribute.value)} but the record says ${quote(want ?? '')}`,
      );
    }
  }
  for (const dns of csr.dnsNames) {
    if (!identity.dnsNames.includes(dns))
      mismatch(`it asks for SAN DNS:${quote(dns)}, which the record does not grant`);
  }
  const grantedIps = new Set(identity.ipAddresses.map(ipHex));
  for (const ip of csr.ipAddresses) {
    if (!grantedIps.has(ip.hex)) mismatch(`it asks for SAN IP:${ip.text}, which the record does not grant`);
  }
  if (csr.otherAltNames > 0) mismatch('it asks for SAN types other than DNS and IP');
  const granted = new Set(identity.extKeyUsage.map((u) => EKU_OIDS[u]));
  for (const eku of csr.extKeyUsageOids) {
    if (!granted.has(eku))
      mismatch(`it asks for extended key usage ${ekuName(eku)}, which the record does not grant`);
  }
  if (csr.requestsCa || csr.requestsCertSign) {
    throw new CertsError('CSR_FORBIDDEN_EXTENSION', 'CSR refused: it asks to be a certificate authority.');
  }
}

function ipHex(ip: string): string {
  return Buffer.from(utilExtras.bytesFromIP(ip) ?? '', 'binary').toString('hex');
}

function ekuName(oid: string): string {
  const known = (Object.keys(EKU_OIDS) as ExtendedKeyUsage[]).find((u) => EKU_OIDS[u] === oid);
  return known ?? oid;
}
