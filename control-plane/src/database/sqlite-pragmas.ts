// Settings applied to every SQLite connection the ORM opens (they are per connection, except
// journal_mode which the file keeps). A test reads each back.
//
// synchronous=FULL, not NORMAL: in WAL mode NORMAL keeps the file consistent but may lose the
// last commits on power loss. The database holds security records — a consumed enrollment
// token, a revocation, an issuance-log entry, an outbox row already promised to a client — and
// un-doing one of those after a power cut is worse than the extra fsync per commit, which the
// control plane's write rate (accounts, jobs, heartbeats) easily affords.
export const SQLITE_PRAGMAS = [
  { name: 'journal_mode', set: 'WAL', expect: 'wal' },
  /** Wait up to 5 s for a lock held by another connection (admin CLI, backup) instead of failing. */
  { name: 'busy_timeout', set: '5000', expect: 5000 },
  { name: 'foreign_keys', set: 'ON', expect: 1 },
  /** Deleted content is overwritten, so erased client data does not linger in free pages. */
  { name: 'secure_delete', set: 'ON', expect: 1 },
  { name: 'synchronous', set: 'FULL', expect: 2 },
] as const;

/** The part of a Kysely connection that onCreateConnection receives and we use. */
export interface RawConnection {
  executeQuery(query: { sql: string; parameters: readonly unknown[]; query?: unknown }): Promise<unknown>;
}

export async function applyPragmas(connection: RawConnection): Promise<void> {
  for (const pragma of SQLITE_PRAGMAS) {
    await connection.executeQuery({ sql: `pragma ${pragma.name} = ${pragma.set}`, parameters: [] });
  }
}
