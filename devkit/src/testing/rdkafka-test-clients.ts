// Small promise wrappers over node-rdkafka for integration tests and tools: create a topic,
// produce with confirmed delivery, consume a bounded number of messages, and observe a refusal.
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import { sslClientConfig, type ClientTlsFiles } from '../kafka/rdkafka-ssl.ts';

export interface Endpoint {
  bootstrap: string;
  tls: ClientTlsFiles;
}

export async function createTopic(endpoint: Endpoint, topic: string, partitions = 1): Promise<void> {
  const admin = Kafka.AdminClient.create({
    ...sslClientConfig(endpoint.bootstrap, endpoint.tls),
    'client.id': 'test-admin',
  });
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 15_000, (err) =>
        err ? reject(new Error(`createTopic ${topic}: ${err.message}`)) : resolve(),
      );
    });
  } finally {
    admin.disconnect();
  }
}

/**
 * The idempotent producer needs the cluster IdempotentWrite permission; a principal without it
 * fails fatally at start, so tests of topic-level authorisation use a plain producer.
 */
export async function connectProducer(
  endpoint: Endpoint,
  options: { idempotent?: boolean } = {},
): Promise<Kafka.Producer> {
  const producer = new Kafka.Producer(
    {
      ...sslClientConfig(endpoint.bootstrap, endpoint.tls),
      'client.id': 'test-producer',
      dr_cb: true,
      'enable.idempotence': options.idempotent ?? true,
    },
    { 'message.timeout.ms': 15_000 },
  );
  await new Promise<void>((resolve, reject) => {
    producer.connect({ timeout: 15_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  producer.setPollInterval(20);
  return producer;
}

/**
 * Produces and resolves when librdkafka's delivery report arrives: flush() alone may return
 * before the report reaches JavaScript, so reports are counted by opaque id.
 */
export async function produceConfirmed(producer: Kafka.Producer, topic: string, value: Buffer, key?: string) {
  const opaque = randomUUID();
  return new Promise<Kafka.DeliveryReport>((resolve, reject) => {
    const onReport = (err: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport) => {
      if (report.opaque !== opaque) return;
      producer.removeListener('delivery-report', onReport);
      if (err) reject(new Error(`delivery failed: ${err.message}`));
      else resolve(report);
    };
    producer.on('delivery-report', onReport);
    try {
      producer.produce(topic, null, value, key ?? null, Date.now(), opaque);
    } catch (error) {
      producer.removeListener('delivery-report', onReport);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export async function disconnect(client: Kafka.Producer | Kafka.KafkaConsumer): Promise<void> {
  if (!client.isConnected()) return;
  await new Promise<void>((resolve) => client.disconnect(() => resolve()));
}

/** Reads `count` messages from the start of `topic` with a fresh group, within `timeoutMs`. */
export async function consumeFromStart(
  endpoint: Endpoint,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<Kafka.Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...sslClientConfig(endpoint.bootstrap, endpoint.tls),
      'group.id': `test-${randomUUID()}`,
      'enable.auto.commit': false,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => {
    consumer.connect({ timeout: 15_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  consumer.subscribe([topic]);
  const messages: Kafka.Message[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (messages.length < count && Date.now() < deadline) {
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) => {
        consumer.consume(count - messages.length, (err, got) =>
          err ? reject(new Error(err.message)) : resolve(got),
        );
      });
      messages.push(...batch);
    }
  } finally {
    await disconnect(consumer);
  }
  return messages;
}
