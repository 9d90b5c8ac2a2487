// `ca init`: a root (RSA-4096, 20 years, key encrypted under the passphrase) and an online
// intermediate (RSA-3072, 5 years, path length 0) plus the first CRL of each. Runs under the
// directory lock and writes ca.json last, so a crash halfway leaves no half-CA that `open` accepts
// and a second `init` never replaces a CA that exists.
import type { X509Certificate } from 'node:crypto';
import { writeFileAtomic, createFileExclusive, ensurePrivateDir, pathExists } from './atomic-file.ts';
import { OID } from './asn1-encoding.ts';
import { caPath, CA_FORMAT, type CaMeta } from './ca-layout.ts';
import type { CaMaterial } from './ca-material.ts';
import { buildCertificate } from './certificate-builder.ts';
import { CertsError } from './certs-error.ts';
import { addMs, DAY_MS, type Clock } from './clock.ts';
import { buildCrl } from './crl-builder.ts';
import { assertPassphraseStrength, encryptPrivateKey } from './encrypted-private-key.ts';
import { withFileLock } from './file-lock.ts';
import type { IssuanceLog } from './issuance-log.ts';
import { generateRsaKeyPair, privateKeyPem, spkiSha256 } from './key-pairs.ts';
import { ORGANISATION } from './profiles.ts';
import { randomSerial, type RandomBytes } from './randomness.ts';
import type { RevocationStore } from './revocation-store.ts';

export const ROOT_LIFETIME_MS = 20 * 365 * DAY_MS;
export const INTERMEDIATE_LIFETIME_MS = 5 * 365 * DAY_MS;
/** The root CRL lists revoked intermediates (usually none). It is re-signed with each new intermediate. */
export const ROOT_CRL_VALIDITY_MS = 5 * 365 * DAY_MS;
export const INTERMEDIATE_CRL_VALIDITY_MS = 7 * DAY_MS;
/** Certificates start a little in the past so a node whose clock lags slightly still accepts them. */
export const BACKDATE_MS = 5 * 60_000;

export interface CeremonyOptions {
  readonly dir: string;
  readonly passphrase: string;
  readonly now: Clock;
  readonly random: RandomBytes;
  readonly actor: string;
  readonly log: IssuanceLog;
  readonly revocations: RevocationStore;
}

export async function performCaCeremony(options: CeremonyOptions): Promise<CaMaterial> {
  assertPassphraseStrength(options.passphrase);
  await ensurePrivateDir(options.dir);
  return withFileLock(caPath(options.dir, 'lock'), async () => {
    if (await pathExists(caPath(options.dir, 'meta'))) {
      throw new CertsError('CA_EXISTS', `${options.dir} already holds a CA; refusing to overwrite it.`);
    }
    return createCa(options);
  });
}

async function createCa(options: CeremonyOptions): Promise<CaMaterial> {
  const { dir, now, random } = options;
  const [rootKeys, intermediateKeys] = await Promise.all([
    generateRsaKeyPair(4096),
    generateRsaKeyPair(3072),
  ]);
  const issuedAt = now();
  const notBefore = addMs(issuedAt, -BACKDATE_MS);
  const suffix = random(4).toString('hex'); // tells appliances apart in `openssl x509 -issuer` output
  const root = await buildCertificate(
    {
      serial: randomSerial(random),
      subject: [
        { oid: OID.organizationName, value: ORGANISATION },
        { oid: OID.commonName, value: `Enclave Root CA ${suffix}` },
      ],
      issuerPublicKey: rootKeys.publicKey,
      subjectPublicKey: rootKeys.publicKey,
      notBefore,
      notAfter: addMs(issuedAt, ROOT_LIFETIME_MS),
      ca: { pathLength: 1 },
    },
    rootKeys.privateKey,
  );
  const intermediate = await buildCertificate(
    {
      serial: randomSerial(random),
      subject: [
        { oid: OID.organizationName, value: ORGANISATION },
        { oid: OID.commonName, value: `Enclave Intermediate CA ${suffix}` },
      ],
      issuerCertDer: root.der,
      issuerPublicKey: rootKeys.publicKey,
      subjectPublicKey: intermediateKeys.publicKey,
      notBefore,
      notAfter: addMs(issuedAt, INTERMEDIATE_LIFETIME_MS),
      ca: { pathLength: 0 },
    },
    rootKeys.privateKey,
  );
  const meta: CaMeta = {
    format: CA_FORMAT,
    createdAt: issuedAt.toISOString(),
    rootSerial: root.x509.serialNumber.toLowerCase(),
    intermediateSerial: intermediate.x509.serialNumber.toLowerCase(),
    caPin: spkiSha256(rootKeys.publicKey).toString('base64url'),
  };

  await writeFileAtomic(
    caPath(dir, 'rootKey'),
    await encryptPrivateKey(rootKeys.privateKey, options.passphrase, random),
    0o600,
  );
  await writeFileAtomic(caPath(dir, 'rootCert'), root.pem);
  await writeFileAtomic(caPath(dir, 'intermediateKey'), privateKeyPem(intermediateKeys.privateKey), 0o600);
  await writeFileAtomic(caPath(dir, 'intermediateCert'), intermediate.pem);
  const crl = async (issuerCertPem: string, issuer: 'root' | 'intermediate', validityMs: number) =>
    buildCrl({
      issuerCertPem,
      issuerKey: issuer === 'root' ? rootKeys.privateKey : intermediateKeys.privateKey,
      crlNumber: await options.revocations.nextCrlNumber(issuer),
      thisUpdate: notBefore,
      nextUpdate: addMs(issuedAt, validityMs),
      entries: [],
    });
  await writeFileAtomic(caPath(dir, 'rootCrl'), await crl(root.pem, 'root', ROOT_CRL_VALIDITY_MS));
  await writeFileAtomic(
    caPath(dir, 'intermediateCrl'),
    await crl(intermediate.pem, 'intermediate', INTERMEDIATE_CRL_VALIDITY_MS),
  );
  for (const [cert, profile] of [
    [root.x509, 'root-ca'],
    [intermediate.x509, 'intermediate-ca'],
  ] as const) {
    await options.log.append({
      event: 'issued',
      serial: cert.serialNumber,
      subject: rfc2253(cert),
      principal: profile,
      profile,
      fingerprint256: cert.fingerprint256,
      notAfter: cert.validToDate.toISOString(),
      actor: options.actor,
      at: issuedAt.toISOString(),
    });
  }
  await createFileExclusive(caPath(dir, 'meta'), JSON.stringify(meta, null, 2) + '\n');
  return {
    dir,
    meta,
    root: { pem: root.pem, x509: root.x509 },
    intermediate: { pem: intermediate.pem, x509: intermediate.x509, key: intermediateKeys.privateKey },
    rootKey: rootKeys.privateKey,
  };
}

/** Node prints subjects one RDN per line in encoding order; RFC 2253 reverses them. */
export function rfc2253(cert: X509Certificate): string {
  return cert.subject.split('\n').reverse().join(',');
}
