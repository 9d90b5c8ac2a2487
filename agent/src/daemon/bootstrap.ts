// The composition root: real collaborators for `enclave agent start`. Everything else receives
// them by constructor, so this is the only file that knows which implementation runs.
import { randomBytes, randomUUID } from 'node:crypto';
import { startNodeRuntime, type NodeRuntime } from '@enclave/gpu-node';
import type { AgentConfig } from '../config/agent-config.ts';
import type { Identity, StateDir } from '../config/state-dir.ts';
import { ZeroEgressCounters } from '../heartbeat/heartbeat.builder.ts';
import { JobsConsumer } from '../kafka/jobs-consumer.ts';
import type { KafkaLinkSettings } from '../kafka/kafka-settings.ts';
import { RdkafkaPublisher } from '../kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../outbox/outbox.store.ts';
import { ResultsOutbox } from '../outbox/results-outbox.ts';
import { GpuNodeStepRuntime } from '../runner/gpu-node.step-runtime.ts';
import { StubInputFetcher } from '../runner/input-fetcher.ts';
import { TaskRunner } from '../runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../state/agent-state.ts';
import { systemClock } from '../support/clock.ts';
import type { Logger } from '../support/logger.ts';
import { systemTimers } from '../support/timers.ts';
import { AgentDaemon } from './agent.daemon.ts';

export const AGENT_VERSION = '0.1.0';

export interface BuiltAgent {
  daemon: AgentDaemon;
  close(): Promise<void>;
}

export function linkSettings(state: StateDir, identity: Identity): KafkaLinkSettings {
  return {
    bootstrap: identity.kafka.bootstrap,
    caFile: state.paths.ca,
    chainFile: state.paths.chain,
    keyFile: state.paths.key,
    clientId: `node-${identity.nodeId}`,
  };
}

export async function openNodeRuntime(config: AgentConfig, logger: Logger): Promise<NodeRuntime> {
  return startNodeRuntime({
    scratchRoot: config.scratchDir,
    allowUnsandboxed: config.allowUnsandboxed,
    logger,
  });
}

export function buildAgent(
  config: AgentConfig,
  state: StateDir,
  identity: Identity,
  node: NodeRuntime,
  logger: Logger,
): BuiltAgent {
  const machine = new AgentStateMachine(AgentState.Enrolling, (from, to) => {
    logger.info('agent state', { from, to });
    state.writeStatus({ state: to, pid: process.pid, updatedAt: systemClock.now().toISOString() });
  });
  const link = linkSettings(state, identity);
  const store = new SqliteOutboxStore(state.paths.outbox);
  const publisher = new RdkafkaPublisher(link);
  const runner = new TaskRunner({
    slots: config.slots,
    sink: new ResultsOutbox(store),
    machine,
    clock: systemClock,
    timers: systemTimers,
    newId: randomUUID,
    runtime: new GpuNodeStepRuntime(node),
    // Interface only until the control plane's /agent/v1 download routes exist.
    inputs: new StubInputFetcher(config.scratchDir),
    progressIntervalMs: config.progressIntervalMs,
  });
  const daemon = new AgentDaemon({
    nodeId: identity.nodeId,
    agentVersion: AGENT_VERSION,
    machine,
    runner,
    consumer: new JobsConsumer(link, identity.nodeId),
    flusher: new OutboxFlusher(store, publisher),
    heartbeatPublisher: publisher,
    telemetry: { sample: () => node.sampleTelemetry() },
    egress: new ZeroEgressCounters(systemClock),
    clock: systemClock,
    timers: systemTimers,
    newId: randomUUID,
    newTraceId: () => randomBytes(16).toString('hex'),
    logger,
    heartbeatMs: config.heartbeatSeconds * 1_000,
    flushRetryMs: config.flushRetrySeconds * 1_000,
    drainDeadlineMs: config.drainDeadlineSeconds * 1_000,
  });
  return {
    daemon,
    async close() {
      await publisher.close();
      store.close();
    },
  };
}
