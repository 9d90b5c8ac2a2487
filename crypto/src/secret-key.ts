// Key material lives in one place: a module-private WeakMap from key object to its bytes. The
// key objects themselves carry only id and kind, so logging, JSON.stringify or util.inspect of a
// key can never print the secret, and code outside this package has no accessor for it.
// destroy() zero-fills the bytes, so a destroyed key held by someone still fails loudly.
import { CryptoError } from './errors.ts';
import { assertKeyId, type KeyKind } from './key-id.ts';

export const KEY_LENGTH = 32;

const material = new WeakMap<SecretKey, Buffer>();

export class SecretKey {
  readonly keyId: string;
  readonly kind: KeyKind;
  #destroyed = false;

  constructor(keyId: string, kind: KeyKind, bytes: Uint8Array) {
    assertKeyId(keyId);
    if (bytes.length !== KEY_LENGTH) {
      throw new CryptoError(
        'INVALID_ARGUMENT',
        `A ${kind} key must be ${KEY_LENGTH} bytes, not ${bytes.length}.`,
      );
    }
    this.keyId = keyId;
    this.kind = kind;
    // A private copy: the caller may zero or reuse its buffer.
    material.set(this, Buffer.from(bytes));
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Zero-fills the key bytes held by this object. Idempotent. */
  destroy(): void {
    material.get(this)?.fill(0);
    this.#destroyed = true;
  }

  toJSON(): { keyId: string; kind: KeyKind } {
    return { keyId: this.keyId, kind: this.kind };
  }
}

/** The raw bytes, for this package's primitives only (not exported from the package). */
export function secretOf(key: SecretKey): Buffer {
  const bytes = material.get(key);
  if (bytes === undefined || key.destroyed) {
    throw new CryptoError('KEY_DESTROYED', `Key ${key.keyId} has been destroyed; its material is gone.`);
  }
  return bytes;
}
