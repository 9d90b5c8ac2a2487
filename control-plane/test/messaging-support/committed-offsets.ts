// The offset a consumer group has committed for a partition, asked of the group coordinator.
import Kafka from 'node-rdkafka';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { disconnect } from './kafka-test-clients.ts';

/** The committed offset of `topic`[0] for `groupId`, or null when the group committed none. */
export async function committedOffset(
  kafka: KafkaConnectionSettings,
  groupId: string,
  topic: string,
): Promise<number | null> {
  const consumer = new Kafka.KafkaConsumer(
    { ...rdkafkaSecurity(kafka, 'test-offsets'), 'group.id': groupId, 'enable.auto.commit': false },
    {},
  );
  await new Promise<void>((resolve, reject) => {
    consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve()));
  });
  try {
    const [found] = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) => {
      consumer.committed([{ topic, partition: 0 }], 10_000, (err, offsets) =>
        err ? reject(new Error(err.message)) : resolve(offsets),
      );
    });
    return found && found.offset >= 0 ? found.offset : null;
  } finally {
    await disconnect(consumer);
  }
}
