// openssl as the independent judge of what the CA writes: chains verify for every profile,
// `x509 -text` shows the intended EKU, SAN, key usage and basic constraints, the subject renders
// in RFC 2253 the way Kafka's principal mapping will see it, and both CRLs verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateLeafKeyPair,
  KAFKA_PRINCIPAL_MAPPING_RULES,
  PROFILE_SPECS,
  type IssuedCertificate,
  type Profile,
} from '../src/index.ts';
import { DAY_MS, HOUR_MS } from '../src/clock.ts';
import { publicKeyPem } from '../src/key-pairs.ts';
import { buildCertificate } from '../src/certificate-builder.ts';
import { OID } from '../src/asn1-encoding.ts';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createTestCa, tempDir, type TestCa } from './support/test-ca.ts';
import { openssl, pemFiles } from './support/openssl.ts';

let t: TestCa;
let dir: string;
let paths: { root: string; intermediate: string };
const issued = new Map<Profile, IssuedCertificate>();

const CASES: {
  profile: Profile;
  name: string;
  principal: string;
  eku: string;
  san: string | undefined;
  days: number;
}[] = [
  {
    profile: 'control-plane',
    name: 'cp',
    principal: 'control-plane',
    eku: 'TLS Web Server Authentication, TLS Web Client Authentication',
    san: 'DNS:localhost, IP Address:127.0.0.1',
    days: 90,
  },
  {
    profile: 'broker',
    name: '0',
    principal: 'broker-0',
    eku: 'TLS Web Server Authentication, TLS Web Client Authentication',
    san: 'DNS:localhost, IP Address:127.0.0.1',
    days: 90,
  },
  {
    profile: 'node',
    name: 'abc',
    principal: 'node-abc',
    eku: 'TLS Web Client Authentication',
    san: undefined,
    days: 1,
  },
  {
    profile: 'operator',
    name: 'admin',
    principal: 'operator-admin',
    eku: 'TLS Web Client Authentication',
    san: undefined,
    days: 30,
  },
];

const x509Text = async (pem: string) =>
  (await openssl(['x509', '-noout', '-text', '-nameopt', 'RFC2253'], pem)).stdout;
const verifyChain = (leafPath: string) =>
  openssl(['verify', '-x509_strict', '-CAfile', paths.root, '-untrusted', paths.intermediate, leafPath]);

beforeAll(async () => {
  t = await createTestCa();
  dir = await tempDir();
  paths = await pemFiles(dir, { root: t.ca.rootCertPem, intermediate: t.ca.intermediateCertPem });
  for (const c of CASES) {
    const sans = c.san ? { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] } : {};
    issued.set(c.profile, await t.ca.issue({ profile: c.profile, name: c.name, ...sans }));
  }
});
afterAll(() => t.cleanup());

