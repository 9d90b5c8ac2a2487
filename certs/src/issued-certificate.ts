// What the CA hands back for a leaf, and how it lands on disk for a service to load: key.pem
// (0600, only when the CA generated the key), cert.pem, chain.pem (leaf + intermediate, what a
// TLS server or Kafka keystore presents) and ca.pem (the root, the only trust anchor).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import type { Profile } from './profiles.ts';

export interface IssuedCertificate {
  readonly keyPem?: string;
  readonly certPem: string;
  /** Leaf + intermediate. */
  readonly chainPem: string;
  /** The root certificate. */
  readonly caPem: string;
  /** Lower-case hex, no leading zeros. */
  readonly serial: string;
  /** Colon-separated upper-case hex, as Node and openssl print it. */
  readonly fingerprint256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly principal: string;
  readonly profile: Profile;
  /** RFC 2253, e.g. `CN=node-abc,OU=node,O=Enclave`. */
  readonly subject: string;
}

export interface IssuedFiles {
  readonly key?: string;
  readonly cert: string;
  readonly chain: string;
  readonly ca: string;
}

export async function writeIssued(outDir: string, issued: IssuedCertificate): Promise<IssuedFiles> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const files = {
    cert: join(outDir, 'cert.pem'),
    chain: join(outDir, 'chain.pem'),
    ca: join(outDir, 'ca.pem'),
  };
  // The key goes first: a reader that sees a new cert.pem must find the matching key already there.
  if (issued.keyPem !== undefined) await writeFileAtomic(join(outDir, 'key.pem'), issued.keyPem, 0o600);
  await writeFileAtomic(files.cert, issued.certPem);
  await writeFileAtomic(files.chain, issued.chainPem);
  await writeFileAtomic(files.ca, issued.caPem);
  return issued.keyPem !== undefined ? { key: join(outDir, 'key.pem'), ...files } : files;
}
