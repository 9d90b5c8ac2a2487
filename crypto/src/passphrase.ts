// Stretching a master passphrase: scrypt over the NFC-normalised passphrase (so an "é" typed as
// one code point or as "e" plus an accent derives the same key) with a stored salt and cost. The stored
// parameters also carry the master key's id, used by MasterKey.fromPassphrase as a key-check
// value: a wrong passphrase is reported as wrong, not discovered later as unreadable keys.
import { scrypt } from 'node:crypto';
import { CryptoError } from './errors.ts';
import { KEY_ID_PATTERN } from './key-id.ts';
import { KEY_LENGTH } from './secret-key.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';

export interface PassphraseParams {
  readonly kdf: 'scrypt';
  /** 32 random bytes, base64url. */
  readonly salt: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** Id of the master key this passphrase derives: the key-check value. */
  readonly keyId: string;
}

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** ~128 MiB and a few hundred ms on the appliance: paid once per start-up. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
export const MIN_PASSPHRASE_LENGTH = 12;
const SALT_LENGTH = 32;
const MIN_LOG2_N = 10;
const MAX_LOG2_N = 20;
/** scrypt needs 128·N·r bytes; stored parameters must not be able to exhaust the control plane. */
const MAX_SCRYPT_MEMORY = 1 << 30;

/** The NFC-normalised passphrase, refused when too short to be a real secret. */
export function checkNewPassphrase(passphrase: string): string {
  const normalised = passphrase.normalize('NFC');
  if ([...normalised].length < MIN_PASSPHRASE_LENGTH) {
    throw new CryptoError(
      'PASSPHRASE_WEAK',
      `The master passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`,
    );
  }
  return normalised;
}

export function newPassphraseSalt(random: RandomBytes = cryptoRandomBytes): Buffer {
  return random(SALT_LENGTH);
}

/** scrypt(NFC(passphrase), salt, cost) → 32 bytes. The caller zeroes the result. */
export async function derivePassphraseKey(
  passphrase: string,
  salt: Buffer,
  cost: ScryptCost,
): Promise<Buffer> {
  checkCost(cost);
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(
        secret,
        salt,
        KEY_LENGTH,
        { ...cost, maxmem: 128 * cost.N * cost.r + (1 << 24) },
        (error, key) => (error ? reject(error) : resolve(key)),
      );
    });
  } finally {
    secret.fill(0);
  }
}

export function checkCost(cost: ScryptCost): void {
  const log2N = Math.log2(cost.N);
  const ok =
    Number.isInteger(log2N) &&
    log2N >= MIN_LOG2_N &&
    log2N <= MAX_LOG2_N &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= 32 &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= 16 &&
    128 * cost.N * cost.r <= MAX_SCRYPT_MEMORY;
  if (!ok) {
    throw new CryptoError(
      'MASTER_KEY_INVALID',
      `scrypt cost N=${cost.N} r=${cost.r} p=${cost.p} is out of range: N a power of two from 2^${MIN_LOG2_N} ` +
        `to 2^${MAX_LOG2_N}, r 1-32, p 1-16, and at most 1 GiB of memory (128·N·r).`,
    );
  }
}

/** Throws MASTER_KEY_INVALID unless stored parameters are well formed; returns the salt. */
export function checkParams(params: PassphraseParams): Buffer {
  const salt = typeof params.salt === 'string' ? Buffer.from(params.salt, 'base64url') : Buffer.alloc(0);
  if (params.kdf !== 'scrypt' || salt.length !== SALT_LENGTH || !KEY_ID_PATTERN.test(String(params.keyId))) {
    throw new CryptoError(
      'MASTER_KEY_INVALID',
      'The stored passphrase parameters are malformed: expected kdf "scrypt", a 32-byte base64url salt and a key id.',
    );
  }
  checkCost(params);
  return salt;
}
