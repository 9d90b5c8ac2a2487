// Reads jobs.<self> only, in group node-<self>, with read_committed (the control plane's relay
// writes transactionally; aborted records must stay invisible). Auto-commit is off: the offset
// of a record is committed only after the handler returned, i.e. after the task's acceptance
// (or refusal) is in the durable outbox. After a certificate renewal `rebuild()` hands over to a
// consumer made from the new files at a record boundary (issue #5).
import { decodeFromTopic, jobsTopic, type Envelope } from '@enclave/contracts';
import Kafka from 'node-rdkafka';
import { rdkafkaTlsConfig, type KafkaLinkSettings } from './kafka-settings.ts';

export interface JobsHandler {
  onMessage(envelope: Envelope): void | Promise<void>;
  /** A record that does not decode: logged and skipped (committed), never retried forever. */
  onRejected(error: unknown, offset: number): void;
  /** The handler itself failed (the outbox could not be written): nothing is committed. */
  onFatal(error: unknown): void;
}

/** What the daemon needs from its intake; JobsConsumer is the real one. */
export interface JobsSource {
  start(handler: JobsHandler): Promise<void>;
  stop(): Promise<void>;
}

export function jobsConsumerConfig(settings: KafkaLinkSettings, nodeId: string): Kafka.ConsumerGlobalConfig {
  return {
    ...rdkafkaTlsConfig(settings),
    'group.id': `node-${nodeId}`,
    'isolation.level': 'read_committed',
    'enable.auto.commit': false,
    'enable.auto.offset.store': false,
  };
}

/** One consumer and the loop that reads it; `halt` ends the loop at the next record boundary. */
interface ConsumerRun {
  readonly consumer: Kafka.KafkaConsumer;
  halt: boolean;
  loop: Promise<void>;
}

export class JobsConsumer implements JobsSource {
  readonly #settings: KafkaLinkSettings;
  readonly #nodeId: string;
  #run: ConsumerRun | null = null;
  #handler: JobsHandler | null = null;
  #stopping = false;
  #rebuilding: Promise<void> | null = null;

  constructor(settings: KafkaLinkSettings, nodeId: string) {
    this.#settings = settings;
    this.#nodeId = nodeId;
  }

  async start(handler: JobsHandler): Promise<void> {
    this.#handler = handler;
    this.#attach(await this.#open(), handler);
  }

  /** Stops taking records; the loop finishes the batch it holds. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#rebuilding?.catch(() => undefined);
    const run = this.#run;
    this.#run = null;
    if (run) await this.#detach(run);
  }

  /**
   * After a certificate renewal: a consumer made from the files as they are now replaces the
   * running one (librdkafka cannot reload a certificate). The new one connects first; if that
   * fails this throws and the old one keeps reading. Then the old loop stops at a record
   * boundary (every handled record's offset is already committed, synchronously), the old
   * consumer leaves the group, and the new one subscribes: it starts at the committed offset,
   * so no record is handled twice and none is skipped.
   */
  rebuild(): Promise<void> {
    const current = (this.#rebuilding ?? Promise.resolve()).catch(() => undefined).then(() => this.#swap());
    this.#rebuilding = current;
    void current
      .catch(() => undefined)
      .finally(() => {
        if (this.#rebuilding === current) this.#rebuilding = null;
      });
    return current;
  }

  async #swap(): Promise<void> {
    const handler = this.#handler;
    if (this.#run === null || handler === null || this.#stopping) return;
    const next = await this.#open();
    const old = this.#run;
    if (this.#stopping || old === null) {
      await disconnect(next);
      return;
    }
    await this.#detach(old);
    // A fatal handler error while the old loop finished: intake stays stopped.
    if (this.#stopping) {
      this.#run = null;
      await disconnect(next);
      return;
    }
    this.#attach(next, handler);
  }

  async #open(): Promise<Kafka.KafkaConsumer> {
    const consumer = new Kafka.KafkaConsumer(jobsConsumerConfig(this.#settings, this.#nodeId), {
      'auto.offset.reset': 'earliest',
    });
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: 15_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
    });
    return consumer;
  }

  #attach(consumer: Kafka.KafkaConsumer, handler: JobsHandler): void {
    consumer.subscribe([jobsTopic(this.#nodeId)]);
    const run: ConsumerRun = { consumer, halt: false, loop: Promise.resolve() };
    run.loop = this.#read(run, handler);
    this.#run = run;
  }

  async #detach(run: ConsumerRun): Promise<void> {
    run.halt = true;
    await run.loop;
    await disconnect(run.consumer);
  }

  async #read(run: ConsumerRun, handler: JobsHandler): Promise<void> {
    const { consumer } = run;
    while (!this.#stopping && !run.halt) {
      const batch = await new Promise<Kafka.Message[]>((resolve) => {
        // On an error (broker away) wait a second instead of spinning; librdkafka reconnects.
        consumer.consume(16, (err, messages) =>
          err ? setTimeout(() => resolve([]), 1_000) : resolve(messages),
        );
      });
      for (const message of batch) {
        // Records fetched but not handled are not committed: the next consumer reads them again.
        if (this.#stopping || run.halt) return;
        let envelope: Envelope | null = null;
        try {
          envelope = decodeFromTopic(message.topic, message.value);
        } catch (error) {
          handler.onRejected(error, message.offset);
        }
        try {
          if (envelope) await handler.onMessage(envelope);
        } catch (error) {
          // Not committed: the record comes back after a restart.
          this.#stopping = true;
          handler.onFatal(error);
          return;
        }
        consumer.commitMessageSync(message);
      }
    }
  }
}

async function disconnect(consumer: Kafka.KafkaConsumer): Promise<void> {
  if (consumer.isConnected()) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
}
