// SQLite's own consistency check. quick_check (not integrity_check) because it is O(N) rather
// than O(N log N) and still finds corrupt pages and malformed records; it skips only the
// index-content cross-check, which integrity_check can do by hand when quick_check is clean
// but something still looks wrong.
import type { MikroORM } from '@mikro-orm/sqlite';

export interface QuickCheckResult {
  readonly ok: boolean;
  /** "ok", or the first problems SQLite reported. */
  readonly detail: string;
}

const MAX_REPORTED = 5;

export async function quickCheck(orm: MikroORM): Promise<QuickCheckResult> {
  const rows = await orm.em
    .fork()
    .getConnection()
    .execute<{ quick_check: string }[]>(`pragma quick_check(${MAX_REPORTED})`);
  const lines = rows.map((row) => row.quick_check);
  const ok = lines.length === 1 && lines[0] === 'ok';
  return { ok, detail: ok ? 'ok' : lines.join('; ') };
}
