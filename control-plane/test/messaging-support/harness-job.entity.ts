// A stand-in for the jobs service's job row in messaging tests: a submission with an
// idempotency key, written in the same transaction as its assignment's outbox row.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const HarnessJob = defineEntity({
  name: 'HarnessJob',
  tableName: 'harness_job',
  properties: {
    idempotencyKey: p.string().primary(),
    /** The envelope id of the job's task.assign: its outbox row and its Kafka header. */
    assignmentId: p.string().unique(),
    createdAt: p.datetime(),
  },
});

export type HarnessJob = InferEntity<typeof HarnessJob>;
