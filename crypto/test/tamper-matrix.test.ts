// Every way of damaging a file that the format must catch, each with its error code, and the
// promise behind it: a reader sees plaintext only of chunks that verified, never of the
// damaged one (everything emitted before the error is an exact prefix of whole chunks).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataKey,
  TAG_LENGTH,
  createDecryptStream,
  encryptBuffer,
  type CryptoErrorCode,
} from '../src/index.ts';
import { resolverFor, runThrough, splitAt } from './support/streams.ts';

const CHUNK = 64 * 1024;
const STRIDE = CHUNK + TAG_LENGTH;
const key = DataKey.generate('dek');
const otherKey = DataKey.generate('dek');
// A key whose id has the same length as `key`'s, so swapping ids keeps the header's layout.
const impostor = new DataKey(
  key.keyId.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')),
  'dek',
  randomBytes(32),
);
const resolveKey = resolverFor(key, otherKey, impostor);

const plaintext = randomBytes(3 * CHUNK + 1000); // chunks 0, 1, 2 full; chunk 3 short and final
const file = encryptBuffer(plaintext, { key, chunkSize: CHUNK });
const H = 72 + key.keyId.length; // header length
const chunkAt = (i: number) => H + i * STRIDE;
const exact = randomBytes(2 * CHUNK); // final chunk is full-size
const exactFile = encryptBuffer(exact, { key, chunkSize: CHUNK });

function flip(data: Buffer, offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(data);
  copy[offset] = (copy[offset] as number) ^ mask;
  return copy;
}

function setByte(data: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(data);
  copy[offset] = value;
  return copy;
}

function chunks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = H; at < data.length; at += STRIDE) out.push(data.subarray(at, at + STRIDE));
  return out;
}

function reassemble(order: number[], source = file): Buffer {
  const parts = chunks(source);
  return Buffer.concat([source.subarray(0, H), ...order.map((i) => parts[i] as Buffer)]);
}

interface Case {
  readonly name: string;
  readonly bytes: Buffer;
  readonly code: CryptoErrorCode;
  /** How many whole chunks of plaintext may be emitted before the error. */
  readonly verifiedChunks: number;
  readonly message?: RegExp;
  readonly source?: Buffer;
}

