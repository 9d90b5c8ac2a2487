// A group consumer as some identity, reporting either what it read or the error that stopped
// it: how tests observe that an ACL refuses a read.
import Kafka from 'node-rdkafka';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { disconnect } from './kafka-test-clients.ts';

export interface ConsumeOutcome {
  values: string[];
  error: string | null;
}

export async function consumeAs(
  kafka: KafkaConnectionSettings,
  topic: string,
  groupId: string,
  count: number,
  timeoutMs = 15_000,
): Promise<ConsumeOutcome> {
  const consumer = new Kafka.KafkaConsumer(
    {
      ...rdkafkaSecurity(kafka, 'test-consumer'),
      'group.id': groupId,
      'enable.auto.commit': false,
      event_cb: true,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  let error: string | null = null;
  consumer.on('event.error', (err: Kafka.LibrdKafkaError) => {
    if (/authori[sz]/i.test(err.message)) error ??= err.message;
  });
  await new Promise<void>((resolve, reject) => {
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  consumer.setDefaultConsumeTimeout(200);
  consumer.subscribe([topic]);
  const values: string[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    while (values.length < count && error === null && Date.now() < deadline) {
      try {
        const batch = await new Promise<Kafka.Message[]>((resolve, reject) => {
          consumer.consume(count - values.length, (err, got) =>
            err ? reject(new Error(err.message)) : resolve(got),
          );
        });
        values.push(...batch.map((m) => m.value?.toString('utf8') ?? ''));
      } catch (err) {
        error = (err as Error).message;
      }
    }
  } finally {
    await disconnect(consumer);
  }
  if (values.length < count && error === null) error = 'timed out';
  return { values, error };
}
