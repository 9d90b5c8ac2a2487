// Key ids are opaque, random and self-describing by prefix (`dek_…`), so a log line or a
// ciphertext header says what kind of key it names without revealing anything about it. They
// fit the contract's EntityId pattern, so they can travel in EncryptedField.keyId.
import { CryptoError, quote } from './errors.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';

export const KeyKind = {
  /** The root, sealed on the control plane; never stored, only its id is. */
  Master: 'master',
  /** Tenant key-encryption key: wraps the tenant's data keys. */
  Kek: 'kek',
  /** Project data-encryption key: files, agent cache, sensitive Kafka fields. */
  Dek: 'dek',
  /** Per-person key: personal-data columns, consent and audit payloads. */
  Subject: 'subject',
  /** Per-tenant key for blind indexes (equality lookups on encrypted personal data). */
  Index: 'index',
} as const;

export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

/** The kinds that encrypt data; a KEK or the master key only ever wraps other keys. */
export type DataKeyKind = typeof KeyKind.Dek | typeof KeyKind.Subject | typeof KeyKind.Index;

export const KEY_ID_PREFIX: Readonly<Record<KeyKind, string>> = {
  master: 'mk_',
  kek: 'kek_',
  dek: 'dek_',
  subject: 'sub_',
  index: 'idx_',
};

/** The contract's EntityId pattern (1-64 letters, digits, `_`, `-`), kept ASCII for the header. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding: case-insensitive-safe and shell-safe. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** A fresh id: prefix + 128 random bits in base32 (26 characters). */
export function newKeyId(kind: KeyKind, random: RandomBytes = cryptoRandomBytes): string {
  return KEY_ID_PREFIX[kind] + base32(random(16));
}

export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID_PATTERN.test(value);
}

export function assertKeyId(value: string, what = 'key id'): void {
  if (!isKeyId(value)) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `The ${what} ${quote(value)} is not valid: 1-64 letters, digits, "_" or "-", starting with a letter or digit.`,
    );
  }
}
