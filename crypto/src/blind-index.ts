// Equality lookups on encrypted personal data ("is there already a subject with this e-mail?")
// without decrypting every row: the column stores HMAC-SHA256 of the normalised value under a
// per-tenant index key. The HMAC key is derived per column, so equal values in two columns do
// not match each other. A blind index is still a pseudonym: erasing a subject means deleting
// its index values along with the row; destroying the subject key does not cover them.
import { createHmac } from 'node:crypto';
import type { DataKey } from './data-key.ts';
import { CryptoError } from './errors.ts';
import { deriveSubkey } from './key-derivation.ts';
import { KeyKind } from './key-id.ts';
import { secretOf } from './secret-key.ts';

export const BLIND_INDEX_INFO = 'enclave/blind-index/v1';

/** base64url HMAC-SHA256 (43 characters) of `normalisedValue` for `column`, under a tenant index key. */
export function blindIndex(key: DataKey, column: string, normalisedValue: string): string {
  if (key.kind !== KeyKind.Index) {
    throw new CryptoError(
      'KEY_INVALID',
      `Blind indexes use a tenant index key (idx_…), not a ${key.kind} key: an index must be computable ` +
        'before the row, and so its subject, is known.',
    );
  }
  if (column.length === 0 || column.includes('\0')) {
    throw new CryptoError(
      'INVALID_ARGUMENT',
      'A blind-index column name must be non-empty and contain no NUL.',
    );
  }
  const hmacKey = deriveSubkey(secretOf(key), `${BLIND_INDEX_INFO}\0${column}`);
  try {
    return createHmac('sha256', hmacKey).update(normalisedValue, 'utf8').digest('base64url');
  } finally {
    hmacKey.fill(0);
  }
}

/**
 * A common normalisation for identifiers people type (e-mail addresses, names): Unicode NFKC,
 * trimmed, inner whitespace collapsed, lower case. Use the same one on write and on lookup.
 */
export function normaliseForIndex(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}
