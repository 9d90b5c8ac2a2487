// The idempotent producer behind the outbox. node-rdkafka's flush() may call back before the
// delivery reports reach JavaScript, so each message carries an opaque id and its promise
// settles only on its own delivery report.
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import type { DeliveryOutcome, PublishRequest, Publisher } from '../outbox/publisher.ts';
import { rdkafkaTlsConfig, type KafkaLinkSettings } from './kafka-settings.ts';

export interface RdkafkaPublisherOptions {
  /** How long librdkafka keeps retrying one message before reporting it failed. */
  messageTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export class RdkafkaPublisher implements Publisher {
  readonly #settings: KafkaLinkSettings;
  readonly #options: Required<RdkafkaPublisherOptions>;
  #producer: Kafka.Producer | null = null;
  readonly #pending = new Map<string, (outcome: DeliveryOutcome) => void>();

  constructor(settings: KafkaLinkSettings, options: RdkafkaPublisherOptions = {}) {
    this.#settings = settings;
    this.#options = {
      messageTimeoutMs: options.messageTimeoutMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    };
  }

  async publish(messages: readonly PublishRequest[]): Promise<DeliveryOutcome[]> {
    let producer: Kafka.Producer;
    try {
      producer = await this.#connect();
    } catch (error) {
      const outcome: DeliveryOutcome = { ok: false, error: `connect: ${String(error)}` };
      return messages.map(() => outcome);
    }
    return Promise.all(messages.map((message) => this.#produce(producer, message)));
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    if (!producer?.isConnected()) return;
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }

  #produce(producer: Kafka.Producer, message: PublishRequest): Promise<DeliveryOutcome> {
    const opaque = randomUUID();
    return new Promise<DeliveryOutcome>((resolve) => {
      this.#pending.set(opaque, resolve);
      try {
        producer.produce(message.topic, null, message.value, message.key, Date.now(), opaque);
      } catch (error) {
        this.#pending.delete(opaque);
        resolve({ ok: false, error: String(error) });
      }
    });
  }

  async #connect(): Promise<Kafka.Producer> {
    if (this.#producer?.isConnected()) return this.#producer;
    const producer = new Kafka.Producer(
      { ...rdkafkaTlsConfig(this.#settings), dr_cb: true, 'enable.idempotence': true },
      { 'message.timeout.ms': this.#options.messageTimeoutMs },
    );
    producer.on('delivery-report', (err, report) => {
      const opaque = String(report.opaque);
      const settle = this.#pending.get(opaque);
      if (!settle) return;
      this.#pending.delete(opaque);
      settle(err ? { ok: false, error: err.message } : { ok: true });
    });
    await new Promise<void>((resolve, reject) => {
      producer.connect({ timeout: this.#options.connectTimeoutMs }, (err) =>
        err ? reject(new Error(err.message)) : resolve(),
      );
    });
    producer.setPollInterval(20);
    this.#producer = producer;
    return producer;
  }
}
