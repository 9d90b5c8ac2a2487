// Encrypted file format in, plaintext out, as a Transform with ordinary back-pressure.
//
// No plaintext is pushed before its chunk's tag has verified (ChunkOpener returns nothing
// otherwise). Whether a chunk is the final one is part of its nonce, and only the length of
// the stream says which one that is, so the stream holds back one full chunk until a byte
// beyond it arrives (then it is not final) or the input ends (then it is). Plaintext of the
// chunks before a failure has been pushed already: a consumer must treat an 'error' as
// "discard everything" (decryptFile does, by writing to a temp file).
import { Transform, type TransformCallback } from 'node:stream';
import { ByteQueue } from './byte-queue.ts';
import { ChunkOpener } from './chunk-cipher.ts';
import type { KeyResolver } from './data-key.ts';
import { CryptoError } from './errors.ts';
import { parseHeader, verifyHeaderMac, type FileHeader } from './file-header.ts';
import { deriveFileKeys, zeroFileKeys, type FileKeys } from './key-derivation.ts';
import { secretOf } from './secret-key.ts';
import { DEFAULT_CHUNK_SIZE, MAX_KEY_ID_LENGTH, TAG_LENGTH, headerLength } from './stream-format.ts';

export interface DecryptStreamOptions {
  /** Finds the data key the header names; throws KEY_UNKNOWN or KEY_DESTROYED. */
  readonly resolveKey: KeyResolver;
  /** Bytes buffered on each side of the stream before it pushes back; default 1 MiB. */
  readonly highWaterMark?: number;
}

export function createDecryptStream(options: DecryptStreamOptions): Transform {
  return new DecryptStream(options);
}

const MAX_HEADER_LENGTH = headerLength(MAX_KEY_ID_LENGTH);

interface OpenFile {
  readonly header: FileHeader;
  readonly keys: FileKeys;
  readonly opener: ChunkOpener;
}

class DecryptStream extends Transform {
  readonly #resolveKey: KeyResolver;
  readonly #queue = new ByteQueue();
  #file: OpenFile | undefined;
  #index = 0;

  constructor(options: DecryptStreamOptions) {
    const highWaterMark = options.highWaterMark ?? DEFAULT_CHUNK_SIZE;
    super({ readableHighWaterMark: highWaterMark, writableHighWaterMark: highWaterMark });
    this.#resolveKey = options.resolveKey;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#queue.push(chunk);
    if (this.#file !== undefined) {
      this.#guard(callback, () => this.#openChunksFollowedByMore());
      return;
    }
    let parsed: ReturnType<typeof parseHeader>;
    try {
      parsed = parseHeader(this.#queue.peek(MAX_HEADER_LENGTH));
    } catch (error) {
      callback(error as Error);
      return;
    }
    if ('needed' in parsed) {
      callback(); // wait for more of the header
      return;
    }
    this.#queue.take(parsed.header.bytes.length);
    // The writable side stays paused (no callback) until the key is resolved.
    void this.#open(parsed.header).then(
      () => this.#guard(callback, () => this.#openChunksFollowedByMore()),
      (error: unknown) => callback(error as Error),
    );
  }

  override _flush(callback: TransformCallback): void {
    this.#guard(callback, () => this.#openFinalChunk());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.#file !== undefined) zeroFileKeys(this.#file.keys);
    this.#queue.clear();
    callback(error);
  }

