// The rebuild orchestration of issue #5 in isolation (pure logic: the clients are scripted):
// every client is rebuilt once per renewal, one at a time, a renewal during a rebuild rebuilds
// again afterwards, a failed client is retried on a timer, and stop ends the retries.
import { describe, expect, it } from 'vitest';
import { KafkaClientsRebuilder, type RebuildableClient } from '../src/kafka/kafka-clients.rebuilder.ts';
import { ManualClock } from '../src/support/clock.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { ManualTimers } from '../src/support/timers.ts';

interface Scripted extends RebuildableClient {
  /** While true, a rebuild waits for `gate()`. */
  hold: boolean;
  gate?: () => void;
}

function scripted(name: string, log: string[], failures = 0): Scripted {
  let left = failures;
  const client: Scripted = {
    name,
    hold: false,
    async rebuild() {
      log.push(`start ${name}`);
      if (client.hold) await new Promise<void>((resolve) => (client.gate = resolve));
      if (left > 0) {
        left--;
        log.push(`fail ${name}`);
        throw new Error(`${name} refused`);
      }
      log.push(`done ${name}`);
    },
  };
  return client;
}

function setup(clients: RebuildableClient[]) {
  const timers = new ManualTimers(new ManualClock());
  const logger = memoryLogger();
  const rebuilder = new KafkaClientsRebuilder({ clients, timers, logger, retryMs: 60_000 });
  return { timers, logger, rebuilder };
}

describe('KafkaClientsRebuilder', () => {
  it('rebuilds each client once, one after the other', async () => {
    const log: string[] = [];
    const { rebuilder, logger } = setup([scripted('producer', log), scripted('jobs consumer', log)]);
    await rebuilder.certificateChanged();
    expect(log).toEqual(['start producer', 'done producer', 'start jobs consumer', 'done jobs consumer']);
    expect(logger.lines.map((l) => [l.level, l.fields['client']])).toEqual([
      ['info', 'producer'],
      ['info', 'jobs consumer'],
    ]);
  });

  it('retries a client that failed after retryMs, and only that one', async () => {
    const log: string[] = [];
    const { rebuilder, timers, logger } = setup([
      scripted('producer', log),
      scripted('jobs consumer', log, 2),
    ]);
    await rebuilder.certificateChanged();
    expect(log.filter((l) => l.startsWith('done') || l.startsWith('fail'))).toEqual([
      'done producer',
      'fail jobs consumer',
    ]);
    expect(logger.lines.at(-1)).toMatchObject({ level: 'warn', fields: { client: 'jobs consumer' } });
    log.length = 0;
    timers.advance(59_999);
    await Promise.resolve();
    expect(log).toEqual([]);
    timers.advance(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['start jobs consumer', 'fail jobs consumer']);
    log.length = 0;
    timers.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual(['start jobs consumer', 'done jobs consumer']);
    log.length = 0;
    timers.advance(600_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual([]);
  });

  it('rebuilds again after a renewal that came during a rebuild', async () => {
    const log: string[] = [];
    const producer = scripted('producer', log);
    const { rebuilder } = setup([producer]);
    producer.hold = true;
    const first = rebuilder.certificateChanged();
    await Promise.resolve();
    const second = rebuilder.certificateChanged(); // the files changed again meanwhile
    producer.hold = false;
    producer.gate?.();
    await Promise.all([first, second]);
    expect(log).toEqual(['start producer', 'done producer', 'start producer', 'done producer']);
  });

  it('stops retrying after stop()', async () => {
    const log: string[] = [];
    const { rebuilder, timers } = setup([scripted('producer', log, 5)]);
    await rebuilder.certificateChanged();
    await rebuilder.stop();
    log.length = 0;
    timers.advance(600_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toEqual([]);
    await rebuilder.certificateChanged();
    expect(log).toEqual([]);
  });
});
