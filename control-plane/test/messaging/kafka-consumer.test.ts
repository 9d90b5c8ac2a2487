// The inbound consumer against the real broker, with messages produced by a real node
// certificate on its own topics: applied once, committed only after the database applied them,
// poison records quarantined, failing handlers retried without blocking other partitions.
import { encodeEnvelope, heartbeatsTopic, resultsTopic } from '@enclave/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchFromTable } from '../../src/messaging/inbound-handlers.ts';
import { InboxMessage } from '../../src/messaging/inbox-message.entity.ts';
import type { InboundConsumer, RecordOutcome } from '../../src/messaging/kafka-consumer.ts';
import { messagingSettings, type KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import {
  createInboundConsumer,
  createNodeTopicsProvisioner,
} from '../../src/messaging/messaging.factories.ts';
import { QuarantinedMessage } from '../../src/messaging/quarantined-message.entity.ts';
import { runChild } from '../messaging-support/child-process.ts';
import type { ConsumerChildConfig } from '../messaging-support/consumer-child.ts';
import { AppliedEvent } from '../messaging-support/applied-event.entity.ts';
import { committedOffset } from '../messaging-support/committed-offsets.ts';
import { heartbeat, PAYLOAD_MARKER, taskProgress } from '../messaging-support/envelopes.ts';
import { controlPlaneKafka, uniqueNodeId } from '../messaging-support/kafka-context.ts';
import { connectProducer, disconnect, produceConfirmed } from '../messaging-support/kafka-test-clients.ts';
import { nodeKafka } from '../messaging-support/node-identity.ts';
import { RecordingHandlers } from '../messaging-support/recording-handlers.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';
import { waitFor } from '../messaging-support/wait-for.ts';

const kafka = controlPlaneKafka('cp-test-consumer');
const settings = messagingSettings({ kafka });
const provisioner = createNodeTopicsProvisioner(settings, new RecordingLogger());
const nodeId = uniqueNodeId('inbound');
const otherNode = uniqueNodeId('inbound-x');
const subscription = [`^results\\.${nodeId}$`, `^heartbeats\\.${nodeId}$`];
let db: TestDatabase;
let scratch = '';
let asNode: KafkaConnectionSettings;

beforeAll(async () => {
  db = await createTestDatabase([AppliedEvent]);
  scratch = await mkdtemp(join(tmpdir(), 'enclave-inbound-'));
  asNode = await nodeKafka(nodeId, scratch);
  await provisioner.provision(nodeId);
}, 120_000);

afterAll(async () => {
  await provisioner.remove(nodeId).catch(() => undefined);
  await db?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Produces as the node itself: the topic is what authenticates it. */
async function send(topic: string, ...values: (Buffer | null)[]): Promise<number[]> {
  const producer = await connectProducer(asNode, { idempotent: true });
  try {
    const offsets: number[] = [];
    for (const value of values) offsets.push((await produceConfirmed(producer, topic, value)).offset);
    return offsets;
  } finally {
    await disconnect(producer);
  }
}

interface Running {
  consumer: InboundConsumer;
  handlers: RecordingHandlers;
  outcomes: { topic: string; offset: number; outcome: RecordOutcome }[];
  retries: number[];
  logger: RecordingLogger;
}

async function startConsumer(groupId: string, handlers = new RecordingHandlers()): Promise<Running> {
  const running: Running = {
    consumer: undefined as never,
    handlers,
    outcomes: [],
    retries: [],
    logger: new RecordingLogger(),
  };
  running.consumer = createInboundConsumer({
    em: db.orm.em,
    settings: messagingSettings({
      kafka,
      consumer: { groupId, instanceId: groupId, retryInitialMs: 300, retryMaxMs: 2_000 },
    }),
    dispatch: dispatchFromTable(handlers.table),
    clock: () => new Date(),
    logger: running.logger,
    subscription,
    observer: {
      settled: ({ topic, offset }, outcome) => void running.outcomes.push({ topic, offset, outcome }),
      retrying: (_position, delay) => void running.retries.push(delay),
    },
  });
  await running.consumer.start();
  return running;
}

const applied = (messageId: string) => db.orm.em.fork().count(AppliedEvent, { messageId });

describe('inbound consumer', () => {
  it('applies a message once; a redelivered copy and a replay from offset 0 are no-ops', async () => {
    const message = taskProgress(nodeId, 'task-1', 0.5);
    const topic = resultsTopic(nodeId);
    const group = `cp-test-${uniqueNodeId('g')}`;
    const [first, second] = await send(topic, encodeEnvelope(message), encodeEnvelope(message));
    const run = await startConsumer(group);
    await waitFor('both copies to settle', () => run.outcomes.length === 2);
    await run.consumer.stop();
    expect(run.outcomes).toEqual([
      { topic, offset: first, outcome: 'applied' },
      { topic, offset: second, outcome: 'duplicate' },
    ]);
    expect(await applied(message.id)).toBe(1);
    expect(await db.orm.em.fork().findOne(InboxMessage, { messageId: message.id })).toMatchObject({
      type: 'task.progress',
      topic,
      offset: first,
    });
    await waitFor(
      'the offset commit',
      async () => (await committedOffset(kafka, group, topic)) === (second ?? 0) + 1,
    );

    // A new group reads from the start: everything is a replay.
    const replay = await startConsumer(`${group}-replay`);
    await waitFor('the replay', () => replay.outcomes.length === 2);
    await replay.consumer.stop();
    expect(replay.outcomes.map((o) => o.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(replay.handlers.calls).toBe(0);
    expect(await applied(message.id)).toBe(1);
  });

  it('commits an offset only after the apply: a consumer killed in between redelivers, and the inbox makes it a no-op', async () => {
    const message = heartbeat(nodeId);
    const topic = heartbeatsTopic(nodeId);
    const group = `cp-test-${uniqueNodeId('g')}`;
    const [offset] = await send(topic, encodeEnvelope(message));
    const config: ConsumerChildConfig = {
      dbFile: db.file,
      kafka,
      groupId: group,
      subscription: [`^${topic.replace('.', '\\.')}$`],
    };
    const child = runChild(join(import.meta.dirname, '..', 'messaging-support', 'consumer-child.ts'), {
      ENCLAVE_HARNESS: JSON.stringify(config),
    });
    expect(await child.waitForLine(/^settled /)).toBe(`settled ${topic} ${offset} applied`);
    expect((await child.exited).signal).toBe('SIGKILL');
    expect(await applied(message.id)).toBe(1);
    expect(await committedOffset(kafka, group, topic)).toBeNull();

    const run = await startConsumer(group);
    await waitFor('the redelivery', () => run.outcomes.some((o) => o.topic === topic));
    await waitFor(
      'the offset commit',
      async () => (await committedOffset(kafka, group, topic)) === (offset ?? 0) + 1,
    );
    await run.consumer.stop();
    expect(run.outcomes.filter((o) => o.topic === topic)).toEqual([{ topic, offset, outcome: 'duplicate' }]);
    expect(await applied(message.id)).toBe(1);
  });

  it('quarantines records that fail to decode, commits past them, and logs no payload', async () => {
    const topic = resultsTopic(nodeId);
    const group = `cp-test-${uniqueNodeId('g')}`;
    const impersonation = taskProgress(otherNode, 'task-2', 0.1); // valid, but names another node
    const wrongTopic = heartbeat(nodeId); // a heartbeat on a results topic
    const good = taskProgress(nodeId, 'task-2', 0.2);
    const offsets = await send(
      topic,
      Buffer.from(`not json ${PAYLOAD_MARKER}`),
      encodeEnvelope(impersonation),
      encodeEnvelope(wrongTopic),
      null,
      encodeEnvelope(good),
    );
    const run = await startConsumer(group);
    await waitFor('all five to settle', () =>
      run.outcomes.some((o) => o.topic === topic && o.offset === offsets.at(-1)),
    );
    await waitFor(
      'the offset commit',
      async () => (await committedOffset(kafka, group, topic)) === (offsets.at(-1) ?? 0) + 1,
    );
    await run.consumer.stop();

    const quarantined = await db.orm.em
      .fork()
      .find(QuarantinedMessage, { topic, offset: { $in: offsets } }, { orderBy: { offset: 'asc' } });
    expect(quarantined.map((q) => [q.offset, q.errorCode, q.messageId])).toEqual([
      [offsets[0], 'MALFORMED_PAYLOAD', null],
      [offsets[1], 'NODE_MISMATCH', impersonation.id],
      [offsets[2], 'TOPIC_MISMATCH', wrongTopic.id],
      [offsets[3], 'MALFORMED_PAYLOAD', null],
    ]);
    expect(await applied(impersonation.id)).toBe(0);
    expect(await applied(good.id)).toBe(1);
    expect(run.logger.lines.join('\n')).not.toContain(PAYLOAD_MARKER);
    expect(run.logger.lines.filter((l) => l.includes('quarantined')).length).toBe(4);
  });

  it('retries a failing handler with back-off, without committing it, while other partitions go on', async () => {
    const group = `cp-test-${uniqueNodeId('g')}`;
    const stuck = taskProgress(nodeId, 'task-3', 0.3);
    const after = taskProgress(nodeId, 'task-3', 0.4);
    const handlers = new RecordingHandlers();
    handlers.failures.set(stuck.id, 3);
    const run = await startConsumer(group, handlers);
    const [stuckOffset] = await send(resultsTopic(nodeId), encodeEnvelope(stuck), encodeEnvelope(after));
    const beat = heartbeat(nodeId);
    await send(heartbeatsTopic(nodeId), encodeEnvelope(beat));

    await waitFor(
      'the heartbeat, past the stuck results partition',
      async () => (await applied(beat.id)) === 1,
    );
    expect(await applied(after.id)).toBe(0); // behind the stuck one, in order
    await waitFor('the stuck message to succeed', async () => (await applied(stuck.id)) === 1, 20_000);
    await waitFor('the message behind it', async () => (await applied(after.id)) === 1);
    await run.consumer.stop();

    expect(run.retries).toEqual([300, 600, 1_200]);
    // The failed attempts rolled back their writes with their inbox rows.
    expect(await applied(stuck.id)).toBe(1);
    const settledStuck = run.outcomes.filter(
      (o) => o.offset === stuckOffset && o.topic === resultsTopic(nodeId),
    );
    expect(settledStuck.map((o) => o.outcome)).toEqual(['applied']);
  });
});
