// The outbox against the real broker: unreachable first (a closed port), then reachable.
import { decodeFromTopic, resultsTopic } from '@enclave/contracts';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdkafkaPublisher } from '../src/kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import { ResultEmitter } from '../src/runner/result-emitter.ts';
import { ManualClock } from '../src/support/clock.ts';
import { NODE, assignEnvelope, nextId } from './fixtures.ts';
import { adminLink, createTopics, kafkaContext, readAll } from './kafka-helpers.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('outbox → real broker', () => {
  it('accumulates while the broker is unreachable, then delivers in order exactly once', async () => {
    const kafka = kafkaContext();
    const node = `${NODE}-${Date.now().toString(36)}`;
    const topic = resultsTopic(node);
    await createTopics(adminLink(kafka), [topic]);
    const store = new SqliteOutboxStore(join(mkdtempSync(join(tmpdir(), 'agent-outbox-')), 'outbox.sqlite'));
    const outbox = new ResultsOutbox(store);
    const emitter = new ResultEmitter(
      { ...assignEnvelope(), nodeId: node },
      outbox,
      new ManualClock(),
      nextId,
    );
    emitter.accepted();
    emitter.progress({ fraction: 0.25, stage: 'transcode' });

    const down = new RdkafkaPublisher(adminLink(kafka, `127.0.0.1:${await closedPort()}`), {
      connectTimeoutMs: 2_000,
      messageTimeoutMs: 2_000,
    });
    const failed = await new OutboxFlusher(store, down).flush();
    await down.close();
    expect(failed.delivered).toBe(0);
    expect(failed.error).toBeDefined();
    emitter.succeeded({ outputs: [], metrics: { durationMs: 1, steps: [] } });
    expect(store.depth()).toBe(3);

    const up = new RdkafkaPublisher(adminLink(kafka));
    const flusher = new OutboxFlusher(store, up);
    expect(await flusher.flush()).toEqual({ delivered: 3, remaining: 0 });
    expect(await flusher.flush()).toEqual({ delivered: 0, remaining: 0 });
    await up.close();
    store.close();

    const records = await readAll(adminLink(kafka), topic, 3);
    const types = records.map((record) => decodeFromTopic(topic, record.value).type);
    expect(types).toEqual(['task.accepted', 'task.progress', 'task.succeeded']);
  }, 60_000);
});
