// Drains the outbox to Kafka in order. A row is deleted only after its delivery report says
// it was written; the first failure stops the batch there, so later rows never overtake an
// earlier one (the producer is idempotent, so a retried row is not duplicated in one session).
import type { OutboxStore } from './outbox.store.ts';
import type { Publisher } from './publisher.ts';

export interface FlushReport {
  delivered: number;
  remaining: number;
  error?: string;
}

export class OutboxFlusher {
  readonly #store: OutboxStore;
  readonly #publisher: Publisher;
  readonly #batchSize: number;
  #running: Promise<FlushReport> | null = null;

  constructor(store: OutboxStore, publisher: Publisher, batchSize = 100) {
    this.#store = store;
    this.#publisher = publisher;
    this.#batchSize = batchSize;
  }

  /** One flush at a time: a call during a flush waits for it and then flushes again. */
  async flush(): Promise<FlushReport> {
    while (this.#running) await this.#running;
    this.#running = this.#drain();
    try {
      return await this.#running;
    } finally {
      this.#running = null;
    }
  }

  async #drain(): Promise<FlushReport> {
    let delivered = 0;
    for (;;) {
      const rows = this.#store.peek(this.#batchSize);
      if (rows.length === 0) return { delivered, remaining: 0 };
      const outcomes = await this.#publisher.publish(
        rows.map((row) => ({ topic: row.topic, key: row.key, value: row.value })),
      );
      const firstFailure = outcomes.findIndex((outcome) => !outcome.ok);
      const okCount = firstFailure === -1 ? rows.length : firstFailure;
      this.#store.markDelivered(rows.slice(0, okCount).map((row) => row.seq));
      delivered += okCount;
      if (firstFailure !== -1) {
        const failed = outcomes[firstFailure];
        return {
          delivered,
          remaining: this.#store.depth(),
          error: failed && !failed.ok ? failed.error : 'delivery failed',
        };
      }
    }
  }
}
