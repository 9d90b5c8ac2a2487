// One encrypted file written over many sittings (a resumable upload): the caller seals chunk
// by chunk with explicit indexes and keeps the header, so a later process can pick the file up
// again from its header alone. The bytes are exactly those of createEncryptStream (same header,
// same STREAM nonces), so every reader of the format reads the result.
//
// The caller must know up front which chunk is the last (a declared total size), because a
// sealed chunk's nonce carries that flag; and it must never seal two different plaintexts under
// one index (the AES-GCM nonce would repeat). Re-sealing the same plaintext is harmless: it
// gives the same bytes.
import { ChunkSealer } from './chunk-cipher.ts';
import type { DataKey } from './data-key.ts';
import { CryptoError } from './errors.ts';
import { parseHeader, verifyHeaderMac } from './file-header.ts';
import { startFile, type EncryptOptions } from './file-sealing.ts';
import { deriveFileKeys, zeroFileKeys, type FileKeys } from './key-derivation.ts';
import { secretOf } from './secret-key.ts';
import { TAG_LENGTH } from './stream-format.ts';

export interface ChunkWriter {
  /** The file's header: the first bytes of the file, and what `resumeChunkWriter` needs. */
  readonly header: Buffer;
  readonly chunkSize: number;
  /** Ciphertext of chunk `index` (`chunkSize` bytes unless `last`), the tag last. */
  seal(index: number, last: boolean, plaintext: readonly Buffer[]): Buffer[];
  /** Zero-fills the derived keys. */
  close(): void;
}

/** A new file: fresh salt and header. */
export function startChunkWriter(options: EncryptOptions): ChunkWriter {
  const file = startFile(options);
  return new Writer(file.header, file.chunkSize, file.keys, file.sealer);
}

/**
 * Continues a file begun by `startChunkWriter`: `header` is its stored header. Fails with
 * HEADER_AUTH_FAILED when `key` is not the key the header was written under.
 */
export function resumeChunkWriter(key: DataKey, header: Buffer): ChunkWriter {
  const parsed = parseHeader(header);
  if (!('header' in parsed) || parsed.header.bytes.length !== header.length) {
    throw new CryptoError('HEADER_INVALID', 'The stored header of the partial file is incomplete.');
  }
  if (parsed.header.keyId !== key.keyId) {
    throw new CryptoError(
      'KEY_MISMATCH',
      `The partial file is under key ${parsed.header.keyId}, not ${key.keyId}.`,
    );
  }
  const keys = deriveFileKeys(secretOf(key), parsed.header.salt, key.keyId);
  try {
    verifyHeaderMac(parsed.header, keys.headerKey);
  } catch (error) {
    zeroFileKeys(keys);
    throw error;
  }
  const bytes = parsed.header.bytes;
  return new Writer(bytes, parsed.header.chunkSize, keys, new ChunkSealer(keys, bytes));
}

/** Bytes on disk of `plaintextBytes` of whole chunks (each chunk adds its tag). */
export function sealedLength(plaintextBytes: number, chunkSize: number): number {
  return plaintextBytes + Math.ceil(plaintextBytes / chunkSize) * TAG_LENGTH;
}

class Writer implements ChunkWriter {
  readonly header: Buffer;
  readonly chunkSize: number;
  readonly #keys: FileKeys;
  readonly #sealer: ChunkSealer;

  constructor(header: Buffer, chunkSize: number, keys: FileKeys, sealer: ChunkSealer) {
    this.header = header;
    this.chunkSize = chunkSize;
    this.#keys = keys;
    this.#sealer = sealer;
  }

  seal(index: number, last: boolean, plaintext: readonly Buffer[]): Buffer[] {
    const length = plaintext.reduce((sum, piece) => sum + piece.length, 0);
    if (
      length > this.chunkSize ||
      (!last && length !== this.chunkSize) ||
      (last && length === 0 && index > 0)
    ) {
      throw new CryptoError(
        'INVALID_ARGUMENT',
        `Chunk ${index} has ${length} bytes: only the last chunk may be shorter than ${this.chunkSize}, and only chunk 0 may be empty.`,
      );
    }
    return this.#sealer.seal(index, last, plaintext);
  }

  close(): void {
    zeroFileKeys(this.#keys);
  }
}
