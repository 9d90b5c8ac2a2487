// certs' RevocationStore over SQLite: revoked serials and the CRL number of each issuer.
import { normalizeSerial } from '@enclave/certs';
import type { CrlIssuer, RevocationEntry, RevocationStore } from '@enclave/certs';
import type { MikroORM } from '@mikro-orm/sqlite';
import { CrlNumber } from '../database/entities/crl-number.entity.ts';
import { Revocation, type RevocationRow } from '../database/entities/revocation.entity.ts';

export class SqliteRevocationStore implements RevocationStore {
  constructor(private readonly orm: MikroORM) {}

  add(entries: readonly RevocationEntry[]): Promise<RevocationEntry[]> {
    return this.orm.em.fork().transactional(async (em) => {
      const fresh: RevocationEntry[] = [];
      for (const entry of entries) {
        const serial = normalizeSerial(entry.serial);
        if (fresh.some((e) => e.serial === serial) || (await em.findOne(Revocation, { serial }))) continue;
        const row = { ...entry, serial };
        em.create(Revocation, row);
        fresh.push(row);
      }
      return fresh;
    });
  }

  async find(serial: string): Promise<RevocationEntry | undefined> {
    const row = await this.orm.em.fork().findOne(Revocation, { serial: normalizeSerial(serial) });
    return row ? toEntry(row) : undefined;
  }

  async list(issuer: CrlIssuer): Promise<RevocationEntry[]> {
    return (await this.orm.em.fork().find(Revocation, { issuer }, { orderBy: { revokedAt: 'asc' } })).map(
      toEntry,
    );
  }

  nextCrlNumber(issuer: CrlIssuer): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(CrlNumber, { issuer });
      const next = (row?.last ?? 0) + 1;
      if (row) row.last = next;
      else em.create(CrlNumber, { issuer, last: next });
      return next;
    });
  }

  /** Adoption of an existing CA directory: CRL numbers must keep growing from where it was. */
  async raiseCrlNumber(issuer: CrlIssuer, atLeast: number): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(CrlNumber, { issuer });
      if (!row) em.create(CrlNumber, { issuer, last: atLeast });
      else if (row.last < atLeast) row.last = atLeast;
    });
  }
}

function toEntry(row: RevocationRow): RevocationEntry {
  return {
    serial: row.serial,
    principal: row.principal,
    reason: row.reason,
    revokedAt: row.revokedAt,
    notAfter: row.notAfter,
    actor: row.actor,
    issuer: row.issuer,
  };
}
