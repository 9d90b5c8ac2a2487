// The first time the control plane opens a CA directory, it takes over the records the CLI kept
// in files (issuance log, revocations, enrollment tokens) into SQLite, so the hash chain and
// the CRL numbers carry on where they were. From then on the database is the record: revoke
// and enroll through the control plane (docs/control-plane.md, "The CA's records").
import {
  CA_FILES,
  FileEnrollmentTokenStore,
  FileIssuanceLog,
  FileRevocationStore,
  findBrokenLink,
  readCrlInfo,
  type CrlIssuer,
} from '@enclave/certs';
import type { MikroORM } from '@mikro-orm/sqlite';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IssuanceLogEntry } from '../database/entities/issuance-log-entry.entity.ts';
import type { SqliteEnrollmentTokenStore } from './sqlite-enrollment-token.store.ts';
import type { SqliteRevocationStore } from './sqlite-revocation.store.ts';

export interface AdoptionTargets {
  readonly orm: MikroORM;
  readonly tokens: SqliteEnrollmentTokenStore;
  readonly revocations: SqliteRevocationStore;
}

/** Returns how many log entries were taken over (0 when the database already had its own). */
export async function adoptFileStores(dir: string, to: AdoptionTargets): Promise<number> {
  const em = to.orm.em.fork();
  if ((await em.count(IssuanceLogEntry, {})) > 0) return 0;
  const entries = await new FileIssuanceLog(join(dir, CA_FILES.issuanceLog)).entries();
  const broken = findBrokenLink(entries);
  if (broken !== undefined) {
    throw new Error(
      `The CA's issuance log ${join(dir, CA_FILES.issuanceLog)} is broken at entry ${broken}; it was not imported.`,
    );
  }
  await em.transactional((trx) => {
    for (const entry of entries) {
      trx.create(IssuanceLogEntry, {
        ...entry,
        profile: entry.profile ?? null,
        previousSerial: entry.previousSerial ?? null,
        reason: entry.reason ?? null,
      });
    }
  });
  const files = new FileRevocationStore(join(dir, CA_FILES.revocations));
  await to.revocations.add([...(await files.list('root')), ...(await files.list('intermediate'))]);
  for (const record of await new FileEnrollmentTokenStore(join(dir, CA_FILES.tokens)).list()) {
    await to.tokens.save(record);
  }
  for (const issuer of ['root', 'intermediate'] as const satisfies readonly CrlIssuer[]) {
    await to.revocations.raiseCrlNumber(issuer, await crlNumberOnDisk(dir, issuer));
  }
  return entries.length;
}

async function crlNumberOnDisk(dir: string, issuer: CrlIssuer): Promise<number> {
  try {
    const pem = await readFile(
      join(dir, issuer === 'root' ? CA_FILES.rootCrl : CA_FILES.intermediateCrl),
      'utf8',
    );
    return readCrlInfo(pem).crlNumber ?? 0;
  } catch {
    return 0;
  }
}
