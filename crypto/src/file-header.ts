// The header names everything a reader needs (version, algorithm, chunk size, key id, salt) and
// ends with an HMAC under a key derived from the data key. The MAC turns "header edited" and
// "wrong key" into one clear error before any chunk is tried; the full header, MAC included, is
// also every chunk's AAD, so no chunk can be moved to another header.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CryptoError } from './errors.ts';
import { KEY_ID_PATTERN } from './key-id.ts';
import {
  ALG_AES256GCM_HKDF_SHA256,
  FIXED_HEADER_LENGTH,
  FORMAT_VERSION,
  HEADER_MAC_LENGTH,
  MAGIC,
  MAX_CHUNK_EXPONENT,
  MAX_KEY_ID_LENGTH,
  MIN_CHUNK_EXPONENT,
  SALT_LENGTH,
  chunkExponent,
  headerLength,
} from './stream-format.ts';

export interface FileHeader {
  readonly version: number;
  readonly alg: number;
  readonly chunkSize: number;
  readonly keyId: string;
  readonly salt: Buffer;
  readonly mac: Buffer;
  /** The header exactly as stored: the AAD of every chunk. */
  readonly bytes: Buffer;
}

export interface HeaderFields {
  readonly keyId: string;
  readonly chunkSize: number;
  readonly salt: Buffer;
}

/** Serialises a v1 header, MAC included. */
export function encodeHeader(fields: HeaderFields, headerKey: Buffer): Buffer {
  const keyId = Buffer.from(fields.keyId, 'ascii');
  const bytes = Buffer.alloc(headerLength(keyId.length));
  MAGIC.copy(bytes, 0);
  bytes[4] = FORMAT_VERSION;
  bytes[5] = ALG_AES256GCM_HKDF_SHA256;
  bytes[6] = chunkExponent(fields.chunkSize);
  bytes[7] = keyId.length;
  keyId.copy(bytes, FIXED_HEADER_LENGTH);
  fields.salt.copy(bytes, FIXED_HEADER_LENGTH + keyId.length);
  const macOffset = FIXED_HEADER_LENGTH + keyId.length + SALT_LENGTH;
  headerMac(headerKey, bytes.subarray(0, macOffset)).copy(bytes, macOffset);
  return bytes;
}

/**
 * Parses as much of a header as `bytes` holds. Returns the header, or how many bytes are needed
 * in total before it can be parsed; throws as soon as the bytes seen so far are not a header,
 * so a reader fed the wrong file fails on its first bytes rather than after buffering.
 */
export function parseHeader(bytes: Buffer): { header: FileHeader } | { needed: number } {
  const magicSeen = bytes.subarray(0, MAGIC.length);
  if (!magicSeen.equals(MAGIC.subarray(0, magicSeen.length))) {
    throw new CryptoError('HEADER_INVALID', 'Not an Enclave encrypted file: it does not start with "ENCL".');
  }
  if (bytes.length > 4 && bytes[4] !== FORMAT_VERSION) {
    throw new CryptoError(
      'UNSUPPORTED_VERSION',
      `Encrypted file format version ${bytes[4]} is not supported (this reader implements version ${FORMAT_VERSION}).`,
    );
  }
  if (bytes.length > 5 && bytes[5] !== ALG_AES256GCM_HKDF_SHA256) {
    throw new CryptoError(
      'UNSUPPORTED_ALGORITHM',
      `Encrypted file algorithm id ${bytes[5]} is not supported.`,
    );
  }
  const exponent = bytes[6];
  if (exponent !== undefined && (exponent < MIN_CHUNK_EXPONENT || exponent > MAX_CHUNK_EXPONENT)) {
    throw new CryptoError(
      'HEADER_INVALID',
      `Header byte 6 (chunk-size exponent) is ${exponent}; it must be ${MIN_CHUNK_EXPONENT}-${MAX_CHUNK_EXPONENT}.`,
    );
  }
  const keyIdLength = bytes[7];
  if (keyIdLength === undefined || exponent === undefined) return { needed: FIXED_HEADER_LENGTH };
  if (keyIdLength < 1 || keyIdLength > MAX_KEY_ID_LENGTH) {
    throw new CryptoError(
      'HEADER_INVALID',
      `Header byte 7 (key id length) is ${keyIdLength}; it must be 1-${MAX_KEY_ID_LENGTH}.`,
    );
  }
  const length = headerLength(keyIdLength);
  if (bytes.length < length) return { needed: length };

  const keyId = bytes.toString('latin1', FIXED_HEADER_LENGTH, FIXED_HEADER_LENGTH + keyIdLength);
  if (!KEY_ID_PATTERN.test(keyId)) {
    throw new CryptoError(
      'HEADER_INVALID',
      'The header key id (bytes 8…) has characters outside [A-Za-z0-9_-].',
    );
  }
  const own = Buffer.from(bytes.subarray(0, length)); // a copy: it outlives the stream's buffers
  const saltOffset = FIXED_HEADER_LENGTH + keyIdLength;
  return {
    header: {
      version: FORMAT_VERSION,
      alg: ALG_AES256GCM_HKDF_SHA256,
      chunkSize: 2 ** exponent,
      keyId,
      salt: own.subarray(saltOffset, saltOffset + SALT_LENGTH),
      mac: own.subarray(saltOffset + SALT_LENGTH, length),
      bytes: own,
    },
  };
}

/** Throws HEADER_AUTH_FAILED unless the header's MAC verifies under `headerKey`. */
export function verifyHeaderMac(header: FileHeader, headerKey: Buffer): void {
  const expected = headerMac(headerKey, header.bytes.subarray(0, header.bytes.length - HEADER_MAC_LENGTH));
  if (!timingSafeEqual(expected, header.mac)) {
    throw new CryptoError(
      'HEADER_AUTH_FAILED',
      `The header does not authenticate under key ${header.keyId}: the header was modified, or the key ` +
        'with that id is not the one that encrypted this file.',
    );
  }
}

function headerMac(headerKey: Buffer, covered: Buffer): Buffer {
  return createHmac('sha256', headerKey).update(covered).digest();
}
