// Fuzz the one parser that reads encrypted-file bytes without a key: parseFileHeader (used to
// find which DEK a stored file needs). Whatever the bytes, it returns the header fields or
// throws a CryptoError; never a RangeError, a TypeError or a partial object.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError, DataKey, encryptBuffer, parseFileHeader } from '../src/index.ts';

const key = DataKey.generate('dek');
const valid = encryptBuffer(Buffer.from('fuzzing the header'), { key, chunkSize: 1 << 16 });

/** Parses, and checks that a parsed header is whole; any error but a CryptoError fails. */
function parsesOrRejectsCleanly(bytes: Uint8Array): boolean {
  try {
    const header = parseFileHeader(bytes);
    expect(Number.isInteger(header.chunkSize) && header.chunkSize > 0).toBe(true);
    expect(typeof header.keyId).toBe('string');
    return true;
  } catch (error) {
    if (error instanceof CryptoError) return true;
    throw error;
  }
}

describe('parseFileHeader on hostile bytes', () => {
  it('the valid header parses (so the properties below can fail)', () => {
    expect(parseFileHeader(valid)).toMatchObject({ keyId: key.keyId, chunkSize: 1 << 16 });
    expect(() => parseFileHeader(new Uint8Array([1, 2, 3]))).toThrow(CryptoError);
  });

  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 256 }), parsesOrRejectsCleanly), { numRuns: 2000 });
  });

  it('a valid header with its start kept and random bytes after', () => {
    fc.assert(
      fc.property(fc.nat({ max: 64 }), fc.uint8Array({ maxLength: 128 }), (keep, tail) =>
        parsesOrRejectsCleanly(Buffer.concat([valid.subarray(0, keep), tail])),
      ),
      { numRuns: 1000 },
    );
  });

  it('one corrupted byte in the header: whole fields or a CryptoError', () => {
    fc.assert(
      fc.property(fc.nat({ max: 63 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = Buffer.from(valid);
        bytes[at] = (bytes[at] ?? 0) ^ xor;
        return parsesOrRejectsCleanly(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('every truncation of a valid header is TRUNCATED, never a partial header', () => {
    for (let length = 0; length < 40; length++) {
      expect(() => parseFileHeader(valid.subarray(0, length))).toThrow(CryptoError);
    }
  });
});
