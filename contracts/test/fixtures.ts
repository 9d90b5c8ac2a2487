// One realistic, valid message of every type. Tests start from these and break one thing.
import type { EncryptedField, EnvelopeOf, MessageType } from '../src/index.ts';

export const NODE = 'gpu-07';
export const TENANT = 'acme-films';
export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TS = '2026-05-04T10:15:30.123Z';

export const sealedScript: EncryptedField = {
  keyId: 'dek-3f9a',
  alg: 'A256GCM',
  iv: 'q8bXnK0aZ3mP1sT_',
  ct: 'x3Jk9Q-mZr2wT0pL8vNcYb',
  tag: 'Vh4kS2pQ9rT1mN8xZ0bC3w',
};

const head = <T extends MessageType>(type: T, id: string) => ({
  v: 1 as const,
  id,
  type,
  nodeId: NODE,
  ts: TS,
  traceId: TRACE,
});

const task = { jobId: 'job-01HXZ3', taskId: 'task-01HXZ3-render', epoch: 2 };

export const examples: { readonly [T in MessageType]: EnvelopeOf<T> } = {
  'task.assign': {
    ...head('task.assign', '0f8fad5b-d9cb-469f-a165-70867728950e'),
    tenantId: TENANT,
    body: {
      ...task,
      leaseMs: 30_000,
      timeoutMs: 1_800_000,
      slots: 1,
      template: { id: 'promo-15s', version: 3 },
      steps: [
        { step: 'tts.espeak', params: { voice: 'en-gb', textField: 'script', sampleRate: 48_000 } },
        {
          step: 'video.compose',
          params: {
            width: 1280,
            height: 720,
            fps: 25,
            layers: ['background', 'voiceover'],
            crop: { x: 0, y: 0 },
          },
        },
        {
          step: 'captions.burn-in',
          params: { textField: 'script', font: 'DejaVu Sans', size: 32, outline: true },
        },
      ],
      inputs: [
        {
          name: 'background',
          assetId: 'asset-7d1c',
          mediaType: 'video/mp4',
          sizeBytes: 48_213_554,
          sha256: 'a'.repeat(64),
        },
      ],
      sealed: { script: sealedScript },
    },
  },
  'task.cancel': {
    ...head('task.cancel', '7c9e6679-7425-40de-944b-e07fc1f90ae7'),
    tenantId: TENANT,
    body: { ...task, reason: 'user-cancelled', note: 'Cancelled from the job page' },
  },
  'erase.order': {
    ...head('erase.order', '16fd2706-8baf-433b-82eb-8c7fada847da'),
    tenantId: TENANT,
    body: {
      orderId: 'erase-2026-0042',
      reason: 'data-subject-request',
      scope: { kind: 'subject', id: 'subj-5521' },
      keyIds: ['subjkey-5521', 'dek-3f9a'],
    },
  },
  'task.accepted': {
    ...head('task.accepted', '886313e1-3b8a-4372-9b90-0c9aee199e5d'),
    tenantId: TENANT,
    body: { ...task },
  },
  'task.progress': {
    ...head('task.progress', 'a3bb189e-8bf9-4888-9912-ace4e6543002'),
    tenantId: TENANT,
    body: { ...task, fraction: 0.42, stage: 'video.compose', message: 'Composing frame 315 of 750' },
  },
  'task.succeeded': {
    ...head('task.succeeded', 'e6a2f0c1-3d3b-4f6e-8a5b-2c1d0e9f8a7b'),
    tenantId: TENANT,
    body: {
      ...task,
      outputs: [
        {
          name: 'final',
          assetId: 'asset-9e02',
          mediaType: 'video/mp4',
          sizeBytes: 12_582_912,
          sha256: 'b'.repeat(64),
        },
      ],
      metrics: {
        durationMs: 38_412,
        steps: [
          { step: 'tts.espeak', durationMs: 52 },
          { step: 'video.compose', durationMs: 31_004 },
          { step: 'captions.burn-in', durationMs: 7_356 },
        ],
        peakRssMb: 812,
        peakVramMb: 2_048,
      },
    },
  },
  'task.failed': {
    ...head('task.failed', '5b1e8f3a-9c2d-4e7f-b6a1-0d3c2b1a9f8e'),
    tenantId: TENANT,
    body: {
      ...task,
      failure: 'soft',
      code: 'RESOURCES_EXHAUSTED',
      message: 'ffmpeg was killed by the OOM killer at 7.8 GiB RSS',
      step: { index: 1, name: 'video.compose' },
    },
  },
  'erase.receipt': {
    ...head('erase.receipt', 'c9bf9e57-1685-4c89-bafb-ff5af830be8a'),
    tenantId: TENANT,
    body: {
      orderId: 'erase-2026-0042',
      items: [
        { keyId: 'subjkey-5521', outcome: 'not-held', files: 0, bytes: 0 },
        { keyId: 'dek-3f9a', outcome: 'erased', files: 14, bytes: 96_468_992 },
      ],
      completedAt: '2026-05-04T10:15:29.800Z',
      signature: { alg: 'PS256', certSha256: 'c'.repeat(64), value: 'MEUCIQDx0_sig-bytes' },
    },
  },
  'node.heartbeat': {
    ...head('node.heartbeat', 'f47ac10b-58cc-4372-a567-0e02b2c3d479'),
    tenantId: null,
    body: {
      state: 'ready',
      agentVersion: '0.1.0',
      wireRevision: 1,
      slots: { total: 2, free: 1 },
      leases: [{ taskId: task.taskId, epoch: task.epoch }],
      telemetry: {
        cpu: { cores: 32, utilisationPct: 63.5 },
        mem: { totalMb: 257_583, usedMb: 40_112 },
        scratchFreeMb: 1_843_200,
        gpus: [
          {
            index: 0,
            model: 'NVIDIA H200',
            vramTotalMb: 143_771,
            vramUsedMb: 2_048,
            utilisationPct: 87,
            temperatureC: 61,
          },
          {
            index: 1,
            model: 'NVIDIA H200',
            vramTotalMb: 143_771,
            vramUsedMb: 0,
            utilisationPct: null,
            temperatureC: null,
          },
        ],
        egress: { since: '2026-05-04T06:00:00.000Z', allowedBytes: 1_073_741_824, blockedConnections: 0 },
      },
    },
  },
};

/** A deep, mutable copy of an example as plain JSON, for breaking it in a test. */
export function mutable(type: MessageType): Record<string, unknown> & { body: Record<string, unknown> } {
  return JSON.parse(JSON.stringify(examples[type])) as Record<string, unknown> & {
    body: Record<string, unknown>;
  };
}

export function bytesOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
