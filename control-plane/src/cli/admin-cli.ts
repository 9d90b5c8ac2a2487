// `node control-plane/dist/cli/admin.js <command>`: operator commands that work on the database
// directly, before anyone can sign in (or with the server stopped). Output is one JSON line;
// a failure is one line on stderr starting with `enclave-admin:` (exit 2 for usage, 1 otherwise).
// Passwords are read from a file (mode 0600, then deleted), never from the command line.
// Accounts' email and name are sealed under subject keys, so the key ring is opened with the
// master key (ENCLAVE_MASTER_KEY_FILE or ENCLAVE_MASTER_PASSPHRASE_FILE, as for the server).
import { RoleSchema } from '@enclave/contracts';
import type { Env } from '@enclave/contracts';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AdminService } from '../admin/admin.service.ts';
import { TenantsRepository } from '../admin/tenants.repository.ts';
import { PasswordHasher } from '../auth/password-hasher.ts';
import { UsersRepository } from '../auth/users.repository.ts';
import { SystemClock } from '../common/clock.ts';
import { CryptoRandomness } from '../common/randomness.ts';
import { loadDatabaseConfig } from '../config/control-plane.config.ts';
import { openDatabase } from '../database/database-opener.ts';
import { openAuditTrail } from '../audit/audit-trail.factory.ts';
import { DestroyedKeysJournal, journalFilePath } from '../keys/destroyed-keys.journal.ts';
import { openKeyRing } from '../keys/master-key.loader.ts';
import { PersonalDataSealer } from '../keys/personal-data.sealer.ts';
import { SqliteKeyStore } from '../keys/sqlite-key-store.ts';
import { SubjectKeys } from '../keys/subject-keys.service.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage:
  admin create-tenant --name <name>
  admin create-user --tenant <id or name> --email <email> --role <it-admin|producer|dpo|client-user> --password-file <path> [--display-name <name>] [--adult-attested]
    (--adult-attested: required for a client-user, who must be 18 or older)
environment: ENCLAVE_DATA_DIR (the directory holding enclave.db), and for create-user the master key:
  ENCLAVE_MASTER_KEY_FILE or ENCLAVE_MASTER_PASSPHRASE_FILE (the server's)`;

class UsageError extends Error {}

export async function runAdminCli(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command !== 'create-tenant' && command !== 'create-user') throw new UsageError(USAGE);
    const { values } = parseArgs({
      args: [...rest],
      options: {
        name: { type: 'string' },
        tenant: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        'password-file': { type: 'string' },
        'display-name': { type: 'string' },
        'adult-attested': { type: 'boolean' },
      },
    });
    const config = loadDatabaseConfig(env);
    const { orm } = await openDatabase(config.ENCLAVE_DATA_DIR);
    try {
      const em = orm.em.fork();
      const clock = new SystemClock();
      const random = new CryptoRandomness();
      const users = new UsersRepository(em);
      const people = async (): Promise<PersonalDataSealer> => {
        const journal = await DestroyedKeysJournal.open(journalFilePath(config.ENCLAVE_DATA_DIR));
        const store = new SqliteKeyStore(orm, journal);
        const ring = await openKeyRing(masterSettings(env), store);
        return new PersonalDataSealer(new SubjectKeys(ring, store));
      };
      const admin = new AdminService(
        new TenantsRepository(em),
        users,
        new PasswordHasher(config, random),
        clock,
        random,
        await openAuditTrail(orm, config.ENCLAVE_DATA_DIR, clock),
        // Only create-user seals; create-tenant works without the master key.
        command === 'create-user' ? await people() : (undefined as unknown as PersonalDataSealer),
      );
      const result =
        command === 'create-tenant'
          ? await admin.createTenant(required(values.name, '--name'))
          : await admin.createUser({
              tenant: required(values.tenant, '--tenant'),
              email: required(values.email, '--email'),
              role: parseRole(required(values.role, '--role')),
              displayName: values['display-name'] ?? required(values.email, '--email'),
              password: await readPassword(required(values['password-file'], '--password-file')),
              adultAttested: values['adult-attested'] === true,
            });
      io.out(JSON.stringify(result));
      return 0;
    } finally {
      await orm.close();
    }
  } catch (error) {
    const usage = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
    const message = error instanceof Error ? error.message.split('\n').join(' ') : String(error);
    io.err(`enclave-admin: ${message}`);
    return usage ? 2 : 1;
  }
}

function masterSettings(env: Env) {
  return {
    ENCLAVE_MASTER_KEY_FILE: env['ENCLAVE_MASTER_KEY_FILE'] || undefined,
    ENCLAVE_MASTER_PASSPHRASE_FILE: env['ENCLAVE_MASTER_PASSPHRASE_FILE'] || undefined,
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required.\n${USAGE}`);
  return value;
}

function parseRole(value: string) {
  const result = RoleSchema.safeParse(value);
  if (!result.success) throw new UsageError(`--role must be one of it-admin, producer, dpo, client-user.`);
  return result.data;
}

async function readPassword(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  return text.replace(/\r?\n$/, '');
}
