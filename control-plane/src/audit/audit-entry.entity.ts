// One audit log entry (audit-chain.ts says what its hash covers). Append-only: the migration
// adds triggers that abort any UPDATE or DELETE, and nothing in the code changes a row. No
// foreign keys: the log outlives the tenants, users and nodes it names.
import type { EncryptedField } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** No "end" in the text: MikroORM's trigger introspection stops the body at the first one. */
export const APPEND_ONLY = "select raise(abort, 'audit log rows are immutable')";

export const AuditEntryRecord = defineEntity({
  name: 'AuditEntryRecord',
  tableName: 'audit_entry',
  properties: {
    seq: p.integer().primary().autoincrement(false),
    /** ISO-8601 text exactly as hashed (a datetime column could round it). */
    time: p.string().length(32),
    actor: p.string().length(80),
    tenantId: p.string().length(64).nullable(),
    action: p.string().length(64),
    targets: p.json<string[]>(),
    details: p.json<EncryptedField>().nullable(),
    prevHash: p.string().length(64),
    hash: p.string().length(64),
  },
  // Append-only: the database itself refuses to change or remove a row.
  triggers: [
    {
      name: 'audit_entry_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: APPEND_ONLY,
    },
  ],
});

export type AuditEntryRow = InferEntity<typeof AuditEntryRecord>;