  /** Runs `work` and reports its outcome; callback stays outside the try, so it runs once. */
  #guard(callback: TransformCallback, work: () => void): void {
    let failure: Error | undefined;
    try {
      work();
    } catch (error) {
      failure = error as Error;
    }
    callback(failure);
  }

  async #open(header: FileHeader): Promise<void> {
    const key = await this.#resolveKey(header.keyId);
    if (key.keyId !== header.keyId) {
      throw new CryptoError(
        'KEY_MISMATCH',
        `The file names key ${header.keyId} but the resolver returned key ${key.keyId}.`,
      );
    }
    const keys = deriveFileKeys(secretOf(key), header.salt, header.keyId);
    if (this.destroyed) {
      zeroFileKeys(keys);
      return;
    }
    try {
      verifyHeaderMac(header, keys.headerKey);
    } catch (error) {
      zeroFileKeys(keys);
      throw error;
    }
    this.#file = { header, keys, opener: new ChunkOpener(keys, header.bytes) };
  }

  /** Opens every queued chunk that is known not to be the last (more bytes follow it). */
  #openChunksFollowedByMore(): void {
    const file = this.#file;
    if (file === undefined) return;
    const { chunkSize } = file.header;
    while (this.#queue.length > chunkSize + TAG_LENGTH) {
      const ciphertext = this.#queue.take(chunkSize);
      const tag = this.#queue.takeContiguous(TAG_LENGTH);
      const plaintext = file.opener.open(this.#index, false, ciphertext, tag);
      if (plaintext === undefined) {
        // Diagnosis only, on the failure path: was this the real final chunk, with bytes after it?
        if (file.opener.open(this.#index, true, ciphertext, tag) !== undefined) {
          throw new CryptoError(
            'TRAILING_DATA',
            `Chunk ${this.#index} is the file's final chunk, but more bytes follow it from byte offset ` +
              `${this.#chunkOffset(file) + chunkSize + TAG_LENGTH}: the file has data appended.`,
          );
        }
        throw new CryptoError(
          'CHUNK_AUTH_FAILED',
          `Chunk ${this.#index} (byte offset ${this.#chunkOffset(file)}) does not authenticate: it was modified, ` +
            'reordered or duplicated, or belongs to another file.',
        );
      }
      for (const piece of plaintext) this.push(piece);
      this.#index += 1;
    }
  }

  #openFinalChunk(): void {
    const file = this.#file;
    if (file === undefined) {
      const got = this.#queue.length;
      throw new CryptoError(
        'TRUNCATED',
        got === 0
          ? 'The encrypted stream is empty: there is no header.'
          : `The encrypted stream ends inside its header (${got} bytes).`,
      );
    }
    const offset = this.#chunkOffset(file);
    const remaining = this.#queue.length;
    // A final chunk holds at least one byte, except the single empty chunk of an empty file.
    const minimum = this.#index === 0 ? TAG_LENGTH : TAG_LENGTH + 1;
    if (remaining < minimum) {
      throw new CryptoError(
        'TRUNCATED',
        `The encrypted stream ends inside chunk ${this.#index} (byte offset ${offset}): ` +
          `${remaining} bytes of it are present, a final chunk needs at least ${minimum}.`,
      );
    }
    const ciphertext = this.#queue.take(remaining - TAG_LENGTH);
    const tag = this.#queue.takeContiguous(TAG_LENGTH);
    const plaintext = file.opener.open(this.#index, true, ciphertext, tag);
    if (plaintext === undefined) {
      const fullSize = remaining - TAG_LENGTH === file.header.chunkSize;
      if (fullSize && file.opener.open(this.#index, false, ciphertext, tag) !== undefined) {
        throw new CryptoError(
          'TRUNCATED',
          `The encrypted stream ends after chunk ${this.#index} (byte offset ${offset}), which is not the ` +
            'final chunk: the file was cut at a chunk boundary.',
        );
      }
      throw new CryptoError(
        'CHUNK_AUTH_FAILED',
        `The final chunk, chunk ${this.#index} (byte offset ${offset}, ${remaining} bytes), does not authenticate: ` +
          'the file was modified, truncated inside a chunk or extended, or the chunk belongs to another file.',
      );
    }
    for (const piece of plaintext) this.push(piece);
    this.#index += 1;
    zeroFileKeys(file.keys);
  }

  #chunkOffset(file: OpenFile): number {
    return file.header.bytes.length + this.#index * (file.header.chunkSize + TAG_LENGTH);
  }
}
