// Constants of the chunked file format, v1 (docs/encryption-format.md is the specification;
// the test vectors there are checked by test/format-vectors.test.ts).
import { CryptoError } from './errors.ts';

/** "ENCL": identifies an Enclave encrypted file. */
export const MAGIC = Buffer.from('ENCL', 'ascii');
export const FORMAT_VERSION = 1;
/** Algorithm suite 1: HKDF-SHA256 per-file key, AES-256-GCM STREAM chunks, HMAC-SHA256 header MAC. */
export const ALG_AES256GCM_HKDF_SHA256 = 1;

export const TAG_LENGTH = 16;
export const SALT_LENGTH = 32;
export const HEADER_MAC_LENGTH = 32;
export const NONCE_PREFIX_LENGTH = 7;
export const NONCE_LENGTH = 12;
/** Offset of the key id: magic(4) version(1) alg(1) chunk-size exponent(1) key-id length(1). */
export const FIXED_HEADER_LENGTH = 8;
export const MAX_KEY_ID_LENGTH = 64;

/** Chunk sizes are powers of two from 64 KiB (2^16) to 1 MiB (2^20). */
export const MIN_CHUNK_EXPONENT = 16;
export const MAX_CHUNK_EXPONENT = 20;
/**
 * 1 MiB by default: per-chunk costs (cipher set-up, tag, stream turns) make 64 KiB chunks use
 * about a quarter more CPU per GiB (docs/benchmarks.md); the price is a few MiB buffered per
 * open stream.
 */
export const DEFAULT_CHUNK_SIZE = 1 << MAX_CHUNK_EXPONENT;

/** The 32-bit chunk counter bounds a file to 2^32 chunks (256 TiB at 64 KiB). */
export const MAX_CHUNKS = 2 ** 32;

export function headerLength(keyIdLength: number): number {
  return FIXED_HEADER_LENGTH + keyIdLength + SALT_LENGTH + HEADER_MAC_LENGTH;
}

/** The exponent of a valid chunk size; throws INVALID_ARGUMENT for anything else. */
export function chunkExponent(chunkSize: number): number {
  const exponent = Math.log2(chunkSize);
  if (!Number.isInteger(exponent) || exponent < MIN_CHUNK_EXPONENT || exponent > MAX_CHUNK_EXPONENT) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      `Chunk size ${chunkSize} is not allowed: use a power of two from 65536 (64 KiB) to 1048576 (1 MiB).`,
    );
  }
  return exponent;
}
