// Small values sealed under a data key: sensitive Kafka fields (scripts, prompts, names) under
// the project DEK, personal-data columns under the subject key. The output is exactly the
// contract's EncryptedField, so it can travel in any message body that carries one. `aad`
// says where the value belongs (e.g. "task/<taskId>/sealed/script"): a sealed value copied
// into another message or column does not open there.
import {
  ENCRYPTED_FIELD_ALG,
  EncryptedFieldSchema,
  MAX_CIPHERTEXT_CHARS,
  type EncryptedField,
} from '@enclave/contracts';
import { aeadOpen, aeadSeal, joinAad } from './aead.ts';
import type { DataKey } from './data-key.ts';
import { CryptoError } from './errors.ts';
import { deriveSubkey } from './key-derivation.ts';
import { secretOf } from './secret-key.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';

export const FIELD_INFO = 'enclave/field/v1';

/** The largest plaintext whose base64url ciphertext fits MAX_CIPHERTEXT_CHARS. */
export const MAX_FIELD_PLAINTEXT_BYTES = Math.floor((MAX_CIPHERTEXT_CHARS * 3) / 4);

export function encryptField(
  key: DataKey,
  plaintext: string | Uint8Array,
  aad: string,
  random: RandomBytes = cryptoRandomBytes,
): EncryptedField {
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
  if (bytes.length > MAX_FIELD_PLAINTEXT_BYTES) {
    throw new CryptoError(
      'FIELD_TOO_LARGE',
      `A sealed field holds at most ${MAX_FIELD_PLAINTEXT_BYTES} bytes; this one has ${bytes.length}. ` +
        'Store large content as an encrypted asset and reference it.',
    );
  }
  const fieldKey = deriveSubkey(secretOf(key), FIELD_INFO);
  try {
    const box = aeadSeal(fieldKey, bytes, fieldAad(key.keyId, aad), random);
    return {
      keyId: key.keyId,
      alg: ENCRYPTED_FIELD_ALG,
      iv: box.iv.toString('base64url'),
      ct: box.ct.toString('base64url'),
      tag: box.tag.toString('base64url'),
    };
  } finally {
    fieldKey.fill(0);
    bytes.fill(0); // always our own copy
  }
}

/** Opens a field sealed by encryptField with the same key and aad. */
export function decryptField(key: DataKey, field: unknown, aad: string): Buffer {
  const parsed = EncryptedFieldSchema.safeParse(field);
  if (!parsed.success) {
    throw new CryptoError(
      'FIELD_INVALID',
      'Not an EncryptedField (keyId, alg "A256GCM", iv, ct, tag in base64url).',
    );
  }
  const sealed = parsed.data;
  if (sealed.keyId !== key.keyId) {
    throw new CryptoError('KEY_MISMATCH', `The field is sealed under key ${sealed.keyId}, not ${key.keyId}.`);
  }
  const fieldKey = deriveSubkey(secretOf(key), FIELD_INFO);
  try {
    const box = {
      iv: Buffer.from(sealed.iv, 'base64url'),
      ct: Buffer.from(sealed.ct, 'base64url'),
      tag: Buffer.from(sealed.tag, 'base64url'),
    };
    const plaintext = aeadOpen(fieldKey, box, fieldAad(key.keyId, aad));
    if (plaintext === undefined) {
      throw new CryptoError(
        'FIELD_AUTH_FAILED',
        `A field sealed under key ${key.keyId} does not authenticate for ${JSON.stringify(aad)}: it was ` +
          'modified, or it belongs to another message or column.',
      );
    }
    return plaintext;
  } finally {
    fieldKey.fill(0);
  }
}

export function decryptFieldText(key: DataKey, field: unknown, aad: string): string {
  const bytes = decryptField(key, field, aad);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new CryptoError('FIELD_INVALID', 'The sealed field is not UTF-8 text.', { cause });
  } finally {
    bytes.fill(0);
  }
}

function fieldAad(keyId: string, aad: string): Buffer {
  return joinAad([FIELD_INFO, keyId, aad]);
}
