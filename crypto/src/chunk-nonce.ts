// STREAM nonces (Hoang, Reyhanitabar, Rogaway, Vizár 2015): 7-byte per-file prefix | 32-bit
// big-endian chunk counter | 1-byte last-chunk flag. The counter stops reordering, duplication
// and dropping of chunks inside a file; the flag stops truncation at a chunk boundary, because
// only the real final chunk authenticates with flag 1.
import { CryptoError } from './errors.ts';
import { MAX_CHUNKS, NONCE_LENGTH, NONCE_PREFIX_LENGTH } from './stream-format.ts';

export function chunkNonce(prefix: Buffer, index: number, last: boolean): Buffer {
  return new ChunkNonce(prefix).at(index, last);
}

/** One 12-byte buffer rewritten per chunk: the hot path allocates nothing for nonces. */
export class ChunkNonce {
  readonly #bytes = Buffer.alloc(NONCE_LENGTH);

  constructor(prefix: Buffer) {
    if (prefix.length !== NONCE_PREFIX_LENGTH) {
      throw new CryptoError('INVALID_ARGUMENT', `A nonce prefix is ${NONCE_PREFIX_LENGTH} bytes.`);
    }
    prefix.copy(this.#bytes, 0);
  }

  /** The nonce of chunk `index`. The buffer is reused: use it before the next call. */
  at(index: number, last: boolean): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_CHUNKS) {
      throw new CryptoError(
        'TOO_MANY_CHUNKS',
        `Chunk index ${index} does not fit the 32-bit chunk counter: the file is too large for one stream.`,
      );
    }
    this.#bytes.writeUInt32BE(index, NONCE_PREFIX_LENGTH);
    this.#bytes[NONCE_LENGTH - 1] = last ? 1 : 0;
    return this.#bytes;
  }
}
