// Re-applying the destroyed-keys journal after a key (database) backup was restored: run at
// every start-up before the key ring opens, and by `enclave keys reapply-journal`. Both copies
// of the journal are merged: destructions the database knows but the file lost are appended
// to the file; destructions the file knows but the restored database lost are committed again,
// which deletes any wrapped key material the backup brought back (for a KEK, with every key
// under it) and marks the projects of destroyed DEKs erased, so their assets answer 410.
import { planJournalReapplication, type DestroyedKeyEntry } from '@enclave/crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import type { DestroyedKeysJournal } from './destroyed-keys.journal.ts';
import { ProjectKey } from './key-store.entities.ts';
import type { SqliteKeyStore } from './sqlite-key-store.ts';

export interface ReappliedEntry extends DestroyedKeyEntry {
  /** True when the restored backup held the key's wrapped material, deleted again now. */
  readonly materialDeleted: boolean;
}

export interface JournalReconciliation {
  /** Entries in the journal file after the merge. */
  readonly journalEntries: number;
  /** Destructions only the database knew (a lost or older file, a crash before the append). */
  readonly copiedToFile: number;
  /** Entries taken from an operator-supplied copy of the journal (the CLI's --journal). */
  readonly importedFromCopy: number;
  /** Destructions the restored database had lost, committed again: the keys destroyed again. */
  readonly reapplied: readonly ReappliedEntry[];
  /** Projects whose DEK row was marked destroyed again. */
  readonly projectsMarked: number;
}

export async function reconcileDestroyedKeys(
  store: SqliteKeyStore,
  file: DestroyedKeysJournal,
  orm: MikroORM,
  copy: readonly DestroyedKeyEntry[] = [],
): Promise<JournalReconciliation> {
  const importedFromCopy = await file.append(copy);
  const inStore = await store.journal();
  const copiedToFile = await file.append(inStore);
  const known = new Set(inStore.map((entry) => entry.keyId));
  const plan = await planJournalReapplication(store, file.entries());
  const removed = new Set(plan.removed);
  const reapplied: ReappliedEntry[] = (plan.change.destroyed ?? [])
    .filter((entry) => !known.has(entry.keyId) || removed.has(entry.keyId))
    .map((entry) => ({ ...entry, materialDeleted: removed.has(entry.keyId) }));
  if (reapplied.length > 0) await store.commit(plan.change);
  let projectsMarked = 0;
  const em = orm.em.fork();
  for (const entry of plan.change.destroyed ?? []) {
    if (entry.kind !== 'dek') continue;
    projectsMarked += await em.nativeUpdate(
      ProjectKey,
      { keyId: entry.keyId, destroyedAt: null },
      { destroyedAt: new Date(entry.destroyedAt) },
    );
  }
  return {
    journalEntries: file.entries().length,
    copiedToFile,
    importedFromCopy,
    reapplied,
    projectsMarked,
  };
}

/** The log fields of a reconciliation: key ids and counts, never key material. */
export function reconciliationFields(result: JournalReconciliation): Record<string, unknown> {
  return {
    journalEntries: result.journalEntries,
    copiedToFile: result.copiedToFile,
    importedFromCopy: result.importedFromCopy,
    destroyedAgain: result.reapplied.filter((e) => e.materialDeleted).map((e) => e.keyId),
    mergedIntoStore: result.reapplied.map((e) => e.keyId),
    projectsMarked: result.projectsMarked,
  };
}

/** Nest token of the start-up reconciliation's result (the audit log records it). */
export const JOURNAL_RECONCILIATION = Symbol('JournalReconciliation');
