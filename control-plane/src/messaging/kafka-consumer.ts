// The inbound side: consume results.* and heartbeats.*, decode every record against the topic
// it came from, apply it at most once through the inbox, and commit its offset only after
// that transaction committed. A record that fails to decode is quarantined and committed. A
// record whose handler fails is not committed: its partition is rewound to it, paused, and
// retried with back-off, while other partitions go on.
import { ContractError, decodeFromTopic, TOPIC_SUBSCRIPTION_PATTERN } from '@enclave/contracts';
import type { InboundDispatch, InboundEnvelope, RecordPosition } from './inbound-handlers.ts';
import type { InboundRecord, RecordSource, TopicPartitionRef } from './inbound-record-source.ts';
import type { ApplyOutcome, InboxStore } from './inbox.store.ts';
import type { ConsumerSettings } from './messaging.config.ts';
import { errorMessage } from './messaging.errors.ts';
import type { MessagingLogger } from './messaging.logger.ts';
import { describe, messageIdOf, partitionId } from './record-position.ts';
import { RetryBackoff } from './retry-backoff.ts';

export type RecordOutcome = ApplyOutcome | 'quarantined' | 'retry';

/** Points in a record's life, for metrics and for fault-injection tests. */
export interface ConsumerObserver {
  /** The record's transaction committed (or it was quarantined); its offset is not yet committed. */
  settled?(position: RecordPosition, outcome: Exclude<RecordOutcome, 'retry'>): void | Promise<void>;
  retrying?(position: RecordPosition, delayMs: number): void;
}

export interface InboundConsumerDeps {
  readonly source: RecordSource;
  readonly inbox: InboxStore;
  readonly dispatch: InboundDispatch;
  readonly settings: ConsumerSettings;
  readonly logger: MessagingLogger;
  readonly observer?: ConsumerObserver;
  /** Topic patterns; the default is every results and heartbeats topic. Tests narrow it. */
  readonly subscription?: readonly string[];
  /**
   * Runs around each record's whole inbox transaction. The control plane passes its scheduler
   * lock here, so a handler's scheduler command and the transaction that records it are one
   * exclusive unit, and the lock is always taken before the database connection.
   */
  readonly applyLock?: ApplyLock;
}

/** Runs `work` exclusively, and settles with its outcome. */
export type ApplyLock = <T>(work: () => Promise<T>) => Promise<T>;

export const INBOUND_SUBSCRIPTION = [
  TOPIC_SUBSCRIPTION_PATTERN.results,
  TOPIC_SUBSCRIPTION_PATTERN.heartbeats,
];

export class InboundConsumer {
  readonly #deps: InboundConsumerDeps;
  /** Paused partitions (rewound after a handler failure) and their resume timers, by `partition:topic`. */
  readonly #held = new Map<string, NodeJS.Timeout | null>();
  /** Consecutive handler failures per partition; cleared when one of its records settles. */
  readonly #failures = new Map<string, RetryBackoff>();
  #running = false;
  #loop: Promise<void> | null = null;

  constructor(deps: InboundConsumerDeps) {
    this.#deps = deps;
    deps.source.onRevoked((partitions) => {
      for (const partition of partitions) this.#release(partition);
    });
  }

