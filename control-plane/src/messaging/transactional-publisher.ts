// The relay's producer: node-rdkafka with a stable transactional.id. Opening it calls
// initTransactions, which fences any older producer with the same id and settles the
// transaction it left open (completing a commit that was already decided, aborting anything
// else). Each batch is one Kafka transaction; its records become visible to read_committed
// readers only when commitTransaction returns.
import Kafka from 'node-rdkafka';
import type { KafkaConnectionSettings } from './messaging.config.ts';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import type { Placement } from './outbox.store.ts';
import { rdkafkaSecurity } from './rdkafka-settings.ts';

/** The header that carries the outbox row's id; recovery finds published rows by it. */
export const OUTBOX_ID_HEADER = 'enclave-outbox-id';

export interface OutboundRecord {
  readonly messageId: string;
  readonly topic: string;
  readonly key: string;
  readonly payload: Buffer;
}

/** A failed publication. `topics` names topics that failed on their own (missing, refused). */
export class PublishError extends MessagingError {
  readonly topics: readonly string[];
  readonly fenced: boolean;

  constructor(message: string, options: { topics?: readonly string[]; fenced?: boolean; cause?: unknown }) {
    super(
      options.fenced ? MessagingErrorCode.RELAY_FENCED : MessagingErrorCode.PUBLISH_FAILED,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.topics = options.topics ?? [];
    this.fenced = options.fenced ?? false;
  }
}

export interface OutboxPublisher {
  open(): Promise<void>;
  /** Publishes all records in one transaction; resolves once it is committed. */
  publish(records: readonly OutboundRecord[]): Promise<Placement[]>;
  close(): Promise<void>;
}

export interface TransactionalPublisherOptions {
  readonly kafka: KafkaConnectionSettings;
  readonly transactionalId: string;
  readonly timeoutMs: number;
}

// librdkafka error codes (rdkafka.h) that mean "this topic", not "this transaction".
const TOPIC_ERRORS = new Set([
  Kafka.CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART,
  Kafka.CODES.ERRORS.ERR__UNKNOWN_TOPIC,
  Kafka.CODES.ERRORS.ERR_TOPIC_AUTHORIZATION_FAILED,
]);

export class RdkafkaTransactionalPublisher implements OutboxPublisher {
  readonly #options: TransactionalPublisherOptions;
  #producer: Kafka.Producer | null = null;
  #batch = 0;

  constructor(options: TransactionalPublisherOptions) {
    this.#options = options;
  }

  async open(): Promise<void> {
    const producer = new Kafka.Producer(
      {
        ...rdkafkaSecurity(this.#options.kafka, 'relay'),
        'transactional.id': this.#options.transactionalId,
        'transaction.timeout.ms': 60_000,
        dr_cb: true,
        // A record to a topic that does not exist fails in seconds instead of half a minute.
        'topic.metadata.propagation.max.ms': 5_000,
      },
      { 'message.timeout.ms': 30_000 },
    );
    producer.on('event.error', () => undefined); // surfaced by the calls below
    await call((cb) => producer.connect({ timeout: this.#options.timeoutMs }, cb), 'connect');
    producer.setPollInterval(10);
    this.#producer = producer;
    await call((cb) => producer.initTransactions(this.#options.timeoutMs, cb), 'initTransactions');
  }

  async publish(records: readonly OutboundRecord[]): Promise<Placement[]> {
    const producer = this.#producer;
    if (!producer) throw new PublishError('the relay producer is not open', {});
    const batch = ++this.#batch;
    await call((cb) => producer.beginTransaction(cb), 'beginTransaction');
    const placements = await deliverAll(producer, records, batch);
    await call((cb) => producer.commitTransaction(this.#options.timeoutMs, cb), 'commitTransaction');
    return placements;
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    if (!producer?.isConnected()) return;
    await new Promise<void>((resolve) => producer.disconnect(5_000, () => resolve()));
  }
}

/**
 * Produces every record and waits for every delivery report. Reports are matched by opaque id:
 * flush() can return before the reports reach JavaScript, so only counting them tells that
 * every record is in the (still uncommitted) log.
 */
function deliverAll(
  producer: Kafka.Producer,
  records: readonly OutboundRecord[],
  batch: number,
): Promise<Placement[]> {
  return new Promise((resolve, reject) => {
    const placements: Placement[] = [];
    const failedTopics = new Set<string>();
    let firstError: Kafka.LibrdKafkaError | null = null;
    let outstanding = records.length;
    const finish = () => {
      producer.removeListener('delivery-report', onReport);
      if (firstError) {
        reject(
          new PublishError(`delivery failed: ${firstError.message} (librdkafka ${firstError.code})`, {
            topics: [...failedTopics],
            fenced: isFenced(firstError),
            cause: firstError,
          }),
        );
      } else resolve(placements);
    };
    const onReport = (error: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport) => {
      const opaque = report.opaque as { batch: number; messageId: string } | undefined;
      if (opaque?.batch !== batch) return;
      if (error) {
        firstError ??= error;
        if (TOPIC_ERRORS.has(error.code)) failedTopics.add(report.topic);
      } else {
        placements.push({
          messageId: opaque.messageId,
          topic: report.topic,
          partition: report.partition,
          offset: report.offset,
        });
      }
      if (--outstanding === 0) finish();
    };
    producer.on('delivery-report', onReport);
    for (const [index, record] of records.entries()) {
      try {
        producer.produce(
          record.topic,
          null,
          record.payload,
          record.key,
          Date.now(),
          { batch, messageId: record.messageId },
          [{ [OUTBOX_ID_HEADER]: record.messageId }],
        );
      } catch (error) {
        // Records produced so far still report; the rest never will.
        firstError ??= toLibrdkafkaError(error);
        outstanding -= records.length - index;
        if (outstanding === 0) finish();
        return;
      }
    }
    if (records.length === 0) finish();
  });
}

function call(
  start: (cb: (error: Kafka.LibrdKafkaError | null | undefined) => void) => void,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    start((error) => {
      if (!error) resolve();
      else
        reject(
          new PublishError(`${what} failed: ${error.message} (librdkafka ${error.code})`, {
            fenced: isFenced(error),
            cause: error,
          }),
        );
    });
  });
}

function isFenced(error: Kafka.LibrdKafkaError): boolean {
  return (
    error.code === Kafka.CODES.ERRORS.ERR__FENCED ||
    error.code === Kafka.CODES.ERRORS.ERR_PRODUCER_FENCED ||
    error.code === Kafka.CODES.ERRORS.ERR_INVALID_PRODUCER_EPOCH
  );
}

function toLibrdkafkaError(error: unknown): Kafka.LibrdKafkaError {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    return error as Kafka.LibrdKafkaError;
  }
  return { message: String(error), code: -1, errno: -1, origin: 'local' };
}
