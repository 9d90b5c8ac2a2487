// The consumer's commit discipline with a stand-in record source and a real SQLite inbox:
// commits follow settled records per partition, a failed record is rewound and never
// committed, its partition's later records wait, and a revoked partition is let go.
import { encodeEnvelope } from '@enclave/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchFromTable } from '../../src/messaging/inbound-handlers.ts';
import type {
  InboundRecord,
  RecordSource,
  TopicPartitionRef,
} from '../../src/messaging/inbound-record-source.ts';
import { InboxStore } from '../../src/messaging/inbox.store.ts';
import { InboundConsumer } from '../../src/messaging/kafka-consumer.ts';
import { messagingSettings } from '../../src/messaging/messaging.config.ts';
import { AppliedEvent } from '../messaging-support/applied-event.entity.ts';
import { heartbeat, taskProgress } from '../messaging-support/envelopes.ts';
import { RecordingHandlers } from '../messaging-support/recording-handlers.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';
import { waitFor } from '../messaging-support/wait-for.ts';

class ScriptedSource implements RecordSource {
  readonly batches: InboundRecord[][] = [];
  readonly calls: string[] = [];
  revoke: (partitions: TopicPartitionRef[]) => void = () => undefined;
  onRewind: () => void = () => undefined;
  failRewinds = 0;

  connect = () => Promise.resolve();
  subscribe = (patterns: readonly string[]) => void this.calls.push(`subscribe ${patterns.join(',')}`);
  next = async (): Promise<InboundRecord[]> => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.batches.shift() ?? [];
  };
  commit = (p: TopicPartitionRef, offset: number) => void this.calls.push(`commit ${p.topic} ${offset}`);
  rewind = (p: TopicPartitionRef, offset: number) => {
    this.calls.push(`rewind ${p.topic} ${offset}`);
    this.onRewind();
    if (this.failRewinds > 0) {
      this.failRewinds--;
      return Promise.reject(new Error('Local: Timed out'));
    }
    return Promise.resolve();
  };
  resume = (p: TopicPartitionRef) => void this.calls.push(`resume ${p.topic}`);
  onRevoked = (listener: (partitions: TopicPartitionRef[]) => void) => {
    this.revoke = listener;
  };
  close = () => Promise.resolve();
}

const record = (topic: string, offset: number, value: Buffer | null): InboundRecord => ({
  topic,
  partition: 0,
  offset,
  value,
});
let db: TestDatabase;
let source: ScriptedSource;
let handlers: RecordingHandlers;
let consumer: InboundConsumer;

beforeEach(async () => {
  db = await createTestDatabase([AppliedEvent]);
  source = new ScriptedSource();
  handlers = new RecordingHandlers();
  consumer = new InboundConsumer({
    source,
    inbox: new InboxStore(db.orm.em, () => new Date()),
    dispatch: dispatchFromTable(handlers.table),
    settings: messagingSettings({
      kafka: { bootstrap: 'x:1', tls: { ca: 'a', chain: 'b', key: 'c' }, clientId: 't' },
      consumer: { retryInitialMs: 30, retryMaxMs: 60 },
    }).consumer,
    logger: new RecordingLogger(),
  });
});

afterEach(async () => {
  await consumer.stop();
  await db.close();
});

