// The CA's append-only issuance log (certs' IssuanceLogEntry), hash-chained: each entry
// carries the hash of the one before, so an edited or deleted row is detectable. Values are
// stored as the CA gave them (text timestamps) so the hashes can be recomputed exactly.
import type { IssuanceEvent, RevocationReason } from '@enclave/certs';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const IssuanceLogEntry = defineEntity({
  name: 'IssuanceLogEntry',
  tableName: 'issuance_log',
  properties: {
    seq: p.integer().primary().autoincrement(false),
    event: p.string().$type<IssuanceEvent>().length(16),
    serial: p.string().length(64),
    subject: p.string().length(300),
    principal: p.string().length(100),
    profile: p.string().length(32).nullable(),
    fingerprint256: p.string().length(128),
    notAfter: p.string().length(32),
    actor: p.string().length(200),
    at: p.string().length(32),
    previousSerial: p.string().length(64).nullable(),
    reason: p.string().$type<RevocationReason>().length(32).nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64).unique(),
  },
  indexes: [{ properties: ['serial'] }, { properties: ['principal'] }],
});

export type IssuanceLogEntryRow = InferEntity<typeof IssuanceLogEntry>;
