// Reads jobs.<self> only, in group node-<self>, with read_committed (the control plane's relay
// writes transactionally; aborted records must stay invisible). Auto-commit is off: the offset
// of a record is committed only after the handler returned, i.e. after the task's acceptance
// (or refusal) is in the durable outbox.
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

export class JobsConsumer implements JobsSource {
  readonly #settings: KafkaLinkSettings;
  readonly #nodeId: string;
  #consumer: Kafka.KafkaConsumer | null = null;
  #stopping = false;
  #loop: Promise<void> | null = null;

  constructor(settings: KafkaLinkSettings, nodeId: string) {
    this.#settings = settings;
    this.#nodeId = nodeId;
  }

  async start(handler: JobsHandler): Promise<void> {
    const consumer = new Kafka.KafkaConsumer(jobsConsumerConfig(this.#settings, this.#nodeId), {
      'auto.offset.reset': 'earliest',
    });
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: 15_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
    });
    consumer.subscribe([jobsTopic(this.#nodeId)]);
    this.#consumer = consumer;
    this.#loop = this.#run(consumer, handler);
  }

  /** Stops taking records; the loop finishes the batch it holds. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop;
    const consumer = this.#consumer;
    this.#consumer = null;
    if (consumer?.isConnected()) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }

  async #run(consumer: Kafka.KafkaConsumer, handler: JobsHandler): Promise<void> {
    while (!this.#stopping) {
      const batch = await new Promise<Kafka.Message[]>((resolve) => {
        // On an error (broker away) wait a second instead of spinning; librdkafka reconnects.
        consumer.consume(16, (err, messages) =>
          err ? setTimeout(() => resolve([]), 1_000) : resolve(messages),
        );
      });
      for (const message of batch) {
        if (this.#stopping) return;
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
