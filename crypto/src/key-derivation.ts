// Every key used directly by a cipher is derived for one purpose with HKDF-SHA256, so a DEK is
// never itself an AES key: its file keys, field key and wrapping key cannot collide.
import { hkdfSync } from 'node:crypto';
import { HEADER_MAC_LENGTH, NONCE_PREFIX_LENGTH } from './stream-format.ts';
import { KEY_LENGTH } from './secret-key.ts';

export const FILE_INFO_PREFIX = 'enclave/file/v1';

export interface FileKeys {
  /** AES-256-GCM key for this file's chunks. */
  readonly fileKey: Buffer;
  /** First 7 bytes of every chunk nonce. */
  readonly noncePrefix: Buffer;
  /** HMAC-SHA256 key for the header MAC. */
  readonly headerKey: Buffer;
}

/**
 * OKM = HKDF-SHA256(IKM = data key, salt = the header's 32-byte salt,
 * info = "enclave/file/v1" || key id (ASCII), L = 71): file key | nonce prefix | header key.
 */
export function deriveFileKeys(dataKey: Buffer, salt: Buffer, keyId: string): FileKeys {
  const info = Buffer.concat([Buffer.from(FILE_INFO_PREFIX, 'ascii'), Buffer.from(keyId, 'ascii')]);
  const okm = Buffer.from(
    hkdfSync('sha256', dataKey, salt, info, KEY_LENGTH + NONCE_PREFIX_LENGTH + HEADER_MAC_LENGTH),
  );
  return {
    fileKey: okm.subarray(0, KEY_LENGTH),
    noncePrefix: okm.subarray(KEY_LENGTH, KEY_LENGTH + NONCE_PREFIX_LENGTH),
    headerKey: okm.subarray(KEY_LENGTH + NONCE_PREFIX_LENGTH),
  };
}

/** Zero-fills the derived keys once a stream is done with them. */
export function zeroFileKeys(keys: FileKeys): void {
  keys.fileKey.fill(0);
  keys.noncePrefix.fill(0);
  keys.headerKey.fill(0);
}

/** A 32-byte subkey for one purpose, with an empty salt (the input is already a uniform key). */
export function deriveSubkey(key: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from(info, 'utf8'), KEY_LENGTH));
}
