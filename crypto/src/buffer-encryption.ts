// One-shot helpers for payloads that fit in memory (thumbnails, small documents, test data).
// They write and read exactly the stream format; decryption runs through the stream itself so
// the two can never disagree about what is accepted.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { KeyResolver } from './data-key.ts';
import { createDecryptStream } from './decrypt-stream.ts';
import { startFile, type EncryptOptions } from './file-sealing.ts';
import { zeroFileKeys } from './key-derivation.ts';

export function encryptBuffer(plaintext: Uint8Array, options: EncryptOptions): Buffer {
  const { header, chunkSize, keys, sealer } = startFile(options);
  const input = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  const out: Buffer[] = [header];
  try {
    // At least one chunk: an empty plaintext is one empty final chunk.
    const chunks = Math.max(1, Math.ceil(input.length / chunkSize));
    for (let index = 0; index < chunks; index += 1) {
      const piece = input.subarray(index * chunkSize, (index + 1) * chunkSize);
      out.push(...sealer.seal(index, index === chunks - 1, [piece]));
    }
  } finally {
    zeroFileKeys(keys);
  }
  return Buffer.concat(out);
}

export async function decryptBuffer(
  ciphertext: Uint8Array,
  options: { resolveKey: KeyResolver },
): Promise<Buffer> {
  const pieces: Buffer[] = [];
  const sink = new Writable({
    write(piece: Buffer, _encoding, callback) {
      pieces.push(piece);
      callback();
    },
  });
  try {
    await pipeline(Readable.from([Buffer.from(ciphertext)]), createDecryptStream(options), sink);
  } catch (error) {
    // Verified chunks before the failure are plaintext we will not hand out: wipe them.
    for (const piece of pieces) piece.fill(0);
    throw error;
  }
  return Buffer.concat(pieces);
}
