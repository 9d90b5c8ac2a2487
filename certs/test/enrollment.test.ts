// Enrollment: single-use tokens bound to a node, and a CSR policy under which the certificate's
// identity always comes from the enrollment record. Refusals are asserted by code and by the
// words an operator would read.
import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCsr,
  formatEnrollmentToken,
  generateLeafKeyPair,
  parseEnrollmentToken,
  verifyCaPin,
  type CertificateAuthority,
} from '../src/index.ts';
import { OID } from '../src/asn1-encoding.ts';
import { HOUR_MS } from '../src/clock.ts';
import { privateKeyPem } from '../src/key-pairs.ts';
import { pemToDer, derToPem } from '../src/pem.ts';
import { createTestCa, manualClock, tempDir, type TestCa } from './support/test-ca.ts';
import { openssl, pemFiles } from './support/openssl.ts';

let t: TestCa;
let other: TestCa;
let ca: CertificateAuthority;
let keyPem: string;
const clock = manualClock();

const csrFor = (name: string, extra: Partial<Parameters<typeof createCsr>[0]> = {}) =>
  createCsr({ privateKeyPem: keyPem, profile: 'node', name, ...extra });

beforeAll(async () => {
  [t, other] = await Promise.all([createTestCa(), createTestCa()]);
  ca = await t.reopen({ now: clock.now });
  keyPem = privateKeyPem((await generateLeafKeyPair()).privateKey);
});
afterAll(() => Promise.all([t.cleanup(), other.cleanup()]));

describe('a valid enrollment', () => {
  it('issues a certificate whose identity is the record and whose key is the CSR', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'gpu-1' });
    const issued = await ca.issueFromCsr({ csrPem: csrFor('gpu-1'), token, nodeId: 'gpu-1' });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.subject).toBe('O=Enclave\nOU=node\nCN=node-gpu-1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      createPublicKey(keyPem).export({ type: 'spki', format: 'der' }),
    );
    expect(cert.verify(new X509Certificate(ca.intermediateCertPem).publicKey)).toBe(true);
    expect(issued.keyPem).toBeUndefined();
    expect(issued.notAfter.getTime() - clock.now().getTime()).toBeLessThanOrEqual(24 * HOUR_MS);
  });

  it('accepts CSRs made by openssl req, RSA-3072 and EC P-256', async () => {
    const dir = await tempDir();
    for (const [name, keyArgs] of [
      ['osl-rsa', ['-newkey', 'rsa:3072']],
      ['osl-ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ] as const) {
      const { token } = await ca.createEnrollmentToken({ name });
      const req = await openssl([
        'req',
        '-new',
        ...keyArgs,
        '-nodes',
        '-keyout',
        `${dir}/${name}.key`,
        '-subj',
        `/O=Enclave/OU=node/CN=node-${name}`,
      ]);
      expect(req.code).toBe(0);
      const issued = await ca.issueFromCsr({ csrPem: req.stdout, token });
      expect(issued.principal).toBe(`node-${name}`);
    }
  });

  it('a record with serverAuth and SANs is honoured, and a CSR may ask for exactly that', async () => {
    const { token } = await ca.createEnrollmentToken({
      name: 'gpu-srv',
      serverAuth: true,
      dnsNames: ['gpu-srv.local'],
    });
    const csr = csrFor('gpu-srv', { extKeyUsage: ['serverAuth', 'clientAuth'], dnsNames: ['gpu-srv.local'] });
    const cert = new X509Certificate((await ca.issueFromCsr({ csrPem: csr, token })).certPem);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.subjectAltName).toBe('DNS:gpu-srv.local');
  });

  it('keeps only a hash of the token secret on disk', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'hashed' });
    const stored = await readFile(`${t.dir}/enrollment-tokens.json`, 'utf8');
    const secret = token.split('.')[2]!;
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret, 'base64url').toString('hex'));
    expect(stored).toContain('"name": "hashed"');
  });
});

describe('tokens', () => {
  it('are single use', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'once' });
    await ca.issueFromCsr({ csrPem: csrFor('once'), token });
    await expect(ca.issueFromCsr({ csrPem: csrFor('once'), token })).rejects.toMatchObject({
      code: 'TOKEN_USED',
      message: expect.stringContaining('already used') as string,
    });
  });

  it('are single use under a race: of five concurrent redemptions exactly one wins', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'race' });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => ca.issueFromCsr({ csrPem: csrFor('race'), token })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'TOKEN_USED' });
    }
  });

  it('expire', async () => {
    const { token, expiresAt } = await ca.createEnrollmentToken({ name: 'late', ttlHours: 1 });
    clock.set(new Date(expiresAt.getTime() + 1));
    try {
      await expect(ca.issueFromCsr({ csrPem: csrFor('late'), token })).rejects.toMatchObject({
        code: 'TOKEN_EXPIRED',
      });
    } finally {
      clock.set(new Date());
    }
  });

  it('are bound to their node: another node id in the request, or edited into the token, is refused', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'bound' });
    await expect(ca.issueFromCsr({ csrPem: csrFor('thief'), token, nodeId: 'thief' })).rejects.toMatchObject({
      code: 'TOKEN_NODE_MISMATCH',
      message: 'This enrollment token is bound to node "bound", not "thief".',
    });
    const edited = token.replace('.bound.', '.thief.');
    await expect(ca.issueFromCsr({ csrPem: csrFor('thief'), token: edited })).rejects.toMatchObject({
      code: 'TOKEN_NODE_MISMATCH',
    });
    // Neither attempt used it up.
    await expect(ca.issueFromCsr({ csrPem: csrFor('bound'), token })).resolves.toMatchObject({
      principal: 'node-bound',
    });
  });

  it('unknown secrets, tokens of another CA and garbage are refused with distinct codes', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'x1' });
    const parsed = parseEnrollmentToken(token);
    const forged = formatEnrollmentToken({ ...parsed, secret: Buffer.alloc(32, 7) });
    await expect(ca.issueFromCsr({ csrPem: csrFor('x1'), token: forged })).rejects.toMatchObject({
      code: 'TOKEN_UNKNOWN',
    });
    const foreign = (await other.ca.createEnrollmentToken({ name: 'x1' })).token;
    await expect(ca.issueFromCsr({ csrPem: csrFor('x1'), token: foreign })).rejects.toMatchObject({
      code: 'TOKEN_UNKNOWN',
      message: 'This enrollment token was made for another CA.',
    });
    await expect(ca.issueFromCsr({ csrPem: csrFor('x1'), token: 'hello' })).rejects.toMatchObject({
      code: 'TOKEN_MALFORMED',
    });
  });

  it('carry the CA pin: the node accepts the real root and nothing else', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'pin' });
    expect(verifyCaPin(token, ca.rootCertPem)).toBe(true);
    expect(verifyCaPin(token, other.ca.rootCertPem)).toBe(false);
    expect(verifyCaPin(token, ca.rootCertPem + other.ca.rootCertPem)).toBe(false); // no extra anchors smuggled in
    expect(verifyCaPin(token, ca.intermediateCertPem)).toBe(false);
  });
});

