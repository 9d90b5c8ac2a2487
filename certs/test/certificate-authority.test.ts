// The CA directory: what init writes (and with which modes), that it is never overwritten, that
// open reports a wrong passphrase or a damaged directory in words, that the root key is standard
// scrypt-encrypted PKCS#8 that stock openssl opens, and that the issuance log is tamper-evident.
import { appendFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_FILES, CertificateAuthority, exportRootKey, importRootKey } from '../src/index.ts';
import { createTestCa, TEST_PASSPHRASE, tempDir, type TestCa } from './support/test-ca.ts';
import { openssl } from './support/openssl.ts';
import { cp } from 'node:fs/promises';

let t: TestCa;

beforeAll(async () => {
  t = await createTestCa();
});
afterAll(() => t.cleanup());

describe('init', () => {
  it('writes the documented files; keys and tokens 0600, the directory 0700', async () => {
    await t.ca.createEnrollmentToken({ name: 'modes' });
    const mode = async (file: string) => (await stat(join(t.dir, file))).mode & 0o777;
    expect((await stat(t.dir)).mode & 0o777).toBe(0o700);
    expect(await mode(CA_FILES.rootKey)).toBe(0o600);
    expect(await mode(CA_FILES.intermediateKey)).toBe(0o600);
    expect(await mode(CA_FILES.tokens)).toBe(0o600);
    for (const file of [
      CA_FILES.meta,
      CA_FILES.rootCert,
      CA_FILES.intermediateCert,
      CA_FILES.rootCrl,
      CA_FILES.intermediateCrl,
    ]) {
      await expect(stat(join(t.dir, file))).resolves.toBeTruthy();
    }
    expect(await CertificateAuthority.exists(t.dir)).toBe(true);
  });

  it('refuses to overwrite an existing CA and leaves it untouched', async () => {
    const before = await readFile(join(t.dir, CA_FILES.rootCert), 'utf8');
    await expect(
      CertificateAuthority.init({ dir: t.dir, passphrase: TEST_PASSPHRASE }),
    ).rejects.toMatchObject({ code: 'CA_EXISTS' });
    expect(await readFile(join(t.dir, CA_FILES.rootCert), 'utf8')).toBe(before);
  });

  it('refuses a short passphrase before generating anything', async () => {
    const dir = join(await tempDir(), 'ca');
    await expect(CertificateAuthority.init({ dir, passphrase: 'short' })).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
    });
    expect(await CertificateAuthority.exists(dir)).toBe(false);
  });
});

