// The relay's view of the outbox tables: read pending rows in order, mark a published batch sent
// together with the offsets it reached, note a failed attempt. Every write is one transaction.
import type { EntityManager } from '@mikro-orm/core';
import type { Clock } from '@enclave/certs';
import { OutboxMessage, OutboxState } from './outbox-message.entity.ts';
import { OutboxOffset } from './outbox-offset.entity.ts';

export interface PendingRecord {
  readonly seq: number;
  readonly messageId: string;
  readonly type: string;
  readonly topic: string;
  readonly key: string;
  readonly payload: Buffer;
}

/** Where a record landed on Kafka. */
export interface Placement {
  readonly messageId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export class OutboxStore {
  readonly #em: EntityManager;
  readonly #clock: Clock;

  /** `em` is the application's root EntityManager; every call works on its own fork. */
  constructor(em: EntityManager, clock: Clock) {
    this.#em = em;
    this.#clock = clock;
  }

  /** The oldest pending rows, in publication order, leaving out topics that are parked. */
  async pending(limit: number, excludeTopics: readonly string[] = []): Promise<PendingRecord[]> {
    const rows = await this.#em
      .fork()
      .find(
        OutboxMessage,
        excludeTopics.length > 0
          ? { state: OutboxState.Pending, topic: { $nin: [...excludeTopics] } }
          : { state: OutboxState.Pending },
        { orderBy: { seq: 'asc' }, limit },
      );
    return rows.map((row) => ({
      seq: row.seq,
      messageId: row.messageId,
      type: row.type,
      topic: row.topic,
      key: row.partitionKey,
      payload: Buffer.isBuffer(row.payload) ? row.payload : Buffer.from(row.payload),
    }));
  }

  async pendingTopics(): Promise<string[]> {
    const rows = await this.#em
      .fork()
      .find(OutboxMessage, { state: OutboxState.Pending }, { fields: ['topic'], orderBy: { seq: 'asc' } });
    return [...new Set(rows.map((row) => row.topic))];
  }

  async countPending(): Promise<number> {
    return this.#em.fork().count(OutboxMessage, { state: OutboxState.Pending });
  }

  /** partition → the offset recovery should read `topic` from. */
  async recordedOffsets(topic: string): Promise<Map<number, number>> {
    const rows = await this.#em.fork().find(OutboxOffset, { topic });
    return new Map(rows.map((row) => [row.partition, row.nextOffset]));
  }

  /**
   * Marks the rows sent and moves each partition's recorded offset past them, in one
   * transaction. Rows already sent are left alone, so marking twice is harmless. Returns how
   * many rows changed state.
   */
  async markSent(placements: readonly Placement[]): Promise<number> {
    if (placements.length === 0) return 0;
    const now = this.#clock();
    return this.#em.fork().transactional(async (em) => {
      let changed = 0;
      for (const placement of placements) {
        changed += await em.nativeUpdate(
          OutboxMessage,
          { messageId: placement.messageId, state: OutboxState.Pending },
          {
            state: OutboxState.Sent,
            sentAt: now,
            kafkaPartition: placement.partition,
            kafkaOffset: placement.offset,
          },
        );
      }
      for (const [topic, partition, nextOffset] of highWaterMarks(placements)) {
        const row = await em.findOne(OutboxOffset, { topic, partition });
        if (!row) em.create(OutboxOffset, { topic, partition, nextOffset, updatedAt: now });
        else if (row.nextOffset < nextOffset) em.assign(row, { nextOffset, updatedAt: now });
      }
      return changed;
    });
  }

  /** Counts a failed attempt on each row; `error` is a code and a message, never a payload. */
  async recordFailure(messageIds: readonly string[], error: string): Promise<void> {
    if (messageIds.length === 0) return;
    await this.#em.fork().transactional(async (em) => {
      const rows = await em.find(OutboxMessage, {
        messageId: { $in: [...messageIds] },
        state: OutboxState.Pending,
      });
      for (const row of rows) em.assign(row, { attempts: row.attempts + 1, lastError: error.slice(0, 500) });
    });
  }
}

function highWaterMarks(placements: readonly Placement[]): [string, number, number][] {
  const marks = new Map<string, [string, number, number]>();
  for (const { topic, partition, offset } of placements) {
    const id = `${partition}:${topic}`;
    const current = marks.get(id);
    if (!current || current[2] < offset + 1) marks.set(id, [topic, partition, offset + 1]);
  }
  return [...marks.values()];
}
