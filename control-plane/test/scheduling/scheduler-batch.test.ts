// A Kafka consumer batch as the control plane applies it, against a real SQLite file (no broker):
// the handlers of all its messages run as ONE scheduler command in ONE inbox transaction — one
// commit and one placement round for N heartbeats, where one message per transaction costs N —
// and a failure anywhere rolls the whole batch back and rebuilds the scheduler from the database.
import { MikroORM } from '@mikro-orm/sqlite';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Node } from '../../src/database/entities/node.entity.ts';
import { InboundController } from '../../src/jobs/inbound.controller.ts';
import { InboxMessage, RdkafkaContext, type InboundEnvelope } from '../../src/messaging/index.ts';
import { InboxStore } from '../../src/messaging/inbox.store.ts';
import { SchedulerLock } from '../../src/scheduling/scheduler-lock.ts';
import { SchedulerService } from '../../src/scheduling/scheduler.service.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

const clock = new ManualClock('2026-11-29T10:00:00Z');
const NODES = 20;
let t: TestAppliance;
let commits = 0;
let rounds = 0;

beforeAll(async () => {
  t = await startTestAppliance({ clock, env: { ENCLAVE_SCHEDULER_NODE_LOST_MS: '600000' } });
  for (let i = 0; i < NODES; i++) await t.registerNode(`batch-${i}`);
  t.running.app
    .get(MikroORM)
    .em.getEventManager()
    .registerSubscriber({ afterTransactionCommit: () => void commits++ });
  const scheduler = t.running.app.get(SchedulerService).scheduler;
  const schedule = scheduler.schedule.bind(scheduler);
  scheduler.schedule = () => {
    rounds++;
    return schedule();
  };
});
afterAll(async () => {
  await t.stop();
  await rm(t.dir, { recursive: true, force: true });
});

/** The consumer's path: the apply lock around one inbox transaction, its handlers in the scope. */
function applyBatch(messages: readonly InboundEnvelope[], failOn?: string) {
  const lock = t.running.app.get(SchedulerLock);
  const handlers = t.running.app.get(InboundController);
  const inbox = new InboxStore(t.running.app.get(MikroORM).em, () => clock.now(), lock.asApplyScope);
  const items = messages.map((envelope, offset) => ({
    envelope,
    position: { topic: `heartbeats.${envelope.nodeId}`, partition: 0, offset },
  }));
  return lock.exclusive(() =>
    inbox.applyBatch(items, async (em, { envelope, position }) => {
      if (envelope.type !== 'node.heartbeat') throw new Error('heartbeats only here');
      await handlers.heartbeat(envelope, new RdkafkaContext([position, em]));
      if (envelope.id === failOn) throw new Error('SQLITE_BUSY: database is locked');
    }),
  );
}

async function nodeRows() {
  return t.running.app
    .get(MikroORM)
    .em.fork()
    .find(Node, { id: { $like: 'batch-%' } });
}

describe('a consumer batch', () => {
  it('applies N heartbeats in one transaction and one placement round', async () => {
    const beats = Array.from({ length: NODES }, (_, i) => heartbeat(`batch-${i}`, clock.now()));
    commits = 0;
    rounds = 0;
    expect(await applyBatch(beats)).toEqual(beats.map(() => 'applied'));
    expect(commits).toBe(1);
    expect(rounds).toBe(1);
    const rows = await nodeRows();
    expect(rows.filter((r) => r.live && r.lastHeartbeatAtMs === clock.now().getTime())).toHaveLength(NODES);
    expect(rows.every((r) => r.agentVersion === '0.1.0')).toBe(true);
    const inbox = await t.running.app
      .get(MikroORM)
      .em.fork()
      .count(InboxMessage, { messageId: { $in: beats.map((b) => b.id) } });
    expect(inbox).toBe(NODES);
    const views = t.running.app.get(SchedulerService).scheduler.listNodes();
    expect(views.filter((v) => v.nodeId.startsWith('batch-') && v.status === 'online')).toHaveLength(NODES);
  });

  it('costs one transaction per message when delivered one by one (the path a batch replaces)', async () => {
    clock.advance(1000);
    commits = 0;
    for (let i = 0; i < 5; i++) await deliver(t.running, heartbeat(`batch-${i}`, clock.now()));
    expect(commits).toBe(5);
  });

  it('skips messages applied before, and rolls the whole batch back when one fails', async () => {
    clock.advance(1000);
    const before = new Map((await nodeRows()).map((r) => [r.id, r.lastHeartbeatAtMs]));
    const beats = Array.from({ length: 4 }, (_, i) => heartbeat(`batch-${i}`, clock.now()));
    await expect(applyBatch(beats, beats[2]!.id)).rejects.toThrow('database is locked');
    // Neither the rows nor the scheduler's memory (rebuilt from the database) kept the first two.
    for (const row of await nodeRows()) expect(row.lastHeartbeatAtMs).toBe(before.get(row.id));
    const scheduler = t.running.app.get(SchedulerService).scheduler;
    expect(scheduler.getNode('batch-0')?.lastHeartbeatAt).toBe(before.get('batch-0'));

    commits = 0;
    expect(await applyBatch([beats[0]!, beats[1]!])).toEqual(['applied', 'applied']);
    expect(await applyBatch(beats)).toEqual(['duplicate', 'duplicate', 'applied', 'applied']);
    expect(commits).toBe(2);
  });
});
