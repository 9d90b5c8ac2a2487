// The inbound side: consume results.* and heartbeats.*, decode every record against the topic
// it came from, apply it at most once through the inbox, and commit its offset only after
// that transaction committed. A record that fails to decode is quarantined and committed. A
// record whose handler fails is not committed: its partition is rewound to it, paused, and
// retried with back-off, while other partitions go on.
import { ContractError, decodeFromTopic, TOPIC_SUBSCRIPTION_PATTERN } from '@enclave/contracts';
import type { InboundDispatch, InboundEnvelope, RecordPosition } from './inbound-handlers.ts';
import type { InboundRecord, RecordSource, TopicPartitionRef } from './inbound-record-source.ts';
import type { ApplyOutcome, InboxItem, InboxStore } from './inbox.store.ts';
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
   * Records of one batch in order. The decodable ones are applied together: one inbox
   * transaction (one scheduler command, one commit) for the whole batch. Each partition's offset
   * is committed once, after its last settled record; a record that is not settled stops its
   * partition (and is rewound), so no later commit can pass over it.
   */
  async #handleBatch(records: readonly InboundRecord[]): Promise<void> {
    const commits = new Map<string, { partition: TopicPartitionRef; nextOffset: number }>();
    const decoded: (InboxItem | RecordOutcome)[] = [];
    // Partitions held, or stopped by a record that will be retried: their later records are not
    // applied now (the loop below skips them; they arrive again after the rewind).
    const stopped = new Set(this.#held.keys());
    for (const record of records) {
      const id = partitionId(record);
      const item = stopped.has(id) ? 'retry' : await this.#decode(record);
      if (item === 'retry') stopped.add(id);
      decoded.push(item);
    }
    const applied = await this.#applyAll(decoded.filter((d): d is InboxItem => typeof d !== 'string'));
    for (const [i, record] of records.entries()) {
      const id = partitionId(record);
      if (this.#held.has(id)) continue;
      const item = decoded[i]!;
      // Not applied: behind a retried record of its partition, which was held just before.
      const outcome = typeof item === 'string' ? item : applied.get(item);
      if (outcome === undefined) continue;
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

  /**
   * Applies `items` in one transaction. When a handler fails, the transaction rolled back as a
   * whole: its record is a 'retry', the later records of its partition wait for it (no
   * outcome), and the rest are applied again together. A failure outside any handler (the
   * commit itself) falls back to one record per transaction, which finds the one to retry.
   */
  async #applyAll(items: readonly InboxItem[]): Promise<Map<InboxItem, RecordOutcome>> {
    const out = new Map<InboxItem, RecordOutcome>();
    let rest = items;
    while (rest.length > 0) {
      const result = await this.#apply(rest);
      if (result.outcomes !== null) {
        for (const [i, item] of rest.entries()) out.set(item, result.outcomes[i]!);
        break;
      }
      const failed = result.failedAt === null && rest.length === 1 ? rest[0]! : result.failedAt;
      if (failed === null) {
        for (const item of rest) {
          const id = partitionId(item.position);
          if ([...out].some(([i, o]) => o === 'retry' && partitionId(i.position) === id)) continue;
          const single = await this.#apply([item]);
          out.set(item, single.outcomes?.[0] ?? 'retry');
        }
        break;
      }
      out.set(failed, 'retry');
      const stoppedAt = partitionId(failed.position);
      const behind = (item: InboxItem) =>
        partitionId(item.position) === stoppedAt && item.position.offset >= failed.position.offset;
      rest = rest.filter((item) => !behind(item));
    }
    return out;
  }

  /** One inbox transaction under the apply lock. On failure: which item's handler threw, if one did. */
  async #apply(
    items: readonly InboxItem[],
  ): Promise<{ outcomes: ApplyOutcome[]; failedAt: null } | { outcomes: null; failedAt: InboxItem | null }> {
    const at: { item: InboxItem | null } = { item: null };
    try {
      const apply = () =>
        this.#deps.inbox.applyBatch(items, async (em, item) => {
          at.item = item;
          await this.#deps.dispatch(item.envelope, em, item.position);
          at.item = null;
        });
      const outcomes = await (this.#deps.applyLock ? this.#deps.applyLock(apply) : apply());
      for (const [i, item] of items.entries()) {
        if (outcomes[i] === 'duplicate') {
          this.#deps.logger.log(
            `consumer: ${item.envelope.type} ${item.envelope.id} already applied; skipped`,
          );
        }
      }
      return { outcomes, failedAt: null };
    } catch (error) {
      const failed = at.item;
      const what =
        failed === null
          ? `a batch of ${items.length}`
          : `${failed.envelope.type} ${failed.envelope.id} at ${describe(failed.position)}`;
      this.#deps.logger.warn(`consumer: ${what} failed: ${errorMessage(error)}`);
      return { outcomes: null, failedAt: failed };
    }
  }

  /** Decodes one record, or quarantines it. Never throws: anything unexpected is a retry. */
  async #decode(record: InboundRecord): Promise<InboxItem | RecordOutcome> {
    const position: RecordPosition = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    };
    try {
      // The topic authenticates the sender: decodeFromTopic refuses another node's id.
      return { envelope: decodeFromTopic(record.topic, record.value) as InboundEnvelope, position };
    } catch (error) {
      if (error instanceof ContractError) return this.#quarantine(position, record.value, error.code);
      this.#deps.logger.error(
        `consumer: decoding ${describe(position)} failed unexpectedly: ${errorMessage(error)}`,
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
