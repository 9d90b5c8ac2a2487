// The small pieces under the streams and the key ring.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../src/byte-queue.ts';
import { chunkNonce } from '../src/chunk-nonce.ts';
import {
  DataKey,
  SecretKey,
  createDecryptStream,
  encryptBuffer,
  isKeyId,
  newKeyId,
  parseFileHeader,
} from '../src/index.ts';
import { secretOf } from '../src/secret-key.ts';
import { seededRandom } from './support/seeded-random.ts';
import { runThrough } from './support/streams.ts';

describe('ByteQueue', () => {
  it('hands out exactly the bytes pushed, in order, whatever the piece boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }),
        fc.array(fc.nat({ max: 60 }), { maxLength: 20 }),
        (pieces, takes) => {
          const queue = new ByteQueue();
          for (const piece of pieces) queue.push(Buffer.from(piece));
          const all = Buffer.concat(pieces.map((p) => Buffer.from(p)));
          let offset = 0;
          for (const n of takes) {
            const size = Math.min(n, queue.length);
            expect(queue.peek(size).equals(all.subarray(offset, offset + size))).toBe(true);
            expect(Buffer.concat(queue.take(size)).equals(all.subarray(offset, offset + size))).toBe(true);
            offset += size;
          }
          expect(queue.length).toBe(all.length - offset);
          expect(queue.takeContiguous(queue.length).equals(all.subarray(offset))).toBe(true);
        },
      ),
    );
  });
});

describe('chunk nonces', () => {
  const prefix = Buffer.from('01020304050607', 'hex');

  it('are prefix | u32be counter | last flag', () => {
    expect(chunkNonce(prefix, 0, false).toString('hex')).toBe('010203040506070000000000');
    expect(chunkNonce(prefix, 0x01020304, true).toString('hex')).toBe('010203040506070102030401');
    expect(chunkNonce(prefix, 2 ** 32 - 1, true).toString('hex')).toBe('01020304050607ffffffff01');
  });

  it('refuse a counter beyond 32 bits (TOO_MANY_CHUNKS)', () => {
    expect(() => chunkNonce(prefix, 2 ** 32, false)).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_CHUNKS' }),
    );
  });
});

describe('keys', () => {
  it('ids are kind-prefixed base32 and fit the contract EntityId', () => {
    const id = newKeyId('subject', seededRandom('id'));
    expect(id).toMatch(/^sub_[a-z2-7]{26}$/);
    expect(isKeyId(id)).toBe(true);
    expect(isKeyId('has space')).toBe(false);
  });

  it('destroy() zero-fills the material; the key then refuses to be used', async () => {
    const key = DataKey.generate('dek');
    const bytes = secretOf(key);
    const file = encryptBuffer(Buffer.from('x'), { key });
    key.destroy();
    expect(bytes.equals(Buffer.alloc(32))).toBe(true);
    expect(key.destroyed).toBe(true);
    expect(() => encryptBuffer(Buffer.from('x'), { key })).toThrow(
      expect.objectContaining({ code: 'KEY_DESTROYED' }),
    );
    const { error } = await runThrough(createDecryptStream({ resolveKey: () => Promise.resolve(key) }), [
      file,
    ]);
    expect(error).toMatchObject({ code: 'KEY_DESTROYED' });
  });

  it('keys never serialise their material, and a KEK is not a data key', () => {
    const key = new DataKey('dek_fixed', 'dek', Buffer.alloc(32, 0x5a));
    expect(JSON.stringify(key)).toBe('{"keyId":"dek_fixed","kind":"dek"}');
    expect(() => new DataKey('kek_x', 'kek' as 'dek', Buffer.alloc(32))).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => new SecretKey('dek_short', 'dek', Buffer.alloc(16))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('parseFileHeader', () => {
  it('reads the key id and chunk size without a key, and says when bytes are missing', () => {
    const key = DataKey.generate('dek');
    const file = encryptBuffer(Buffer.from('hello'), { key, chunkSize: 1 << 17 });
    expect(parseFileHeader(file)).toEqual({ version: 1, alg: 1, chunkSize: 1 << 17, keyId: key.keyId });
    expect(() => parseFileHeader(file.subarray(0, 30))).toThrow(
      expect.objectContaining({ code: 'TRUNCATED' }),
    );
  });
});
