// The root of the key hierarchy, sealed on the control plane: either a 32-byte key file that
// only its owner can read, or a passphrase stretched with scrypt. Its id is a fingerprint
// (HMAC of a fixed label), so the key store can record which master key sealed it and a wrong
// key file or passphrase is refused by name at start-up instead of producing garbage later.
import { createHmac } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { createFileExclusive } from './atomic-file.ts';
import { CryptoError } from './errors.ts';
import { KEY_ID_PREFIX, KeyKind, base32 } from './key-id.ts';
import {
  DEFAULT_SCRYPT_COST,
  checkNewPassphrase,
  checkParams,
  derivePassphraseKey,
  newPassphraseSalt,
  type PassphraseParams,
  type ScryptCost,
} from './passphrase.ts';
import { KEY_LENGTH, SecretKey } from './secret-key.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';

const MASTER_ID_LABEL = 'enclave/master-key-id/v1';
const HEX_KEY = /^[0-9a-fA-F]{64}\r?\n?$/;
const MAX_KEY_FILE_SIZE = 66;

export class MasterKey extends SecretKey {
  private constructor(bytes: Uint8Array) {
    super(masterKeyId(bytes), KeyKind.Master, bytes);
  }

  static fromBytes(bytes: Uint8Array): MasterKey {
    if (bytes.length !== KEY_LENGTH) {
      throw new CryptoError(
        'MASTER_KEY_INVALID',
        `A master key is ${KEY_LENGTH} bytes, not ${bytes.length}.`,
      );
    }
    return new MasterKey(bytes);
  }

  static generate(random: RandomBytes = cryptoRandomBytes): MasterKey {
    const bytes = random(KEY_LENGTH);
    try {
      return new MasterKey(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  /**
   * Reads a key file: 32 raw bytes, or 64 hex digits and an optional newline. The file must be
   * a regular file owned by this process's user with no group or other permissions (0600 or
   * 0400), checked on the opened descriptor so it cannot be swapped between check and read.
   */
  static async fromKeyFile(path: string): Promise<MasterKey> {
    let handle;
    try {
      // O_NONBLOCK: a FIFO at the path must not hang start-up; it is refused below.
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new CryptoError(
          'MASTER_KEY_MISSING',
          `The master key file ${path} does not exist. Restore it from the key backup (or, on a new ` +
            'appliance, create it); the control plane cannot open its key store without it.',
        );
      }
      throw new CryptoError('MASTER_KEY_INVALID', `The master key file ${path} cannot be opened (${code}).`, {
        cause: error,
      });
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size > MAX_KEY_FILE_SIZE) {
        throw new CryptoError(
          'MASTER_KEY_INVALID',
          `The master key path ${path} is not a key file (a regular file of 32 bytes or 64 hex digits).`,
        );
      }
      if ((stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
        throw new CryptoError(
          'MASTER_KEY_INSECURE',
          `The master key file ${path} has mode ${mode}; it must be readable by its owner only. ` +
            `Run: chmod 600 ${path}`,
        );
      }
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) {
        throw new CryptoError(
          'MASTER_KEY_INSECURE',
          `The master key file ${path} is owned by uid ${stat.uid}, not by uid ${uid} that runs this process.`,
        );
      }
      const content = await handle.readFile();
      try {
        return new MasterKey(parseKeyFile(content, path));
      } finally {
        content.fill(0);
      }
    } finally {
      await handle.close();
    }
  }

  /** Start-up from a passphrase; MASTER_KEY_WRONG when it does not derive `params.keyId`. */
  static async fromPassphrase(passphrase: string, params: PassphraseParams): Promise<MasterKey> {
    if (passphrase.length === 0) {
      throw new CryptoError(
        'MASTER_KEY_MISSING',
        'No master passphrase was given; the key store stays sealed.',
      );
    }
    const salt = checkParams(params);
    const master = await MasterKey.#fromSecret(derivePassphraseKey(passphrase, salt, params));
    if (master.keyId !== params.keyId) {
      master.destroy();
      throw new CryptoError(
        'MASTER_KEY_WRONG',
        `The master passphrase is wrong: it does not derive master key ${params.keyId}.`,
      );
    }
    return master;
  }

  /** First set-up from a passphrase: the key, and the parameters to store for the next start. */
  static async createFromPassphrase(
    passphrase: string,
    options: { cost?: ScryptCost; random?: RandomBytes } = {},
  ): Promise<{ master: MasterKey; params: PassphraseParams }> {
    const normalised = checkNewPassphrase(passphrase);
    const cost = options.cost ?? DEFAULT_SCRYPT_COST;
    const salt = newPassphraseSalt(options.random);
    const master = await MasterKey.#fromSecret(derivePassphraseKey(normalised, salt, cost));
    const { N, r, p } = cost;
    return {
      master,
      params: { kdf: 'scrypt', salt: salt.toString('base64url'), N, r, p, keyId: master.keyId },
    };
  }

  static async #fromSecret(pending: Promise<Buffer>): Promise<MasterKey> {
    const bytes = await pending;
    try {
      return new MasterKey(bytes);
    } finally {
      bytes.fill(0);
    }
  }

  /** Creates a new key file (64 hex digits, mode 0600); refuses to overwrite an existing one. */
  static async createKeyFile(path: string, random: RandomBytes = cryptoRandomBytes): Promise<MasterKey> {
    const bytes = random(KEY_LENGTH);
    const text = Buffer.from(bytes.toString('hex') + '\n', 'ascii');
    try {
      await createFileExclusive(path, text, 0o600);
      return new MasterKey(bytes);
    } finally {
      bytes.fill(0);
      text.fill(0);
    }
  }
}

export function masterKeyId(bytes: Uint8Array): string {
  const digest = createHmac('sha256', bytes).update(MASTER_ID_LABEL, 'ascii').digest();
  return KEY_ID_PREFIX.master + base32(digest.subarray(0, 16));
}

function parseKeyFile(content: Buffer, path: string): Buffer {
  if (content.length === KEY_LENGTH) return Buffer.from(content);
  const text = content.toString('latin1');
  if (HEX_KEY.test(text)) return Buffer.from(text.slice(0, 2 * KEY_LENGTH), 'hex');
  throw new CryptoError(
    'MASTER_KEY_INVALID',
    `The master key file ${path} holds ${content.length} bytes; it must hold exactly ${KEY_LENGTH} bytes ` +
      `or ${2 * KEY_LENGTH} hex digits.`,
  );
}
