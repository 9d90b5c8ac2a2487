// Plaintext in, encrypted file format out, as a Transform with ordinary back-pressure.
//
// A chunk's nonce says whether it is the last one, so a full chunk cannot be sealed until we
// know more input follows it: the stream keeps up to one chunk of input (as references to the
// written buffers, not copies) and seals a chunk only once a byte beyond it has arrived, or
// at end of input. Input buffers must not be modified after being written (the usual Writable
// contract).
import { Transform, type TransformCallback } from 'node:stream';
import { ByteQueue } from './byte-queue.ts';
import { zeroFileKeys } from './key-derivation.ts';
import { startFile, type EncryptOptions, type NewFile } from './file-sealing.ts';

export interface EncryptStreamOptions extends EncryptOptions {
  /** Bytes buffered on each side of the stream before it pushes back; default one chunk. */
  readonly highWaterMark?: number;
}

export function createEncryptStream(options: EncryptStreamOptions): Transform {
  return new EncryptStream(options);
}

class EncryptStream extends Transform {
  readonly #file: NewFile;
  readonly #queue = new ByteQueue();
  #index = 0;
  #headerSent = false;

  constructor(options: EncryptStreamOptions) {
    const file = startFile(options);
    const highWaterMark = options.highWaterMark ?? file.chunkSize;
    super({ readableHighWaterMark: highWaterMark, writableHighWaterMark: highWaterMark });
    this.#file = file;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    callback(
      this.#attempt(() => {
        this.#sendHeader();
        this.#queue.push(chunk);
        const { chunkSize } = this.#file;
        // Strictly more than a chunk: only then is the chunk at the front known not to be the last.
        while (this.#queue.length > chunkSize) this.#seal(this.#queue.take(chunkSize), false);
      }),
    );
  }

  override _flush(callback: TransformCallback): void {
    callback(
      this.#attempt(() => {
        this.#sendHeader();
        // 1..chunkSize bytes, or none for an empty input: an empty file is one empty final chunk.
        this.#seal(this.#queue.take(this.#queue.length), true);
        zeroFileKeys(this.#file.keys);
      }),
    );
  }

  /** The error `work` throws, if any: the callback is then called once, outside any try. */
  #attempt(work: () => void): Error | undefined {
    try {
      work();
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    zeroFileKeys(this.#file.keys);
    this.#queue.clear();
    callback(error);
  }

  #sendHeader(): void {
    if (this.#headerSent) return;
    this.#headerSent = true;
    // A copy: the header is every chunk's AAD, and what we push belongs to the consumer.
    this.push(Buffer.from(this.#file.header));
  }

  #seal(plaintext: Buffer[], last: boolean): void {
    for (const piece of this.#file.sealer.seal(this.#index, last, plaintext)) this.push(piece);
    this.#index += 1;
  }
}
