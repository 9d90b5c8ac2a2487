// The test vectors of docs/encryption-format.md, computed by this package with fixed inputs.
// test/format-vectors.test.ts checks them three ways: against the stored fixture, against the
// document, and against a second implementation written from the document alone.
import { createHash } from 'node:crypto';
import { DataKey, TAG_LENGTH, encryptBuffer, encryptField } from '../../src/index.ts';
import { deriveFileKeys } from '../../src/key-derivation.ts';
import { patternBytes } from './seeded-random.ts';

export const VECTOR_DEK = Buffer.from(Array.from({ length: 32 }, (_, i) => i)); // 00 01 .. 1f
export const VECTOR_SALT = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x40 + i)); // 40 41 .. 5f
export const VECTOR_KEY_ID = 'dek_testvector';
export const VECTOR_CHUNK_SIZE = 65536;
export const VECTOR_SHORT_TEXT = 'Enclave test vector';
export const VECTOR_LONG_LENGTH = 2 * 65536 + 100;
export const VECTOR_FIELD_IV = Buffer.from('000102030405060708090a0b', 'hex');
export const VECTOR_FIELD_AAD = 'task/t1/sealed/script';

export interface FormatVectors {
  readonly dek: string;
  readonly keyId: string;
  readonly salt: string;
  readonly chunkSize: number;
  readonly derived: { readonly fileKey: string; readonly noncePrefix: string; readonly headerKey: string };
  readonly empty: { readonly ciphertext: string };
  readonly short: { readonly plaintext: string; readonly ciphertext: string };
  readonly long: {
    readonly plaintextLength: number;
    readonly header: string;
    readonly tags: readonly string[];
    readonly chunkStarts: readonly string[];
    readonly ciphertextLength: number;
    readonly ciphertextSha256: string;
  };
  readonly field: {
    readonly plaintext: string;
    readonly aad: string;
    readonly sealed: Record<string, string>;
  };
}

export function encryptVector(plaintext: Buffer): Buffer {
  const key = new DataKey(VECTOR_KEY_ID, 'dek', VECTOR_DEK);
  return encryptBuffer(plaintext, {
    key,
    chunkSize: VECTOR_CHUNK_SIZE,
    random: () => Buffer.from(VECTOR_SALT),
  });
}

export function computeVectors(): FormatVectors {
  const headerLength = 72 + VECTOR_KEY_ID.length;
  const long = encryptVector(patternBytes(VECTOR_LONG_LENGTH));
  const stride = VECTOR_CHUNK_SIZE + TAG_LENGTH;
  const tags: string[] = [];
  const chunkStarts: string[] = [];
  for (let at = headerLength; at < long.length; at += stride) {
    const end = Math.min(at + stride, long.length);
    tags.push(long.subarray(end - TAG_LENGTH, end).toString('hex'));
    chunkStarts.push(long.subarray(at, at + 16).toString('hex'));
  }
  const derived = deriveFileKeys(VECTOR_DEK, VECTOR_SALT, VECTOR_KEY_ID);
  const key = new DataKey(VECTOR_KEY_ID, 'dek', VECTOR_DEK);
  const sealed = encryptField(key, VECTOR_SHORT_TEXT, VECTOR_FIELD_AAD, () => Buffer.from(VECTOR_FIELD_IV));
  return {
    dek: VECTOR_DEK.toString('hex'),
    keyId: VECTOR_KEY_ID,
    salt: VECTOR_SALT.toString('hex'),
    chunkSize: VECTOR_CHUNK_SIZE,
    derived: {
      fileKey: derived.fileKey.toString('hex'),
      noncePrefix: derived.noncePrefix.toString('hex'),
      headerKey: derived.headerKey.toString('hex'),
    },
    empty: { ciphertext: encryptVector(Buffer.alloc(0)).toString('hex') },
    short: {
      plaintext: VECTOR_SHORT_TEXT,
      ciphertext: encryptVector(Buffer.from(VECTOR_SHORT_TEXT, 'utf8')).toString('hex'),
    },
    long: {
      plaintextLength: VECTOR_LONG_LENGTH,
      header: long.subarray(0, headerLength).toString('hex'),
      tags,
      chunkStarts,
      ciphertextLength: long.length,
      ciphertextSha256: createHash('sha256').update(long).digest('hex'),
    },
    field: { plaintext: VECTOR_SHORT_TEXT, aad: VECTOR_FIELD_AAD, sealed: { ...sealed } },
  };
}
