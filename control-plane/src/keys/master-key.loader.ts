// Opens the key ring at start-up from the configured master key: ENCLAVE_MASTER_KEY_FILE (a key
// file) or ENCLAVE_MASTER_PASSPHRASE_FILE (a passphrase, stretched with scrypt; its salt and
// cost live in the key store's meta row). Every failure stops boot with a message that names the
// setting to fix; MASTER_KEY_WRONG means the key store was sealed with another master key.
import { CryptoError, KeyRing, MasterKey, type KeyRingOptions } from '@enclave/crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ControlPlaneConfig } from '../config/control-plane.config.ts';
import type { SqliteKeyStore } from './sqlite-key-store.ts';

const KEY_FILE = 'ENCLAVE_MASTER_KEY_FILE';
const PASSPHRASE_FILE = 'ENCLAVE_MASTER_PASSPHRASE_FILE';
const MAX_PASSPHRASE_FILE = 4096;

type MasterSettings = Pick<ControlPlaneConfig, 'ENCLAVE_MASTER_KEY_FILE' | 'ENCLAVE_MASTER_PASSPHRASE_FILE'>;

export async function openKeyRing(
  settings: MasterSettings,
  store: SqliteKeyStore,
  options: Omit<KeyRingOptions, 'store' | 'master'> = {},
): Promise<KeyRing> {
  const master = await loadMasterKey(settings, store);
  try {
    return await KeyRing.open({ ...options, store, master });
  } catch (error) {
    master.destroy();
    throw named(error, settings.ENCLAVE_MASTER_KEY_FILE !== undefined ? KEY_FILE : PASSPHRASE_FILE);
  }
}

async function loadMasterKey(settings: MasterSettings, store: SqliteKeyStore): Promise<MasterKey> {
  const keyFile = settings.ENCLAVE_MASTER_KEY_FILE;
  const passphraseFile = settings.ENCLAVE_MASTER_PASSPHRASE_FILE;
  if (keyFile !== undefined && passphraseFile !== undefined) {
    throw new CryptoError(
      'MASTER_KEY_INVALID',
      `Both ${KEY_FILE} and ${PASSPHRASE_FILE} are set; set exactly one (the one the key store was sealed with).`,
    );
  }
  if (keyFile !== undefined) {
    try {
      return await MasterKey.fromKeyFile(keyFile);
    } catch (error) {
      throw named(error, KEY_FILE);
    }
  }
  if (passphraseFile !== undefined) {
    try {
      return await fromPassphraseFile(passphraseFile, store);
    } catch (error) {
      throw named(error, PASSPHRASE_FILE);
    }
  }
  throw new CryptoError(
    'MASTER_KEY_MISSING',
    `No master key is configured: set ${KEY_FILE} (a 0600 file of 32 bytes or 64 hex digits) or ` +
      `${PASSPHRASE_FILE} (a 0600 file holding the passphrase). The key store cannot be opened without it; ` +
      'see docs/operations.md (master-key custody).',
  );
}

async function fromPassphraseFile(path: string, store: SqliteKeyStore): Promise<MasterKey> {
  const passphrase = await readPassphrase(path);
  const params = await store.passphraseParams();
  if (params !== undefined) return MasterKey.fromPassphrase(passphrase, params);
  const sealedWith = await store.meta();
  if (sealedWith !== undefined) {
    throw new CryptoError(
      'MASTER_KEY_WRONG',
      `The key store is sealed with master key ${sealedWith.masterKeyId} from a key file, not from a passphrase; ` +
        `set ${KEY_FILE} to that key file instead.`,
    );
  }
  // First start: derive the key and keep its salt, cost and key-check id for the next start.
  const { master, params: fresh } = await MasterKey.createFromPassphrase(passphrase);
  await store.savePassphraseParams(fresh);
  return master;
}

async function readPassphrase(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CryptoError(
      code === 'ENOENT' ? 'MASTER_KEY_MISSING' : 'MASTER_KEY_INVALID',
      `The passphrase file ${path} cannot be read (${code}).`,
      { cause: error },
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_PASSPHRASE_FILE) {
      throw new CryptoError('MASTER_KEY_INVALID', `${path} is not a passphrase file (a small regular file).`);
    }
    if ((stat.mode & 0o077) !== 0) {
      throw new CryptoError(
        'MASTER_KEY_INSECURE',
        `The passphrase file ${path} can be read by others than its owner. Run: chmod 600 ${path}`,
      );
    }
    const content = await handle.readFile();
    try {
      return content.toString('utf8').replace(/\r?\n$/, '');
    } finally {
      content.fill(0);
    }
  } finally {
    await handle.close();
  }
}

/** The same error, its message prefixed with the setting to look at. */
function named(error: unknown, setting: string): unknown {
  if (!(error instanceof CryptoError)) return error;
  return new CryptoError(error.code, `${setting}: ${error.message}`, { cause: error });
}
