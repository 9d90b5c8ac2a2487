// The composition root: real collaborators for `enclave agent start`. Everything else receives
// them by constructor, so this is the only file that knows which implementation runs.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startNodeRuntime, type NodeRuntime } from '@enclave/gpu-node';
import { agentListenerUrl, type AgentConfig } from '../config/agent-config.ts';
import type { Identity, StateDir } from '../config/state-dir.ts';
import { HttpAssetTransfer } from '../assets/http-asset-transfer.ts';
import { EgressCounter } from '../egress/egress-counter.ts';
import { EraseOrderHandler } from '../erase/erase-order.handler.ts';
import { NodeKeyReceiptSigner } from '../erase/receipt-signer.ts';
import { installEgressGuard } from '../egress/egress-guard.ts';
import { EgressPolicy } from '../egress/egress-policy.ts';
import { HttpsRenewer } from '../enroll/https-renewer.ts';
import { RenewalScheduler } from '../enroll/renewal.scheduler.ts';
import { HttpsAgentLink } from '../link/agent-link.ts';
import { JobsConsumer } from '../kafka/jobs-consumer.ts';
import { KafkaClientsRebuilder } from '../kafka/kafka-clients.rebuilder.ts';
import type { KafkaLinkSettings } from '../kafka/kafka-settings.ts';
import { RdkafkaPublisher } from '../kafka/rdkafka-publisher.ts';
import { OutboxFlusher } from '../outbox/outbox.flusher.ts';
import { SqliteOutboxStore } from '../outbox/outbox.store.ts';
import { ResultsOutbox } from '../outbox/results-outbox.ts';
import { GpuNodeStepRuntime } from '../runner/gpu-node.step-runtime.ts';
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
  // Before any connection: from here on the agent's own sockets reach only the policy's
  // destinations; the sandbox's refusals of step processes are counted beside them.
  const egress = new EgressCounter(systemClock, [node.sandbox]);
  const guard = installEgressGuard(
    EgressPolicy.forAgent({
      controlPlaneUrl: config.controlPlaneUrl,
      kafkaBootstrap: identity.kafka.bootstrap,
      allow: [...config.egressAllow, hostPortOf(agentListenerUrl(config))],
    }),
    egress,
    (destination) => logger.warn('egress refused', { destination }),
  );
  // /agent/v1 is served by the agent listener only (the API listener answers it 404).
  const agentLink = new HttpsAgentLink(agentListenerUrl(config), {
    caFile: state.paths.ca,
    chainFile: state.paths.chain,
    keyFile: state.paths.key,
  });
  const store = new SqliteOutboxStore(state.paths.outbox);
  const publisher = new RdkafkaPublisher(link);
  const consumer = new JobsConsumer(link, identity.nodeId);
  // After a renewal the producer and the jobs consumer are rebuilt from the new files (issue #5).
  const kafkaClients = new KafkaClientsRebuilder({
    clients: [
      { name: 'producer', rebuild: () => publisher.rebuild() },
      { name: 'jobs consumer', rebuild: () => consumer.rebuild() },
    ],
    timers: systemTimers,
    logger,
    retryMs: 60_000,
  });
  const renewal = new RenewalScheduler({
    clock: systemClock,
    timers: systemTimers,
    renewer: new HttpsRenewer({
      link: agentLink,
      nodeId: identity.nodeId,
      readKey: () => readFileSync(state.paths.key, 'utf8'),
      readCa: () => readFileSync(state.paths.ca, 'utf8'),
    }),
    random: Math.random,
    readCertificate: () => readFileSync(state.paths.cert, 'utf8'),
    onRenewed: (renewed) => {
      state.writeCertificate(renewed);
      // The HTTPS link reads the files per request; librdkafka must be given new clients.
      logger.info('certificate renewed; rebuilding the Kafka clients');
      void kafkaClients.certificateChanged();
    },
    onFailed: (error, retryAt) =>
      logger.warn('certificate renewal failed', { error: String(error), retryAt: retryAt.toISOString() }),
    retryMs: 15 * 60_000,
  });
  const results = new ResultsOutbox(store);
  const runner = new TaskRunner({
    slots: config.slots,
    sink: results,
    machine,
    clock: systemClock,
    timers: systemTimers,
    newId: randomUUID,
    runtime: new GpuNodeStepRuntime(node),
    inputs: new HttpAssetTransfer({ link: agentLink, cacheDir: state.paths.cache }),
    onStale: (taskId, epoch) => logger.warn('task dropped: lease no longer held', { taskId, epoch }),
    progressIntervalMs: config.progressIntervalMs,
  });
  const daemon = new AgentDaemon({
    nodeId: identity.nodeId,
    agentVersion: AGENT_VERSION,
    machine,
    runner,
    consumer,
    flusher: new OutboxFlusher(store, publisher),
    heartbeatPublisher: publisher,
    telemetry: { sample: () => node.sampleTelemetry() },
    egress,
    clock: systemClock,
    timers: systemTimers,
    newId: randomUUID,
    newTraceId: () => randomBytes(16).toString('hex'),
    logger,
    heartbeatMs: config.heartbeatSeconds * 1_000,
    flushRetryMs: config.flushRetrySeconds * 1_000,
    drainDeadlineMs: config.drainDeadlineSeconds * 1_000,
    eraser: new EraseOrderHandler({
      nodeId: identity.nodeId,
      cacheDir: state.paths.cache,
      scratchRoot: config.scratchDir,
      runner,
      signer: new NodeKeyReceiptSigner({ keyFile: state.paths.key, certFile: state.paths.cert }),
      sink: results,
      clock: systemClock,
      newId: randomUUID,
      logger,
    }),
    renewal: {
      schedule: () => renewal.schedule(),
      stop: () => {
        renewal.stop();
        void kafkaClients.stop();
      },
    },
  });
  return {
    daemon,
    async close() {
      await kafkaClients.stop();
      await publisher.close();
      store.close();
      guard.uninstall();
    },
  };
}

function hostPortOf(base: string): string {
  const url = new URL(base);
  return `${url.hostname}:${url.port || '443'}`;
}
