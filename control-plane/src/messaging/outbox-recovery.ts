// Reconciles the outbox with Kafka before the relay publishes anything: a row that a previous
// relay committed to Kafka but did not live to mark sent is found on its topic by its
// outbox-id header and marked sent, without publishing it again.
//
// Why reading from the recorded offsets is enough: batches are strictly sequential, and a
// batch's offsets are recorded in the same SQLite transaction that marks it sent. So every
// record at an offset below a partition's recorded offset belongs to a batch already marked;
// only records at or past it can belong to an unmarked batch. The caller runs this only after
// initTransactions has settled every earlier transaction, so a read_committed reader sees
// exactly the records that will ever be visible.
import type { MessagingLogger } from './messaging.logger.ts';
import type { CommittedLogReader } from './committed-log-reader.ts';
import type { OutboxStore, Placement } from './outbox.store.ts';

export class OutboxRecovery {
  readonly #store: OutboxStore;
  readonly #reader: CommittedLogReader;
  readonly #logger: MessagingLogger;

  constructor(store: OutboxStore, reader: CommittedLogReader, logger: MessagingLogger) {
    this.#store = store;
    this.#reader = reader;
    this.#logger = logger;
  }

  /** Marks sent every pending row already on Kafka; returns how many. */
  async run(): Promise<number> {
    const topics = await this.#store.pendingTopics();
    let recovered = 0;
    try {
      for (const topic of topics) {
        const partitions = await this.#reader.partitions(topic);
        // A topic that does not exist holds nothing of ours (its rows wait, parked by the relay).
        if (partitions === null) continue;
        const offsets = await this.#store.recordedOffsets(topic);
        const found: Placement[] = [];
        for (const partition of partitions) {
          const ids = await this.#reader.readOutboxIds(topic, partition, offsets.get(partition) ?? null);
          for (const id of ids) found.push({ topic, ...id });
        }
        const marked = await this.#store.markSent(found);
        if (marked > 0)
          this.#logger.warn(
            `outbox recovery: ${marked} row(s) for ${topic} were already on Kafka; marked sent`,
          );
        recovered += marked;
      }
    } finally {
      // A fresh reader per run: no stale end-of-partition events from an earlier read.
      await this.#reader.close();
    }
    return recovered;
  }
}
