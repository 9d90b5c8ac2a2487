// certs' IssuanceLog over SQLite. Appending reads the last entry and inserts the next in one
// transaction; the single SQLite writer serialises appends, so the hash chain cannot fork.
import { chainEntry, GENESIS_HASH, normalizeSerial } from '@enclave/certs';
import type { IssuanceLog, IssuanceLogEntry, IssuanceLogInput } from '@enclave/certs';
import type { MikroORM } from '@mikro-orm/sqlite';
import {
  IssuanceLogEntry as LogRow,
  type IssuanceLogEntryRow,
} from '../database/entities/issuance-log-entry.entity.ts';

export class SqliteIssuanceLog implements IssuanceLog {
  constructor(private readonly orm: MikroORM) {}

  append(input: IssuanceLogInput): Promise<IssuanceLogEntry> {
    return this.orm.em.fork().transactional(async (em) => {
      const last = await em.findOne(LogRow, { seq: { $gt: 0 } }, { orderBy: { seq: 'desc' } });
      const entry = chainEntry(
        { ...input, serial: normalizeSerial(input.serial) },
        (last?.seq ?? 0) + 1,
        last?.hash ?? GENESIS_HASH,
      );
      em.create(LogRow, toRow(entry));
      return entry;
    });
  }

  async entries(): Promise<IssuanceLogEntry[]> {
    return (await this.orm.em.fork().find(LogRow, {}, { orderBy: { seq: 'asc' } })).map(toEntry);
  }

  async findIssued(serial: string): Promise<IssuanceLogEntry | undefined> {
    const row = await this.orm.em
      .fork()
      .findOne(
        LogRow,
        { serial: normalizeSerial(serial), event: { $ne: 'revoked' } },
        { orderBy: { seq: 'asc' } },
      );
    return row ? toEntry(row) : undefined;
  }

  async issuedTo(principal: string): Promise<IssuanceLogEntry[]> {
    const rows = await this.orm.em
      .fork()
      .find(LogRow, { principal, event: { $ne: 'revoked' } }, { orderBy: { seq: 'asc' } });
    return rows.map(toEntry);
  }
}

function toRow(entry: IssuanceLogEntry) {
  return {
    ...entry,
    profile: entry.profile ?? null,
    previousSerial: entry.previousSerial ?? null,
    reason: entry.reason ?? null,
  };
}

/** Optional fields absent, not null: the entry hash was computed without them. */
export function toEntry(row: IssuanceLogEntryRow): IssuanceLogEntry {
  const { profile, previousSerial, reason, ...rest } = row;
  return {
    seq: rest.seq,
    prevHash: rest.prevHash,
    hash: rest.hash,
    event: rest.event,
    serial: rest.serial,
    subject: rest.subject,
    principal: rest.principal,
    fingerprint256: rest.fingerprint256,
    notAfter: rest.notAfter,
    actor: rest.actor,
    at: rest.at,
    ...(profile != null ? { profile: profile as NonNullable<IssuanceLogEntry['profile']> } : {}),
    ...(previousSerial != null ? { previousSerial } : {}),
    ...(reason != null ? { reason } : {}),
  };
}
