// What the test handlers write: one row per applied message, in the handler's transaction.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AppliedEvent = defineEntity({
  name: 'AppliedEvent',
  tableName: 'applied_event',
  properties: {
    id: p.integer().primary().autoincrement(),
    messageId: p.string(),
    type: p.string(),
    topic: p.string(),
    offset: p.integer(),
  },
});

export type AppliedEvent = InferEntity<typeof AppliedEvent>;