const otherFile = encryptBuffer(randomBytes(plaintext.length), { key, chunkSize: CHUNK });
const cases: Case[] = [
  { name: 'magic edited', bytes: flip(file, 0), code: 'HEADER_INVALID', verifiedChunks: 0 },
  { name: 'version changed', bytes: setByte(file, 4, 2), code: 'UNSUPPORTED_VERSION', verifiedChunks: 0 },
  { name: 'algorithm changed', bytes: setByte(file, 5, 9), code: 'UNSUPPORTED_ALGORITHM', verifiedChunks: 0 },
  { name: 'chunk size out of range', bytes: setByte(file, 6, 15), code: 'HEADER_INVALID', verifiedChunks: 0 },
  { name: 'chunk size changed', bytes: setByte(file, 6, 17), code: 'HEADER_AUTH_FAILED', verifiedChunks: 0 },
  { name: 'key id length changed', bytes: setByte(file, 7, 0), code: 'HEADER_INVALID', verifiedChunks: 0 },
  {
    name: 'key id changed to an unknown key',
    bytes: Buffer.concat([
      file.subarray(0, 8),
      Buffer.from('dek_'.padEnd(key.keyId.length, 'z')),
      file.subarray(8 + key.keyId.length),
    ]),
    code: 'KEY_UNKNOWN',
    verifiedChunks: 0,
  },
  {
    name: 'key id changed to another existing key',
    bytes: Buffer.concat([
      file.subarray(0, 8),
      Buffer.from(impostor.keyId),
      file.subarray(8 + key.keyId.length),
    ]),
    code: 'HEADER_AUTH_FAILED',
    verifiedChunks: 0,
  },
  {
    name: 'key id with a forbidden character',
    bytes: setByte(file, 9, 0x2f),
    code: 'HEADER_INVALID',
    verifiedChunks: 0,
  },
  {
    name: 'salt bit flipped',
    bytes: flip(file, 8 + key.keyId.length + 3),
    code: 'HEADER_AUTH_FAILED',
    verifiedChunks: 0,
  },
  {
    name: 'header MAC bit flipped',
    bytes: flip(file, H - 1, 0x80),
    code: 'HEADER_AUTH_FAILED',
    verifiedChunks: 0,
  },
  {
    name: 'header of another file',
    bytes: Buffer.concat([otherFile.subarray(0, H), file.subarray(H)]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 0,
    message: /Chunk 0 \(byte offset \d+\)/,
  },
  {
    name: 'chunk 0 ciphertext bit flipped',
    bytes: flip(file, chunkAt(0) + 10),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 0,
  },
  {
    name: 'chunk 1 ciphertext bit flipped',
    bytes: flip(file, chunkAt(1) + CHUNK - 1),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 1,
    message: new RegExp(`Chunk 1 \\(byte offset ${H + STRIDE}\\)`),
  },
  {
    name: 'chunk 2 tag bit flipped',
    bytes: flip(file, chunkAt(2) + CHUNK + 5),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 2,
  },
  {
    name: 'final chunk ciphertext bit flipped',
    bytes: flip(file, chunkAt(3) + 1),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 3,
  },
  {
    name: 'final chunk tag bit flipped',
    bytes: flip(file, file.length - 1),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 3,
  },
  {
    name: 'final chunk dropped (cut at a chunk boundary)',
    bytes: file.subarray(0, chunkAt(3)),
    code: 'TRUNCATED',
    verifiedChunks: 2,
    message: /ends after chunk 2 .* cut at a chunk boundary/,
  },
  {
    name: 'cut inside chunk 1',
    bytes: file.subarray(0, chunkAt(1) + 500),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 1,
  },
  {
    name: 'cut inside the final tag',
    bytes: file.subarray(0, file.length - 3),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 3,
  },
  {
    name: 'cut leaving 10 bytes of chunk 3',
    bytes: file.subarray(0, chunkAt(3) + 10),
    code: 'TRUNCATED',
    verifiedChunks: 3,
  },
  { name: 'cut inside the header', bytes: file.subarray(0, 20), code: 'TRUNCATED', verifiedChunks: 0 },
  { name: 'header only', bytes: file.subarray(0, H), code: 'TRUNCATED', verifiedChunks: 0 },
  { name: 'empty input', bytes: Buffer.alloc(0), code: 'TRUNCATED', verifiedChunks: 0 },
  {
    name: 'middle chunk dropped',
    bytes: reassemble([0, 2, 3]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 1,
  },
  {
    name: 'chunks 0 and 1 swapped',
    bytes: reassemble([1, 0, 2, 3]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 0,
  },
  {
    name: 'chunk 1 duplicated',
    bytes: reassemble([0, 1, 1, 2, 3]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 2,
  },
  {
    name: 'chunk 1 from another file under the same key',
    bytes: Buffer.concat([
      file.subarray(0, chunkAt(1)),
      chunks(otherFile)[1] as Buffer,
      file.subarray(chunkAt(2)),
    ]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 1,
  },
  {
    name: 'bytes appended after a full-size final chunk',
    bytes: Buffer.concat([exactFile, Buffer.from('extra')]),
    code: 'TRAILING_DATA',
    verifiedChunks: 1,
    source: exact,
    message: /Chunk 1 is the file's final chunk, but more bytes follow it/,
  },
  {
    name: 'final chunk appended again (full-size final chunk)',
    bytes: reassemble([0, 1, 1], exactFile),
    code: 'TRAILING_DATA',
    verifiedChunks: 1,
    source: exact,
  },
  {
    // No length field: the reader cannot tell extension from corruption of a short final chunk.
    name: 'bytes appended after a short final chunk',
    bytes: Buffer.concat([file, Buffer.from('extra')]),
    code: 'CHUNK_AUTH_FAILED',
    verifiedChunks: 3,
  },
  {
    name: 'full-size final chunk cut off',
    bytes: exactFile.subarray(0, H + STRIDE),
    code: 'TRUNCATED',
    verifiedChunks: 0,
    source: exact,
  },
];

async function decrypt(bytes: Buffer, pieces = [7, 1000, 70_000, 140_000]) {
  return runThrough(createDecryptStream({ resolveKey }), splitAt(bytes, pieces));
}

describe('tamper matrix', () => {
  it('the untouched files decrypt', async () => {
    expect((await decrypt(file)).output.equals(plaintext)).toBe(true);
    expect((await decrypt(exactFile)).output.equals(exact)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name} → ${c.code}, no unverified plaintext`, async () => {
      const { output, error } = await decrypt(c.bytes);
      expect(error).toMatchObject({ name: 'CryptoError', code: c.code });
      if (c.message) expect((error as Error).message).toMatch(c.message);
      const source = c.source ?? plaintext;
      // Exactly the chunks that verified, and not one byte of the damaged one.
      expect(output.equals(source.subarray(0, c.verifiedChunks * CHUNK))).toBe(true);
    });
  }

  it('a bit flipped anywhere fails, and the output is always whole verified chunks of the plaintext', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: file.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        fc.array(fc.nat({ max: file.length }), { maxLength: 6 }),
        async (offset, bit, cuts) => {
          const { output, error } = await decrypt(flip(file, offset, 1 << bit), cuts);
          expect(error).toMatchObject({ name: 'CryptoError' });
          const damagedChunk = offset < H ? 0 : Math.floor((offset - H) / STRIDE);
          expect(output.length % CHUNK).toBe(0);
          expect(output.length).toBeLessThanOrEqual(damagedChunk * CHUNK);
          expect(output.equals(plaintext.subarray(0, output.length))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a truncation anywhere fails (except at the very end)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: file.length - 1 }), async (length) => {
        const { output, error } = await decrypt(file.subarray(0, length));
        expect(error).toMatchObject({ name: 'CryptoError' });
        expect(output.equals(plaintext.subarray(0, output.length))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('the empty file is one empty final chunk; without it or with an extra byte it fails', async () => {
    const empty = encryptBuffer(Buffer.alloc(0), { key, chunkSize: CHUNK });
    expect(empty.length).toBe(H + TAG_LENGTH);
    expect((await decrypt(empty)).output.length).toBe(0);
    expect((await decrypt(empty.subarray(0, H + 15))).error).toMatchObject({ code: 'TRUNCATED' });
    expect((await decrypt(Buffer.concat([empty, Buffer.from([0])]))).error).toMatchObject({
      code: 'CHUNK_AUTH_FAILED',
    });
  });

  it('a key the resolver reports destroyed fails with KEY_DESTROYED before any chunk', async () => {
    const { CryptoError } = await import('../src/index.ts');
    const shredded = createDecryptStream({
      resolveKey: () => Promise.reject(new CryptoError('KEY_DESTROYED', 'destroyed')),
    });
    const { output, error } = await runThrough(shredded, [file]);
    expect(error).toMatchObject({ code: 'KEY_DESTROYED' });
    expect(output.length).toBe(0);
  });

  it('a resolver that returns a different key than the header names is refused', async () => {
    const wrong = createDecryptStream({ resolveKey: () => Promise.resolve(otherKey) });
    expect((await runThrough(wrong, [file])).error).toMatchObject({ code: 'KEY_MISMATCH' });
  });
});
