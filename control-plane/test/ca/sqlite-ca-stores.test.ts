// The appliance CA with its records in SQLite: the hash-chained issuance log, revocations and
// CRL numbers, single-use enrollment tokens under a race, and taking over a CA directory whose
// records the CLI kept in files.
import {
  CertificateAuthority,
  createCsr,
  FileIssuanceLog,
  generateLeafKeyPair,
  readCrlInfo,
  CA_FILES,
} from '@enclave/certs';
import type { MikroORM } from '@mikro-orm/sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptFileStores } from '../../src/ca/file-store-adoption.ts';
import { SqliteEnrollmentTokenStore } from '../../src/ca/sqlite-enrollment-token.store.ts';
import { SqliteIssuanceLog } from '../../src/ca/sqlite-issuance.log.ts';
import { SqliteRevocationStore } from '../../src/ca/sqlite-revocation.store.ts';
import { openDatabase } from '../../src/database/database-opener.ts';

let dir: string;
let orm: MikroORM;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-ca-stores-'));
  orm = (await openDatabase(join(dir, 'data'))).orm;
});
afterAll(async () => {
  await orm?.close();
  await rm(dir, { recursive: true, force: true });
});

const stores = () => ({
  log: new SqliteIssuanceLog(orm),
  revocations: new SqliteRevocationStore(orm),
  tokens: new SqliteEnrollmentTokenStore(orm),
});

describe('a CA whose records live in SQLite', () => {
  let ca: CertificateAuthority;

  beforeAll(async () => {
    ca = await CertificateAuthority.init({
      dir: join(dir, 'ca'),
      passphrase: 'sqlite stores test',
      stores: stores(),
    });
  });

  it('keeps an intact hash chain through issue, renew-style issue and revoke', async () => {
    const a = await ca.issue({ profile: 'node', name: 'gpu-a', keyType: 'ec-p256' });
    await ca.issue({ profile: 'node', name: 'gpu-b', keyType: 'ec-p256' });
    await ca.revoke({ serial: a.serial, reason: 'keyCompromise' });
    expect(await ca.verifyIssuanceLog()).toBeUndefined();
    const statuses = Object.fromEntries((await ca.listCertificates()).map((c) => [c.principal, c.status]));
    expect(statuses).toMatchObject({ 'node-gpu-a': 'revoked', 'node-gpu-b': 'valid' });
    expect(await ca.isRevoked(a.serial)).toBe(true);
    expect(readCrlInfo(await ca.crlPem({ issuer: 'intermediate' })).serials).toContain(a.serial);
  });

  it('detects an edited row', async () => {
    await orm.em.fork().getConnection().execute("update issuance_log set actor = 'mallory' where seq = 2");
    expect(await ca.verifyIssuanceLog()).toBe(2);
  });

  it('numbers CRLs strictly upwards', async () => {
    const first = readCrlInfo(await ca.crlPem({ issuer: 'intermediate' })).crlNumber!;
    const second = readCrlInfo(await ca.crlPem({ issuer: 'intermediate' })).crlNumber!;
    expect(second).toBe(first + 1);
  });

  it('lets an enrollment token be used exactly once, however many requests race', async () => {
    const { token } = await ca.createEnrollmentToken({ name: 'gpu-race' });
    const key = await generateLeafKeyPair('ec-p256');
    const csrPem = createCsr({
      privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      profile: 'node',
      name: 'gpu-race',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => ca.issueFromCsr({ csrPem, token })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(String(r.reason)).toMatch(/already been used|already used/);
    }
  });
});

describe('taking over a CA directory the CLI kept in files', () => {
  it('copies log, revocations, tokens and CRL numbers once, and the chain still verifies', async () => {
    const caDir = join(dir, 'file-ca');
    const fileCa = await CertificateAuthority.init({ dir: caDir, passphrase: 'file stores test' });
    const gone = await fileCa.issue({ profile: 'node', name: 'gpu-old', keyType: 'ec-p256' });
    await fileCa.revoke({ serial: gone.serial });
    await fileCa.createEnrollmentToken({ name: 'gpu-next' });
    const fileCrlNumber = readCrlInfo(await fileCa.crlPem({ issuer: 'intermediate' })).crlNumber!;

    const { orm: fresh } = await openDatabase(join(dir, 'adopt-data'));
    try {
      const target = {
        orm: fresh,
        tokens: new SqliteEnrollmentTokenStore(fresh),
        revocations: new SqliteRevocationStore(fresh),
      };
      const fileEntries = await new FileIssuanceLog(join(caDir, CA_FILES.issuanceLog)).entries();
      expect(await adoptFileStores(caDir, target)).toBe(fileEntries.length);
      expect(await adoptFileStores(caDir, target)).toBe(0); // only once

      const log = new SqliteIssuanceLog(fresh);
      expect(await log.entries()).toEqual(fileEntries);
      const adopted = await CertificateAuthority.open({
        dir: caDir,
        stores: { log, revocations: target.revocations, tokens: target.tokens },
      });
      expect(await adopted.verifyIssuanceLog()).toBeUndefined();
      expect(await adopted.isRevoked(gone.serial)).toBe(true);
      expect((await target.tokens.list()).map((r) => r.name)).toEqual(['gpu-next']);
      expect(readCrlInfo(await adopted.crlPem({ issuer: 'intermediate' })).crlNumber).toBeGreaterThan(
        fileCrlNumber,
      );
    } finally {
      await fresh.close();
    }
  });
});
