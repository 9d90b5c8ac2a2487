// The stream stages an asset passes through on its way to disk: a byte limit (413), the
// media-type check on the first bytes (415), a SHA-256 meter of what is stored, and the
// verifying tap for ciphertext a node uploads (every chunk tag checked, the plaintext dropped).
import { ContractError, ErrorCode } from '@enclave/contracts';
import { createDecryptStream, isCryptoError, type KeyResolver } from '@enclave/crypto';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { UploadMediaType } from '@enclave/contracts';
import { matchesMediaType, SNIFF_BYTES } from './media-sniff.ts';

export function tooLarge(limit: number): ContractError {
  return new ContractError(
    ErrorCode.PAYLOAD_TOO_LARGE,
    `The file is larger than the limit of ${limit} bytes (ENCLAVE_ASSET_LIMIT_BYTES); nothing was stored.`,
  );
}

/** Fails with 413 as soon as more than `limit` bytes went through. */
export class ByteLimit extends Transform {
  #seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) callback(tooLarge(this.limit));
    else callback(null, chunk);
  }
}

/** Counts and hashes the bytes going through (the stored ciphertext). */
export class Sha256Meter extends Transform {
  readonly #hash = createHash('sha256');
  bytes = 0;
  #digest: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#digest = this.#hash.digest('hex');
    callback();
  }

  get sha256(): string {
    if (this.#digest === undefined) throw new Error('The meter has not finished.');
    return this.#digest;
  }
}

/**
 * Holds back the first bytes until the media-type check can run, then lets everything through;
 * fails with 415 when the bytes are not of the declared type (or there are none).
 */
export class MediaTypeGate extends Transform {
  readonly #held: Buffer[] = [];
  #heldBytes = 0;
  #open = false;

  constructor(private readonly mediaType: UploadMediaType) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#open) return callback(null, chunk);
    this.#held.push(chunk);
    this.#heldBytes += chunk.length;
    if (this.#heldBytes < SNIFF_BYTES) return callback();
    callback(this.#release());
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#open ? null : this.#release());
  }

  #release(): Error | null {
    const all = Buffer.concat(this.#held);
    this.#held.length = 0;
    if (!matchesMediaType(this.mediaType, all.subarray(0, SNIFF_BYTES))) {
      all.fill(0);
      return new ContractError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        all.length === 0
          ? 'The upload is empty.'
          : `The file's first bytes are not those of ${this.mediaType}, the declared Content-Type; send the right Content-Type.`,
      );
    }
    this.#open = true;
    this.push(all);
    return null;
  }
}

/**
 * Passes ciphertext through unchanged while a decrypting stream checks it on the side: the
 * header's key must resolve (only the project DEK does) and every chunk tag must verify, or the
 * stream fails before its end and the caller discards what was written. The plaintext the check
 * produces is dropped as it comes.
 */
export class VerifyingTap extends Transform {
  readonly #check: Transform;
  #failure: Error | undefined;
  /** The callback of a chunk waiting for the check to drain (or to fail). */
  #waiting: (() => void) | undefined;
  readonly #finished: Promise<void>;

  constructor(resolveKey: KeyResolver) {
    super();
    this.#check = createDecryptStream({ resolveKey });
    this.#check.on('data', (plain: Buffer) => plain.fill(0));
    this.#check.on('drain', () => this.#wake());
    this.#finished = new Promise((resolve) => {
      this.#check.on('end', resolve);
      this.#check.on('error', (error: Error) => {
        this.#failure = refused(error);
        this.#wake();
        resolve();
      });
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#failure !== undefined) return callback(this.#failure);
    const more = this.#check.write(chunk);
    const pass = (): void => {
      if (this.#failure !== undefined) callback(this.#failure);
      else callback(null, chunk);
    };
    if (more) pass();
    else this.#waiting = pass;
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#failure !== undefined) return callback(this.#failure);
    this.#check.end();
    void this.#finished.then(() => callback(this.#failure ?? null));
  }
}

function refused(error: Error): Error {
  if (error instanceof ContractError) return error;
  if (isCryptoError(error, 'KEY_DESTROYED')) {
    return new ContractError(ErrorCode.GONE, 'This project was erased: its key was destroyed.');
  }
  if (isCryptoError(error)) {
    return new ContractError(
      ErrorCode.VALIDATION_FAILED,
      `The ciphertext does not verify under the project's data key (${error.code}): ${error.message} Nothing was stored.`,
    );
  }
  return error;
}
