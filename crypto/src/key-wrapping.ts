// Wrapping a key under its parent (master → KEK, KEK → DEK/subject/index key) with AES-256-GCM
// under a wrapping subkey of the parent. The AAD binds what the wrapped bytes are (kind, key
// id, parent id, tenant), so a wrapped DEK cannot be relabelled as another key, moved to
// another tenant or passed off as a KEK.
import type { EncryptedField } from '@enclave/contracts';
import { ENCRYPTED_FIELD_ALG } from '@enclave/contracts';
import { aeadOpen, aeadSeal, joinAad } from './aead.ts';
import { CryptoError } from './errors.ts';
import { deriveSubkey } from './key-derivation.ts';
import type { StoredKeyKind, WrappedKeyRecord } from './key-store.ts';
import { secretOf, type SecretKey } from './secret-key.ts';
import type { RandomBytes } from './seams.ts';

export const WRAP_INFO = 'enclave/key-wrap/v1';

export interface KeyLabel {
  readonly keyId: string;
  readonly kind: StoredKeyKind;
  readonly tenantId: string;
  readonly createdAt: string;
}

export function wrapKey(
  parent: SecretKey,
  label: KeyLabel,
  material: Buffer,
  random: RandomBytes,
): WrappedKeyRecord {
  const wrapKeyBytes = deriveSubkey(secretOf(parent), WRAP_INFO);
  try {
    const box = aeadSeal(wrapKeyBytes, material, wrapAad(label, parent.keyId), random);
    const wrapped: EncryptedField = {
      keyId: parent.keyId,
      alg: ENCRYPTED_FIELD_ALG,
      iv: box.iv.toString('base64url'),
      ct: box.ct.toString('base64url'),
      tag: box.tag.toString('base64url'),
    };
    const { keyId, kind, tenantId, createdAt } = label;
    return { keyId, kind, tenantId, parentId: parent.keyId, createdAt, wrapped };
  } finally {
    wrapKeyBytes.fill(0);
  }
}

/** The key bytes (the caller zeroes them), or KEY_UNWRAP_FAILED. */
export function unwrapKey(parent: SecretKey, record: WrappedKeyRecord): Buffer {
  if (record.parentId !== parent.keyId || record.wrapped.keyId !== parent.keyId) {
    throw new CryptoError(
      'KEY_UNWRAP_FAILED',
      `Key ${record.keyId} is wrapped under ${record.parentId}, not under ${parent.keyId}.`,
    );
  }
  const wrapKeyBytes = deriveSubkey(secretOf(parent), WRAP_INFO);
  try {
    const box = {
      iv: Buffer.from(record.wrapped.iv, 'base64url'),
      ct: Buffer.from(record.wrapped.ct, 'base64url'),
      tag: Buffer.from(record.wrapped.tag, 'base64url'),
    };
    const material = aeadOpen(wrapKeyBytes, box, wrapAad(record, parent.keyId));
    if (material === undefined) {
      throw new CryptoError(
        'KEY_UNWRAP_FAILED',
        `Wrapped key ${record.keyId} does not unwrap under ${parent.keyId}: the key store is corrupt or was tampered with.`,
      );
    }
    return material;
  } finally {
    wrapKeyBytes.fill(0);
  }
}

function wrapAad(label: Pick<KeyLabel, 'keyId' | 'kind' | 'tenantId'>, parentId: string): Buffer {
  return joinAad([WRAP_INFO, label.kind, label.keyId, parentId, label.tenantId]);
}
