// Writing one file over several sittings (resumable uploads): a writer resumed from the stored
// header seals the same bytes the stream encryptor would, every reader decrypts the result, and
// a wrong key or an edited header is refused before anything is sealed.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEncryptStream,
  DataKey,
  decryptBuffer,
  resumeChunkWriter,
  sealedLength,
  startChunkWriter,
} from '../src/index.ts';
import { seededRandom } from './support/seeded-random.ts';
import { resolverFor } from './support/streams.ts';

const key = DataKey.generate('dek');
const C = 65536;

async function streamed(plaintext: Buffer, seed: string): Promise<Buffer> {
  const stream = createEncryptStream({ key, chunkSize: C, random: seededRandom(seed) });
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  stream.end(plaintext);
  await ended;
  return Buffer.concat(out);
}

function chunksOf(plaintext: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < plaintext.length; at += C) out.push(plaintext.subarray(at, at + C));
  return out.length === 0 ? [Buffer.alloc(0)] : out;
}

describe('chunk writer', () => {
  it('resumed from the header alone, writes exactly what the stream encryptor writes', async () => {
    const plaintext = randomBytes(3 * C + 1234);
    const chunks = chunksOf(plaintext);
    const first = startChunkWriter({ key, chunkSize: C, random: seededRandom('resume') });
    const parts = [
      first.header,
      ...first.seal(0, false, [chunks[0]!]),
      ...first.seal(1, false, [chunks[1]!]),
    ];
    const header = Buffer.from(first.header);
    first.close();

    const later = resumeChunkWriter(key, header);
    parts.push(...later.seal(2, false, [chunks[2]!]), ...later.seal(3, true, [chunks[3]!]));
    later.close();
    const file = Buffer.concat(parts);

    expect(file.equals(await streamed(plaintext, 'resume'))).toBe(true);
    expect((await decryptBuffer(file, { resolveKey: resolverFor(key) })).equals(plaintext)).toBe(true);
    expect(file.length - header.length).toBe(sealedLength(plaintext.length, C));
  });

  it('re-sealing a chunk with the same bytes gives the same ciphertext', () => {
    const writer = startChunkWriter({ key, chunkSize: C });
    const chunk = randomBytes(C);
    expect(
      Buffer.concat(writer.seal(4, false, [chunk])).equals(Buffer.concat(writer.seal(4, false, [chunk]))),
    ).toBe(true);
  });

  it('refuses another key, an edited header and chunks of the wrong size', () => {
    const writer = startChunkWriter({ key, chunkSize: C });
    const other = DataKey.generate('dek');
    expect(() => resumeChunkWriter(other, writer.header)).toThrow(/not .*dek_/);
    const edited = Buffer.from(writer.header);
    edited[edited.length - 40] = edited[edited.length - 40]! ^ 1; // inside the salt
    expect(() => resumeChunkWriter(key, edited)).toThrow(
      expect.objectContaining({ code: 'HEADER_AUTH_FAILED' }),
    );
    expect(() => resumeChunkWriter(key, writer.header.subarray(0, 20))).toThrow(
      expect.objectContaining({ code: 'HEADER_INVALID' }),
    );
    expect(() => writer.seal(0, false, [Buffer.alloc(C - 1)])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => writer.seal(1, true, [Buffer.alloc(0)])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
