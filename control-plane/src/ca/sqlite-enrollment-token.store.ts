// certs' EnrollmentTokenStore over SQLite. `consume` is one conditional UPDATE, so a token
// works exactly once however many enrollments race, in this process or another.
import type { EnrollmentRecord, EnrollmentTokenStore } from '@enclave/certs';
import type { MikroORM } from '@mikro-orm/sqlite';
import { EnrollmentToken, type EnrollmentTokenRow } from '../database/entities/enrollment-token.entity.ts';

export class SqliteEnrollmentTokenStore implements EnrollmentTokenStore {
  constructor(private readonly orm: MikroORM) {}

  async save(record: EnrollmentRecord): Promise<void> {
    const em = this.orm.em.fork();
    await em.upsert(EnrollmentToken, {
      secretHash: record.secretHash,
      name: record.name,
      profile: record.profile,
      serverAuth: record.serverAuth,
      dnsNames: [...record.dnsNames],
      ipAddresses: [...record.ipAddresses],
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      createdBy: record.createdBy,
      usedAt: record.usedAt ?? null,
    });
  }

  async find(secretHash: string): Promise<EnrollmentRecord | undefined> {
    const row = await this.orm.em.fork().findOne(EnrollmentToken, { secretHash });
    return row ? toRecord(row) : undefined;
  }

  async consume(secretHash: string, usedAt: string): Promise<boolean> {
    const changed = await this.orm.em
      .fork()
      .nativeUpdate(EnrollmentToken, { secretHash, usedAt: null }, { usedAt });
    return changed === 1;
  }

  async list(): Promise<EnrollmentRecord[]> {
    const rows = await this.orm.em.fork().find(EnrollmentToken, {}, { orderBy: { createdAt: 'asc' } });
    return rows.map(toRecord);
  }
}

function toRecord(row: EnrollmentTokenRow): EnrollmentRecord {
  return {
    secretHash: row.secretHash,
    name: row.name,
    profile: row.profile,
    serverAuth: row.serverAuth,
    dnsNames: row.dnsNames,
    ipAddresses: row.ipAddresses,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    createdBy: row.createdBy,
    ...(row.usedAt !== null && row.usedAt !== undefined ? { usedAt: row.usedAt } : {}),
  };
}
