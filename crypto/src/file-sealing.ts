// What starting a new encrypted file means, shared by the stream and the one-shot encryptor so
// both write byte-identical files: a fresh salt, the per-file keys, the header, a sealer.
import { ChunkSealer } from './chunk-cipher.ts';
import type { DataKey } from './data-key.ts';
import { encodeHeader } from './file-header.ts';
import { deriveFileKeys, type FileKeys } from './key-derivation.ts';
import { secretOf } from './secret-key.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';
import { DEFAULT_CHUNK_SIZE, SALT_LENGTH, chunkExponent } from './stream-format.ts';

export interface EncryptOptions {
  /** The data key (project DEK or subject key); its id is written into the header. */
  readonly key: DataKey;
  /** A power of two from 64 KiB to 1 MiB; default 1 MiB. */
  readonly chunkSize?: number;
  /** Source of the salt; injected by tests for reproducible vectors. */
  readonly random?: RandomBytes;
}

export interface NewFile {
  readonly header: Buffer;
  readonly chunkSize: number;
  readonly keys: FileKeys;
  readonly sealer: ChunkSealer;
}

export function startFile(options: EncryptOptions): NewFile {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  chunkExponent(chunkSize);
  const salt = (options.random ?? cryptoRandomBytes)(SALT_LENGTH);
  const keys = deriveFileKeys(secretOf(options.key), salt, options.key.keyId);
  const header = encodeHeader({ keyId: options.key.keyId, chunkSize, salt }, keys.headerKey);
  return { header, chunkSize, keys, sealer: new ChunkSealer(keys, header) };
}
