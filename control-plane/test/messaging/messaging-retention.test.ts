// Pruning deletes old sent outbox rows and old inbox rows, and never a pending row.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InboxMessage } from '../../src/messaging/inbox-message.entity.ts';
import { pruneMessaging } from '../../src/messaging/messaging-retention.ts';
import { OutboxMessage, OutboxState } from '../../src/messaging/outbox-message.entity.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';

let db: TestDatabase;
const day = (n: number) => new Date(Date.UTC(2026, 4, n));

beforeAll(async () => {
  db = await createTestDatabase();
  const em = db.orm.em.fork();
  const row = (messageId: string, state: OutboxState, sentAt: Date | null) =>
    em.create(OutboxMessage, {
      messageId,
      type: 'task.assign',
      topic: 'jobs.n1',
      partitionKey: 't',
      payload: Buffer.from('{}'),
      createdAt: day(1),
      state,
      sentAt,
      attempts: 0,
    });
  row('old-sent', OutboxState.Sent, day(2));
  row('new-sent', OutboxState.Sent, day(9));
  row('old-pending', OutboxState.Pending, null);
  for (const [messageId, appliedAt] of [
    ['old', day(1)],
    ['new', day(9)],
  ] as const) {
    em.create(InboxMessage, {
      messageId,
      type: 'node.heartbeat',
      topic: 'heartbeats.n1',
      partition: 0,
      offset: 0,
      appliedAt,
    });
  }
  await em.flush();
});

afterAll(async () => {
  await db?.close();
});

it('deletes sent outbox rows and inbox rows older than their cut-offs, never pending rows', async () => {
  expect(await pruneMessaging(db.orm.em, { sentOutboxBefore: day(5), inboxBefore: day(5) })).toEqual({
    outbox: 1,
    inbox: 1,
  });
  const em = db.orm.em.fork();
  expect((await em.find(OutboxMessage, {})).map((r) => r.messageId).sort()).toEqual([
    'new-sent',
    'old-pending',
  ]);
  expect((await em.find(InboxMessage, {})).map((r) => r.messageId)).toEqual(['new']);
});
