// Stand-ins for the relay's Kafka side, for fast tests of its decisions: a publisher that
// records what it published and fails on command, and a log reader over that record.
import type { CommittedLogReader, PublishedId } from '../../src/messaging/committed-log-reader.ts';
import type { Placement } from '../../src/messaging/outbox.store.ts';
import {
  PublishError,
  type OutboundRecord,
  type OutboxPublisher,
} from '../../src/messaging/transactional-publisher.ts';

export class FakeKafka {
  /** Committed records per topic, in order. */
  readonly log = new Map<string, string[]>();
  /** Topics that refuse records (missing, say). */
  readonly broken = new Set<string>();
  fenceNext = false;
  opened = 0;

  publisher(): OutboxPublisher {
    return {
      open: () => {
        this.opened++;
        return Promise.resolve();
      },
      publish: (records) => this.#publish(records),
      close: () => Promise.resolve(),
    };
  }

  reader(): CommittedLogReader {
    return {
      partitions: (topic) => Promise.resolve(this.log.has(topic) ? [0] : null),
      readOutboxIds: (topic, _partition, from): Promise<PublishedId[]> =>
        Promise.resolve(
          (this.log.get(topic) ?? [])
            .map((messageId, offset) => ({ messageId, partition: 0, offset }))
            .filter((r) => r.offset >= (from ?? 0)),
        ),
      close: () => Promise.resolve(),
    };
  }

  #publish(records: readonly OutboundRecord[]): Promise<Placement[]> {
    if (this.fenceNext) return Promise.reject(new PublishError('fenced', { fenced: true }));
    const refused = [...new Set(records.map((r) => r.topic).filter((t) => this.broken.has(t)))];
    if (refused.length > 0) return Promise.reject(new PublishError('unknown topic', { topics: refused }));
    // All or nothing, like a Kafka transaction.
    return Promise.resolve(
      records.map((record) => {
        const log = this.log.get(record.topic) ?? [];
        this.log.set(record.topic, log);
        log.push(record.messageId);
        return { messageId: record.messageId, topic: record.topic, partition: 0, offset: log.length - 1 };
      }),
    );
  }
}
