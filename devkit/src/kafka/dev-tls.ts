// TLS material for the development appliance, issued by its own private CA (@enclave/certs).
// The dev CA's root passphrase is random and kept beside it (mode 0600): fine for a developer
// box, never for a facility — docs/operations.md describes the real ceremony.
import { CertificateAuthority, writeIssued, type IssuedCertificate, type Profile } from '@enclave/certs';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface IdentityFiles {
  dir: string;
  key: string;
  cert: string;
  chain: string;
  ca: string;
}

export async function openDevCa(caDir: string): Promise<CertificateAuthority> {
  const passphraseFile = join(caDir, '..', 'ca-passphrase');
  if (!(await CertificateAuthority.exists(caDir))) {
    await mkdir(join(caDir, '..'), { recursive: true });
    const passphrase = randomBytes(24).toString('base64url');
    await writeFile(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
    return CertificateAuthority.init({ dir: caDir, passphrase });
  }
  const passphrase = (await readFile(passphraseFile, 'utf8')).trim();
  return CertificateAuthority.open({ dir: caDir, passphrase });
}

export interface IdentityRequest {
  profile: Profile;
  name: string;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** Issues (or reuses, while it has more than a day left) a certificate written under `dir`. */
export async function ensureIdentity(
  ca: CertificateAuthority,
  dir: string,
  request: IdentityRequest,
  now: () => Date = () => new Date(),
): Promise<IdentityFiles> {
  const files: IdentityFiles = {
    dir,
    key: join(dir, 'key.pem'),
    cert: join(dir, 'cert.pem'),
    chain: join(dir, 'chain.pem'),
    ca: join(dir, 'ca.pem'),
  };
  if (existsSync(files.cert) && existsSync(files.key) && (await stillValid(files.cert, ca, now)))
    return files;
  const issued: IssuedCertificate = await ca.issue({ ...request, actor: 'devkit' });
  await mkdir(dir, { recursive: true });
  await writeIssued(dir, issued);
  return files;
}

async function stillValid(certFile: string, ca: CertificateAuthority, now: () => Date): Promise<boolean> {
  const cert = new X509Certificate(await readFile(certFile));
  const intermediate = new X509Certificate(ca.intermediateCertPem);
  const dayAhead = now().getTime() + 24 * 3600_000;
  return cert.checkIssued(intermediate) && new Date(cert.validTo).getTime() > dayAhead;
}

/** Kafka's PEM keystore wants the PKCS#8 key and the certificate chain in one file. */
export async function writeKeystorePem(identity: IdentityFiles, target: string): Promise<void> {
  const key = await readFile(identity.key, 'utf8');
  const chain = await readFile(identity.chain, 'utf8');
  await writeFile(target, `${key.trim()}\n${chain.trim()}\n`, { mode: 0o600 });
}
