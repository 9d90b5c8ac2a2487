// Personal-data columns sealed under the subject key (issue #6 item 3), against a real SQLite
// file: no email or name in clear in the database bytes (WAL included, after VACUUM too),
// sign-in through the blind index, one account per email, and crypto-shredding on erasure
// (the ciphertext stays, nothing opens it, reads show "[erased]"). Also the start-up sealing of
// accounts that a database from before sealing holds in clear.
import {
  AuditAction,
  ContractError,
  CurrentUserSchema,
  ErrorCode,
  httpStatusFor,
  Role,
} from '@enclave/contracts';
import { DataKey, decryptBuffer, isCryptoError, KeyKind, KeyRing } from '@enclave/crypto';
import { MikroORM } from '@mikro-orm/sqlite';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { DetailsSealer } from '../../src/audit/details-sealer.ts';
import { User } from '../../src/database/entities/user.entity.ts';
import { UnsealedUser } from '../../src/database/entities/unsealed-user.entity.ts';
import { databasePath, ormOptions } from '../../src/database/orm-options.ts';
import { MIGRATIONS } from '../../src/database/migrations/index.ts';
import { ERASED, PersonalDataSealer } from '../../src/keys/personal-data.sealer.ts';
import { SubjectErasure } from '../../src/privacy/subject-erasure.service.ts';
import { SubjectExports } from '../../src/privacy/subject-export.service.ts';
import { bytesCall } from '../assets/bytes-client.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, TEST_PASSWORD, type TestAppliance } from '../support/test-appliance.ts';

const marker = randomBytes(6).toString('hex');
const EMAIL = `zebulon.${marker}@sealed.example`;
const NAME = `Zebulon Quixote ${marker}`;

let t: TestAppliance;
let tenant: string;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('sealed');
});
afterAll(() => t.stop());

const orm = () => t.running.app.get(MikroORM);

/** A database file and its WAL as they are on disk. */
async function fileBytes(file: string): Promise<Buffer> {
  const wal = await readFile(`${file}-wal`).catch(() => Buffer.alloc(0));
  return Buffer.concat([await readFile(file), wal]);
}

/** The running appliance's database bytes, after a checkpoint into the main file. */
async function databaseBytes(): Promise<Buffer> {
  await orm().em.getConnection().execute('pragma wal_checkpoint(truncate)');
  return fileBytes(databasePath(t.config.ENCLAVE_DATA_DIR));
}

/** Whether `needle` occurs in `haystack` as UTF-8 or UTF-16LE, in any letter case. */
function holds(haystack: Buffer, needle: string): boolean {
  const lower = Buffer.from(haystack.toString('latin1').toLowerCase(), 'latin1');
  const n = needle.toLowerCase();
  return lower.includes(Buffer.from(n, 'utf8')) || lower.includes(Buffer.from(n, 'utf16le'));
}

async function createUser(email: string, tenantId = tenant, displayName = email) {
  const { AdminService } = await import('../../src/admin/admin.service.ts');
  const { RequestContext } = await import('@mikro-orm/sqlite');
  return RequestContext.create(orm().em, () =>
    t.running.app.get(AdminService).createUser({
      tenant: tenantId,
      email,
      displayName,
      role: Role.Dpo,
      password: TEST_PASSWORD,
    }),
  );
}

function signIn(email: string) {
  return t.api({ method: 'POST', path: '/api/v1/auth/login', body: { email, password: TEST_PASSWORD } });
}

