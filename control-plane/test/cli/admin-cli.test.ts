// The admin CLI against a real database file: it seeds tenants and accounts, reads passwords
// only from files, and fails with one line and a meaningful exit code.
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
  env = { ENCLAVE_DATA_DIR: join(dir, 'data'), ENCLAVE_PASSWORD_SCRYPT_LOG2N: '14' };
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
    expect(JSON.parse(user.out[0]!)).toMatchObject({
      tenantId,
      email: 'producer@demo.test',
      role: 'producer',
    });

    const { orm } = await openDatabase(env['ENCLAVE_DATA_DIR']!);
    try {
      const row = await orm.em
        .fork()
        .findOneOrFail(User, { email: 'producer@demo.test' }, { populate: ['passwordHash'] });
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
    const { orm } = await openDatabase(env['ENCLAVE_DATA_DIR']!);
    try {
      const row = await orm.em.fork().findOneOrFail(User, { email: 'grown@adults.test' });
      expect(row.adultAttestedAt).toBeInstanceOf(Date);
      expect(await orm.em.fork().count(User, { email: 'young@adults.test' })).toBe(0);
    } finally {
      await orm.close();
    }
  });
});
