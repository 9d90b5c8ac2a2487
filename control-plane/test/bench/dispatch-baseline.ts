// The dispatch benchmark's baseline: a raw node-rdkafka produce → consume loop over the same
// broker with the same mTLS identity settings as the control plane (rdkafkaSecurity), an
// idempotent producer and a read_committed consumer as the scripted agents use. Closed loop:
// `concurrency` messages in flight; latency is produce() call → 'data' event in this process.
import Kafka from 'node-rdkafka';
import { randomBytes } from 'node:crypto';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import { connectProducer, disconnect } from '../messaging-support/kafka-test-clients.ts';
import { closedLoop, figures, timeout, type LoopFigures } from './dispatch-stats.ts';

async function createTopic(kafka: KafkaConnectionSettings, topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create(rdkafkaSecurity(kafka, 'bench-admin'));
  try {
    await new Promise<void>((resolve, reject) =>
      admin.createTopic({ topic, num_partitions: 1, replication_factor: 1 }, 10_000, (err) =>
        err ? reject(new Error(err.message)) : resolve(),
      ),
    );
  } finally {
    admin.disconnect();
  }
}

export async function rawKafkaLoop(
  kafka: KafkaConnectionSettings,
  count: number,
  concurrency: number,
): Promise<LoopFigures> {
  const topic = `bench-dispatch-${randomBytes(4).toString('hex')}`;
  await createTopic(kafka, topic);
  const producer = await connectProducer(kafka, { idempotent: true });
  const consumer = new Kafka.KafkaConsumer(
    {
      ...rdkafkaSecurity(kafka, 'bench-consumer'),
      'group.id': `bench-${topic}`,
      'enable.auto.commit': true,
      'isolation.level': 'read_committed',
    },
    { 'auto.offset.reset': 'earliest' },
  );
  const waiting = new Map<string, () => void>();
  consumer.on('data', (record) => {
    const id = record.value?.toString('utf8') ?? '';
    waiting.get(id)?.();
    waiting.delete(id);
  });
  await new Promise<void>((resolve, reject) =>
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
  consumer.subscribe([topic]);
  consumer.consume();
  const roundTrip = (id: string) => {
    const arrived = new Promise<void>((resolve) => waiting.set(id, resolve));
    producer.produce(topic, null, Buffer.from(id), id);
    return timeout(arrived, 30_000, `baseline message ${id}`);
  };
  try {
    // Warm-up: the consumer has its assignment and both connections are up.
    for (let i = 0; i < 20; i++) await roundTrip(`warm-${i}`);
    const latencies: number[] = [];
    const started = performance.now();
    await closedLoop(count, concurrency, async (i) => {
      const t0 = performance.now();
      await roundTrip(`m-${i}`);
      latencies.push(performance.now() - t0);
    });
    return figures(latencies, performance.now() - started);
  } finally {
    await disconnect(consumer);
    await disconnect(producer);
  }
}
