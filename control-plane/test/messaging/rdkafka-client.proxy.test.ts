// The thin ClientProxy: emit() publishes a validated envelope to the node's jobs topic, keyed
// like the outbox does; request-response and mismatched patterns are refused.
import { jobsTopic, newEnvelope, type EnvelopeOf } from '@enclave/contracts';
import { lastValueFrom } from 'rxjs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdkafkaClientProxy } from '../../src/messaging/rdkafka-client.proxy.ts';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import { taskAssign } from '../messaging-support/envelopes.ts';
import { controlPlaneKafka, uniqueNodeId } from '../messaging-support/kafka-context.ts';
import { readTopic } from '../messaging-support/kafka-test-clients.ts';

const kafka = controlPlaneKafka('cp-test-proxy');
const nodeId = uniqueNodeId('proxy');
const client = new RdkafkaClientProxy(kafka, 15_000);

beforeAll(async () => {
  await new RdkafkaTopicAdmin({
    kafka,
    topics: { partitions: 1, replicationFactor: 1 },
    timeoutMs: 15_000,
  }).ensureTopics([jobsTopic(nodeId)]);
});

afterAll(async () => {
  await client.close();
});

function cancel(): EnvelopeOf<'task.cancel'> {
  return newEnvelope<'task.cancel'>(
    {
      type: 'task.cancel',
      nodeId,
      tenantId: 'acme-films',
      traceId: 'a'.repeat(32),
      body: { jobId: 'job-1', taskId: 'task-7', epoch: 2, reason: 'user-cancelled' },
    },
    { id: randomUUID(), now: new Date() },
  );
}

describe('RdkafkaClientProxy', () => {
  it('emits a validated envelope to the node jobs topic, keyed by task', async () => {
    const message = cancel();
    await lastValueFrom(client.emit(message.type, message));
    const { records } = await readTopic(kafka, jobsTopic(nodeId));
    expect(records).toHaveLength(1);
    expect(records[0]?.key?.toString()).toBe('task-7');
    expect(JSON.parse(records[0]?.value?.toString() ?? '{}')).toMatchObject({
      id: message.id,
      type: 'task.cancel',
    });
  });

  it('refuses an invalid envelope, a pattern that is not its type, and send()', async () => {
    const invalid = { ...cancel(), traceId: 'not-a-trace' };
    await expect(lastValueFrom(client.emit('task.cancel', invalid))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(lastValueFrom(client.emit('task.assign', cancel()))).rejects.toMatchObject({
      code: 'NOT_AN_OUTBOUND_MESSAGE',
    });
    await expect(lastValueFrom(client.send('task.assign', taskAssign(nodeId, 't')))).rejects.toMatchObject({
      code: 'NOT_AN_OUTBOUND_MESSAGE',
    });
  });
});
