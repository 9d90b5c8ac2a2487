// The daemon's life with every collaborator faked: intake, publisher, clock and timers.
import type { Envelope } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { AgentDaemon, type AgentDaemonDeps } from '../src/daemon/agent.daemon.ts';
import { ZeroEgressCounters } from '../src/heartbeat/heartbeat.builder.ts';
import type { JobsHandler, JobsSource } from '../src/kafka/jobs-consumer.ts';
import { OutboxFlusher } from '../src/outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../src/outbox/outbox.store.ts';
import type { DeliveryOutcome, PublishRequest, Publisher } from '../src/outbox/publisher.ts';
import { ResultsOutbox } from '../src/outbox/results-outbox.ts';
import { StubInputFetcher } from '../src/runner/input-fetcher.ts';
import { TaskRunner } from '../src/runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../src/state/agent-state.ts';
import { ManualClock } from '../src/support/clock.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { ManualTimers } from '../src/support/timers.ts';
import { NodeHeartbeatBodySchema, decodeFromTopic } from '@enclave/contracts';
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenewalScheduler } from '../src/enroll/renewal.scheduler.ts';
import { kafkaContext } from './kafka-helpers.ts';
import { NODE, ScriptedRuntime, TRACE, assignEnvelope, flushPromises, nextId } from './fixtures.ts';

class FakeIntake implements JobsSource {
  handler: JobsHandler | null = null;
  stopped = false;
  start(handler: JobsHandler): Promise<void> {
    this.handler = handler;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  async deliver(envelope: Envelope): Promise<void> {
    await this.handler?.onMessage(envelope);
  }
}

class RecordingPublisher implements Publisher {
  readonly sent: PublishRequest[] = [];
  up = true;
  publish(messages: readonly PublishRequest[]): Promise<DeliveryOutcome[]> {
    return Promise.resolve(
      messages.map((message) => {
        if (!this.up) return { ok: false, error: 'down' };
        this.sent.push(message);
        return { ok: true };
      }),
    );
  }
  types(): string[] {
    return this.sent.map((message) => decodeFromTopic(message.topic, message.value).type);
  }
}

function setup(renewal?: AgentDaemonDeps['renewal']) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const machine = new AgentStateMachine(AgentState.Enrolling);
  const store = new SqliteOutboxStore(':memory:');
  const publisher = new RecordingPublisher();
  const runtime = new ScriptedRuntime();
  const intake = new FakeIntake();
  const runner = new TaskRunner({
    slots: 1,
    sink: new ResultsOutbox(store),
    machine,
    clock,
    timers,
    newId: nextId,
    runtime,
    inputs: new StubInputFetcher('/scratch'),
    progressIntervalMs: 1_000,
  });
  const daemon = new AgentDaemon({
    nodeId: NODE,
    agentVersion: '0.1.0',
    machine,
    runner,
    consumer: intake,
    flusher: new OutboxFlusher(store, publisher),
    heartbeatPublisher: publisher,
    telemetry: {
      sample: () =>
        Promise.resolve({
          cpu: { cores: 1, utilisationPct: 0 },
          mem: { totalMb: 1, usedMb: 0 },
          scratchFreeMb: 1,
          gpus: [],
        }),
    },
    egress: new ZeroEgressCounters(clock),
    clock,
    timers,
    newId: nextId,
    newTraceId: () => TRACE,
    logger: memoryLogger(),
    heartbeatMs: 10_000,
    flushRetryMs: 5_000,
    drainDeadlineMs: 60_000,
    renewal,
  });
  return { clock, timers, machine, store, publisher, runtime, intake, daemon };
}