describe('personal-data columns', () => {
  it('are never in clear in the database file, and sign-in finds the account by its blind index', async () => {
    const user = await createUser(EMAIL, tenant, NAME);
    const row = await orm().em.fork().findOneOrFail(User, { id: user.userId });
    expect(row.subjectKeyId).toMatch(/^sub_/);
    expect(row.emailSealed?.keyId).toBe(row.subjectKeyId);
    expect(row.displayNameSealed?.keyId).toBe(row.subjectKeyId);
    expect(row.emailIndex).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const before = await databaseBytes();
    expect(holds(before, marker), 'the marker is in the database file in clear').toBe(false);
    await orm().em.getConnection().execute('vacuum');
    expect(holds(await databaseBytes(), marker)).toBe(false);

    // Sign-in by email, in another case and with spaces: the blind index is over the normalised value.
    const reply = await signIn(`  ${EMAIL.toUpperCase()} `);
    expect(reply.status, reply.text).toBe(200);
    expect(bodyOf(reply, CurrentUserSchema)).toMatchObject({ email: EMAIL, displayName: NAME });
    const cookie = await t.login({ email: EMAIL, password: TEST_PASSWORD });
    const me = bodyOf(await t.api({ path: '/api/v1/auth/me', cookie }), CurrentUserSchema);
    expect(me).toMatchObject({ userId: user.userId, email: EMAIL, displayName: NAME });
    expect((await signIn(`other.${marker}@sealed.example`)).status).toBe(401);
    expect(holds(await databaseBytes(), marker)).toBe(false);
  });

  it('admit one account per email: a duplicate is refused with 409 CONFLICT, in any tenant and case', async () => {
    const email = `dup.${marker}@sealed.example`;
    await createUser(email);
    const other = await t.createTenant('sealed-other');
    for (const [again, where] of [
      [email.toUpperCase(), tenant],
      [` ${email}`, other],
    ] as const) {
      const refused = await createUser(again, where).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(ContractError);
      expect((refused as ContractError).code).toBe(ErrorCode.CONFLICT);
      expect(httpStatusFor((refused as ContractError).code)).toBe(409);
      expect((refused as ContractError).message).toMatch(/already exists/);
    }
    expect(await orm().em.fork().count(User, {})).toBeGreaterThan(0);
  });

  it('are crypto-shredded by erasure: the ciphertext stays, nothing opens it, reads show [erased]', async () => {
    const email = `erin.${marker}@sealed.example`;
    const erin = await createUser(email, tenant, `Erin ${marker}`);
    const bystander = await createUser(`bea.${marker}@sealed.example`, tenant, `Bea ${marker}`);
    const dpo = await t.createUser(tenant, 'dpo');
    const sealedBefore = await orm().em.fork().findOneOrFail(User, { id: erin.userId });
    // A failed sign-in of Erin's: its audit details (the typed email) go under her subject key.
    expect(
      (
        await t.api({
          method: 'POST',
          path: '/api/v1/auth/login',
          body: { email, password: 'wrong password!' },
        })
      ).status,
    ).toBe(401);
    const failed = (
      await orm()
        .em.fork()
        .find(AuditEntryRecord, { action: AuditAction.SignInFailed }, { orderBy: { seq: 'desc' } })
    ).find((entry) => entry.targets.includes(erin.userId))!;
    expect(failed.details?.keyId).toBe(sealedBefore.subjectKeyId);
    const details = t.running.app.get(DetailsSealer);
    const context = { tenantId: tenant, action: AuditAction.SignInFailed, subjectId: erin.userId };
    expect(await details.open(context, failed.details!)).toMatchObject({ email });

    const subject = { tenantId: tenant, userId: erin.userId };
    const certificate = await t.running.app.get(SubjectErasure).erase('req-sealed', subject, dpo.userId);
    expect(certificate.certificate.destroyedKeyIds).toContain(sealedBefore.subjectKeyId);

    const row = await orm().em.fork().findOneOrFail(User, { id: erin.userId });
    // The sealed columns are still there, byte for byte; the blind index is gone.
    expect(row.emailSealed).toEqual(sealedBefore.emailSealed);
    expect(row.emailIndex).toBeNull();
    const opened = await t.running.app
      .get(KeyRing)
      .getDataKey(row.subjectKeyId!)
      .then(
        () => 'opened',
        (error: unknown) => (isCryptoError(error, 'KEY_DESTROYED') ? 'destroyed' : String(error)),
      );
    expect(opened).toBe('destroyed');
    const people = t.running.app.get(PersonalDataSealer);
    expect(await people.view(row)).toEqual({ email: ERASED, displayName: ERASED, erased: true });
    const bea = await orm().em.fork().findOneOrFail(User, { id: bystander.userId });
    expect(await people.view(bea)).toMatchObject({ email: bystander.email, erased: false });

    // The old email no longer signs in, and the same address may be registered again.
    expect((await signIn(email)).status).toBe(401);
    // ... and the audit details about her are shredded with it; the entry itself stays.
    expect(await details.open(context, failed.details!)).toBeNull();

    // A read path after erasure (the DSR export) shows the placeholder instead of failing.
    const delivery = await t.running.app.get(SubjectExports).create('req-sealed-export', subject);
    const dpoCookie = await t.login(dpo);
    const download = await bytesCall({
      port: t.apiPort,
      method: 'GET',
      path: `/api/v1/privacy/exports/${delivery.token}`,
      tls: { ca: t.caPem },
      headers: { cookie: `__Host-enclave_session=${dpoCookie}` },
    });
    expect(download.status).toBe(200);
    const key = new DataKey(delivery.keyId, KeyKind.Subject, Buffer.from(delivery.key, 'base64'));
    const doc = JSON.parse(
      (await decryptBuffer(download.body, { resolveKey: () => Promise.resolve(key) })).toString('utf8'),
    ) as { subject: { email: string; displayName: string } };
    expect(doc.subject).toMatchObject({ email: ERASED, displayName: ERASED });

    await createUser(email);
    expect(holds(await databaseBytes(), `erin.${marker}`)).toBe(false);
  });
});

