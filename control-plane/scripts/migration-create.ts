// `npm run migration:create -w @enclave/control-plane [-- --name add-outbox]`: writes the next
// migration for whatever the entities (src/database/entities.ts) have that the existing
// migrations do not. It applies every migration to a scratch database, asks MikroORM for the
// difference, writes it as src/database/migrations/Migration<timestamp>_<name>.ts, formats it
// and registers it in migrations/index.ts. Review the SQL before committing it.
import { MikroORM } from '@mikro-orm/sqlite';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { MIGRATIONS } from '../src/database/migrations/index.ts';
import { ormOptions } from '../src/database/orm-options.ts';

const { values } = parseArgs({ options: { name: { type: 'string' } } });
const name = values.name ?? (MIGRATIONS.length === 0 ? 'initial' : undefined);
if (name === undefined || !/^[a-z0-9-]{1,60}$/.test(name)) {
  console.error('migration:create: give --name <lower-case-words-with-hyphens>, e.g. --name add-outbox');
  process.exit(2);
}

const migrationsDir = join(import.meta.dirname, '..', 'src', 'database', 'migrations');
const scratch = await mkdtemp(join(tmpdir(), 'enclave-migration-'));
const orm = await MikroORM.init(ormOptions({ file: join(scratch, 'scratch.db'), migrationsDir }));
try {
  await orm.migrator.up();
  const initial = MIGRATIONS.length === 0;
  const result = await orm.migrator.create(migrationsDir, false, initial, name);
  if (result.fileName === '') {
    console.log('The entities and the migrations already agree: nothing to do.');
  } else {
    await register(result.fileName);
    console.log(`wrote ${join(migrationsDir, result.fileName)}; review its SQL, then commit it.`);
  }
} finally {
  await orm.close();
  await rm(scratch, { recursive: true, force: true });
}

/** Formats the new file and appends it to the MIGRATIONS list, keeping both prettier-clean. */
async function register(fileName: string): Promise<void> {
  const file = join(migrationsDir, fileName);
  await prettify(file, await readFile(file, 'utf8'));
  const className = fileName.replace(/\.ts$/, '');
  const index = join(migrationsDir, 'index.ts');
  const text = await readFile(index, 'utf8');
  const withImport = text.replace(
    /(import type \{ MigrationObject \} from '@mikro-orm\/core';\n)/,
    `$1import { ${className} } from './${fileName}';\n`,
  );
  const entry = `{ name: '${className}', class: ${className} }`;
  const updated = withImport.replace(/= \[([\s\S]*?)\];/, (_all, body: string) =>
    body.trim() === '' ? `= [${entry}];` : `= [${body.trimEnd().replace(/,?$/, ',')} ${entry}];`,
  );
  await prettify(index, updated);
}

async function prettify(file: string, text: string): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(text, { ...options, filepath: file }));
}