  async start(): Promise<void> {
    if (this.#loop) return;
    await this.#deps.source.connect();
    this.#deps.source.subscribe(this.#deps.subscription ?? INBOUND_SUBSCRIPTION);
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    this.#loop = null;
    for (const timer of this.#held.values()) if (timer) clearTimeout(timer);
    this.#held.clear();
    this.#failures.clear();
    await this.#deps.source.close();
  }

  async #run(): Promise<void> {
    const trouble = new RetryBackoff(200, 5_000);
    while (this.#running) {
      let records: InboundRecord[];
      try {
        records = await this.#deps.source.next(this.#deps.settings.maxBatch);
        trouble.reset();
      } catch (error) {
        const delay = trouble.next();
        this.#deps.logger.warn(`consumer: ${errorMessage(error)}; retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      await this.#handleBatch(records);
    }
  }

  /**
   * Records of one batch in order. Each partition's offset is committed once, after its last
   * settled record; a record that is not settled stops its partition (and is rewound), so no
   * later commit can pass over it.
   */
  async #handleBatch(records: readonly InboundRecord[]): Promise<void> {
    const commits = new Map<string, { partition: TopicPartitionRef; nextOffset: number }>();
    for (const record of records) {
      const id = partitionId(record);
      // Held partitions were rewound; their later records arrive again after the back-off.
      if (this.#held.has(id)) continue;
      const outcome = await this.#handle(record);
      const partition = { topic: record.topic, partition: record.partition };
      if (outcome === 'retry') {
        const pending = commits.get(id);
        if (pending) this.#commit(pending.partition, pending.nextOffset);
        commits.delete(id);
        await this.#hold(record);
        continue;
      }
      await this.#notifySettled(record, outcome);
      commits.set(id, { partition, nextOffset: record.offset + 1 });
      this.#failures.delete(id);
    }
    for (const { partition, nextOffset } of commits.values()) this.#commit(partition, nextOffset);
  }

  /** Decodes and applies one record. Never throws: anything unexpected is a retry. */
  async #handle(record: InboundRecord): Promise<RecordOutcome> {
    const position: RecordPosition = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    };
    let envelope: InboundEnvelope;
    try {
      // The topic authenticates the sender: decodeFromTopic refuses another node's id.
      envelope = decodeFromTopic(record.topic, record.value) as InboundEnvelope;
    } catch (error) {
      if (error instanceof ContractError) return this.#quarantine(position, record.value, error.code);
      this.#deps.logger.error(
        `consumer: decoding ${describe(position)} failed unexpectedly: ${errorMessage(error)}`,
      );
      return 'retry';
    }
    try {
      const apply = () =>
        this.#deps.inbox.applyOnce(envelope, position, (em) => this.#deps.dispatch(envelope, em, position));
      const outcome = await (this.#deps.applyLock ? this.#deps.applyLock(apply) : apply());
      if (outcome === 'duplicate') {
        this.#deps.logger.log(`consumer: ${envelope.type} ${envelope.id} already applied; skipped`);
      }
      return outcome;
    } catch (error) {
      this.#deps.logger.warn(
        `consumer: ${envelope.type} ${envelope.id} at ${describe(position)} failed: ${errorMessage(error)}`,
      );
      return 'retry';
    }
  }

  /** Offsets are committed asynchronously; a lost commit only means a redelivery, which the inbox absorbs. */
  #commit(partition: TopicPartitionRef, nextOffset: number): void {
    try {
      this.#deps.source.commit(partition, nextOffset);
    } catch (error) {
      this.#deps.logger.warn(
        `consumer: committing ${partition.topic}[${partition.partition}]@${nextOffset} failed: ${errorMessage(error)}`,
      );
    }
  }

  async #notifySettled(position: RecordPosition, outcome: Exclude<RecordOutcome, 'retry'>): Promise<void> {
    try {
      await this.#deps.observer?.settled?.(position, outcome);
    } catch (error) {
      this.#deps.logger.warn(`consumer: observer failed: ${errorMessage(error)}`);
    }
  }

  async #quarantine(position: RecordPosition, value: Buffer | null, code: string): Promise<RecordOutcome> {
    try {
      await this.#deps.inbox.quarantine(position, code, messageIdOf(value));
    } catch (error) {
      this.#deps.logger.warn(`consumer: quarantining ${describe(position)} failed: ${errorMessage(error)}`);
      return 'retry';
    }
    this.#deps.logger.warn(`consumer: quarantined ${describe(position)}: ${code}`);
    return 'quarantined';
  }

  async #hold(record: InboundRecord): Promise<void> {
    const position: RecordPosition = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    };
    const id = partitionId(position);
    const failures =
      this.#failures.get(id) ??
      new RetryBackoff(this.#deps.settings.retryInitialMs, this.#deps.settings.retryMaxMs);
    this.#failures.set(id, failures);
    const delay = failures.next();
    this.#deps.observer?.retrying?.(position, delay);
    this.#held.set(id, null);
    await this.#rewindThenWait(position, delay);
  }

  /**
   * Rewinds the partition to the failed record and resumes it after `delay`. If the rewind
   * itself fails, the partition stays paused and the rewind is tried again: resuming without
   * it would skip the record, and a later commit would pass over it.
   */
  async #rewindThenWait(position: RecordPosition, delay: number): Promise<void> {
    const id = partitionId(position);
    let rewound = true;
    try {
      await this.#deps.source.rewind(position, position.offset);
    } catch (error) {
      rewound = false;
      this.#deps.logger.warn(`consumer: rewinding ${describe(position)} failed: ${errorMessage(error)}`);
    }
    // Revoked (or stopped) while rewinding: nothing to resume.
    if (!this.#held.has(id) || !this.#running) return;
    const next = rewound ? () => this.#resume(position) : () => void this.#rewindThenWait(position, delay);
    this.#held.set(id, setTimeout(next, delay));
  }

  #resume(partition: TopicPartitionRef): void {
    this.#held.delete(partitionId(partition));
    try {
      this.#deps.source.resume(partition);
    } catch (error) {
      this.#deps.logger.warn(
        `consumer: resuming ${partition.topic}[${partition.partition}] failed: ${errorMessage(error)}`,
      );
    }
  }

  #release(partition: TopicPartitionRef): void {
    const id = partitionId(partition);
    const timer = this.#held.get(id);
    if (timer) clearTimeout(timer);
    this.#held.delete(id);
    this.#failures.delete(id);
  }
}
