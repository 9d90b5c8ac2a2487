import { decodeFromTopic, resultsTopic } from '@enclave/contracts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import type { DeliveryOutcome, PublishRequest, Publisher } from '../src/outbox/publisher.ts';
import { ResultEmitter } from '../src/runner/result-emitter.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import { ManualClock } from '../src/support/clock.ts';
import { NODE, assignEnvelope, nextId } from './fixtures.ts';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'agent-outbox-')), 'outbox.sqlite');

class ScriptedPublisher implements Publisher {
  readonly sent: PublishRequest[] = [];
  failFrom: number;
  constructor(failFrom = Number.POSITIVE_INFINITY) {
    this.failFrom = failFrom;
  }
  publish(messages: readonly PublishRequest[]): Promise<DeliveryOutcome[]> {
    return Promise.resolve(
      messages.map((message, index) => {
        if (index >= this.failFrom) return { ok: false, error: 'broker down' };
        this.sent.push(message);
        return { ok: true };
      }),
    );
  }
}

function emitThree(outbox: ResultsOutbox) {
  const emitter = new ResultEmitter(assignEnvelope(), outbox, new ManualClock(), nextId);
  emitter.accepted();
  emitter.progress({ fraction: 0.5, stage: 'transcode' });
  emitter.succeeded({ outputs: [], metrics: { durationMs: 1, steps: [] } });
}

describe('local outbox', () => {
  it('keeps rows across a restart and delivers them in order, deleting only delivered rows', async () => {
    const file = tempFile();
    const first = new SqliteOutboxStore(file);
    emitThree(new ResultsOutbox(first));
    first.close();

    const store = new SqliteOutboxStore(file);
    expect(store.depth()).toBe(3);
    const publisher = new ScriptedPublisher(2);
    const report = await new OutboxFlusher(store, publisher).flush();
    expect(report).toMatchObject({ delivered: 2, remaining: 1, error: 'broker down' });
    publisher.failFrom = Number.POSITIVE_INFINITY;
    expect(await new OutboxFlusher(store, publisher).flush()).toEqual({ delivered: 1, remaining: 0 });
    const types = publisher.sent.map((message) => decodeFromTopic(message.topic, message.value).type);
    expect(types).toEqual(['task.accepted', 'task.progress', 'task.succeeded']);
    expect(
      publisher.sent.every((message) => message.topic === resultsTopic(NODE) && message.key === 'task-1'),
    ).toBe(true);
    store.close();
  });
});
