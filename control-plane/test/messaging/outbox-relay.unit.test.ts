// The relay's decisions with a stand-in Kafka and a real SQLite outbox: order, parking a topic
// that fails on its own, stopping when fenced, counting failed attempts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messagingSettings } from '../../src/messaging/messaging.config.ts';
import { OutboxMessage, OutboxState } from '../../src/messaging/outbox-message.entity.ts';
import { OutboxRecovery } from '../../src/messaging/outbox-recovery.ts';
import { OutboxRelay } from '../../src/messaging/outbox-relay.ts';
import { OutboxSignal } from '../../src/messaging/outbox-signal.ts';
import { OutboxService } from '../../src/messaging/outbox.service.ts';
import { OutboxStore } from '../../src/messaging/outbox.store.ts';
import { taskAssign } from '../messaging-support/envelopes.ts';
import { FakeKafka } from '../messaging-support/fake-publisher.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';
import { waitFor } from '../messaging-support/wait-for.ts';

const clock = () => new Date();
const kafkaSettings = { bootstrap: 'x:1', tls: { ca: 'a', chain: 'b', key: 'c' }, clientId: 't' };
let db: TestDatabase;
let fake: FakeKafka;
let signal: OutboxSignal;
let logger: RecordingLogger;
let relay: OutboxRelay;

beforeEach(async () => {
  db = await createTestDatabase();
  fake = new FakeKafka();
  signal = new OutboxSignal();
  logger = new RecordingLogger();
  const store = new OutboxStore(db.orm.em, clock);
  relay = new OutboxRelay({
    store,
    publisherFactory: () => fake.publisher(),
    recovery: new OutboxRecovery(store, fake.reader(), logger),
    signal,
    settings: messagingSettings({
      kafka: kafkaSettings,
      relay: { batchSize: 3, pollIntervalMs: 20, retryInitialMs: 10, retryMaxMs: 40 },
    }).relay,
    logger,
  });
});

afterEach(async () => {
  await relay.stop();
  await db.close();
});

async function enqueue(node: string, count: number): Promise<string[]> {
  const outbox = new OutboxService(clock, signal);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await db.orm.em.fork().transactional((em) => {
      ids.push(outbox.enqueue(em, taskAssign(node, `t-${i}`)).messageId);
      return Promise.resolve();
    });
  }
  return ids;
}

const pending = () => db.orm.em.fork().count(OutboxMessage, { state: OutboxState.Pending });

describe('OutboxRelay', () => {
  it('publishes in enqueue order across batches and records where each row landed', async () => {
    const ids = await enqueue('n1', 8);
    relay.start();
    await waitFor('the outbox to drain', async () => (await pending()) === 0);
    expect(fake.log.get('jobs.n1')).toEqual(ids);
    const rows = await db.orm.em.fork().find(OutboxMessage, {}, { orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.kafkaOffset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('parks a topic that fails on its own; other nodes go on, and its rows keep their order', async () => {
    fake.broken.add('jobs.bad');
    const bad = await enqueue('bad', 2);
    const good = await enqueue('good', 4);
    relay.start();
    await waitFor('the healthy topic', () => fake.log.get('jobs.good')?.length === 4);
    expect(fake.log.has('jobs.bad')).toBe(false);
    const failed = await db.orm.em.fork().find(OutboxMessage, { messageId: { $in: bad } });
    expect(failed.every((r) => r.attempts >= 1 && /unknown topic/.test(r.lastError ?? ''))).toBe(true);
    expect(logger.lines.some((l) => l.includes('parking jobs.bad'))).toBe(true);

    fake.broken.delete('jobs.bad');
    await waitFor('the parked topic to be retried', () => fake.log.get('jobs.bad')?.length === 2);
    expect(fake.log.get('jobs.bad')).toEqual(bad);
    expect(fake.log.get('jobs.good')).toEqual(good);
  });

  it('stops for good when another relay fenced it, leaving rows pending', async () => {
    await enqueue('n2', 2);
    fake.fenceNext = true;
    relay.start();
    await waitFor('the relay to stop', () => relay.status === 'fenced');
    expect(await pending()).toBe(2);
    expect(logger.lines.some((l) => l.startsWith('error') && l.includes('took over'))).toBe(true);
  });

  it('reconciles before publishing: rows already on Kafka are marked, not sent again', async () => {
    const ids = await enqueue('n3', 3);
    fake.log.set('jobs.n3', [ids[0] ?? '', ids[1] ?? '']); // a crashed relay got this far
    relay.start();
    await waitFor('the outbox to drain', async () => (await pending()) === 0);
    expect(fake.log.get('jobs.n3')).toEqual(ids);
    expect(logger.lines.some((l) => l.includes('recovery: 2 row(s) for jobs.n3'))).toBe(true);
  });
});
