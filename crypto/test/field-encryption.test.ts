import { EncryptedFieldSchema } from '@enclave/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataKey,
  MAX_FIELD_PLAINTEXT_BYTES,
  decryptField,
  decryptFieldText,
  encryptField,
} from '../src/index.ts';

const key = DataKey.generate('dek');
const aad = 'task/t-1/sealed/prompt';

describe('sealed fields', () => {
  it('round-trips any bytes and always produces a valid contract EncryptedField', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.string({ maxLength: 64 }), (plaintext, context) => {
        const sealed = encryptField(key, plaintext, context);
        expect(EncryptedFieldSchema.safeParse(sealed).success).toBe(true);
        expect(sealed.keyId).toBe(key.keyId);
        expect(decryptField(key, sealed, context).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the largest allowed plaintext still fits the contract; one byte more is FIELD_TOO_LARGE', () => {
    const sealed = encryptField(key, Buffer.alloc(MAX_FIELD_PLAINTEXT_BYTES), aad);
    expect(EncryptedFieldSchema.safeParse(sealed).success).toBe(true);
    expect(() => encryptField(key, Buffer.alloc(MAX_FIELD_PLAINTEXT_BYTES + 1), aad)).toThrow(
      expect.objectContaining({ code: 'FIELD_TOO_LARGE' }),
    );
  });

  it('another context, a changed byte, or a swapped iv/tag is FIELD_AUTH_FAILED', () => {
    const sealed = encryptField(key, 'A script about a lighthouse', aad);
    const other = encryptField(key, 'A script about a lighthouse', aad);
    const flipped = Buffer.from(sealed.ct, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    const attempts = [
      () => decryptField(key, sealed, 'task/t-2/sealed/prompt'),
      () => decryptField(key, { ...sealed, ct: flipped.toString('base64url') }, aad),
      () => decryptField(key, { ...sealed, iv: other.iv }, aad),
      () => decryptField(key, { ...sealed, tag: other.tag }, aad),
    ];
    for (const attempt of attempts)
      expect(attempt).toThrow(expect.objectContaining({ code: 'FIELD_AUTH_FAILED' }));
    expect(decryptFieldText(key, sealed, aad)).toBe('A script about a lighthouse');
  });

  it('a field sealed under another key is KEY_MISMATCH; a malformed one FIELD_INVALID', () => {
    const sealed = encryptField(DataKey.generate('subject'), 'Grace Hopper', aad);
    expect(() => decryptField(key, sealed, aad)).toThrow(expect.objectContaining({ code: 'KEY_MISMATCH' }));
    expect(() => decryptField(key, { ...sealed, alg: 'A128GCM' }, aad)).toThrow(
      expect.objectContaining({ code: 'FIELD_INVALID' }),
    );
    expect(() => decryptField(key, 'not a field', aad)).toThrow(
      expect.objectContaining({ code: 'FIELD_INVALID' }),
    );
  });

  it('a destroyed key cannot seal or open', () => {
    const doomed = DataKey.generate('subject');
    const sealed = encryptField(doomed, 'Alan Turing', aad);
    doomed.destroy();
    expect(() => decryptField(doomed, sealed, aad)).toThrow(
      expect.objectContaining({ code: 'KEY_DESTROYED' }),
    );
    expect(() => encryptField(doomed, 'x', aad)).toThrow(expect.objectContaining({ code: 'KEY_DESTROYED' }));
  });
});
