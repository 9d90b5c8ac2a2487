// A static member fenced by the broker (FENCED_INSTANCE_ID) gets a fatal error from librdkafka,
// and a consumer with a fatal error never fetches again. The fault suite's broker restart
// showed it (docs/reliability.md, "broker-restart"): right after the broker came back, an offset
// commit went out under the old member id, the broker fenced it, and the control plane read no
// more results or heartbeats. Here, deterministically on the shared broker: a second consumer
// joins with the same group.instance.id, which fences the first on its next heartbeat. The
// record source must rebuild its consumer and go on reading.
import { randomBytes } from 'node:crypto';
import Kafka from 'node-rdkafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdkafkaRecordSource } from '../../src/messaging/inbound-record-source.ts';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { connectProducer, disconnect, produceConfirmed } from '../messaging-support/kafka-test-clients.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';

const kafka = controlPlaneKafka('cp-test-fenced');
const suffix = randomBytes(4).toString('hex');
const topic = `fenced-${suffix}`;
const group = `cp-test-fenced-${suffix}`;
const instance = `cp-fenced-${suffix}`;
const admin = new RdkafkaTopicAdmin({
  kafka,
  topics: { partitions: 1, replicationFactor: 1 },
  timeoutMs: 15_000,
});
const logger = new RecordingLogger();
let source: RdkafkaRecordSource;
let producer: Kafka.Producer;

beforeAll(async () => {
  await admin.ensureTopics([topic]);
  producer = await connectProducer(kafka);
  source = new RdkafkaRecordSource({
    kafka,
    groupId: group,
    groupInstanceId: instance,
    sessionTimeoutMs: 10_000,
    timeoutMs: 10_000,
    metadataRefreshMs: 60_000,
    logger,
  });
  await source.connect();
  source.subscribe([topic]);
}, 60_000);

afterAll(async () => {
  await source?.close();
  if (producer) await disconnect(producer);
  await admin.deleteTopics([topic]).catch(() => undefined);
}, 60_000);

/** Reads until a record with `value` arrives; consume errors (the fenced consumer's) are counted. */
async function readUntil(value: string, timeoutMs: number): Promise<void> {
  const errors: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const records = await source.next(10);
      if (records.some((r) => r.value?.toString() === value)) return;
    } catch (error) {
      errors.push(String(error));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(
    `no record "${value}" within ${timeoutMs} ms; consume errors: ${errors.slice(-3).join(' | ')}`,
  );
}

describe('a fenced static member', () => {
  it('rebuilds its consumer after the fatal FENCED_INSTANCE_ID and reads on', async () => {
    await produceConfirmed(producer, topic, Buffer.from('before'));
    await readUntil('before', 30_000);

    // A second member with the same instance id replaces the first in the group.
    const usurper = new Kafka.KafkaConsumer(
      {
        ...rdkafkaSecurity(kafka, 'usurper'),
        'group.id': group,
        'group.instance.id': instance,
        'session.timeout.ms': 10_000,
        'enable.auto.commit': false,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    await new Promise<void>((resolve, reject) =>
      usurper.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
    );
    usurper.subscribe([topic]);
    usurper.setDefaultConsumeTimeout(200);
    const deadline = Date.now() + 30_000;
    while (usurper.assignments().length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => usurper.consume(1, () => resolve()));
    }
    expect(usurper.assignments()).toHaveLength(1);
    await disconnect(usurper);

    // The first member is fenced at its next heartbeat (every 3 s): its consume fails fatally.
    let fenced = '';
    const fencedBy = Date.now() + 30_000;
    while (fenced === '' && Date.now() < fencedBy) {
      await source.next(10).catch((error: unknown) => {
        fenced = String(error);
      });
    }
    expect(fenced).toMatch(/fatal|fenced/i);
    // Once it has rebuilt its consumer it must read on.
    await produceConfirmed(producer, topic, Buffer.from('after'));
    await readUntil('after', 60_000);
    expect(logger.lines.some((line) => /fatal error.*rebuilding the consumer/.test(line))).toBe(true);
  }, 150_000);
});
