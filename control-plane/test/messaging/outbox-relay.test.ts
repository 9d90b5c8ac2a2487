// The outbox and its relay against the real broker: a committed row reaches its node topic
// exactly once, with its id in a header; rows of a rolled-back transaction never do; a relay
// that dies before publishing or before marking loses and duplicates nothing.
import { jobsTopic } from '@enclave/contracts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdkafkaCommittedLogReader } from '../../src/messaging/committed-log-reader.ts';
import { messagingSettings, type MessagingSettings } from '../../src/messaging/messaging.config.ts';
import { createOutboxRelay, outboxTransactionalId } from '../../src/messaging/messaging.factories.ts';
import { OutboxMessage, OutboxState } from '../../src/messaging/outbox-message.entity.ts';
import { OutboxRecovery } from '../../src/messaging/outbox-recovery.ts';
import { OutboxRelay } from '../../src/messaging/outbox-relay.ts';
import { OutboxSignal } from '../../src/messaging/outbox-signal.ts';
import { OutboxService } from '../../src/messaging/outbox.service.ts';
import { OutboxStore, type Placement } from '../../src/messaging/outbox.store.ts';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import { RdkafkaTransactionalPublisher } from '../../src/messaging/transactional-publisher.ts';
import { PAYLOAD_MARKER, taskAssign } from '../messaging-support/envelopes.ts';
import { HarnessJob } from '../messaging-support/harness-job.entity.ts';
import { controlPlaneKafka, uniqueNodeId } from '../messaging-support/kafka-context.ts';
import { readTopic } from '../messaging-support/kafka-test-clients.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';
import { waitFor } from '../messaging-support/wait-for.ts';

const kafka = controlPlaneKafka('cp-test-relay');
const topics = new RdkafkaTopicAdmin({
  kafka,
  topics: { partitions: 1, replicationFactor: 1 },
  timeoutMs: 15_000,
});
const clock = () => new Date();
let db: TestDatabase;
/** Topics this run created; deleted afterwards, since the broker outlives the run. */
const created: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase([HarnessJob]);
});

afterAll(async () => {
  await topics.deleteTopics(created).catch(() => undefined);
  await db?.close();
});

interface Fixture {
  nodeId: string;
  topic: string;
  settings: MessagingSettings;
  signal: OutboxSignal;
  outbox: OutboxService;
  logger: RecordingLogger;
}

async function fixture(): Promise<Fixture> {
  const nodeId = uniqueNodeId('relay');
  await topics.ensureTopics([jobsTopic(nodeId)]);
  created.push(jobsTopic(nodeId));
  const signal = new OutboxSignal();
  return {
    nodeId,
    topic: jobsTopic(nodeId),
    // A relay instance per test: tests share a database but must not fence each other.
    settings: messagingSettings({ kafka, relay: { instanceId: nodeId, batchSize: 7, pollIntervalMs: 100 } }),
    signal,
    outbox: new OutboxService(clock, signal),
    logger: new RecordingLogger(),
  };
}

/** Submits `count` jobs, each with its assignment in the outbox, one transaction per job. */
async function submit(f: Fixture, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await db.orm.em.fork().transactional((em) => {
      em.create(HarnessJob, { idempotencyKey: `${f.nodeId}-${i}`, assignmentId: id, createdAt: clock() });
      f.outbox.enqueue(em, taskAssign(f.nodeId, `task-${i}`, id));
      return Promise.resolve();
    });
    ids.push(id);
  }
  return ids;
}

async function pendingOf(topic: string): Promise<number> {
  return db.orm.em.fork().count(OutboxMessage, { topic, state: OutboxState.Pending });
}

async function runUntilDrained(relay: OutboxRelay, topic: string): Promise<void> {
  relay.start();
  try {
    await waitFor(`the outbox of ${topic} to drain`, async () => (await pendingOf(topic)) === 0);
  } finally {
    await relay.stop();
  }
}

