// Per topic-partition, the offset just past the last record the relay knows it published and
// marked. Recovery after a crash reads each topic from here, so it scans only the tail that the
// crashed relay may have committed to Kafka without marking in SQLite.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const OutboxOffset = defineEntity({
  name: 'OutboxOffset',
  tableName: 'outbox_offset',
  properties: {
    topic: p.string().primary(),
    partition: p.integer().primary(),
    nextOffset: p.integer(),
    updatedAt: p.datetime(),
  },
});

export type OutboxOffset = InferEntity<typeof OutboxOffset>;
