// A message waiting for, or done with, the outbox relay. The row is written in the same SQLite
// transaction as the state change it announces (a job, an assignment), so the message exists
// if and only if that change committed. The relay publishes rows in `seq` order.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const OutboxState = { Pending: 'pending', Sent: 'sent' } as const;
export type OutboxState = (typeof OutboxState)[keyof typeof OutboxState];

export const OutboxMessage = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  properties: {
    /**
     * Publication order. The envelope id cannot order rows (UUIDs are random), and SQLite
     * allocates an autoincrement key in commit order because it has a single writer.
     */
    seq: p.integer().primary().autoincrement(),
    /** The envelope id; also the `enclave-outbox-id` header of the published record. */
    messageId: p.string().unique(),
    /** Message type, for logs and metrics (never the payload). */
    type: p.string(),
    topic: p.string(),
    /** Record key: contracts' partitionKey (task id, order id or node id). */
    partitionKey: p.string(),
    /** The encoded envelope, exactly the bytes that go to Kafka. */
    payload: p.blob(),
    createdAt: p.datetime(),
    state: p.enum(() => OutboxState).default(OutboxState.Pending),
    sentAt: p.datetime().nullable(),
    /** Failed publication attempts; a row is never given up on. */
    attempts: p.integer().default(0),
    /** Error code and message of the last failed attempt (no payload). */
    lastError: p.string().nullable(),
    /** Where the record landed, from its delivery report or from recovery. */
    kafkaPartition: p.integer().nullable(),
    kafkaOffset: p.integer().nullable(),
  },
  indexes: [{ properties: ['state', 'seq'] }],
});

export type OutboxMessage = InferEntity<typeof OutboxMessage>;
