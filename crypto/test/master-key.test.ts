import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MasterKey, masterKeyId, type PassphraseParams } from '../src/index.ts';
import { expectRejection } from './support/expectations.ts';
import { seededRandom } from './support/seeded-random.ts';

/** The lowest accepted scrypt cost: keeps the tests fast; production uses 2^17. */
const cheap = { N: 2 ** 10, r: 8, p: 1 };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-master-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MasterKey from a key file', () => {
  it('createKeyFile writes a 0600 file that fromKeyFile reads back as the same key', async () => {
    const path = join(dir, 'master.key');
    const created = await MasterKey.createKeyFile(path, seededRandom('mk'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const loaded = await MasterKey.fromKeyFile(path);
    expect(loaded.keyId).toBe(created.keyId);
    expect(loaded.keyId).toMatch(/^mk_[a-z2-7]{26}$/);
  });

  it('createKeyFile never overwrites an existing key file', async () => {
    const path = join(dir, 'master.key');
    await MasterKey.createKeyFile(path);
    await expectRejection(MasterKey.createKeyFile(path), 'EEXIST');
  });

  it('accepts 32 raw bytes as well as 64 hex digits', async () => {
    const bytes = seededRandom('raw')(32);
    await writeFile(join(dir, 'raw.key'), bytes, { mode: 0o600 });
    await writeFile(join(dir, 'hex.key'), bytes.toString('hex') + '\n', { mode: 0o400 });
    expect((await MasterKey.fromKeyFile(join(dir, 'raw.key'))).keyId).toBe(masterKeyId(bytes));
    expect((await MasterKey.fromKeyFile(join(dir, 'hex.key'))).keyId).toBe(masterKeyId(bytes));
  });

  it('a missing key file is MASTER_KEY_MISSING with a message that says what to do', async () => {
    await expectRejection(
      MasterKey.fromKeyFile(join(dir, 'nope.key')),
      'MASTER_KEY_MISSING',
      /does not exist\. Restore it from the key backup/,
    );
  });

  it('a key file readable by group or others is refused (MASTER_KEY_INSECURE)', async () => {
    const path = join(dir, 'loose.key');
    await writeFile(path, seededRandom('loose')(32));
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(path, mode);
      await expectRejection(
        MasterKey.fromKeyFile(path),
        'MASTER_KEY_INSECURE',
        `has mode 0${mode.toString(8)}`,
      );
    }
  });

  it('a key file of the wrong size or not a file is MASTER_KEY_INVALID', async () => {
    await writeFile(join(dir, 'short.key'), Buffer.alloc(31), { mode: 0o600 });
    await expectRejection(
      MasterKey.fromKeyFile(join(dir, 'short.key')),
      'MASTER_KEY_INVALID',
      'holds 31 bytes',
    );
    await chmod(dir, 0o700);
    await expectRejection(MasterKey.fromKeyFile(dir), 'MASTER_KEY_INVALID');
  });

  it('the key id is a fingerprint: same bytes, same id; other bytes, other id', () => {
    const a = seededRandom('a')(32);
    expect(MasterKey.fromBytes(a).keyId).toBe(MasterKey.fromBytes(Buffer.from(a)).keyId);
    expect(MasterKey.fromBytes(a).keyId).not.toBe(MasterKey.generate().keyId);
  });

  it('never shows its material when logged or serialised', () => {
    const key = MasterKey.fromBytes(Buffer.alloc(32, 0xab));
    expect(JSON.stringify(key)).not.toContain('abab');
    expect(JSON.stringify(key)).toContain(key.keyId);
  });
});

describe('MasterKey from a passphrase', () => {
  const passphrase = 'correct horse battery staple';

  it('the same passphrase and parameters give the same master key', async () => {
    const { master, params } = await MasterKey.createFromPassphrase(passphrase, { cost: cheap });
    expect(params).toMatchObject({ kdf: 'scrypt', N: 1024, r: 8, p: 1, keyId: master.keyId });
    expect((await MasterKey.fromPassphrase(passphrase, params)).keyId).toBe(master.keyId);
  });

  it('a wrong passphrase is MASTER_KEY_WRONG, not a key that decrypts garbage', async () => {
    const { params } = await MasterKey.createFromPassphrase(passphrase, { cost: cheap });
    await expectRejection(
      MasterKey.fromPassphrase('correct horse battery stapler', params),
      'MASTER_KEY_WRONG',
      'passphrase is wrong',
    );
  });

  it('an empty passphrase is MASTER_KEY_MISSING; a short new one PASSPHRASE_WEAK', async () => {
    const { params } = await MasterKey.createFromPassphrase(passphrase, { cost: cheap });
    await expect(MasterKey.fromPassphrase('', params)).rejects.toMatchObject({ code: 'MASTER_KEY_MISSING' });
    await expect(MasterKey.createFromPassphrase('short', { cost: cheap })).rejects.toMatchObject({
      code: 'PASSPHRASE_WEAK',
    });
  });

  it('composed and decomposed accents derive the same key (NFC)', async () => {
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const { params } = await MasterKey.createFromPassphrase(composed, { cost: cheap });
    await expect(MasterKey.fromPassphrase(composed.normalize('NFD'), params)).resolves.toBeInstanceOf(
      MasterKey,
    );
  });

  it('malformed or weakened parameters are MASTER_KEY_INVALID', async () => {
    const { params } = await MasterKey.createFromPassphrase(passphrase, { cost: cheap });
    const broken: PassphraseParams[] = [
      { ...params, N: 2 ** 4 },
      { ...params, N: 1000 },
      { ...params, salt: 'c2hvcnQ' },
      { ...params, keyId: 'not an id' },
    ];
    for (const bad of broken) {
      await expect(MasterKey.fromPassphrase(passphrase, bad)).rejects.toMatchObject({
        code: 'MASTER_KEY_INVALID',
      });
    }
  });
});
