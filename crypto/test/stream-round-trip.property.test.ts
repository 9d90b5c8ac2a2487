import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataKey,
  TAG_LENGTH,
  createDecryptStream,
  createEncryptStream,
  decryptBuffer,
  encryptBuffer,
} from '../src/index.ts';
import { seededRandom } from './support/seeded-random.ts';
import { resolverFor, runThrough, splitAt } from './support/streams.ts';

const KiB = 1024;
const key = DataKey.generate('dek');
const resolveKey = resolverFor(key);

async function roundTrip(plaintext: Buffer, chunkSize: number, inCuts: number[], outCuts: number[]) {
  const sealed = await runThrough(createEncryptStream({ key, chunkSize }), splitAt(plaintext, inCuts));
  expect(sealed.error).toBeUndefined();
  const opened = await runThrough(createDecryptStream({ resolveKey }), splitAt(sealed.output, outCuts));
  expect(opened.error).toBeUndefined();
  return { ciphertext: sealed.output, plaintext: opened.output };
}

/** Header + one tag per chunk; an empty plaintext still has one (empty) chunk. */
function expectedLength(size: number, chunkSize: number): number {
  const header = 72 + key.keyId.length;
  return header + size + TAG_LENGTH * Math.max(1, Math.ceil(size / chunkSize));
}

describe('stream round trips', () => {
  for (const chunkSize of [64 * KiB, 1024 * KiB]) {
    const sizes = [0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 3 * chunkSize + 7];
    for (const size of sizes) {
      it(`${size} bytes with ${chunkSize / KiB} KiB chunks`, async () => {
        const plaintext = randomBytes(size);
        const result = await roundTrip(
          plaintext,
          chunkSize,
          [1, 5000, chunkSize - 3],
          [3, 90, chunkSize + 20],
        );
        expect(result.plaintext.equals(plaintext)).toBe(true);
        expect(result.ciphertext.length).toBe(expectedLength(size, chunkSize));
      });
    }
  }

  it('many chunks: 40 chunks of 64 KiB and a short one', async () => {
    const plaintext = randomBytes(40 * 64 * KiB + 123);
    const result = await roundTrip(plaintext, 64 * KiB, [], []);
    expect(result.plaintext.equals(plaintext)).toBe(true);
  });

  it('random sizes, chunk sizes and split points (input and ciphertext)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(64 * KiB, 128 * KiB, 256 * KiB),
        fc.integer({ min: 0, max: 600 * KiB }),
        fc.array(fc.nat({ max: 700 * KiB }), { maxLength: 12 }),
        fc.array(fc.nat({ max: 700 * KiB }), { maxLength: 12 }),
        async (chunkSize, size, inCuts, outCuts) => {
          const plaintext = randomBytes(size);
          const result = await roundTrip(plaintext, chunkSize, inCuts, outCuts);
          expect(result.plaintext.equals(plaintext)).toBe(true);
          expect(result.ciphertext.length).toBe(expectedLength(size, chunkSize));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the stream and encryptBuffer write byte-identical files, and decryptBuffer reads them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 * KiB }),
        fc.array(fc.nat({ max: 300 * KiB }), { maxLength: 8 }),
        async (size, cuts) => {
          const plaintext = randomBytes(size);
          const options = { key, chunkSize: 64 * KiB };
          const viaBuffer = encryptBuffer(plaintext, { ...options, random: seededRandom('same') });
          const viaStream = await runThrough(
            createEncryptStream({ ...options, random: seededRandom('same') }),
            splitAt(plaintext, cuts),
          );
          expect(viaStream.output.equals(viaBuffer)).toBe(true);
          expect((await decryptBuffer(viaBuffer, { resolveKey })).equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('two encryptions of the same plaintext share nothing but the key id (fresh salt)', () => {
    const plaintext = Buffer.alloc(1000, 7);
    const a = encryptBuffer(plaintext, { key, chunkSize: 64 * KiB });
    const b = encryptBuffer(plaintext, { key, chunkSize: 64 * KiB });
    const headerEnd = 8 + key.keyId.length;
    expect(a.subarray(0, headerEnd).equals(b.subarray(0, headerEnd))).toBe(true);
    expect(a.subarray(headerEnd).equals(b.subarray(headerEnd))).toBe(false);
  });

  it('refuses chunk sizes outside 64 KiB-1 MiB or not a power of two', () => {
    for (const chunkSize of [32 * KiB, 2048 * KiB, 100_000]) {
      expect(() => createEncryptStream({ key, chunkSize })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});
