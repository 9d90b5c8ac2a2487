// Opening the database at start-up, in the only safe order: open with the pragmas, prove the
// file is sound (PRAGMA quick_check), then apply pending migrations. A file that fails any step
// stops boot with a message that names it, before anything else reads or writes.
import { MikroORM } from '@mikro-orm/sqlite';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { databasePath, ormOptions } from './orm-options.ts';
import { quickCheck } from './quick-check.ts';

export class DatabaseUnusableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnusableError';
  }
}

export interface OpenedDatabase {
  readonly orm: MikroORM;
  readonly file: string;
  /** Names of the migrations this start applied (empty when the schema was current). */
  readonly applied: readonly string[];
}

export async function openDatabase(dataDir: string): Promise<OpenedDatabase> {
  const file = databasePath(dataDir);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(ormOptions({ file }));
  } catch (cause) {
    throw unusable(file, `cannot be opened as SQLite (${describe(cause)})`, cause);
  }
  try {
    const check = await quickCheck(orm);
    if (!check.ok) throw unusable(file, `failed its integrity check: ${check.detail}`);
    const applied = await orm.migrator.up();
    return { orm, file, applied: applied.map((m) => m.name) };
  } catch (cause) {
    await orm.close();
    if (cause instanceof DatabaseUnusableError) throw cause;
    throw unusable(file, `could not be checked or migrated (${describe(cause)})`, cause);
  }
}

function unusable(file: string, what: string, cause?: unknown): DatabaseUnusableError {
  return new DatabaseUnusableError(
    `The database ${file} ${what}. The control plane will not start on it: restore the file from a backup (docs/control-plane.md, "Database").`,
    { cause },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
