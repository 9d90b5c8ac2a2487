// A Nest ClientProxy over the idempotent node-rdkafka producer, for a direct `emit` of a
// message whose delivery need not be tied to a database change. Anything that records state
// goes through the outbox instead: this path can lose a message if the process dies before
// the delivery report, and repeat one if the caller retries.
import { encodeEnvelope, jobsTopic, partitionKey } from '@enclave/contracts';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import type { KafkaConnectionSettings } from './messaging.config.ts';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import type { OutboundEnvelope } from './outbox.service.ts';
import { rdkafkaSecurity } from './rdkafka-settings.ts';

export class RdkafkaClientProxy extends ClientProxy {
  readonly #kafka: KafkaConnectionSettings;
  readonly #timeoutMs: number;
  #producer: Promise<Kafka.Producer> | null = null;

  constructor(kafka: KafkaConnectionSettings, timeoutMs: number) {
    super();
    this.#kafka = kafka;
    this.#timeoutMs = timeoutMs;
  }

  /** Connects once; every emit calls it. */
  connect(): Promise<Kafka.Producer> {
    this.#producer ??= this.#open().catch((error: unknown) => {
      this.#producer = null;
      throw error;
    });
    return this.#producer;
  }

  async close(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    const connected = await producer?.catch(() => null);
    if (connected?.isConnected()) await new Promise<void>((resolve) => connected.disconnect(() => resolve()));
  }

  unwrap<T>(): T {
    return this.#producer as T;
  }

  /** Request-response has no meaning here: nodes never answer on the jobs topic. */
  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new MessagingError(MessagingErrorCode.NOT_AN_OUTBOUND_MESSAGE, 'use emit(): nodes do not reply'),
      isDisposed: true,
    });
    return () => undefined;
  }

  /** `emit(type, envelope)`: validates and encodes the envelope, resolves on its delivery report. */
  protected async dispatchEvent<T = Kafka.DeliveryReport>(packet: ReadPacket<OutboundEnvelope>): Promise<T> {
    const envelope = packet.data;
    if (packet.pattern !== envelope.type) {
      throw new MessagingError(
        MessagingErrorCode.NOT_AN_OUTBOUND_MESSAGE,
        `the pattern ${String(packet.pattern)} is not the envelope's type ${envelope.type}`,
      );
    }
    const value = encodeEnvelope(envelope);
    const producer = await this.connect();
    const opaque = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const onReport = (error: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport) => {
        if (report.opaque !== opaque) return;
        producer.removeListener('delivery-report', onReport);
        if (error)
          reject(
            new MessagingError(
              MessagingErrorCode.PUBLISH_FAILED,
              `emit ${envelope.type} ${envelope.id}: ${error.message}`,
            ),
          );
        else resolve(report as T);
      };
      producer.on('delivery-report', onReport);
      try {
        producer.produce(jobsTopic(envelope.nodeId), null, value, partitionKey(envelope), Date.now(), opaque);
      } catch (error) {
        producer.removeListener('delivery-report', onReport);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async #open(): Promise<Kafka.Producer> {
    const producer = new Kafka.Producer(
      { ...rdkafkaSecurity(this.#kafka, 'emitter'), dr_cb: true, 'enable.idempotence': true },
      { 'message.timeout.ms': 30_000 },
    );
    producer.on('event.error', () => undefined); // delivery reports carry the failures
    await new Promise<void>((resolve, reject) => {
      producer.connect({ timeout: this.#timeoutMs }, (error) =>
        error
          ? reject(
              new MessagingError(MessagingErrorCode.KAFKA_UNAVAILABLE, `emitter connect: ${error.message}`),
            )
          : resolve(),
      );
    });
    producer.setPollInterval(10);
    return producer;
  }
}
