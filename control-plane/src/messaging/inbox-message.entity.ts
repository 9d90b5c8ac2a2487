// One row per inbound message the database has applied, written in the same transaction as the
// handler's changes. A redelivered message finds its row and is skipped: replays are no-ops.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const InboxMessage = defineEntity({
  name: 'InboxMessage',
  tableName: 'inbox_message',
  properties: {
    /** The envelope id. */
    messageId: p.string().primary(),
    type: p.string(),
    topic: p.string(),
    partition: p.integer(),
    offset: p.integer(),
    appliedAt: p.datetime(),
  },
});

export type InboxMessage = InferEntity<typeof InboxMessage>;
