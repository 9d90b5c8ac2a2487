// An inbound record that failed to decode (malformed, wrong version, wrong topic, another
// node's id). It is recorded here and its offset committed, so it cannot block its partition.
// Only where it was and why: never its bytes, which may be client content or an attack.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const QuarantinedMessage = defineEntity({
  name: 'QuarantinedMessage',
  tableName: 'quarantined_message',
  properties: {
    id: p.integer().primary().autoincrement(),
    topic: p.string(),
    partition: p.integer(),
    offset: p.integer(),
    /** The envelope id when the record had a well-formed one; null otherwise. */
    messageId: p.string().nullable(),
    /** A contracts ErrorCode: MALFORMED_PAYLOAD, VALIDATION_FAILED, NODE_MISMATCH, ... */
    errorCode: p.string(),
    quarantinedAt: p.datetime(),
  },
  uniques: [{ properties: ['topic', 'partition', 'offset'] }],
});

export type QuarantinedMessage = InferEntity<typeof QuarantinedMessage>;
