// Small node-rdkafka helpers for the agent's integration tests (the devkit's own helpers are
// not exported from its package).
import Kafka from 'node-rdkafka';
import { randomUUID } from 'node:crypto';
import { kafkaTestContext, type KafkaTestContext } from '@enclave/devkit/testing';
import type { KafkaLinkSettings } from '../src/kafka/kafka-settings.ts';
import { rdkafkaTlsConfig } from '../src/kafka/kafka-settings.ts';

export type { KafkaTestContext };

/** The shared real broker started by the package's vitest global setup (devkit). */
export const kafkaContext = kafkaTestContext;

/** The agent's link settings, but with the broker's super-user (admin) identity. */
export function adminLink(
  kafka: { bootstrap: string; admin: { chain: string; key: string; ca: string } },
  bootstrap = kafka.bootstrap,
): KafkaLinkSettings {
  return {
    bootstrap,
    caFile: kafka.admin.ca,
    chainFile: kafka.admin.chain,
    keyFile: kafka.admin.key,
    clientId: 'agent-test',
  };
}

export async function createTopics(link: KafkaLinkSettings, topics: readonly string[]): Promise<void> {
  const admin = Kafka.AdminClient.create(rdkafkaTlsConfig(link));
  try {
    for (const topic of topics) {
      await new Promise<void>((resolve, reject) => {
        admin.createTopic({ topic, num_partitions: 1, replication_factor: 1 }, 15_000, (err) =>
          err ? reject(new Error(`createTopic ${topic}: ${err.message}`)) : resolve(),
        );
      });
    }
  } finally {
    admin.disconnect();
  }
}

/** Everything on `topic` from the start, read until `quietMs` pass without a new record. */
export async function readAll(
  link: KafkaLinkSettings,
  topic: string,
  expectAtLeast: number,
  quietMs = 3_000,
): Promise<Kafka.Message[]> {
  const consumer = new Kafka.KafkaConsumer(
    { ...rdkafkaTlsConfig(link), 'group.id': `test-${randomUUID()}`, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => {
    consumer.connect({ timeout: 15_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  consumer.subscribe([topic]);
  const messages: Kafka.Message[] = [];
  const deadline = Date.now() + 30_000;
  let lastAt = Date.now();
  try {
    while (Date.now() < deadline && (messages.length < expectAtLeast || Date.now() - lastAt < quietMs)) {
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) => {
        consumer.consume(100, (err, got) => (err ? reject(new Error(err.message)) : resolve(got)));
      });
      if (batch.length > 0) lastAt = Date.now();
      messages.push(...batch);
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return messages;
}
