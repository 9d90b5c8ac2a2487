// Issue #5 acceptance: a 30 s Kafka outage in the middle of a job. A PRIVATE real broker
// (ENCLAVE_KAFKA_PORT=20510, its own ENCLAVE_DEV_DIR; the shared one on 19093 is never
// touched) is stopped while the job keeps reporting; the results wait in the SQLite outbox and,
// once the broker is back, every one arrives, in order, once.
import { startDevBroker, stopDevBroker } from '@enclave/devkit';
import { decodeFromTopic, resultsTopic } from '@enclave/contracts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { RdkafkaPublisher } from '../src/kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import { ResultEmitter } from '../src/runner/result-emitter.ts';
import { systemClock } from '../src/support/clock.ts';
import { NODE, assignEnvelope, nextId } from './fixtures.ts';
import { adminLink, createTopics, readAll } from './kafka-helpers.ts';

// Kept between runs (storage formatted once, CA reused): the broker starts faster.
const env = {
  ...process.env,
  ENCLAVE_KAFKA_PORT: '20510',
  ENCLAVE_DEV_DIR: join(tmpdir(), `enclave-agent-outage-${process.getuid?.() ?? 0}`),
};
const OUTAGE_MS = 30_000;
const log = (line: string) => console.error(`[private kafka] ${line}`);

afterAll(async () => {
  await stopDevBroker({ env }); // only the private broker: its own pid file under ENCLAVE_DEV_DIR
}, 60_000);

describe('results outbox across a 30 s outage of the real broker', () => {
  it('queues in SQLite while the broker is down and delivers everything in order, once', async () => {
    const t0 = Date.now();
    const broker = await startDevBroker({ env, log });
    const firstStartMs = Date.now() - t0;
    const link = adminLink(broker);
    const node = `${NODE}-outage-${Date.now().toString(36)}`;
    const topic = resultsTopic(node);
    await createTopics(link, [topic]);

    const store = new SqliteOutboxStore(join(mkdtempSync(join(tmpdir(), 'agent-outage-')), 'outbox.sqlite'));
    const publisher = new RdkafkaPublisher(link, { messageTimeoutMs: 4_000, connectTimeoutMs: 4_000 });
    const flusher = new OutboxFlusher(store, publisher);
    const emitter = new ResultEmitter(
      { ...assignEnvelope(), nodeId: node },
      new ResultsOutbox(store),
      systemClock,
      nextId,
    );

    // The daemon's retry loop, every second.
    let running = true;
    let failedFlushes = 0;
    const loop = (async () => {
      while (running) {
        const report = await flusher.flush();
        if (report.error) failedFlushes += 1;
        await sleep(1_000);
      }
    })();

    // The job: accepted, then a progress report every 500 ms throughout.
    let step = 0;
    const progress = () => emitter.progress({ fraction: ++step / 1000, stage: 'transcode' });
    emitter.accepted();
    const job = setInterval(progress, 500);

    await sleep(2_500);
    const before = store.depth();
    const stopped = Date.now();
    expect(await stopDevBroker({ env })).toMatch(/stopped|killed/);
    await sleep(OUTAGE_MS - (Date.now() - stopped));
    const queuedDuringOutage = store.depth();
    const outageMs = Date.now() - stopped;
    const t1 = Date.now();
    await startDevBroker({ env, log });
    const restartMs = Date.now() - t1;
    await sleep(1_500);
    clearInterval(job);
    emitter.succeeded({ outputs: [], metrics: { durationMs: 40_000, steps: [] } });

    const deadline = Date.now() + 30_000;
    while (store.depth() > 0 && Date.now() < deadline) await sleep(250);
    running = false;
    await loop;
    expect(store.depth()).toBe(0);
    await publisher.close();
    store.close();

    const records = await readAll(link, topic, step + 2, 2_000);
    const envelopes = records.map((record) => decodeFromTopic(topic, record.value));
    const ids = envelopes.map((envelope) => envelope.id);
    console.error(
      `[outage] broker start ${firstStartMs} ms, restart ${restartMs} ms; down ${outageMs} ms (+ restart); outbox depth ${before} before, ${queuedDuringOutage} at the end of the outage; ${failedFlushes} failed flushes; ${envelopes.length} records delivered`,
    );
    expect(outageMs).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(queuedDuringOutage).toBeGreaterThan(40); // ~60 reports were made while it was down
    expect(failedFlushes).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length); // none duplicated
    expect(envelopes.map((envelope) => envelope.type)).toEqual([
      'task.accepted',
      ...Array.from({ length: step }, () => 'task.progress'),
      'task.succeeded',
    ]);
    const fractions = envelopes.flatMap((envelope) =>
      envelope.type === 'task.progress' ? [envelope.body.fraction] : [],
    );
    expect(fractions).toEqual(Array.from({ length: step }, (_, i) => (i + 1) / 1000)); // in order, none lost
  }, 150_000);
});
