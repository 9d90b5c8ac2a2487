// An erase.order through the real broker to the real agent pieces (jobs consumer, task runner,
// EraseOrderHandler, SQLite outbox, idempotent producer): the cached ciphertext and the running
// task's scratch under the ordered key go, another project's cache stays, the task is cancelled,
// and the erase.receipt on results.<node> verifies with the node certificate the dev CA issued.
// The agent uses the broker's super-user identity for Kafka (as agent.kafka.test.ts explains);
// the receipt is signed with a real node key and certificate.
import {
  decodeFromTopic,
  encodeEnvelope,
  eraseReceiptSigningBytes,
  jobsTopic,
  newEnvelope,
  partitionKey,
  resultsTopic,
  heartbeatsTopic,
  type EnvelopeOf,
} from '@enclave/contracts';
import { DataKey, KeyKind, encryptBuffer } from '@enclave/crypto';
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { createHash, randomBytes, randomUUID, verify, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentDaemon } from '../src/daemon/agent.daemon.ts';
import { EraseOrderHandler } from '../src/erase/erase-order.handler.ts';
import { NodeKeyReceiptSigner } from '../src/erase/receipt-signer.ts';
import { ZeroEgressCounters } from '../src/heartbeat/heartbeat.builder.ts';
import { JobsConsumer } from '../src/kafka/jobs-consumer.ts';
import { RdkafkaPublisher } from '../src/kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import type { InputFetcher, TaskAssets } from '../src/runner/input-fetcher.ts';
import type { StepRuntime } from '../src/runner/step-runtime.ts';
import { TaskRunner } from '../src/runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../src/state/agent-state.ts';
import { systemClock } from '../src/support/clock.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { systemTimers } from '../src/support/timers.ts';
import { NODE, TRACE, assignEnvelope } from './fixtures.ts';
import { adminLink, createTopics, kafkaContext, readAll } from './kafka-helpers.ts';

/** Writes a plaintext file into the task's scratch, then holds the task until it is aborted. */
function holdingRuntime(scratchRoot: string, started: () => void): StepRuntime {
  return {
    run(task, context) {
      const files = join(scratchRoot, task.taskId, 'files');
      mkdirSync(files, { recursive: true });
      writeFileSync(join(files, 'clip.mp4'), 'PLAINTEXT-OF-PROJECT-A');
      started();
      // Like gpu-node's runtime, but without its wipe: the erase handler must remove the scratch.
      return new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    },
  };
}

/** Hands every task project A's key (as the control plane's data-key route would). */
function keyedInputs(keyId: string): InputFetcher {
  return {
    open: (): Promise<TaskAssets> =>
      Promise.resolve({
        keyId,
        inputs: [],
        materialise: () => Promise.reject(new Error('no inputs')),
        upload: () => Promise.reject(new Error('no uploads')),
        openSealed: () => {
          throw new Error('no sealed fields');
        },
        close: () => undefined,
      }),
  };
}

function cacheEntry(cacheDir: string, key: DataKey, plaintext: string): { path: string; bytes: number } {
  const ciphertext = encryptBuffer(Buffer.from(plaintext), { key });
  const sha = createHash('sha256').update(ciphertext).digest('hex');
  const path = join(cacheDir, `${randomUUID()}.${sha}.enc`);
  writeFileSync(path, ciphertext, { mode: 0o600 });
  return { path, bytes: ciphertext.length };
}

