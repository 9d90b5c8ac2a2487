// `enclave keys reapply-journal [--journal FILE]` (node control-plane/dist/cli/keys.js): the
// operator's step after restoring a key (database) backup, with the control plane stopped. It
// re-applies the destroyed-keys journal file beside the database — every key destroyed since
// the backup is deleted again, its project marked erased, and each one recorded in the audit
// log — exactly what the next start-up would do, but now, with a report. --journal merges an
// off-box copy of the journal first (its hash chain is checked). Output is one JSON line; a
// failure is one line on stderr starting with `enclave keys:` (exit 2 for usage, 1 otherwise).
import type { Env } from '@enclave/contracts';
import { access, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openAuditTrail } from '../audit/audit-trail.factory.ts';
import { recordReapplied } from '../audit/key-destruction.auditor.ts';
import { SystemClock } from '../common/clock.ts';
import { loadDatabaseConfig } from '../config/control-plane.config.ts';
import { openDatabase } from '../database/database-opener.ts';
import { databasePath } from '../database/orm-options.ts';
import { DestroyedKeysJournal, journalFilePath, verifyLines } from '../keys/destroyed-keys.journal.ts';
import { reconcileDestroyedKeys, reconciliationFields } from '../keys/journal-reconciliation.ts';
import { SqliteKeyStore } from '../keys/sqlite-key-store.ts';
import type { CliIo } from './admin-cli.ts';

const USAGE = `usage:
  enclave keys reapply-journal [--journal FILE]
    re-apply the destroyed-keys journal after restoring a key (database) backup; run it with the
    control plane stopped. --journal FILE: also merge this copy of the journal (e.g. kept off the appliance).
environment: ENCLAVE_DATA_DIR (the directory holding enclave.db and destroyed-keys.journal)`;

export async function runKeysCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  let values;
  try {
    const [command, ...rest] = argv;
    if (command !== 'reapply-journal') throw new Error('unknown command');
    ({ values } = parseArgs({ args: [...rest], options: { journal: { type: 'string' } } }));
  } catch {
    io.err(`enclave keys: ${USAGE}`);
    return 2;
  }
  try {
    const config = loadDatabaseConfig(env);
    // A wrong ENCLAVE_DATA_DIR must not quietly create an empty database and journal.
    const database = databasePath(config.ENCLAVE_DATA_DIR);
    await access(database).catch(() => {
      throw new Error(
        `There is no database at ${database}: set ENCLAVE_DATA_DIR to the appliance's data directory.`,
      );
    });
    const copy =
      values.journal === undefined
        ? []
        : verifyLines(values.journal, await readFile(values.journal, 'utf8')).map((line) => line.entry);
    const journal = await DestroyedKeysJournal.open(journalFilePath(config.ENCLAVE_DATA_DIR));
    const { orm } = await openDatabase(config.ENCLAVE_DATA_DIR);
    try {
      const result = await reconcileDestroyedKeys(new SqliteKeyStore(orm, journal), journal, orm, copy);
      await recordReapplied(await openAuditTrail(orm, config.ENCLAVE_DATA_DIR, new SystemClock()), result);
      io.out(
        JSON.stringify({
          journalFile: journal.file,
          tornBytesCut: journal.tornBytes,
          ...reconciliationFields(result),
        }),
      );
      return 0;
    } finally {
      await orm.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').join(' ') : String(error);
    io.err(`enclave keys: ${message}`);
    return 1;
  }
}