describe.each(CASES)('profile $profile', (c) => {
  it('verifies against root + intermediate with openssl verify -x509_strict', async () => {
    const leaf = await pemFiles(dir, { [`leaf-${c.profile}`]: issued.get(c.profile)!.certPem });
    const result = await verifyChain(Object.values(leaf)[0]!);
    expect(result.stdout).toContain(': OK');
    expect(result.code).toBe(0);
  });

  it('shows the expected subject, EKU, SAN and key usage in openssl x509 -text', async () => {
    const text = await x509Text(issued.get(c.profile)!.certPem);
    expect(text).toContain(`Subject: CN=${c.principal},OU=${c.profile},O=Enclave`);
    expect(text).toMatch(new RegExp(`Extended Key Usage: \\n\\s+${c.eku}\\n`));
    if (c.san) expect(text).toMatch(new RegExp(`Subject Alternative Name: \\n\\s+${c.san}\\n`));
    else expect(text).not.toContain('Subject Alternative Name');
    expect(text).toMatch(/Basic Constraints: critical\n\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
    expect(text).toContain('Subject Key Identifier');
    expect(text).toContain('Authority Key Identifier');
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
  });

  it("maps to the expected Kafka principal through the broker's mapping rule", async () => {
    // Java's RFC 2253 rendering (what Kafka matches on) equals openssl's -nameopt RFC2253 here.
    const subject = (
      await openssl(['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], issued.get(c.profile)!.certPem)
    ).stdout
      .trim()
      .replace(/^subject=/, '');
    const [, pattern, replacement] = /^RULE:(.*)\/(.*)\/$/.exec(KAFKA_PRINCIPAL_MAPPING_RULES)!;
    const match = new RegExp(pattern!).exec(subject);
    expect(match).not.toBeNull();
    expect(replacement!.replace('$1', match![1]!)).toBe(c.principal);
  });

  it(`lives ${c.days} day(s) by default`, () => {
    const cert = issued.get(c.profile)!;
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBeCloseTo(
      PROFILE_SPECS[c.profile].defaultLifetimeMs + 5 * 60_000,
      -4,
    );
    expect(PROFILE_SPECS[c.profile].defaultLifetimeMs).toBe(c.days * DAY_MS);
  });
});

describe('CA certificates', () => {
  it('root: self-signed RSA-4096 CA, path length 1, certificate and CRL signing only', async () => {
    const text = await x509Text(t.ca.rootCertPem);
    expect(text).toMatch(/Public-Key: \(4096 bit\)/);
    expect(text).toMatch(/Basic Constraints: critical\n\s+CA:TRUE, pathlen:1/);
    expect(text).toMatch(/Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
  });

  it('intermediate: RSA-3072 CA with path length 0, signed by the root', async () => {
    const text = await x509Text(t.ca.intermediateCertPem);
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
    expect(text).toMatch(/Basic Constraints: critical\n\s+CA:TRUE, pathlen:0/);
    expect((await verifyChain(paths.intermediate)).stdout).toContain(': OK');
  });

  it('serials are positive 128-bit random numbers, all different', () => {
    const serials = [...issued.values()].map((i) => i.serial);
    expect(new Set(serials).size).toBe(serials.length);
    for (const s of serials) expect(s.length).toBeGreaterThanOrEqual(31); // 16 bytes, first byte non-zero
  });

  it('a leaf cannot act as a CA: openssl refuses a certificate signed with a leaf key', async () => {
    const leaf = issued.get('broker')!;
    const leafCert = new X509Certificate(leaf.certPem);
    const { publicKey } = await generateLeafKeyPair('ec-p256');
    const forged = await buildCertificate(
      {
        serial: '01',
        subject: [{ oid: OID.commonName, value: 'node-evil' }],
        issuerCertDer: leafCert.raw,
        issuerPublicKey: leafCert.publicKey,
        subjectPublicKey: publicKey,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + DAY_MS),
        extKeyUsage: ['clientAuth'],
      },
      createPrivateKey(leaf.keyPem!),
    );
    const p = await pemFiles(dir, { forged: forged.pem, untrusted: t.ca.intermediateCertPem + leaf.certPem });
    const result = await openssl(['verify', '-CAfile', paths.root, '-untrusted', p.untrusted, p.forged]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/invalid CA certificate|path length constraint exceeded/);
  });
});

describe('options', () => {
  it('a node that serves something gets serverAuth too, only when asked', async () => {
    const serving = await t.ca.issue({
      profile: 'node',
      name: 'srv',
      serverAuth: true,
      dnsNames: ['gpu-1.local'],
    });
    const text = await x509Text(serving.certPem);
    expect(text).toMatch(
      /Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/,
    );
    expect(text).toContain('DNS:gpu-1.local');
  });

  it('signs an EC P-256 public key supplied by the caller (no private key returned)', async () => {
    const { publicKey } = await generateLeafKeyPair('ec-p256');
    const cert = await t.ca.issue({ profile: 'operator', name: 'ec', publicKeyPem: publicKeyPem(publicKey) });
    expect(cert.keyPem).toBeUndefined();
    const text = await x509Text(cert.certPem);
    expect(text).toContain('NIST CURVE: P-256');
    expect(text).toMatch(/Key Usage: critical\n\s+Digital Signature\n/);
    const leaf = (await pemFiles(dir, { ec: cert.certPem })).ec;
    expect((await verifyChain(leaf)).stdout).toContain(': OK');
  });

  it('honours a configured lifetime and refuses one beyond the profile maximum', async () => {
    const short = await t.ca.issue({ profile: 'node', name: 'short', lifetimeHours: 2 });
    expect(short.notAfter.getTime() - short.notBefore.getTime()).toBe(2 * HOUR_MS + 5 * 60_000);
    await expect(
      t.ca.issue({ profile: 'node', name: 'long', lifetimeHours: 24 * 365 }),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('refuses a server profile without SAN, a bad name and an unknown profile', async () => {
    await expect(t.ca.issue({ profile: 'broker', name: '1' })).rejects.toMatchObject({
      code: 'SAN_REQUIRED',
    });
    await expect(t.ca.issue({ profile: 'node', name: 'Bad_Name' })).rejects.toMatchObject({
      code: 'INVALID_NAME',
    });
    await expect(t.ca.issue({ profile: 'admin' as Profile, name: 'x' })).rejects.toMatchObject({
      code: 'UNKNOWN_PROFILE',
    });
  });

  it('refuses a caller-supplied RSA-2048 key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(
      t.ca.issue({ profile: 'node', name: 'weak', publicKeyPem: publicKeyPem(publicKey) }),
    ).rejects.toMatchObject({
      code: 'CSR_WEAK_KEY',
    });
  });
});

describe('CRLs', () => {
  it('the intermediate CRL verifies with openssl crl -verify and lists a revoked serial with its reason', async () => {
    const victim = await t.ca.issue({ profile: 'node', name: 'victim' });
    await t.ca.revoke({ serial: victim.serial, reason: 'keyCompromise' });
    const crl = await t.ca.crlPem({ issuer: 'intermediate' });
    const result = await openssl(['crl', '-verify', '-noout', '-text', '-CAfile', paths.intermediate], crl);
    expect(result.stderr).toContain('verify OK');
    expect(result.stdout).toContain('Version 2 (0x1)');
    expect(result.stdout).toContain(`Serial Number: ${victim.serial.toUpperCase()}`);
    expect(result.stdout).toMatch(/CRL Reason Code: \n\s+Key Compromise/);
    expect(result.stdout).toContain('X509v3 CRL Number');
    expect(result.stdout).toContain('X509v3 Authority Key Identifier');
  });

  it('the root CRL from init verifies against the root and is valid for years', async () => {
    const crl = await t.ca.crlPem({ issuer: 'root' });
    const result = await openssl(['crl', '-verify', '-noout', '-nextupdate', '-CAfile', paths.root], crl);
    expect(result.stderr).toContain('verify OK');
    const next = new Date(result.stdout.replace('nextUpdate=', '').trim());
    expect(next.getTime() - Date.now()).toBeGreaterThan(4 * 365 * DAY_MS);
  });

  it('a CRL signed by another CA does not verify (the check can fail)', async () => {
    const crl = await t.ca.crlPem({ issuer: 'intermediate' });
    const result = await openssl(['crl', '-verify', '-noout', '-CAfile', paths.root], crl);
    expect(result.stderr + result.stdout).not.toMatch(/verify OK/);
  });
});
