// Against the real broker: provisioning gives a node certificate exactly its own topics, and
// deny() cuts a client off on its next request although it stays connected.
import { heartbeatsTopic, jobsTopic, resultsTopic } from '@enclave/contracts';
import type Kafka from 'node-rdkafka';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AclOperation, AclPermission } from '../../src/messaging/acl-admin.ts';
import { RdkafkaCommittedLogReader } from '../../src/messaging/committed-log-reader.ts';
import { ProtocolAclAdmin } from '../../src/messaging/kafka-protocol/protocol-acl-admin.ts';
import { isMessagingError } from '../../src/messaging/messaging.errors.ts';
import { NodeTopicsProvisioner } from '../../src/messaging/node-topics.provisioner.ts';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { controlPlaneKafka, uniqueNodeId } from '../messaging-support/kafka-context.ts';
import { connectProducer, disconnect, produceConfirmed } from '../messaging-support/kafka-test-clients.ts';
import { nodeKafka } from '../messaging-support/node-identity.ts';
import { RecordingLogger } from '../messaging-support/recording-logger.ts';
import { consumeAs } from '../messaging-support/node-consumer.ts';

const controlPlane = controlPlaneKafka();
const acls = new ProtocolAclAdmin({ ...controlPlane, clientId: 'cp-test-acl', timeoutMs: 10_000 });
const provisioner = new NodeTopicsProvisioner(
  new RdkafkaTopicAdmin({
    kafka: controlPlane,
    topics: { partitions: 1, replicationFactor: 1 },
    timeoutMs: 15_000,
  }),
  acls,
  new RecordingLogger(),
);
const nodeA = uniqueNodeId('acl-a');
const nodeB = uniqueNodeId('acl-b');
let scratch = '';
let asA: KafkaConnectionSettings;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'enclave-acl-'));
  asA = await nodeKafka(nodeA, scratch);
  await provisioner.provision(nodeA);
  await provisioner.provision(nodeB);
}, 120_000);

afterAll(async () => {
  await provisioner.remove(nodeA).catch(() => undefined);
  await provisioner.remove(nodeB).catch(() => undefined);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The authorizer applies a metadata-log change a moment after the admin call returns. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('node topics and ACLs', () => {
  it('creates the three topics and exactly the grants of the node role, idempotently', async () => {
    await provisioner.provision(nodeA); // a retried enrollment changes nothing
    const entries = await provisioner.describe(nodeA);
    const summary = entries
      .map((e) => `${e.permission} ${e.operation} ${e.resourceType}:${e.resourceName}`)
      .sort();
    expect(summary).toEqual(
      [
        `allow describe topic:${heartbeatsTopic(nodeA)}`,
        `allow describe topic:${jobsTopic(nodeA)}`,
        `allow describe topic:${resultsTopic(nodeA)}`,
        `allow read group:node-${nodeA}`,
        `allow read topic:${jobsTopic(nodeA)}`,
        `allow write topic:${heartbeatsTopic(nodeA)}`,
        `allow write topic:${resultsTopic(nodeA)}`,
      ].sort(),
    );
    expect(entries.every((e) => e.principal === `User:node-${nodeA}` && e.host === '*')).toBe(true);
  });

  it('lets a node certificate write its results and heartbeats with the idempotent producer', async () => {
    const producer = await connectProducer(asA, { idempotent: true });
    try {
      const results = await eventually(() =>
        produceConfirmed(producer, resultsTopic(nodeA), Buffer.from('r')),
      );
      const heartbeats = await produceConfirmed(producer, heartbeatsTopic(nodeA), Buffer.from('h'));
      expect(results.topic).toBe(resultsTopic(nodeA));
      expect(heartbeats.topic).toBe(heartbeatsTopic(nodeA));
    } finally {
      await disconnect(producer);
    }
  });

  it('lets a node read its jobs topic in its own group', async () => {
    const producer = await connectProducer(controlPlane);
    await produceConfirmed(producer, jobsTopic(nodeA), Buffer.from('job'));
    await disconnect(producer);
    const outcome = await consumeAs(asA, jobsTopic(nodeA), `node-${nodeA}`, 1);
    expect(outcome.error).toBeNull();
    expect(outcome.values).toEqual(['job']);
  });

  it("refuses a node another node's topics", async () => {
    const producer = await connectProducer(asA);
    try {
      await expect(produceConfirmed(producer, resultsTopic(nodeB), Buffer.from('x'))).rejects.toThrow(
        /authori[sz]/i,
      );
      await expect(produceConfirmed(producer, jobsTopic(nodeA), Buffer.from('x'))).rejects.toThrow(
        /authori[sz]/i,
      );
    } finally {
      await disconnect(producer);
    }
    const read = await consumeAs(asA, jobsTopic(nodeB), `node-${nodeA}`, 1, 8_000);
    expect(read.error ?? '').toMatch(/authori[sz]/i);
    const wrongGroup = await consumeAs(asA, jobsTopic(nodeA), 'control-plane', 1, 8_000);
    expect(wrongGroup.error ?? '').toMatch(/authori[sz]/i);
  });

  it('after deny(), refuses the same connected client on its own topics and refuses to provision again', async () => {
    const producer: Kafka.Producer = await connectProducer(asA);
    try {
      await eventually(() => produceConfirmed(producer, resultsTopic(nodeA), Buffer.from('before')));
      await provisioner.deny(nodeA);
      await eventually(() =>
        expect(produceConfirmed(producer, resultsTopic(nodeA), Buffer.from('after'))).rejects.toThrow(
          /authori[sz]/i,
        ),
      );
    } finally {
      await disconnect(producer);
    }
    const read = await consumeAs(asA, jobsTopic(nodeA), `node-${nodeA}`, 1, 8_000);
    expect(read.error ?? '').toMatch(/authori[sz]/i);
    const denies = (await provisioner.describe(nodeA)).filter((e) => e.permission === AclPermission.Deny);
    expect(denies.every((e) => e.operation === AclOperation.All)).toBe(true);
    expect(denies.map((e) => `${e.resourceType}:${e.resourceName}`).sort()).toEqual(
      ['cluster:kafka-cluster', 'group:*', 'topic:*', 'transactional-id:*'].sort(),
    );
    await expect(provisioner.provision(nodeA)).rejects.toSatisfy((e) => isMessagingError(e, 'NODE_DENIED'));
  });

  it('remove() deletes the topics and grants but keeps the deny', async () => {
    await provisioner.remove(nodeA);
    const left = await provisioner.describe(nodeA);
    expect(left.length).toBe(4);
    expect(left.every((e) => e.permission === AclPermission.Deny)).toBe(true);
    const reader = new RdkafkaCommittedLogReader({
      kafka: controlPlane,
      groupId: 'cp-test-meta',
      timeoutMs: 10_000,
    });
    try {
      expect(await reader.partitions(jobsTopic(nodeA))).toBeNull();
      expect(await reader.partitions(jobsTopic(nodeB))).toEqual([0]);
    } finally {
      await reader.close();
    }
    // Clean up the deny entries this run created: the broker is shared between runs.
    await acls.deleteAcls([{ principal: `User:node-${nodeA}` }]);
    expect(await provisioner.describe(nodeA)).toEqual([]);
  });
});
