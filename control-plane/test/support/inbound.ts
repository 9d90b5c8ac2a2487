// Delivers an inbound message the way the Kafka consumer does — under the scheduler lock, in one
// transaction with the handler — without a broker: for medium-tier tests of the handlers.
import {
  newEnvelope,
  type EnvelopeOf,
  type NewEnvelopeFields,
  type NodeHeartbeatBody,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { randomBytes, randomUUID } from 'node:crypto';
import type { RunningControlPlane } from '../../src/app/control-plane.app.ts';
import { InboundController } from '../../src/jobs/inbound.controller.ts';
import { RdkafkaContext, type InboundEnvelope } from '../../src/messaging/index.ts';
import { SchedulerLock } from '../../src/scheduling/scheduler-lock.ts';

export async function deliver(running: RunningControlPlane, message: InboundEnvelope): Promise<void> {
  const handlers = running.app.get(InboundController);
  const orm = running.app.get(MikroORM);
  await running.app.get(SchedulerLock).exclusive(() =>
    orm.em.fork().transactional(async (em) => {
      const ctx = new RdkafkaContext([{ topic: 'test', partition: 0, offset: 0 }, em]);
      switch (message.type) {
        case 'node.heartbeat':
          return handlers.heartbeat(message, ctx);
        case 'task.accepted':
          return handlers.accepted(message, ctx);
        case 'task.progress':
          return handlers.progress(message, ctx);
        case 'task.succeeded':
          return handlers.succeeded(message, ctx);
        case 'task.failed':
          return handlers.failed(message, ctx);
        case 'erase.receipt':
          return handlers.eraseReceipt(message, ctx);
      }
    }),
  );
}

const stamp = (now: Date) => ({ id: randomUUID(), now });
const trace = () => randomBytes(16).toString('hex');

export function heartbeat(
  nodeId: string,
  now: Date,
  leases: NodeHeartbeatBody['leases'] = [],
): EnvelopeOf<'node.heartbeat'> {
  return newEnvelope<'node.heartbeat'>(
    {
      type: 'node.heartbeat',
      nodeId,
      tenantId: null,
      traceId: trace(),
      body: {
        state: 'ready',
        agentVersion: '0.1.0',
        wireRevision: 1,
        slots: { total: 2, free: 2 },
        leases,
        telemetry: {
          cpu: { cores: 2, utilisationPct: 5 },
          mem: { totalMb: 2048, usedMb: 256 },
          scratchFreeMb: 5000,
          gpus: [],
          egress: { since: now.toISOString(), allowedBytes: 0, blockedConnections: 0 },
        },
      },
    },
    stamp(now),
  );
}

type Report = 'task.accepted' | 'task.progress' | 'task.succeeded';

/** A node's report about an assignment (jobId, taskId, epoch as the assign carried them). */
export function report(
  type: Report,
  nodeId: string,
  tenantId: string,
  ref: { jobId: string; taskId: string; epoch: number },
  now: Date,
  fraction = 0.5,
): EnvelopeOf<Report> {
  const common = { nodeId, tenantId, traceId: trace() };
  const fields: NewEnvelopeFields<Report> =
    type === 'task.accepted'
      ? { ...common, type, body: ref }
      : type === 'task.progress'
        ? { ...common, type, body: { ...ref, fraction, stage: 'test' } }
        : { ...common, type, body: { ...ref, outputs: [], metrics: { durationMs: 1, steps: [] } } };
  return newEnvelope<Report>(fields, stamp(now));
}
