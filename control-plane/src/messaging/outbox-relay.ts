// Moves outbox rows to Kafka, each exactly once. The loop: settle and reconcile (open the
// transactional producer, run recovery), then repeatedly take the oldest pending rows, publish
// them in one Kafka transaction, and mark them sent with their offsets in one SQLite
// transaction. Any failure discards the producer; the next round opens a new one (whose
// initTransactions settles whatever the old one left open) and reconciles again before
// publishing. docs/messaging.md gives the full argument.
import { errorMessage, isMessagingError, MessagingErrorCode } from './messaging.errors.ts';
import type { MessagingLogger } from './messaging.logger.ts';
import type { RelaySettings } from './messaging.config.ts';
import type { OutboxRecovery } from './outbox-recovery.ts';
import type { OutboxSignal } from './outbox-signal.ts';
import type { OutboxStore, PendingRecord } from './outbox.store.ts';
import { RetryBackoff } from './retry-backoff.ts';
import { PublishError, type OutboxPublisher } from './transactional-publisher.ts';

/** Points in a round, for metrics and for fault-injection tests that kill the process there. */
export interface RelayObserver {
  /** The batch is committed on Kafka and not yet marked in SQLite: the crash window recovery covers. */
  batchCommitted?(messageIds: readonly string[]): void | Promise<void>;
  batchMarked?(messageIds: readonly string[]): void;
  recovered?(count: number): void;
}

export interface OutboxRelayDeps {
  readonly store: OutboxStore;
  /** Builds a fresh publisher; called at start and after every failure. */
  readonly publisherFactory: () => OutboxPublisher;
  readonly recovery: OutboxRecovery;
  readonly signal: OutboxSignal;
  readonly settings: RelaySettings;
  readonly logger: MessagingLogger;
  readonly observer?: RelayObserver;
  readonly now?: () => number;
}

export type RelayStatus = 'idle' | 'running' | 'fenced' | 'stopped';

export class OutboxRelay {
  readonly #deps: OutboxRelayDeps;
  readonly #backoff: RetryBackoff;
  /** topic → time before which its rows are not tried again (missing topic, refused). */
  readonly #parked = new Map<string, { until: number; backoff: RetryBackoff }>();
  #publisher: OutboxPublisher | null = null;
  #status: RelayStatus = 'idle';
  #loop: Promise<void> | null = null;
  #wakeStop: (() => void) | null = null;

  constructor(deps: OutboxRelayDeps) {
    this.#deps = deps;
    this.#backoff = new RetryBackoff(deps.settings.retryInitialMs, deps.settings.retryMaxMs);
  }

  get status(): RelayStatus {
    return this.#status;
  }

  /** Starts the loop in the background; the first round opens the producer and reconciles. */
  start(): void {
    if (this.#loop) return;
    this.#status = 'running';
    this.#loop = this.#run();
  }

  /** Stops after the round in progress; pending rows stay pending for the next start. */
  async stop(): Promise<void> {
    if (this.#status === 'running') this.#status = 'stopped';
    this.#deps.signal.raise();
    this.#wakeStop?.();
    await this.#loop;
    this.#loop = null;
    await this.#discardPublisher();
  }

  async #run(): Promise<void> {
    while (this.#status === 'running') {
      try {
        const published = await this.#round();
        this.#backoff.reset();
        if (!published) await this.#deps.signal.wait(this.#idleWaitMs());
      } catch (error) {
        await this.#discardPublisher();
        if (error instanceof PublishError && error.fenced) {
          this.#status = 'fenced';
          this.#deps.logger.error(
            'outbox relay: another relay with the same transactional id took over; this one stops',
          );
          return;
        }
        const code = isMessagingError(error) ? error.code : MessagingErrorCode.PUBLISH_FAILED;
        // A failure of particular topics parks them with their own back-off; the rest go on at once.
        if (error instanceof PublishError && error.topics.length > 0) {
          this.#deps.logger.warn(`outbox relay: ${code}: ${errorMessage(error)}`);
          continue;
        }
        const delay = this.#backoff.next();
        this.#deps.logger.warn(`outbox relay: ${code}: ${errorMessage(error)}; retrying in ${delay} ms`);
        await this.#sleep(delay);
      }
    }
  }

  /** One round; false when there was nothing to publish. */
  async #round(): Promise<boolean> {
    if (!this.#publisher) {
      const publisher = this.#deps.publisherFactory();
      this.#publisher = publisher;
      await publisher.open();
      const recovered = await this.#deps.recovery.run();
      this.#deps.observer?.recovered?.(recovered);
    }
    const batch = await this.#deps.store.pending(this.#deps.settings.batchSize, this.#parkedTopics());
    if (batch.length === 0) return false;
    const ids = batch.map((record) => record.messageId);
    let placements;
    try {
      placements = await this.#publisher.publish(batch);
    } catch (error) {
      await this.#onPublishFailure(batch, error);
      throw error;
    }
    await this.#deps.observer?.batchCommitted?.(ids);
    // If this mark fails, the next round opens a new producer and recovery marks the batch.
    await this.#deps.store.markSent(placements);
    this.#deps.observer?.batchMarked?.(ids);
    for (const topic of new Set(batch.map((record) => record.topic))) this.#parked.delete(topic);
    return true;
  }

  async #onPublishFailure(batch: readonly PendingRecord[], error: unknown): Promise<void> {
    const message = `${isMessagingError(error) ? error.code : 'ERROR'}: ${errorMessage(error)}`;
    await this.#deps.store.recordFailure(
      batch.map((record) => record.messageId),
      message,
    );
    // A topic that failed on its own is set aside, so one missing node topic cannot hold up
    // every other node's messages. Its own rows keep their order: none is tried until it is due.
    if (error instanceof PublishError) {
      for (const topic of error.topics) {
        const parked = this.#parked.get(topic) ?? {
          until: 0,
          backoff: new RetryBackoff(this.#deps.settings.retryInitialMs, this.#deps.settings.retryMaxMs),
        };
        parked.until = this.#now() + parked.backoff.next();
        this.#parked.set(topic, parked);
        this.#deps.logger.warn(
          `outbox relay: parking ${topic} until ${new Date(parked.until).toISOString()}`,
        );
      }
    }
  }

  #parkedTopics(): string[] {
    const now = this.#now();
    return [...this.#parked].filter(([, parked]) => parked.until > now).map(([topic]) => topic);
  }

  #idleWaitMs(): number {
    const now = this.#now();
    const dueSoonest = Math.min(...[...this.#parked.values()].map((p) => p.until).filter((t) => t > now));
    return Math.max(1, Math.min(this.#deps.settings.pollIntervalMs, dueSoonest - now));
  }

  async #discardPublisher(): Promise<void> {
    const publisher = this.#publisher;
    this.#publisher = null;
    try {
      await publisher?.close();
    } catch (error) {
      this.#deps.logger.warn(`outbox relay: closing the producer failed: ${errorMessage(error)}`);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeStop = done;
    });
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }
}
