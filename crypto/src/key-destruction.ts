// What crypto-shredding changes in a key store, worked out as one KeyStoreChange so the
// deletion and its journal entry are committed together: there is never a deleted key without
// a journal line, nor a journal line for a key whose material is still there.
import { createHash } from 'node:crypto';
import { CryptoError, quote } from './errors.ts';
import { KeyKind } from './key-id.ts';
import type { DestroyedKeyEntry, KeyStore, KeyStoreChange } from './key-store.ts';
import { parseJournal } from './key-store-state.ts';

export const MAX_REASON_LENGTH = 1000;

export interface DestructionPlan {
  readonly change: KeyStoreChange;
  /** The journal entries this change adds (the key, and for a KEK every key under it). */
  readonly entries: DestroyedKeyEntry[];
}

/** Destroying `keyId` (and, for a KEK, its children); no entries when it is already destroyed. */
export async function planDestruction(
  store: KeyStore,
  keyId: string,
  reason: string,
  destroyedAt: string,
): Promise<DestructionPlan> {
  if (reason.trim().length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw new CryptoError('INVALID_ARGUMENT', `A destruction reason is 1-${MAX_REASON_LENGTH} characters.`);
  }
  const record = await store.get(keyId);
  if (record === undefined) {
    if ((await store.destroyedEntry(keyId)) !== undefined) return { change: {}, entries: [] };
    throw new CryptoError('KEY_UNKNOWN', `There is no key ${quote(keyId)} to destroy.`);
  }
  const children = record.kind === KeyKind.Kek ? await store.find({ parentId: keyId }) : [];
  const entries = [...children, record].map(({ keyId: id, kind, tenantId }) => ({
    keyId: id,
    kind,
    tenantId,
    destroyedAt,
    reason,
  }));
  return { change: { remove: entries.map((e) => e.keyId), destroyed: entries }, entries };
}

/**
 * Re-applying a journal after a backup restore: every key it names that the store still holds
 * is deleted again (for a KEK, with everything under it), and the journal is merged into the
 * store's. `removed` lists the keys whose material was present.
 */
export async function planJournalReapplication(
  store: KeyStore,
  journal: unknown,
): Promise<{ change: KeyStoreChange; removed: string[] }> {
  const entries = parseJournal(journal);
  const remove = new Set<string>();
  const cascaded: DestroyedKeyEntry[] = [];
  for (const entry of entries) {
    if ((await store.get(entry.keyId)) !== undefined) remove.add(entry.keyId);
    if (entry.kind !== KeyKind.Kek) continue;
    for (const child of await store.find({ parentId: entry.keyId })) {
      remove.add(child.keyId);
      const { keyId, kind, tenantId } = child;
      cascaded.push({ keyId, kind, tenantId, destroyedAt: entry.destroyedAt, reason: entry.reason });
    }
  }
  return { change: { remove: [...remove], destroyed: [...entries, ...cascaded] }, removed: [...remove] };
}

/**
 * SHA-256 (hex) over the journal, one line per entry with a fixed field order: what the audit
 * log anchors in its signed checkpoints, so a journal that lost an entry (a key that would
 * come back with a restored backup) no longer matches.
 */
export function digestJournal(journal: readonly DestroyedKeyEntry[]): string {
  const hash = createHash('sha256');
  for (const { keyId, kind, tenantId, destroyedAt, reason } of journal) {
    hash.update(JSON.stringify([keyId, kind, tenantId, destroyedAt, reason]) + '\n');
  }
  return hash.digest('hex');
}