describe('AgentDaemon', () => {
  it('starts idle, heartbeats, and renews a lease at a third of its length', async () => {
    const { daemon, machine, intake, publisher, timers } = setup();
    await daemon.start();
    expect(machine.state).toBe(AgentState.Idle);
    expect(publisher.types()).toEqual(['node.heartbeat']);
    await intake.deliver(assignEnvelope({ leaseMs: 9_000 }));
    await flushPromises();
    expect(publisher.types()).toEqual(['node.heartbeat', 'task.accepted']);
    timers.advance(10_000); // the beat scheduled before the task: the configured period
    await flushPromises();
    timers.advance(3_000); // now a third of the 9 s lease
    await flushPromises();
    const beats = publisher.sent.filter((message) => message.topic.startsWith('heartbeats.'));
    expect(beats).toHaveLength(3);
    // What the agent really sends passes the schema the control plane's heartbeat intake uses.
    for (const beat of beats) {
      const envelope = decodeFromTopic(beat.topic, beat.value);
      const parsed = NodeHeartbeatBodySchema.safeParse(envelope.body);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });

  it('arms certificate renewal at start and stops it at shutdown', async () => {
    const ca = await openDevCa(kafkaContext().caDir);
    const files = await ensureIdentity(ca, mkdtempSync(join(tmpdir(), 'agent-daemon-renew-')), {
      profile: 'node',
      name: 'gpu-daemon-renew',
    });
    const certPem = readFileSync(files.cert, 'utf8');
    const cert = new X509Certificate(certPem);
    const renewals: string[] = [];
    const lazy = {
      scheduler: null as RenewalScheduler | null,
      schedule: () => lazy.scheduler?.schedule() ?? new Date(0),
      stop: () => lazy.scheduler?.stop(),
    };
    // The scheduler needs the daemon's clock and timers, made by setup: it is filled in after.
    const { daemon, timers, clock } = setup(lazy);
    clock.advance(cert.validFromDate.getTime() - clock.now().getTime());
    lazy.scheduler = new RenewalScheduler({
      clock,
      timers,
      renewer: {
        renew: () => {
          renewals.push('renew');
          return Promise.resolve({ certificatePem: certPem, chainPem: certPem });
        },
      },
      random: () => 0.5,
      readCertificate: () => certPem,
      onRenewed: () => undefined,
      onFailed: () => undefined,
      retryMs: 60_000,
    });
    await daemon.start();
    const life = cert.validToDate.getTime() - cert.validFromDate.getTime();
    timers.advance(Math.ceil(life * 0.8)); // past two thirds (plus jitter): renewal ran
    await flushPromises();
    expect(renewals).toEqual(['renew']);
    await daemon.shutdown();
    timers.advance(life);
    await flushPromises();
    expect(renewals).toEqual(['renew']);
  });

  it('keeps results in the outbox while the broker is down and flushes them on retry', async () => {
    const { daemon, intake, publisher, timers, store } = setup();
    await daemon.start();
    publisher.up = false;
    await intake.deliver(assignEnvelope());
    await flushPromises();
    expect(store.depth()).toBe(1);
    publisher.up = true;
    timers.advance(5_000);
    await flushPromises();
    expect(store.depth()).toBe(0);
    expect(publisher.types()).toContain('task.accepted');
  });

  it('second shutdown call aborts running tasks at once; the outbox is flushed before stop', async () => {
    const { daemon, intake, machine, publisher, runtime } = setup();
    await daemon.start();
    await intake.deliver(assignEnvelope());
    await flushPromises();
    const first = daemon.shutdown();
    await flushPromises();
    expect(machine.state).toBe(AgentState.Draining);
    expect(intake.stopped).toBe(true);
    const second = daemon.shutdown();
    await Promise.all([first, second]);
    expect(runtime.contexts.get('task-1')?.signal.aborted).toBe(true);
    expect(machine.state).toBe(AgentState.Stopped);
    const failed = publisher.sent
      .map((message) => decodeFromTopic(message.topic, message.value))
      .find((e) => e.type === 'task.failed');
    expect(failed?.type === 'task.failed' && failed.body.code).toBe('AGENT_SHUTDOWN');
  });
});
