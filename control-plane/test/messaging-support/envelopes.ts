// Valid messages for tests, with fresh ids. Their text fields hold a marker that tests search
// logs for, to prove payloads are never logged.
import { newEnvelope, type EnvelopeOf } from '@enclave/contracts';
import { randomBytes, randomUUID } from 'node:crypto';

/** Appears in every payload built here and must never appear in a log line. */
export const PAYLOAD_MARKER = 'payload-secret-7f3a';

const trace = () => randomBytes(16).toString('hex');

export function taskAssign(
  nodeId: string,
  taskId: string,
  id: string = randomUUID(),
): EnvelopeOf<'task.assign'> {
  return newEnvelope<'task.assign'>(
    {
      type: 'task.assign',
      nodeId,
      tenantId: 'acme-films',
      traceId: trace(),
      body: {
        jobId: `job-${taskId}`,
        taskId,
        epoch: 1,
        leaseMs: 30_000,
        timeoutMs: 600_000,
        slots: 1,
        template: { id: 'promo-15s', version: 3 },
        steps: [{ step: 'tts.espeak', params: { voice: PAYLOAD_MARKER } }],
        inputs: [],
        sealed: {},
      },
    },
    { id, now: new Date() },
  );
}

export function taskProgress(
  nodeId: string,
  taskId: string,
  fraction: number,
  id: string = randomUUID(),
): EnvelopeOf<'task.progress'> {
  return newEnvelope<'task.progress'>(
    {
      type: 'task.progress',
      nodeId,
      tenantId: 'acme-films',
      traceId: trace(),
      body: { jobId: `job-${taskId}`, taskId, epoch: 1, fraction, stage: 'render', message: PAYLOAD_MARKER },
    },
    { id, now: new Date() },
  );
}

export function heartbeat(nodeId: string, id: string = randomUUID()): EnvelopeOf<'node.heartbeat'> {
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
        slots: { total: 1, free: 1 },
        leases: [],
        telemetry: {
          cpu: { cores: 4, utilisationPct: 5 },
          mem: { totalMb: 8_000, usedMb: 1_000 },
          scratchFreeMb: 10_000,
          gpus: [],
          egress: { since: new Date().toISOString(), allowedBytes: 0, blockedConnections: 0 },
        },
      },
    },
    { id, now: new Date() },
  );
}