describe('InboundConsumer', () => {
  it('subscribes to every results and heartbeats topic by pattern', async () => {
    await consumer.start();
    expect(source.calls[0]).toBe('subscribe ^results\\..+,^heartbeats\\..+');
  });

  it('commits each partition once per batch, after its last settled record', async () => {
    const a = taskProgress('n1', 't', 0.1);
    const b = heartbeat('n1');
    source.batches.push([
      record('results.n1', 4, encodeEnvelope(a)),
      record('heartbeats.n1', 9, encodeEnvelope(b)),
      record('results.n1', 5, Buffer.from('garbage')),
    ]);
    await consumer.start();
    await waitFor('the commits', () => source.calls.filter((c) => c.startsWith('commit')).length === 2);
    expect(source.calls.slice(1)).toEqual(['commit results.n1 6', 'commit heartbeats.n1 10']);
  });

  it('rewinds a failing record, commits only what came before it, and skips its partition until resumed', async () => {
    const ok = taskProgress('n1', 't', 0.1);
    const failing = taskProgress('n1', 't', 0.2);
    const behind = taskProgress('n1', 't', 0.3);
    handlers.failures.set(failing.id, 1);
    source.batches.push([
      record('results.n1', 0, encodeEnvelope(ok)),
      record('results.n1', 1, encodeEnvelope(failing)),
      record('results.n1', 2, encodeEnvelope(behind)),
    ]);
    await consumer.start();
    await waitFor('the rewind', () => source.calls.includes('rewind results.n1 1'));
    expect(source.calls.slice(1, 3)).toEqual(['commit results.n1 1', 'rewind results.n1 1']);
    // The batch (ok, failing: rolled back as a whole), then ok again on its own; `behind` waited.
    expect(handlers.calls).toBe(3);
    expect(await db.orm.em.fork().count(AppliedEvent, { messageId: ok.id })).toBe(1);

    await waitFor('the resume', () => source.calls.includes('resume results.n1'));
    source.batches.push([
      record('results.n1', 1, encodeEnvelope(failing)),
      record('results.n1', 2, encodeEnvelope(behind)),
    ]);
    await waitFor('the commit past both', () => source.calls.includes('commit results.n1 3'));
    expect(source.calls.filter((c) => c.startsWith('commit'))).toEqual([
      'commit results.n1 1',
      'commit results.n1 3',
    ]);
    expect(await db.orm.em.fork().count(AppliedEvent, { messageId: failing.id })).toBe(1);
  });

  it('applies a batch in one inbox transaction, in order, skipping what was applied before', async () => {
    const commits: number[] = [];
    db.orm.em.getEventManager().registerSubscriber({
      afterTransactionCommit: () => void commits.push(Date.now()),
    });
    const a = taskProgress('n1', 't', 0.1);
    const b = heartbeat('n1');
    const c = taskProgress('n1', 't', 0.2);
    source.batches.push([
      record('results.n1', 0, encodeEnvelope(a)),
      record('heartbeats.n1', 0, encodeEnvelope(b)),
      record('results.n1', 1, encodeEnvelope(a)), // a redelivered copy inside the same batch
      record('results.n1', 2, encodeEnvelope(c)),
    ]);
    await consumer.start();
    await waitFor('the commits', () => source.calls.filter((x) => x.startsWith('commit')).length === 2);
    expect(source.calls.slice(1)).toEqual(['commit results.n1 3', 'commit heartbeats.n1 1']);
    expect(commits).toHaveLength(1);
    expect(handlers.calls).toBe(3);
    const applied = await db.orm.em.fork().find(AppliedEvent, {}, { orderBy: { id: 'asc' } });
    expect(applied.map((row) => row.messageId)).toEqual([a.id, b.id, c.id]);

    source.batches.push([
      record('results.n1', 0, encodeEnvelope(a)),
      record('results.n1', 3, encodeEnvelope(c)),
    ]);
    await waitFor('the commit', () => source.calls.includes('commit results.n1 4'));
    expect(handlers.calls).toBe(3); // both were applied before
  });

  it('applies the rest of a batch at once when one record fails, except what waits behind it', async () => {
    const ok = taskProgress('n1', 't', 0.1);
    const failing = taskProgress('n1', 't', 0.2);
    const behind = taskProgress('n1', 't', 0.3);
    const beat = heartbeat('n2');
    handlers.failures.set(failing.id, 1);
    source.batches.push([
      record('results.n1', 0, encodeEnvelope(ok)),
      record('results.n1', 1, encodeEnvelope(failing)),
      record('results.n1', 2, encodeEnvelope(behind)),
      record('heartbeats.n2', 5, encodeEnvelope(beat)),
    ]);
    await consumer.start();
    await waitFor('the rewind', () => source.calls.includes('rewind results.n1 1'));
    await waitFor('the heartbeat', () => source.calls.includes('commit heartbeats.n2 6'));
    const fork = db.orm.em.fork();
    expect(await fork.count(AppliedEvent, { messageId: { $in: [ok.id, beat.id] } })).toBe(2);
    expect(await fork.count(AppliedEvent, { messageId: { $in: [failing.id, behind.id] } })).toBe(0);
  });

  it('keeps a partition paused and tries the rewind again when the rewind fails', async () => {
    const failing = taskProgress('n1', 't', 0.2);
    handlers.failures.set(failing.id, 1);
    source.failRewinds = 1;
    source.batches.push([record('results.n1', 3, encodeEnvelope(failing))]);
    await consumer.start();
    await waitFor('the resume', () => source.calls.includes('resume results.n1'));
    // Resumed only after a rewind that worked: skipping the record would let a later commit pass it.
    expect(source.calls.filter((c) => c.startsWith('rewind') || c.startsWith('resume'))).toEqual([
      'rewind results.n1 3',
      'rewind results.n1 3',
      'resume results.n1',
    ]);
  });

  it('lets go of a held partition when a rebalance takes it away, even in the middle of the rewind', async () => {
    const failing = taskProgress('n1', 't', 0.2);
    handlers.failures.set(failing.id, 5);
    source.onRewind = () => source.revoke([{ topic: 'results.n1', partition: 0 }]);
    source.batches.push([record('results.n1', 7, encodeEnvelope(failing))]);
    await consumer.start();
    await waitFor('the rewind', () => source.calls.includes('rewind results.n1 7'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(source.calls).not.toContain('resume results.n1');
    // The partition is no longer held: its records (from its new owner's point of view, ours again) flow.
    handlers.failures.delete(failing.id);
    source.batches.push([record('results.n1', 7, encodeEnvelope(failing))]);
    await waitFor('the commit', () => source.calls.includes('commit results.n1 8'));
  });
});
