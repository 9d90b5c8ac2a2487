// One error type for the package. Callers (the control plane's HTTP layer, the agent's task
// runner) branch on `code`, and map it to a contract ErrorCode in exactly one place
// (contractCodeFor). Messages are written for the person who has to act, say which chunk or
// byte offset failed, and never contain key material or plaintext.
import { ErrorCode } from '@enclave/contracts';

export const CryptoErrorCode = {
  /** The bytes are not an Enclave encrypted file, or its header is malformed. */
  HEADER_INVALID: 'HEADER_INVALID',
  /** A format version this reader does not implement. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** An algorithm id this reader does not implement. */
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED_ALGORITHM',
  /** The header's MAC does not verify: the header was edited, or the key is not the one that sealed it. */
  HEADER_AUTH_FAILED: 'HEADER_AUTH_FAILED',
  /** A chunk's tag does not verify: modified, reordered, duplicated or from another file. */
  CHUNK_AUTH_FAILED: 'CHUNK_AUTH_FAILED',
  /** The stream ends before its final chunk. */
  TRUNCATED: 'TRUNCATED',
  /** Bytes follow the final chunk. */
  TRAILING_DATA: 'TRAILING_DATA',
  /** The plaintext is longer than 2^32 chunks. */
  TOO_MANY_CHUNKS: 'TOO_MANY_CHUNKS',
  /** An option is outside its allowed range (chunk size, key length, sizes). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  KEY_UNKNOWN: 'KEY_UNKNOWN',
  /** The key was destroyed (crypto-shredded): what it protected is gone for good. */
  KEY_DESTROYED: 'KEY_DESTROYED',
  /** A key of the wrong kind for the operation (a KEK used for data, a DEK used for an index). */
  KEY_INVALID: 'KEY_INVALID',
  /** A sealed value names a different key than the one given to open it. */
  KEY_MISMATCH: 'KEY_MISMATCH',
  /** A tenant already has the key being created. */
  KEY_EXISTS: 'KEY_EXISTS',
  /** A wrapped key does not unwrap under its parent: the key store is corrupt or was tampered with. */
  KEY_UNWRAP_FAILED: 'KEY_UNWRAP_FAILED',
  KEY_STORE_CORRUPT: 'KEY_STORE_CORRUPT',
  /** No master key: the key file is absent or no passphrase was given. */
  MASTER_KEY_MISSING: 'MASTER_KEY_MISSING',
  /** The key file can be read by others than its owner. */
  MASTER_KEY_INSECURE: 'MASTER_KEY_INSECURE',
  /** The key file or passphrase parameters are malformed. */
  MASTER_KEY_INVALID: 'MASTER_KEY_INVALID',
  /** A well-formed master key that is not the one the key store was sealed with (wrong passphrase, wrong file). */
  MASTER_KEY_WRONG: 'MASTER_KEY_WRONG',
  PASSPHRASE_WEAK: 'PASSPHRASE_WEAK',
  FIELD_INVALID: 'FIELD_INVALID',
  FIELD_AUTH_FAILED: 'FIELD_AUTH_FAILED',
  FIELD_TOO_LARGE: 'FIELD_TOO_LARGE',
} as const;

export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}

/**
 * The contract code for a crypto failure. Integrity failures of our own stored data are
 * INTERNAL (the caller did nothing wrong; an operator must look); a destroyed key is GONE,
 * because the data it protected has been erased on purpose. The switch is exhaustive.
 */
export function contractCodeFor(code: CryptoErrorCode): ErrorCode {
  switch (code) {
    case CryptoErrorCode.KEY_DESTROYED:
      return ErrorCode.GONE;
    case CryptoErrorCode.KEY_UNKNOWN:
      return ErrorCode.NOT_FOUND;
    case CryptoErrorCode.KEY_EXISTS:
      return ErrorCode.CONFLICT;
    case CryptoErrorCode.UNSUPPORTED_VERSION:
      return ErrorCode.UNSUPPORTED_VERSION;
    case CryptoErrorCode.INVALID_ARGUMENT:
    case CryptoErrorCode.FIELD_INVALID:
    case CryptoErrorCode.KEY_MISMATCH:
    case CryptoErrorCode.KEY_INVALID:
      return ErrorCode.VALIDATION_FAILED;
    case CryptoErrorCode.FIELD_TOO_LARGE:
    case CryptoErrorCode.TOO_MANY_CHUNKS:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case CryptoErrorCode.MASTER_KEY_MISSING:
    case CryptoErrorCode.MASTER_KEY_INSECURE:
    case CryptoErrorCode.MASTER_KEY_INVALID:
    case CryptoErrorCode.MASTER_KEY_WRONG:
    case CryptoErrorCode.PASSPHRASE_WEAK:
      return ErrorCode.CONFIG_INVALID;
    case CryptoErrorCode.HEADER_INVALID:
    case CryptoErrorCode.UNSUPPORTED_ALGORITHM:
    case CryptoErrorCode.HEADER_AUTH_FAILED:
    case CryptoErrorCode.CHUNK_AUTH_FAILED:
    case CryptoErrorCode.TRUNCATED:
    case CryptoErrorCode.TRAILING_DATA:
    case CryptoErrorCode.FIELD_AUTH_FAILED:
    case CryptoErrorCode.KEY_UNWRAP_FAILED:
    case CryptoErrorCode.KEY_STORE_CORRUPT:
      return ErrorCode.INTERNAL;
    default: {
      const unhandled: never = code;
      throw new Error(`No contract code for crypto error ${String(unhandled)}`);
    }
  }
}

/** Quotes untrusted text for a message, cut short so a hostile value cannot flood a log line. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? value.slice(0, max) + '…' : value);
}