describe('root key at rest', () => {
  it('is PKCS#8 encrypted with PBES2 + scrypt + AES-256-CBC, and openssl opens it with the passphrase', async () => {
    const keyPath = join(t.dir, CA_FILES.rootKey);
    const pem = await readFile(keyPath, 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const structure = await openssl(['asn1parse', '-in', keyPath]);
    expect(structure.stdout).toContain('PBES2');
    expect(structure.stdout).toMatch(
      /OBJECT\s+:scrypt\n[\s\S]*INTEGER\s+:4000\n.*INTEGER\s+:08\n.*INTEGER\s+:08\n/,
    ); // N=2^14, r=8, p=8
    expect(structure.stdout).toContain('aes-256-cbc');
    const good = await openssl([
      'pkey',
      '-in',
      keyPath,
      '-passin',
      `pass:${TEST_PASSPHRASE}`,
      '-noout',
      '-text',
    ]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('Private-Key: (4096 bit');
    const bad = await openssl(['pkey', '-in', keyPath, '-passin', 'pass:wrong passphrase!', '-noout']);
    expect(bad.code).not.toBe(0);
  });

  it('can be exported, removed, and imported back; without it root operations say the key is offline', async () => {
    const out = join(await tempDir(), 'root-key-backup.pem');
    await exportRootKey(t.dir, out, { remove: true });
    await expect(stat(join(t.dir, CA_FILES.rootKey))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      CertificateAuthority.open({ dir: t.dir, passphrase: TEST_PASSPHRASE }),
    ).rejects.toMatchObject({
      code: 'ROOT_KEY_OFFLINE',
    });
    // Online work goes on without the root key.
    const ca = await CertificateAuthority.open({ dir: t.dir });
    await expect(ca.issue({ profile: 'node', name: 'offline-root' })).resolves.toBeTruthy();
    await expect(importRootKey(t.dir, out, 'wrong passphrase!')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await importRootKey(t.dir, out, TEST_PASSPHRASE);
    await expect(
      CertificateAuthority.open({ dir: t.dir, passphrase: TEST_PASSPHRASE }),
    ).resolves.toBeTruthy();
  });
});

describe('open', () => {
  it('says the passphrase is wrong', async () => {
    await expect(
      CertificateAuthority.open({ dir: t.dir, passphrase: 'not the passphrase' }),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: 'Wrong CA passphrase: the root key could not be decrypted.',
    });
  });

  it('says there is no CA, or which file is missing or does not match', async () => {
    const empty = await tempDir();
    await expect(CertificateAuthority.open({ dir: empty })).rejects.toMatchObject({ code: 'CA_NOT_FOUND' });
    const copy = join(await tempDir(), 'ca');
    await cp(t.dir, copy, { recursive: true });
    await rm(join(copy, CA_FILES.intermediateKey));
    await expect(CertificateAuthority.open({ dir: copy })).rejects.toMatchObject({
      code: 'CA_CORRUPT',
      message: expect.stringContaining('intermediate.key.pem is missing') as string,
    });
    const other = await createTestCa();
    try {
      await cp(join(other.dir, CA_FILES.intermediateKey), join(copy, CA_FILES.intermediateKey));
      await expect(CertificateAuthority.open({ dir: copy })).rejects.toMatchObject({
        code: 'CA_CORRUPT',
        message: expect.stringContaining('does not belong') as string,
      });
    } finally {
      await other.cleanup();
    }
  });

  it('caps a leaf at the intermediate expiry', async () => {
    const intermediateEnd = new (await import('node:crypto')).X509Certificate(t.ca.intermediateCertPem)
      .validToDate;
    const late = await CertificateAuthority.open({
      dir: t.dir,
      now: () => new Date(intermediateEnd.getTime() - 3_600_000),
    });
    const issued = await late.issue({ profile: 'operator', name: 'late' });
    expect(issued.notAfter.getTime()).toBe(intermediateEnd.getTime());
  });
});

describe('issuance log', () => {
  it('records issue, renewal and revocation with a hash chain; an edited line is detected', async () => {
    const issued = await t.ca.issue({ profile: 'operator', name: 'audited', actor: 'bob' });
    await t.ca.revoke({ serial: issued.serial, actor: 'carol' });
    expect(await t.ca.verifyIssuanceLog()).toBeUndefined();
    const path = join(t.dir, CA_FILES.issuanceLog);
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.slice(0, 2).map((l) => l['profile'])).toEqual(['root-ca', 'intermediate-ca']);
    expect(lines.filter((l) => l['serial'] === issued.serial)).toEqual([
      expect.objectContaining({
        event: 'issued',
        actor: 'bob',
        principal: 'operator-audited',
        fingerprint256: issued.fingerprint256,
      }),
      expect.objectContaining({ event: 'revoked', actor: 'carol', reason: 'unspecified' }),
    ]);
    const original = await readFile(path, 'utf8');
    try {
      await writeFile(path, original.replace('"actor":"bob"', '"actor":"eve"'));
      const broken = await t.ca.verifyIssuanceLog();
      expect(broken).toBe(lines.findIndex((l) => l['actor'] === 'bob') + 1);
    } finally {
      await writeFile(path, original);
    }
  });

  it('keeps chaining when two CA instances append at once; a foreign line breaks the chain', async () => {
    const other = await CertificateAuthority.open({ dir: t.dir });
    await Promise.all([
      t.ca.issue({ profile: 'operator', name: 'p1' }),
      other.issue({ profile: 'operator', name: 'p2' }),
    ]);
    expect(await t.ca.verifyIssuanceLog()).toBeUndefined();
    await appendFile(join(t.dir, CA_FILES.issuanceLog), '{"seq":999}\n');
    expect(await t.ca.verifyIssuanceLog()).toBeDefined();
  });
});
