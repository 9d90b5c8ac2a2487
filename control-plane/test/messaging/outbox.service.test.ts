// enqueue() adds the row to the caller's unit of work only: validated and encoded at once,
// written by the caller's commit, never produced directly.
import { ContractError, decodeEnvelope, type Envelope } from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMessagingError } from '../../src/messaging/messaging.errors.ts';
import { OutboxMessage, OutboxState } from '../../src/messaging/outbox-message.entity.ts';
import { OutboxSignal } from '../../src/messaging/outbox-signal.ts';
import { OutboxService, type OutboundEnvelope } from '../../src/messaging/outbox.service.ts';
import { heartbeat, taskAssign } from '../messaging-support/envelopes.ts';
import { createTestDatabase, type TestDatabase } from '../messaging-support/test-database.ts';

const frozen = new Date('2026-05-04T10:15:30.000Z');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe('OutboxService.enqueue', () => {
  it('writes a pending row with the jobs topic, the partition key and the exact encoded bytes', async () => {
    const signal = new OutboxSignal();
    const outbox = new OutboxService(() => frozen, signal);
    const message = taskAssign('gpu-07', 'task-42');
    const em = db.orm.em.fork();
    outbox.enqueue(em, message);
    expect(await db.orm.em.fork().count(OutboxMessage, { messageId: message.id })).toBe(0); // not before the commit
    await em.flush();

    const row = await db.orm.em.fork().findOneOrFail(OutboxMessage, { messageId: message.id });
    expect(row).toMatchObject({
      type: 'task.assign',
      topic: 'jobs.gpu-07',
      partitionKey: 'task-42',
      state: OutboxState.Pending,
      attempts: 0,
      sentAt: null,
      createdAt: frozen,
    });
    expect(decodeEnvelope(row.payload, { expectedTopicKind: 'jobs', expectedNodeId: 'gpu-07' })).toEqual(
      message,
    );
    await expect(signal.wait(10_000)).resolves.toBeUndefined(); // raised: returns at once
  });

  it('refuses a message that travels towards the control plane', () => {
    const outbox = new OutboxService(() => frozen, new OutboxSignal());
    const em = db.orm.em.fork();
    const wrongWay = heartbeat('gpu-07') as Envelope as OutboundEnvelope;
    expect(() => outbox.enqueue(em, wrongWay)).toThrow(
      expect.toSatisfy((e) => isMessagingError(e, 'NOT_AN_OUTBOUND_MESSAGE')),
    );
    expect(em.getUnitOfWork().getPersistStack().size).toBe(0);
  });

  it('refuses an invalid message before anything is written', () => {
    const outbox = new OutboxService(() => frozen, new OutboxSignal());
    const em = db.orm.em.fork();
    const invalid = { ...taskAssign('gpu-07', 'task-1'), traceId: 'nope' };
    expect(() => outbox.enqueue(em, invalid)).toThrow(ContractError);
    expect(em.getUnitOfWork().getPersistStack().size).toBe(0);
  });
});
