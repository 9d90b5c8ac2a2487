// The idempotent producer behind the outbox. node-rdkafka's flush() may call back before the
// delivery reports reach JavaScript, so each message carries an opaque id and its promise
// settles only on its own delivery report. librdkafka reads the certificate files only when a
// client is created, so after a renewal `rebuild()` swaps in a producer made from the new files.
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import type { DeliveryOutcome, PublishRequest, Publisher } from '../outbox/publisher.ts';
import { rdkafkaTlsConfig, type KafkaLinkSettings } from './kafka-settings.ts';

export interface RdkafkaPublisherOptions {
  /** How long librdkafka keeps retrying one message before reporting it failed. */
  messageTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** One producer and the delivery reports it still owes. */
interface ProducerSlot {
  readonly producer: Kafka.Producer;
  readonly pending: Map<string, (outcome: DeliveryOutcome) => void>;
  /** Called when `pending` becomes empty (a retiring producer waits for it). */
  onDrained: (() => void) | null;
}

export class RdkafkaPublisher implements Publisher {
  readonly #settings: KafkaLinkSettings;
  readonly #options: Required<RdkafkaPublisherOptions>;
  #slot: ProducerSlot | null = null;
  /** One connect at a time: concurrent publishes share it instead of making two producers. */
  #connecting: Promise<ProducerSlot> | null = null;
  /** A rebuild under way (rebuilds run one after another; close waits for them). */
  #rebuilding: Promise<void> | null = null;

  constructor(settings: KafkaLinkSettings, options: RdkafkaPublisherOptions = {}) {
    this.#settings = settings;
    this.#options = {
      messageTimeoutMs: options.messageTimeoutMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    };
  }

  async publish(messages: readonly PublishRequest[]): Promise<DeliveryOutcome[]> {
    let slot: ProducerSlot;
    try {
      slot = await this.#connect();
    } catch (error) {
      const outcome: DeliveryOutcome = { ok: false, error: `connect: ${String(error)}` };
      return messages.map(() => outcome);
    }
    return Promise.all(messages.map((message) => this.#produce(slot, message)));
  }

  /**
   * Replaces the producer with one made from the certificate files as they are now. The new one
   * is connected first (if that fails, this throws and the old one stays in use); the old one
   * then gets the delivery reports it owes, up to the message timeout, before it is closed. A
   * report that never comes counts as a failed delivery: the outbox keeps the row and sends it
   * again (the control plane's inbox drops a copy that did arrive). With no producer yet there
   * is nothing to do: the next publish connects with the new files.
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
    await this.#connecting?.catch(() => undefined);
    const old = this.#slot;
    if (old === null) return;
    const next = await this.#open();
    this.#slot = next;
    await this.#retire(old, this.#options.messageTimeoutMs + 5_000);
  }

  async close(): Promise<void> {
    await this.#rebuilding?.catch(() => undefined);
    await this.#connecting?.catch(() => undefined);
    const slot = this.#slot;
    this.#slot = null;
    if (slot) await this.#retire(slot, 5_000);
  }

  #produce(slot: ProducerSlot, message: PublishRequest): Promise<DeliveryOutcome> {
    const opaque = randomUUID();
    return new Promise<DeliveryOutcome>((resolve) => {
      slot.pending.set(opaque, resolve);
      try {
        slot.producer.produce(message.topic, null, message.value, message.key, Date.now(), opaque);
      } catch (error) {
        slot.pending.delete(opaque);
        if (isFatal(error)) this.#discard(slot);
        resolve({ ok: false, error: String(error) });
      }
    });
  }

  /**
   * An idempotent producer that hit a fatal error (for example InitProducerId refused while the
   * node's ACLs were still being applied) refuses every later message. It is dropped, so the
   * outbox's next attempt connects a fresh one instead of failing until the agent restarts.
   */
  #discard(slot: ProducerSlot): void {
    if (this.#slot !== slot) return;
    this.#slot = null;
    void this.#retire(slot, 0);
  }

  /** Waits up to `graceMs` for the slot's outstanding reports, fails the rest, disconnects. */
  async #retire(slot: ProducerSlot, graceMs: number): Promise<void> {
    if (slot.pending.size > 0 && graceMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        slot.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    for (const settle of slot.pending.values()) {
      settle({ ok: false, error: 'the producer was closed before the delivery was reported' });
    }
    slot.pending.clear();
    if (slot.producer.isConnected()) {
      await new Promise<void>((resolve) => slot.producer.disconnect(() => resolve()));
    }
  }

  async #connect(): Promise<ProducerSlot> {
    if (this.#slot?.producer.isConnected()) return this.#slot;
    this.#connecting ??= this.#open()
      .then((slot) => {
        this.#slot = slot;
        return slot;
      })
      .finally(() => {
        this.#connecting = null;
      });
    return this.#connecting;
  }

  /** A new, connected producer built from the files as they are now. */
  async #open(): Promise<ProducerSlot> {
    const producer = new Kafka.Producer(
      { ...rdkafkaTlsConfig(this.#settings), dr_cb: true, 'enable.idempotence': true },
      { 'message.timeout.ms': this.#options.messageTimeoutMs },
    );
    const slot: ProducerSlot = { producer, pending: new Map(), onDrained: null };
    producer.on('event.error', (error) => {
      if (isFatal(error)) this.#discard(slot);
    });
    producer.on('delivery-report', (err, report) => {
      const opaque = String(report.opaque);
      const settle = slot.pending.get(opaque);
      if (!settle) return;
      slot.pending.delete(opaque);
      settle(err ? { ok: false, error: err.message } : { ok: true });
      if (slot.pending.size === 0) slot.onDrained?.();
    });
    await new Promise<void>((resolve, reject) => {
      producer.connect({ timeout: this.#options.connectTimeoutMs }, (err) =>
        err ? reject(new Error(err.message)) : resolve(),
      );
    });
    producer.setPollInterval(20);
    return slot;
  }
}

/** librdkafka's fatal error (ERR__FATAL): the producer instance can never send again. */
function isFatal(error: unknown): boolean {
  const e = error as { code?: unknown; isFatal?: unknown } | null;
  return (
    e !== null && typeof e === 'object' && (e.isFatal === true || e.code === Kafka.CODES.ERRORS.ERR__FATAL)
  );
}
