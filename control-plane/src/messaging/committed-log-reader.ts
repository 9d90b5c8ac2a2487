// Reads back what the relay may already have published: every committed record of a topic
// partition from a given offset to its end, with isolation.level=read_committed so records of
// aborted transactions are never seen. Only the outbox-id headers are kept; payloads are not
// even decoded.
import Kafka from 'node-rdkafka';
import type { KafkaConnectionSettings } from './messaging.config.ts';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import { rdkafkaSecurity } from './rdkafka-settings.ts';
import { OUTBOX_ID_HEADER } from './transactional-publisher.ts';

export interface PublishedId {
  readonly messageId: string;
  readonly partition: number;
  readonly offset: number;
}

export interface CommittedLogReader {
  /** Partition ids of the topic, or null when the topic does not exist. */
  partitions(topic: string): Promise<number[] | null>;
  /** Outbox ids of committed records from `fromOffset` (null: the start of the log) to the end. */
  readOutboxIds(topic: string, partition: number, fromOffset: number | null): Promise<PublishedId[]>;
  close(): Promise<void>;
}

export interface RdkafkaLogReaderOptions {
  readonly kafka: KafkaConnectionSettings;
  /** Never used to commit; librdkafka wants one for a consumer. */
  readonly groupId: string;
  readonly timeoutMs: number;
}

const OFFSET_BEGINNING = -2;

export class RdkafkaCommittedLogReader implements CommittedLogReader {
  readonly #options: RdkafkaLogReaderOptions;
  #consumer: Kafka.KafkaConsumer | null = null;

  constructor(options: RdkafkaLogReaderOptions) {
    this.#options = options;
  }

  async partitions(topic: string): Promise<number[] | null> {
    const consumer = await this.#connected();
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) => {
      consumer.getMetadata({ topic, timeout: this.#options.timeoutMs }, (error, data) =>
        error ? reject(unavailable(`metadata of ${topic}: ${error.message}`)) : resolve(data),
      );
    });
    const found = metadata.topics.find((t) => t.name === topic);
    if (!found || found.partitions.length === 0) return null;
    return found.partitions.map((p) => p.id).sort((a, b) => a - b);
  }

  async readOutboxIds(topic: string, partition: number, fromOffset: number | null): Promise<PublishedId[]> {
    const consumer = await this.#connected();
    const found: PublishedId[] = [];
    let atEnd = false;
    const onEof = (eof: Kafka.EofEvent) => {
      if (eof.topic === topic && eof.partition === partition) atEnd = true;
    };
    consumer.on('partition.eof', onEof);
    consumer.assign([{ topic, partition, offset: fromOffset ?? OFFSET_BEGINNING }]);
    const deadline = Date.now() + this.#options.timeoutMs;
    try {
      while (!atEnd) {
        if (Date.now() > deadline) {
          throw unavailable(
            `reading ${topic}[${partition}] did not reach its end in ${this.#options.timeoutMs} ms`,
          );
        }
        const messages = await new Promise<Kafka.Message[]>((resolve, reject) => {
          consumer.consume(500, (error, batch) =>
            error ? reject(unavailable(`reading ${topic}[${partition}]: ${error.message}`)) : resolve(batch),
          );
        });
        for (const message of messages) {
          const messageId = outboxIdOf(message);
          if (messageId !== null)
            found.push({ messageId, partition: message.partition, offset: message.offset });
        }
      }
    } finally {
      consumer.removeListener('partition.eof', onEof);
      consumer.unassign();
    }
    return found;
  }

  async close(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = null;
    if (!consumer?.isConnected()) return;
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }

  async #connected(): Promise<Kafka.KafkaConsumer> {
    if (this.#consumer) return this.#consumer;
    const consumer = new Kafka.KafkaConsumer(
      {
        ...rdkafkaSecurity(this.#options.kafka, 'outbox-recovery'),
        'group.id': this.#options.groupId,
        'enable.auto.commit': false,
        'isolation.level': 'read_committed',
        'enable.partition.eof': true,
      },
      // A recorded offset older than the log start (retention) reads from the start.
      { 'auto.offset.reset': 'earliest' },
    );
    consumer.on('event.error', () => undefined); // surfaced by the calls that fail
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: this.#options.timeoutMs }, (error) =>
        error ? reject(unavailable(`connect: ${error.message}`)) : resolve(),
      );
    });
    consumer.setDefaultConsumeTimeout(100);
    this.#consumer = consumer;
    return consumer;
  }
}

/** The outbox id header of a record, or null (records sent without the outbox carry none). */
export function outboxIdOf(message: Pick<Kafka.Message, 'headers'>): string | null {
  for (const header of message.headers ?? []) {
    const value = header[OUTBOX_ID_HEADER];
    if (value !== undefined) return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return null;
}

function unavailable(message: string): MessagingError {
  return new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `outbox recovery: ${message}`);
}
