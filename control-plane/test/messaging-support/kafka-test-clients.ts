// Plain node-rdkafka clients for tests: produce as any identity, and read a topic back with
// read_committed to its end, counting records per outbox id.
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import { outboxIdOf } from '../../src/messaging/committed-log-reader.ts';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';

/**
 * `messageTimeoutMs`: how long librdkafka keeps retrying a record before its delivery report
 * fails (10 s; a fault that restarts the broker gives its agents longer than the outage).
 */
export async function connectProducer(
  kafka: KafkaConnectionSettings,
  options: { idempotent?: boolean; messageTimeoutMs?: number } = {},
): Promise<Kafka.Producer> {
  const producer = new Kafka.Producer(
    {
      ...rdkafkaSecurity(kafka, 'test-producer'),
      dr_cb: true,
      'enable.idempotence': options.idempotent ?? false,
      event_cb: true,
    },
    { 'message.timeout.ms': options.messageTimeoutMs ?? 10_000 },
  );
  producer.on('event.error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    producer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  producer.setPollInterval(10);
  return producer;
}

type ReportWaiter = (err: Kafka.LibrdKafkaError | null, report: Kafka.DeliveryReport) => void;
/** One delivery-report listener per producer, dispatching by opaque id (one per message would
 * pile up listeners past Node's warning limit when a scripted agent has many in flight). */
const waiters = new WeakMap<Kafka.Producer, Map<string, ReportWaiter>>();

function waitersOf(producer: Kafka.Producer): Map<string, ReportWaiter> {
  let map = waiters.get(producer);
  if (!map) {
    const created = new Map<string, ReportWaiter>();
    producer.on('delivery-report', (err, report) => {
      const opaque = String(report.opaque);
      const waiter = created.get(opaque);
      if (!waiter) return;
      created.delete(opaque);
      waiter(err, report);
    });
    waiters.set(producer, created);
    map = created;
  }
  return map;
}

/** Produces one record and resolves with its delivery report (matched by opaque id). */
export function produceConfirmed(
  producer: Kafka.Producer,
  topic: string,
  value: Buffer | null,
  key: string | null = null,
): Promise<Kafka.DeliveryReport> {
  const opaque = randomUUID();
  const pending = waitersOf(producer);
  return new Promise((resolve, reject) => {
    pending.set(opaque, (err, report) => {
      if (err) reject(Object.assign(new Error(`delivery failed: ${err.message}`), { code: err.code }));
      else resolve(report);
    });
    try {
      producer.produce(topic, null, value, key, Date.now(), opaque);
    } catch (error) {
      pending.delete(opaque);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export async function disconnect(client: Kafka.Producer | Kafka.KafkaConsumer): Promise<void> {
  if (!client.isConnected()) return;
  await new Promise<void>((resolve) => client.disconnect(() => resolve()));
}

export interface TopicContents {
  /** Committed records, in offset order. */
  readonly records: Kafka.Message[];
  /** Committed records per outbox id. */
  readonly copies: Map<string, number>;
}

/** Reads every committed record of partition 0 of `topic` (read_committed) up to its end. */
export async function readTopic(
  kafka: KafkaConnectionSettings,
  topic: string,
  timeoutMs = 20_000,
): Promise<TopicContents> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...rdkafkaSecurity(kafka, 'test-reader'),
      'group.id': `test-reader-${randomUUID()}`,
      'enable.auto.commit': false,
      'isolation.level': 'read_committed',
      'enable.partition.eof': true,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => {
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  consumer.setDefaultConsumeTimeout(100);
  let atEnd = false;
  consumer.on('partition.eof', () => {
    atEnd = true;
  });
  consumer.assign([{ topic, partition: 0, offset: -2 }]);
  const records: Kafka.Message[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (!atEnd) {
      if (Date.now() > deadline) throw new Error(`reading ${topic} did not reach its end`);
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) => {
        consumer.consume(1000, (err, got) => (err ? reject(new Error(err.message)) : resolve(got)));
      });
      records.push(...batch);
    }
  } finally {
    await disconnect(consumer);
  }
  const copies = new Map<string, number>();
  for (const record of records) {
    const id = outboxIdOf(record);
    if (id !== null) copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return { records, copies };
}