describe('accounts from before sealing', () => {
  it('are sealed at start-up and their plaintext is gone from the file', async () => {
    // Its own appliance directory (the CA copied from the running one), started over a database
    // as the release before sealing left it: one account with email and name in clear.
    const dir = await mkdtemp(join(tmpdir(), 'enclave-unsealed-'));
    await cp(join(t.dir, 'ca'), join(dir, 'ca'), { recursive: true });
    const file = databasePath(join(dir, 'data'));
    await mkdir(join(dir, 'data'), { recursive: true, mode: 0o700 });
    const sealing = MIGRATIONS.findIndex((m) => m.name.endsWith('_seal_personal_data'));
    const old = await MikroORM.init(ormOptions({ file }));
    try {
      await old.migrator.up({ to: MIGRATIONS[sealing - 1]!.name });
      const sql = old.em.getConnection();
      await sql.execute(`insert into tenant (id, name, created_at) values ('t-old', 'old', 0)`);
      await sql.execute(
        `insert into user (id, tenant_id, email, display_name, password_hash, role, created_at) values (?, 't-old', ?, ?, 'x', 'dpo', 0)`,
        ['u-old', `olga.${marker}@legacy.example`, `Olga ${marker}`],
      );
    } finally {
      await old.close();
    }
    // The check below can fail: here, before sealing, the marker is in the file.
    expect(holds(await fileBytes(file), marker)).toBe(true);
    const restarted = await startTestAppliance({ dir });
    try {
      const appOrm = restarted.running.app.get(MikroORM);
      const people = restarted.running.app.get(PersonalDataSealer);
      const em = appOrm.em.fork();
      expect(await em.count(UnsealedUser, {})).toBe(0);
      const row = await em.findOneOrFail(User, { id: 'u-old' });
      expect(row.subjectKeyId).toMatch(/^sub_/);
      expect(await people.view(row)).toEqual({
        email: `olga.${marker}@legacy.example`,
        displayName: `Olga ${marker}`,
        erased: false,
      });
      expect(row.emailIndex).toBe(await people.emailIndex(`olga.${marker}@legacy.example`));
      // secure_delete overwrote the moved and deleted plaintext: gone without a VACUUM, and after one.
      await appOrm.em.getConnection().execute('pragma wal_checkpoint(truncate)');
      expect(holds(await fileBytes(file), marker), 'legacy plaintext left in the file').toBe(false);
      await appOrm.em.getConnection().execute('vacuum');
      await appOrm.em.getConnection().execute('pragma wal_checkpoint(truncate)');
      expect(holds(await fileBytes(file), marker), 'legacy plaintext left after VACUUM').toBe(false);
    } finally {
      await restarted.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
