// The admin CLI against a real database file: it seeds tenants and accounts, reads passwords
// only from files, and fails with one line and a meaningful exit code.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/password-hasher.ts';
import { runAdminCli } from '../../src/cli/admin-cli.ts';
import { CryptoRandomness } from '../../src/common/randomness.ts';
import { openDatabase } from '../../src/database/database-opener.ts';
import { User } from '../../src/database/entities/user.entity.ts';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-admin-cli-'));
  const masterKeyFile = join(dir, 'master.key');
  await writeFile(masterKeyFile, randomBytes(32), { mode: 0o600 });
  env = {
    ENCLAVE_DATA_DIR: join(dir, 'data'),
    ENCLAVE_PASSWORD_SCRYPT_LOG2N: '14',
    ENCLAVE_MASTER_KEY_FILE: masterKeyFile,
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('admin CLI', () => {
  it('creates a tenant and a user whose password verifies', async () => {
    const tenant = await run('create-tenant', '--name', 'demo');
    expect(tenant.code).toBe(0);
    const { tenantId } = JSON.parse(tenant.out[0]!) as { tenantId: string };
    const passwordFile = join(dir, 'pw');
    await writeFile(passwordFile, 'a long demo password\n', { mode: 0o600 });
    const user = await run(
      'create-user',
      '--tenant',
      'demo',
      '--email',
      'Producer@Demo.test',
      '--role',
      'producer',
      '--password-file',
      passwordFile,
    );
    expect(user.code, user.err.join()).toBe(0);
    const created = JSON.parse(user.out[0]!) as { userId: string };
    expect(created).toMatchObject({ tenantId, email: 'producer@demo.test', role: 'producer' });

    const { orm } = await openDatabase(env['ENCLAVE_DATA_DIR']!);
    try {
      const row = await orm.em
        .fork()
        .findOneOrFail(User, { id: created.userId }, { populate: ['passwordHash'] });
      // Email and name are stored sealed under the subject key, never in clear.
      expect(row.subjectKeyId).toMatch(/^sub_/);
      expect(JSON.stringify(row)).not.toContain('producer@demo.test');
      const hasher = new PasswordHasher({ ENCLAVE_PASSWORD_SCRYPT_LOG2N: 14 }, new CryptoRandomness());
      expect(row.passwordHash).toMatch(/^scrypt\$14\$8\$1\$/);
      expect(await hasher.verify('a long demo password', row.passwordHash)).toBe(true);
      expect(await hasher.verify('a long demo password\n', row.passwordHash)).toBe(false);
    } finally {
      await orm.close();
    }
  });

  it('fails with one line: usage errors exit 2, refusals exit 1', async () => {
    const unknown = await run('drop-everything');
    expect(unknown.code).toBe(2);
    const missing = await run('create-tenant');
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/^enclave-admin: --name is required/);
    const duplicate = await run('create-tenant', '--name', 'demo');
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toEqual([
      expect.stringMatching(/^enclave-admin: A tenant named "demo" already exists/),
    ]);
    const shortFile = join(dir, 'short');
    await writeFile(shortFile, 'short');
    const weak = await run(
      'create-user',
      '--tenant',
      'demo',
      '--email',
      'x@demo.test',
      '--role',
      'dpo',
      '--password-file',
      shortFile,
    );
    expect(weak.code).toBe(1);
    expect(weak.err[0]).toMatch(/at least 12 characters/);
    expect(weak.err.join()).not.toContain('short');

    const pw = join(dir, 'pw-dup');
    await writeFile(pw, 'a long duplicate password', { mode: 0o600 });
    const again = (extraEnv: Record<string, string>) =>
      runAdminCli(
        [
          'create-user',
          '--tenant',
          'demo',
          '--email',
          'PRODUCER@demo.test',
          '--role',
          'dpo',
          '--password-file',
          pw,
        ],
        { ...env, ...extraEnv },
        { out: () => undefined, err: (l) => errors.push(l) },
      );
    const errors: string[] = [];
    expect(await again({})).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(/^enclave-admin: An account with this email already exists/),
    ]);
    errors.length = 0;
    expect(await again({ ENCLAVE_MASTER_KEY_FILE: '' })).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(/^enclave-admin: No master key is configured: set ENCLAVE_MASTER_KEY_FILE/),
    ]);
  });

  it('creates a client-user only with the 18+ attestation (privacy policy §11)', async () => {
    await run('create-tenant', '--name', 'adults');
    const passwordFile = join(dir, 'pw-client');
    await writeFile(passwordFile, 'a long client password', { mode: 0o600 });
    const account = (email: string, ...extra: string[]) =>
      run(
        'create-user',
        '--tenant',
        'adults',
        '--email',
        email,
        '--role',
        'client-user',
        '--password-file',
        passwordFile,
        ...extra,
      );
    const refused = await account('young@adults.test');
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/18 or older/);
    const created = await account('grown@adults.test', '--adult-attested');
    expect(created.code, created.err.join()).toBe(0);
    const { userId } = JSON.parse(created.out[0]!) as { userId: string };
    const { orm } = await openDatabase(env['ENCLAVE_DATA_DIR']!);
    try {
      const row = await orm.em.fork().findOneOrFail(User, { id: userId });
      expect(row.adultAttestedAt).toBeInstanceOf(Date);
      const adults = await orm.em.fork().find(User, { tenant: { name: 'adults' } });
      expect(adults.map((u) => u.id)).toEqual([userId]);
    } finally {
      await orm.close();
    }
  });
});