describe('CSR policy', () => {
  const refuse = async (name: string, csr: string, code: string, words: RegExp) => {
    const { token } = await ca.createEnrollmentToken({ name });
    const attempt = ca.issueFromCsr({ csrPem: csr, token });
    await expect(attempt).rejects.toMatchObject({ code });
    await expect(attempt).rejects.toThrow(words);
    // The refusal did not consume the token: a corrected CSR still works.
    await expect(ca.issueFromCsr({ csrPem: csrFor(name), token })).resolves.toMatchObject({
      principal: `node-${name}`,
    });
  };

  it('refuses a CSR that asks for another name', () =>
    refuse('n1', csrFor('n2'), 'CSR_IDENTITY_MISMATCH', /CN is "node-n2" but the record says "node-n1"/));

  it('refuses a CSR that asks for serverAuth when the record grants client only', () =>
    refuse(
      'n3',
      csrFor('n3', { extKeyUsage: ['serverAuth'] }),
      'CSR_IDENTITY_MISMATCH',
      /extended key usage serverAuth/,
    ));

  it('refuses a CSR that asks for a SAN the record does not grant', () =>
    refuse('n4', csrFor('n4', { ipAddresses: ['10.0.0.9'] }), 'CSR_IDENTITY_MISMATCH', /SAN IP:10\.0\.0\.9/));

  it('refuses a CSR that claims another profile', () =>
    refuse(
      'n5',
      csrFor('n5', {
        subject: [
          { oid: OID.organizationName, value: 'Enclave' },
          { oid: OID.organizationalUnitName, value: 'broker' },
          { oid: OID.commonName, value: 'node-n5' },
        ],
      }),
      'CSR_IDENTITY_MISMATCH',
      /OU is "broker"/,
    ));

  it('refuses a CSR that asks to be a CA', () =>
    refuse('n6', csrFor('n6', { requestCa: true }), 'CSR_FORBIDDEN_EXTENSION', /certificate authority/));

  it('refuses a CSR altered after signing', async () => {
    const der = pemToDer(csrFor('n7'), 'CERTIFICATE REQUEST', 'CSR_MALFORMED');
    const at = der.indexOf(Buffer.from('node-n7'));
    expect(at).toBeGreaterThan(0);
    der[at + 6] = 'x'.charCodeAt(0); // node-n7 -> node-nx, same length, signature now wrong
    await refuse('n7', derToPem(der, 'CERTIFICATE REQUEST'), 'CSR_BAD_SIGNATURE', /does not verify/);
  });

  it('refuses a CSR whose key is not the one that signed it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const honest = pemToDer(csrFor('n8'), 'CERTIFICATE REQUEST', 'CSR_MALFORMED');
    const mine = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const theirs = other.publicKey.export({ type: 'spki', format: 'der' });
    const swapped = Buffer.from(
      honest.toString('hex').replace(mine.toString('hex'), theirs.toString('hex')),
      'hex',
    );
    expect(swapped.equals(honest)).toBe(false);
    await refuse('n8', derToPem(swapped, 'CERTIFICATE REQUEST'), 'CSR_BAD_SIGNATURE', /does not verify/);
  });

  it('refuses an RSA-2048 key', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const csr = createCsr({ privateKeyPem: privateKeyPem(weak.privateKey), profile: 'node', name: 'n9' });
    await refuse('n9', csr, 'CSR_WEAK_KEY', /2048 bits refused/);
  });

  it('refuses something that is not a CSR', () =>
    refuse('n10', 'not a csr', 'CSR_MALFORMED', /CERTIFICATE REQUEST/));
});

it('openssl agrees the forge-built CSR is well formed and self-signed', async () => {
  const files = await pemFiles(await tempDir(), { csr: csrFor('check', { challengePassword: 'nonce-123' }) });
  const result = await openssl(['req', '-in', files.csr, '-verify', '-noout', '-text']);
  expect(result.stderr + result.stdout).toMatch(/verify OK/i);
  expect(result.stdout).toContain('challengePassword');
});
