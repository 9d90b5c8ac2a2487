// Where everything lives in a CA directory (documented in docs/certs-format.md). The directory
// is 0700; the two private keys and the token file are 0600.
import { join } from 'node:path';

export const CA_FILES = {
  /** Written last at init: its presence is what makes a directory "hold a CA". */
  meta: 'ca.json',
  rootCert: 'root.cert.pem',
  /** Encrypted PKCS#8 (scrypt); may be moved offline, see docs/operations.md. */
  rootKey: 'root.key.pem',
  intermediateCert: 'intermediate.cert.pem',
  /** The online signing key: unencrypted, 0600, readable only by the CA's service user. */
  intermediateKey: 'intermediate.key.pem',
  rootCrl: 'root.crl.pem',
  intermediateCrl: 'intermediate.crl.pem',
  issuanceLog: 'issuance-log.jsonl',
  revocations: 'revocations.json',
  tokens: 'enrollment-tokens.json',
  lock: 'ca.lock',
} as const;

export type CaFile = keyof typeof CA_FILES;

export const caPath = (dir: string, file: CaFile): string => join(dir, CA_FILES[file]);

export const CA_FORMAT = 'enclave-ca/1';

export interface CaMeta {
  readonly format: typeof CA_FORMAT;
  readonly createdAt: string;
  readonly rootSerial: string;
  readonly intermediateSerial: string;
  /** base64url SHA-256 of the root's SubjectPublicKeyInfo: the pin carried by enrollment tokens. */
  readonly caPin: string;
}
