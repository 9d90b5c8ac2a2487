// The daemon end to end against the real broker. The agent uses the broker's super-user
// (admin) certificate: ACL provisioning belongs to the control plane, which the agent must not
// import, so this test checks the agent's behaviour, not the node's permissions.
import {
  decodeFromTopic,
  encodeEnvelope,
  heartbeatsTopic,
  jobsTopic,
  partitionKey,
  resultsTopic,
} from '@enclave/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentDaemon } from '../src/daemon/agent.daemon.ts';
import { ZeroEgressCounters } from '../src/heartbeat/heartbeat.builder.ts';
import { JobsConsumer } from '../src/kafka/jobs-consumer.ts';
import { RdkafkaPublisher } from '../src/kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import { StubInputFetcher } from '../src/runner/input-fetcher.ts';
import type { StepRuntime } from '../src/runner/step-runtime.ts';
import { TaskRunner } from '../src/runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../src/state/agent-state.ts';
import { systemClock } from '../src/support/clock.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { systemTimers } from '../src/support/timers.ts';
import { NODE, assignEnvelope } from './fixtures.ts';
import { adminLink, createTopics, kafkaContext, readAll } from './kafka-helpers.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reports progress, then holds the task long enough for heartbeats to list its lease. */
const slowRuntime: StepRuntime = {
  async run(_task, context) {
    context.onProgress({ fraction: 0.5, stage: 'transcode' });
    await sleep(2_500);
    return {
      ok: true,
      outputs: [],
      metrics: { durationMs: 2_500, steps: [{ step: 'transcode', durationMs: 2_500 }] },
    };
  },
};

describe('agent daemon ↔ real broker', () => {
  it('accepts a task.assign, reports accepted/progress/succeeded once each in order, renews the lease', async () => {
    const kafka = kafkaContext();
    const node = `${NODE}-${Date.now().toString(36)}`;
    const link = adminLink(kafka);
    await createTopics(link, [jobsTopic(node), resultsTopic(node), heartbeatsTopic(node)]);

    const machine = new AgentStateMachine(AgentState.Enrolling);
    const store = new SqliteOutboxStore(join(mkdtempSync(join(tmpdir(), 'agent-it-')), 'outbox.sqlite'));
    const publisher = new RdkafkaPublisher(link);
    const runner = new TaskRunner({
      slots: 2,
      sink: new ResultsOutbox(store),
      machine,
      clock: systemClock,
      timers: systemTimers,
      newId: randomUUID,
      runtime: slowRuntime,
      inputs: new StubInputFetcher('/nonexistent'),
      progressIntervalMs: 1_000,
    });
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
      logger: memoryLogger(),
      heartbeatMs: 500,
      flushRetryMs: 1_000,
      drainDeadlineMs: 10_000,
    });
    await daemon.start();

    const assign = { ...assignEnvelope({ taskId: 'it-task', epoch: 1 }), nodeId: node };
    const [sent] = await publisher.publish([
      { topic: jobsTopic(node), key: partitionKey(assign), value: encodeEnvelope(assign) },
    ]);
    expect(sent).toEqual({ ok: true });

    const results = await readAll(link, resultsTopic(node), 3);
    await daemon.shutdown();
    await publisher.close();
    store.close();

    const decoded = results.map((record) => decodeFromTopic(resultsTopic(node), record.value));
    expect(decoded.map((envelope) => envelope.type)).toEqual([
      'task.accepted',
      'task.progress',
      'task.succeeded',
    ]);
    expect(new Set(decoded.map((envelope) => envelope.id)).size).toBe(3);
    expect(machine.state).toBe(AgentState.Stopped);

    const heartbeats = (await readAll(link, heartbeatsTopic(node), 2, 1_000)).map((record) =>
      decodeFromTopic(heartbeatsTopic(node), record.value),
    );
    const leases = heartbeats.flatMap((envelope) =>
      envelope.type === 'node.heartbeat' ? envelope.body.leases : [],
    );
    expect(leases).toContainEqual({ taskId: 'it-task', epoch: 1 });
  }, 90_000);
});
