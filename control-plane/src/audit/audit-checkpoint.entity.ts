// A signed checkpoint of the audit chain: the head's seq and hash at `time`, signed with the
// appliance's Ed25519 audit key. Append-only like the entries (migration triggers).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { APPEND_ONLY } from './audit-entry.entity.ts';

export const AuditCheckpointRecord = defineEntity({
  name: 'AuditCheckpointRecord',
  tableName: 'audit_checkpoint',
  properties: {
    seq: p.integer().primary().autoincrement(false),
    hash: p.string().length(64),
    time: p.string().length(32),
    signature: p.string().length(128),
  },
  // Append-only: the database itself refuses to change or remove a row.
  triggers: [
    {
      name: 'audit_checkpoint_append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: APPEND_ONLY,
    },
  ],
});

export type AuditCheckpointRow = InferEntity<typeof AuditCheckpointRecord>;
