// Rules inside bodies that a sender could plausibly get wrong.
import { describe, expect, it } from 'vitest';
import {
  EncryptedFieldSchema,
  MAX_CIPHERTEXT_CHARS,
  MAX_PARAM_STRING,
  NodeHeartbeatBodySchema,
  TaskAssignBodySchema,
  TaskFailedBodySchema,
  TaskFailureCode,
  TaskProgressBodySchema,
  check,
  type TaskAssignBody,
} from '../src/index.ts';
import { examples, sealedScript } from './fixtures.ts';

const assign = examples['task.assign'].body;
const issuesOf = (result: ReturnType<typeof check>) =>
  result.success ? [] : result.issues.map((i) => i.path);

describe('EncryptedField', () => {
  it('accepts real AES-256-GCM output encoded as base64url', async () => {
    const { createCipheriv, randomBytes } = await import('node:crypto');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', randomBytes(32), iv);
    const ct = Buffer.concat([
      cipher.update('Voice-over: welcome to the summer sale', 'utf8'),
      cipher.final(),
    ]);
    const field = {
      keyId: 'dek-1',
      alg: 'A256GCM',
      iv: iv.toString('base64url'),
      ct: ct.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    };
    expect(check(EncryptedFieldSchema, field)).toEqual({ success: true, data: field });
  });

  it.each([
    ['alg', { alg: 'A128GCM' }],
    ['iv', { iv: 'q8bXnK0aZ3mP1sT' }], // 15 chars: not 12 bytes
    ['iv', { iv: 'q8bXnK0aZ3mP1sT+' }], // base64, not base64url
    ['ct', { ct: 'abc=' }], // padding
    ['tag', { tag: 'Vh4kS2pQ9rT1mN8xZ0bC3x' }], // last char carries bits beyond 16 bytes
    ['tag', { tag: 'Vh4kS2pQ9rT1mN8xZ0bC3' }],
    ['ct', { ct: 'A'.repeat(MAX_CIPHERTEXT_CHARS + 1) }],
  ])('rejects a bad %s', (path, change) => {
    expect(issuesOf(check(EncryptedFieldSchema, { ...sealedScript, ...change }))).toEqual([path]);
  });

  it('has no field a plaintext could hide in', () => {
    const withPlain = { ...sealedScript, plaintext: 'the script' };
    const result = check(EncryptedFieldSchema, withPlain);
    expect(result.success && 'plaintext' in result.data).toBe(false);
  });
});

describe('task.assign', () => {
  const withBody = (change: Partial<Record<keyof TaskAssignBody, unknown>>) =>
    issuesOf(check(TaskAssignBodySchema, { ...assign, ...change }));

  it('requires an epoch of at least 1 and an integer lease', () => {
    expect(withBody({ epoch: 0 })).toEqual(['epoch']);
    expect(withBody({ epoch: 1.5 })).toEqual(['epoch']);
    expect(withBody({ leaseMs: 999 })).toEqual(['leaseMs']);
    expect(withBody({ leaseMs: 30_000.5 })).toEqual(['leaseMs']);
  });

  it('requires at least one step', () => {
    expect(withBody({ steps: [] })).toEqual(['steps']);
  });

  it('keeps long free text out of plain params', () => {
    const script = 'Welcome to our summer sale. '.repeat(20);
    expect(script.length).toBeGreaterThan(MAX_PARAM_STRING);
    expect(withBody({ steps: [{ step: 'tts.espeak', params: { text: script } }] })).toEqual([
      'steps[0].params.text',
    ]);
  });

  it('rejects nested param objects deeper than one level and odd step names', () => {
    expect(withBody({ steps: [{ step: 'video.compose', params: { crop: { box: { x: 1 } } } }] })).toEqual([
      'steps[0].params.crop',
    ]);
    expect(withBody({ steps: [{ step: 'Video Compose', params: {} }] })).toEqual(['steps[0].step']);
  });

  it('rejects param and sealed names that are not identifiers', () => {
    expect(withBody({ steps: [{ step: 'tts.espeak', params: { __proto__x: 1 } }] })).toEqual([
      'steps[0].params.__proto__x',
    ]);
    expect(withBody({ sealed: { 'bad name': sealedScript } })).toEqual(['sealed.bad name']);
  });

  it('bounds the number of sealed fields', () => {
    const sealed = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, sealedScript]));
    expect(withBody({ sealed })).toEqual(['sealed']);
  });
});

describe('task.progress', () => {
  it.each([-0.01, 1.01, Number.NaN])('rejects fraction %d', (fraction) => {
    expect(issuesOf(check(TaskProgressBodySchema, { ...examples['task.progress'].body, fraction }))).toEqual([
      'fraction',
    ]);
  });
});

describe('task.failed', () => {
  const failed = examples['task.failed'].body;

  it('accepts every listed failure code and unknown UPPER_SNAKE codes from newer agents', () => {
    for (const code of [...Object.values(TaskFailureCode), 'GPU_XID_79']) {
      expect(check(TaskFailedBodySchema, { ...failed, code }).success).toBe(true);
    }
  });

  it('rejects failure kinds other than soft and hard, and malformed codes', () => {
    expect(issuesOf(check(TaskFailedBodySchema, { ...failed, failure: 'maybe' }))).toEqual(['failure']);
    expect(issuesOf(check(TaskFailedBodySchema, { ...failed, code: 'oom' }))).toEqual(['code']);
  });
});

describe('node.heartbeat', () => {
  const heartbeat = examples['node.heartbeat'].body;

  it('rejects more free slots than total', () => {
    expect(issuesOf(check(NodeHeartbeatBodySchema, { ...heartbeat, slots: { total: 1, free: 2 } }))).toEqual([
      'slots.free',
    ]);
  });

  it('rejects utilisation over 100% and a non-semver agent version', () => {
    const cpu = { cores: 8, utilisationPct: 101 };
    expect(
      issuesOf(check(NodeHeartbeatBodySchema, { ...heartbeat, telemetry: { ...heartbeat.telemetry, cpu } })),
    ).toEqual(['telemetry.cpu.utilisationPct']);
    expect(issuesOf(check(NodeHeartbeatBodySchema, { ...heartbeat, agentVersion: 'latest' }))).toEqual([
      'agentVersion',
    ]);
  });

  it('renews leases as (taskId, epoch) pairs', () => {
    expect(
      issuesOf(check(NodeHeartbeatBodySchema, { ...heartbeat, leases: [{ taskId: 'task-1' }] })),
    ).toEqual(['leases[0].epoch']);
  });
});
