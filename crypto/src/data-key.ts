// A key that encrypts data: a project DEK, a subject key, or a tenant index key. The key ring
// hands these out after unwrapping; tests and tools may make them directly.
import { CryptoError } from './errors.ts';
import { KeyKind, newKeyId, type DataKeyKind } from './key-id.ts';
import { KEY_LENGTH, SecretKey, secretOf } from './secret-key.ts';
import { cryptoRandomBytes, type RandomBytes } from './seams.ts';

const DATA_KINDS: readonly string[] = [KeyKind.Dek, KeyKind.Subject, KeyKind.Index];

export class DataKey extends SecretKey {
  declare readonly kind: DataKeyKind;

  constructor(keyId: string, kind: DataKeyKind, bytes: Uint8Array) {
    if (!DATA_KINDS.includes(kind)) {
      throw new CryptoError('KEY_INVALID', `A ${String(kind)} key does not encrypt data.`);
    }
    super(keyId, kind, bytes);
  }

  /** A fresh random key with a fresh id, outside any key ring (tests, tools). */
  static generate(kind: DataKeyKind = KeyKind.Dek, random: RandomBytes = cryptoRandomBytes): DataKey {
    const bytes = random(KEY_LENGTH);
    try {
      return new DataKey(newKeyId(kind, random), kind, bytes);
    } finally {
      bytes.fill(0);
    }
  }
}

/** Resolves the key id named by a ciphertext; throws KEY_UNKNOWN or KEY_DESTROYED. */
export type KeyResolver = (keyId: string) => Promise<DataKey>;

/**
 * A copy of the key bytes, for handing a project DEK to a node that holds a live assignment
 * (the control plane's data-key route, over mutual TLS). The caller zero-fills the copy once
 * sent. Nothing else should need the raw bytes.
 */
export function exportDataKey(key: DataKey): Buffer {
  return Buffer.from(secretOf(key));
}