describe('outbox relay', () => {
  it('publishes each committed row once, in order, keyed, with its id in a header', async () => {
    const f = await fixture();
    const ids = await submit(f, 10);
    await runUntilDrained(createOutboxRelay({ em: db.orm.em, ...f, clock }), f.topic);

    const { records, copies } = await readTopic(kafka, f.topic);
    expect(records.map((r) => r.value?.toString().includes(PAYLOAD_MARKER))).toEqual(ids.map(() => true));
    expect([...copies.keys()]).toEqual(ids); // in submission order
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    expect(records.map((r) => r.key?.toString())).toEqual(ids.map((_, i) => `task-${i}`));
    const rows = await db.orm.em.fork().find(OutboxMessage, { topic: f.topic }, { orderBy: { seq: 'asc' } });
    expect(rows.map((r) => [r.state, r.kafkaOffset])).toEqual(
      records.map((r) => [OutboxState.Sent, r.offset]),
    );
    expect(f.logger.lines.join('\n')).not.toContain(PAYLOAD_MARKER);
  });

  it('writes nothing when the enqueuing transaction rolls back', async () => {
    const f = await fixture();
    await expect(
      db.orm.em.fork().transactional(async (em) => {
        em.create(HarnessJob, {
          idempotencyKey: `${f.nodeId}-x`,
          assignmentId: randomUUID(),
          createdAt: clock(),
        });
        f.outbox.enqueue(em, taskAssign(f.nodeId, 'task-x'));
        await em.flush();
        throw new Error('the job service changed its mind');
      }),
    ).rejects.toThrow(/changed its mind/);
    const [kept] = await submit(f, 1);
    await runUntilDrained(createOutboxRelay({ em: db.orm.em, ...f, clock }), f.topic);
    expect([...(await readTopic(kafka, f.topic)).copies.keys()]).toEqual([kept]);
    expect(await db.orm.em.fork().count(HarnessJob, { idempotencyKey: `${f.nodeId}-x` })).toBe(0);
  });

  it('delivers rows committed by a process that died before publishing, once each', async () => {
    const f = await fixture();
    // Committed, never published: what a crash right after the commit leaves behind.
    const ids = await submit(f, 20);
    expect(await pendingOf(f.topic)).toBe(20);
    await runUntilDrained(createOutboxRelay({ em: db.orm.em, ...f, clock }), f.topic);
    const { copies } = await readTopic(kafka, f.topic);
    expect([...copies.keys()].sort()).toEqual([...ids].sort());
    expect(Math.max(...copies.values())).toBe(1);
  });

  it('recovers a batch that reached Kafka but was not marked sent, without publishing it again', async () => {
    const f = await fixture();
    const ids = await submit(f, 10);
    const store = new FlakyStore(db.orm.em, clock, 1);
    const relay = new OutboxRelay({
      store,
      publisherFactory: () =>
        new RdkafkaTransactionalPublisher({
          kafka,
          transactionalId: outboxTransactionalId(f.settings.relay.instanceId),
          timeoutMs: 15_000,
        }),
      recovery: new OutboxRecovery(
        new OutboxStore(db.orm.em, clock),
        new RdkafkaCommittedLogReader({ kafka, groupId: 'cp-test-recovery', timeoutMs: 15_000 }),
        f.logger,
      ),
      signal: f.signal,
      settings: f.settings.relay,
      logger: f.logger,
    });
    await runUntilDrained(relay, f.topic);
    expect(store.failedMarks).toBe(1);
    const { copies } = await readTopic(kafka, f.topic);
    expect([...copies.keys()].sort()).toEqual([...ids].sort());
    expect(Math.max(...copies.values())).toBe(1);
    expect(f.logger.lines.some((line) => /recovery: 7 row\(s\) .* already on Kafka/.test(line))).toBe(true);
  });
});

/** An outbox store whose first `failures` marks fail, as if SQLite refused the write. */
class FlakyStore extends OutboxStore {
  failedMarks = 0;
  #failures: number;

  constructor(...args: [...ConstructorParameters<typeof OutboxStore>, number]) {
    super(args[0], args[1]);
    this.#failures = args[2];
  }

  override async markSent(placements: readonly Placement[]): Promise<number> {
    if (this.failedMarks < this.#failures) {
      this.failedMarks++;
      throw new Error('SQLITE_IOERR: disk I/O error');
    }
    return super.markSent(placements);
  }
}