describe('erase.order ↔ real broker and the real agent handler', () => {
  it('deletes the project’s cache and scratch, cancels its task and answers a receipt signed by the node key', async () => {
    const kafka = kafkaContext();
    const node = `${NODE}-erase-${Date.now().toString(36)}`;
    const link = adminLink(kafka);
    await createTopics(link, [jobsTopic(node), resultsTopic(node), heartbeatsTopic(node)]);
    const ca = await openDevCa(kafka.caDir);
    const root = mkdtempSync(join(tmpdir(), 'agent-erase-'));
    const identity = await ensureIdentity(ca, join(root, 'identity'), { profile: 'node', name: node });

    const cacheDir = join(root, 'cache');
    const scratchRoot = join(root, 'scratch');
    mkdirSync(cacheDir, { recursive: true });
    mkdirSync(scratchRoot, { recursive: true });
    const projectA = DataKey.generate(KeyKind.Dek);
    const projectB = DataKey.generate(KeyKind.Dek);
    const a1 = cacheEntry(cacheDir, projectA, 'first input of A');
    const a2 = cacheEntry(cacheDir, projectA, 'second input of A, a little longer');
    const b1 = cacheEntry(cacheDir, projectB, 'input of B');
    const scratchBytes = Buffer.byteLength('PLAINTEXT-OF-PROJECT-A');

    const machine = new AgentStateMachine(AgentState.Enrolling);
    const store = new SqliteOutboxStore(join(root, 'outbox.sqlite'));
    const results = new ResultsOutbox(store);
    const publisher = new RdkafkaPublisher(link);
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const runner = new TaskRunner({
      slots: 2,
      sink: results,
      machine,
      clock: systemClock,
      timers: systemTimers,
      newId: randomUUID,
      runtime: holdingRuntime(scratchRoot, markStarted),
      inputs: keyedInputs(projectA.keyId),
      progressIntervalMs: 1_000,
    });
    const logger = memoryLogger();
    const daemon = new AgentDaemon({
      nodeId: node,
      agentVersion: '0.1.0',
      machine,
      runner,
      consumer: new JobsConsumer(link, node),
      flusher: new OutboxFlusher(store, publisher),
      heartbeatPublisher: publisher,
      telemetry: {
        sample: () =>
          Promise.resolve({
            cpu: { cores: 4, utilisationPct: 10 },
            mem: { totalMb: 1024, usedMb: 512 },
            scratchFreeMb: 100,
            gpus: [],
          }),
      },
      egress: new ZeroEgressCounters(systemClock),
      clock: systemClock,
      timers: systemTimers,
      newId: randomUUID,
      newTraceId: () => randomBytes(16).toString('hex'),
      logger,
      heartbeatMs: 5_000,
      flushRetryMs: 1_000,
      drainDeadlineMs: 10_000,
      eraser: new EraseOrderHandler({
        nodeId: node,
        cacheDir,
        scratchRoot,
        runner,
        signer: new NodeKeyReceiptSigner({ keyFile: identity.key, certFile: identity.cert }),
        sink: results,
        clock: systemClock,
        newId: randomUUID,
        logger,
      }),
    });
    try {
      await daemon.start();
      const assign = { ...assignEnvelope({ taskId: 'erase-task', epoch: 1 }), nodeId: node };
      await publisher.publish([
        { topic: jobsTopic(node), key: partitionKey(assign), value: encodeEnvelope(assign) },
      ]);
      await started;
      expect(existsSync(join(scratchRoot, 'erase-task', 'files', 'clip.mp4'))).toBe(true);

      const unrelatedKey = DataKey.generate(KeyKind.Dek).keyId;
      const order: EnvelopeOf<'erase.order'> = newEnvelope<'erase.order'>(
        {
          type: 'erase.order',
          nodeId: node,
          tenantId: 'tenant-1',
          traceId: TRACE,
          body: {
            orderId: 'order-erase-1',
            reason: 'data-subject-request',
            scope: { kind: 'subject', id: 'user-1' },
            keyIds: [projectA.keyId, unrelatedKey],
          },
        },
        { id: randomUUID(), now: new Date() },
      );
      const [sent] = await publisher.publish([
        { topic: jobsTopic(node), key: partitionKey(order), value: encodeEnvelope(order) },
      ]);
      expect(sent).toEqual({ ok: true });

      const records = await readAll(link, resultsTopic(node), 3);
      const decoded = records.map((record) => decodeFromTopic(resultsTopic(node), record.value));
      expect(decoded.map((e) => e.type)).toEqual(['task.accepted', 'task.failed', 'erase.receipt']);
      const failed = decoded[1]!;
      expect(failed.type === 'task.failed' && failed.body.code).toBe('CANCELLED');

      // Project A's cache entries and the task's scratch are gone; project B's entry stays.
      expect(existsSync(a1.path)).toBe(false);
      expect(existsSync(a2.path)).toBe(false);
      expect(existsSync(b1.path)).toBe(true);
      expect(readdirSync(cacheDir)).toHaveLength(1);
      expect(existsSync(join(scratchRoot, 'erase-task'))).toBe(false);

      const receipt = decoded[2]!;
      if (receipt.type !== 'erase.receipt') throw new Error('not a receipt');
      expect(receipt.tenantId).toBe('tenant-1');
      expect(receipt.body.orderId).toBe('order-erase-1');
      expect(receipt.body.items).toEqual([
        { keyId: projectA.keyId, outcome: 'erased', files: 3, bytes: a1.bytes + a2.bytes + scratchBytes },
        { keyId: unrelatedKey, outcome: 'not-held', files: 0, bytes: 0 },
      ]);

      // The signature verifies with the node certificate the receipt carries, which the
      // appliance's intermediate CA issued to this node and which is the one in the state dir.
      const { signature, ...unsigned } = receipt.body;
      const cert = new X509Certificate(signature.certificatePem ?? '');
      expect(cert.toString().trim()).toBe(readFileSync(identity.cert, 'utf8').trim());
      expect(cert.checkIssued(new X509Certificate(ca.intermediateCertPem))).toBe(true);
      expect(cert.verify(new X509Certificate(ca.intermediateCertPem).publicKey)).toBe(true);
      expect(cert.subject).toContain(`CN=node-${node}`);
      expect(signature.certSha256).toBe(createHash('sha256').update(cert.raw).digest('hex'));
      const bytes = eraseReceiptSigningBytes({ nodeId: node, tenantId: 'tenant-1', body: unsigned });
      const value = Buffer.from(signature.value, 'base64url');
      const check = (data: Buffer) =>
        signature.alg === 'ES256'
          ? verify('sha256', data, { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, value)
          : signature.alg === 'EdDSA'
            ? verify(null, data, cert.publicKey, value)
            : verify('sha256', data, cert.publicKey, value);
      expect(check(bytes)).toBe(true);
      // Bound to the node: the same receipt does not verify as another node's.
      const otherNode = eraseReceiptSigningBytes({
        nodeId: `${node}-x`,
        tenantId: 'tenant-1',
        body: unsigned,
      });
      expect(check(otherNode)).toBe(false);
    } finally {
      await daemon.shutdown();
      await publisher.close();
      store.close();
    }
  }, 90_000);
});
