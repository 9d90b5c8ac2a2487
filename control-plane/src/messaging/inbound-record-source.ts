// The consumer's Kafka side: a node-rdkafka group consumer subscribed by pattern, with manual
// commits. Hides librdkafka's callbacks behind promises and plain records.
import Kafka from 'node-rdkafka';
import { AssignmentCheck, type TopicListing } from './assignment-check.ts';
import type { KafkaConnectionSettings } from './messaging.config.ts';
import { errorMessage, MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import type { MessagingLogger } from './messaging.logger.ts';
import type { RecordPosition } from './inbound-handlers.ts';
import { rdkafkaSecurity } from './rdkafka-settings.ts';

/** How long one `next` waits for a first record (librdkafka's consume timeout). */
const FIRST_RECORD_WAIT_MS = 200;
/** After the first record: how long to wait for each further one (what is fetched comes at once). */
const DRAIN_WAIT_MS = 5;

export interface InboundRecord extends RecordPosition {
  readonly value: Buffer | null;
}

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface RecordSource {
  connect(): Promise<void>;
  subscribe(patterns: readonly string[]): void;
  /** Up to `max` records, waiting briefly when there are none. */
  next(max: number): Promise<InboundRecord[]>;
  /** Commits `nextOffset` (the offset after the last applied record), asynchronously. */
  commit(partition: TopicPartitionRef, nextOffset: number): void;
  /** Stops fetching the partition and rewinds it to `offset`, to redeliver from there. */
  rewind(partition: TopicPartitionRef, offset: number): Promise<void>;
  resume(partition: TopicPartitionRef): void;
  /** Called with partitions taken away by a rebalance. */
  onRevoked(listener: (partitions: TopicPartitionRef[]) => void): void;
  close(): Promise<void>;
}

export interface RdkafkaRecordSourceOptions {
  readonly kafka: KafkaConnectionSettings;
  readonly groupId: string;
  readonly groupInstanceId: string;
  readonly sessionTimeoutMs: number;
  readonly timeoutMs: number;
  /**
   * How often new topics matching the patterns are discovered (a node enrolled since start), and
   * how often the assignment is checked against them.
   */
  readonly metadataRefreshMs?: number;
  /** Says when the group left a matching topic unassigned and a rejoin was forced. */
  readonly logger?: MessagingLogger;
}

/** After an assignment, how long to wait before comparing it with the topics (assign runs after the event). */
const CHECK_AFTER_ASSIGN_MS = 500;

export class RdkafkaRecordSource implements RecordSource {
  readonly #options: RdkafkaRecordSourceOptions;
  #consumer: Kafka.KafkaConsumer;
  /** Set by a fatal error: this consumer will never fetch again, and is replaced at the next `next`. */
  #fatal: string | null = null;
  readonly #timeoutMs: number;
  readonly #revokedListeners: ((partitions: TopicPartitionRef[]) => void)[] = [];
  readonly #refreshMs: number;
  readonly #logger: MessagingLogger | undefined;
  #patterns: readonly string[] = [];
  #check: AssignmentCheck | null = null;
  /** Holds an assignment (false from a revoke, or a forced rejoin, until the next assign). */
  #assigned = false;
  #checking = false;
  #checkTimer: NodeJS.Timeout | null = null;
  #periodicTimer: NodeJS.Timeout | null = null;

  constructor(options: RdkafkaRecordSourceOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs;
    this.#refreshMs = options.metadataRefreshMs ?? 10_000;
    this.#logger = options.logger;
    this.#consumer = this.#build();
  }

  #build(): Kafka.KafkaConsumer {
    const options = this.#options;
    const consumer = new Kafka.KafkaConsumer(
      {
        ...rdkafkaSecurity(options.kafka, 'consumer'),
        'group.id': options.groupId,
        'group.instance.id': options.groupInstanceId,
        'session.timeout.ms': options.sessionTimeoutMs,
        // Offsets are committed by hand, only after the database applied the record.
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'topic.metadata.refresh.interval.ms': this.#refreshMs,
        rebalance_cb: true,
      },
      // A node's topic discovered after its first messages were written is read from its start.
      { 'auto.offset.reset': 'earliest' },
    );
    // librdkafka retries what it can; calls surface failures. A fatal error is different.
    consumer.on('event.error', (error: Kafka.LibrdKafkaError) => {
      if (consumer === this.#consumer && isFatal(error)) this.#fatal ??= error.message;
    });
    consumer.on('rebalance', (error: Kafka.LibrdKafkaError, assignment: Kafka.TopicPartition[]) => {
      if (consumer !== this.#consumer) return;
      if (error.code === Kafka.CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
        this.#assigned = false;
        for (const listener of this.#revokedListeners) listener(assignment);
      } else if (error.code === Kafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
        // node-rdkafka assigns right after emitting this event: check a moment later.
        this.#assigned = true;
        this.#scheduleCheck(CHECK_AFTER_ASSIGN_MS);
      }
    });
    return consumer;
  }

  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#consumer.connect({ timeout: this.#timeoutMs }, (error) =>
        error
          ? reject(
              new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `consumer connect: ${error.message}`),
            )
          : resolve(),
      );
    });
    this.#consumer.setDefaultConsumeTimeout(FIRST_RECORD_WAIT_MS);
  }

  subscribe(patterns: readonly string[]): void {
    this.#patterns = [...patterns];
    this.#check = new AssignmentCheck(patterns);
    this.#consumer.subscribe([...patterns]);
    this.#periodicTimer ??= setInterval(() => this.#scheduleCheck(0), this.#refreshMs);
    this.#periodicTimer.unref();
  }

  #scheduleCheck(delayMs: number): void {
    if (this.#checkTimer) clearTimeout(this.#checkTimer);
    this.#checkTimer = setTimeout(() => {
      this.#checkTimer = null;
      void this.#checkAssignment();
    }, delayMs);
    this.#checkTimer.unref();
  }

  /**
   * Issue #4: compares the assignment with the topics that match the subscription now. A matching
   * topic the group left unassigned (a static member's stale assignment after a restart) makes
   * the member leave and rejoin: unsubscribe sends LeaveGroup, and the join that follows is a
   * real rebalance, whose assignment covers every matching topic.
   */
  async #checkAssignment(): Promise<void> {
    const check = this.#check;
    if (check === null || !this.#assigned || this.#checking || !this.#consumer.isConnected()) return;
    this.#checking = true;
    try {
      const topics = await this.#topics();
      // A revoke, a rejoin or close came while metadata was on its way: the next assign checks again.
      if (!this.#assigned || !this.#consumer.isConnected()) return;
      const missing = check.rejoinFor(check.unassigned(topics, this.#consumer.assignments()));
      if (missing.length === 0) return;
      this.#logger?.warn(
        `consumer: ${missing.join(', ')} match the subscription but are not assigned; rejoining the group`,
      );
      this.#assigned = false;
      this.#consumer.unsubscribe();
      this.#consumer.subscribe([...this.#patterns]);
    } catch (error) {
      // The periodic check comes again; librdkafka reports a lasting outage through consume.
      // (After close, a metadata call cut short is no news.)
      if (this.#check !== null) {
        this.#logger?.warn(`consumer: checking the assignment failed: ${errorMessage(error)}`);
      }
    } finally {
      this.#checking = false;
    }
  }

  #topics(): Promise<TopicListing[]> {
    return new Promise((resolve, reject) => {
      this.#consumer.getMetadata({ allTopics: true, timeout: this.#timeoutMs }, (error, metadata) => {
        if (error) {
          reject(new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `metadata: ${error.message}`));
          return;
        }
        resolve(metadata.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.id) })));
      });
    });
  }

  /**
   * Waits up to 200 ms for a first record, then takes what is already fetched (waiting at most
   * 5 ms for each further one). One `consume(max)` would wait up to 200 ms after every record
   * until it has `max` of them, so a steady trickle (heartbeats, the results of a closed loop)
   * held each batch back by 200 ms or more. (A 0 ms wait starves librdkafka's group handling.)
   */
  async next(max: number): Promise<InboundRecord[]> {
    if (this.#fatal !== null) await this.#rebuild(this.#fatal);
    this.#consumer.setDefaultConsumeTimeout(FIRST_RECORD_WAIT_MS);
    const first = await this.#consume(1);
    if (first.length === 0 || max <= 1) return first;
    this.#consumer.setDefaultConsumeTimeout(DRAIN_WAIT_MS);
    return [...first, ...(await this.#consume(max - 1))];
  }

  #consume(max: number): Promise<InboundRecord[]> {
    return new Promise((resolve, reject) => {
      this.#consumer.consume(max, (error, messages) => {
        if (error) {
          if (isFatal(error)) this.#fatal ??= error.message;
          reject(new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `consume: ${error.message}`));
          return;
        }
        resolve(
          messages.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, value: m.value })),
        );
      });
    });
  }

  commit(partition: TopicPartitionRef, nextOffset: number): void {
    this.#consumer.commit({ topic: partition.topic, partition: partition.partition, offset: nextOffset });
  }

  async rewind(partition: TopicPartitionRef, offset: number): Promise<void> {
    const { topic } = partition;
    this.#consumer.pause([{ topic, partition: partition.partition }]);
    await new Promise<void>((resolve, reject) => {
      this.#consumer.seek({ topic, partition: partition.partition, offset }, this.#timeoutMs, (error) =>
        error
          ? reject(new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `seek: ${error.message}`))
          : resolve(),
      );
    });
  }

  resume(partition: TopicPartitionRef): void {
    this.#consumer.resume([{ topic: partition.topic, partition: partition.partition }]);
  }

  /**
   * A consumer with a fatal error never fetches or commits again, and says so once: later
   * consumes just return nothing. The one seen here is FENCED_INSTANCE_ID: right after a broker
   * restart, an offset commit went out under the member id the restarted broker had just
   * replaced (the fault suite's broker-restart, docs/reliability.md). A new consumer with the same
   * group.instance.id takes the member's place again. Its partitions count as revoked (held
   * ones are let go); their new owner, this process again, starts from the committed offsets,
   * and the inbox makes anything read twice a no-op.
   */
  async #rebuild(reason: string): Promise<void> {
    const old = this.#consumer;
    let lost: Kafka.TopicPartition[] = [];
    try {
      lost = old.assignments();
    } catch {
      // A consumer that failed this way may not answer; it is dropped anyway.
    }
    this.#logger?.warn(`consumer: fatal error (${reason}); rebuilding the consumer and rejoining the group`);
    this.#assigned = false;
    if (lost.length > 0) for (const listener of this.#revokedListeners) listener(lost);
    if (old.isConnected()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#timeoutMs);
        old.disconnect(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.#consumer = this.#build();
    await this.connect(); // throws while the broker is away: #fatal stays set, the next call tries again
    this.#fatal = null;
    if (this.#patterns.length > 0) this.#consumer.subscribe([...this.#patterns]);
  }

  onRevoked(listener: (partitions: TopicPartitionRef[]) => void): void {
    this.#revokedListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#periodicTimer) clearInterval(this.#periodicTimer);
    if (this.#checkTimer) clearTimeout(this.#checkTimer);
    this.#periodicTimer = null;
    this.#checkTimer = null;
    this.#check = null;
    if (!this.#consumer.isConnected()) return;
    await new Promise<void>((resolve) => this.#consumer.disconnect(() => resolve()));
  }
}

/** librdkafka's fatal errors: the client instance is unusable and must be replaced. */
function isFatal(error: Kafka.LibrdKafkaError): boolean {
  return error.isFatal === true || error.code === Kafka.CODES.ERRORS.ERR__FATAL;
}
