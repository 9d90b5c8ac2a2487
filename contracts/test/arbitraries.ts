// fast-check generators of valid messages, written from the schemas' rules. If a schema rule
// tightens, the round-trip property catches generators (and writers) that fall outside it.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { BodyOf, Envelope, EnvelopeOf, MessageType } from '../src/index.ts';

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
const str = (alphabet: string, min: number, max: number) =>
  fc.array(chars(alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = LOWER + LOWER.toUpperCase() + DIGITS;
const HEX = '0123456789abcdef';
const B64U = ALNUM + '-_';

export const nodeId = fc
  .tuple(chars(LOWER + DIGITS), str(LOWER + DIGITS + '-', 0, 62))
  .map(([first, rest]) => first + rest);
const entityId = fc.tuple(chars(ALNUM), str(ALNUM + '_-', 0, 63)).map(([a, b]) => a + b);
const fieldName = fc
  .tuple(chars(LOWER + LOWER.toUpperCase()), str(ALNUM + '_', 0, 20))
  .map(([a, b]) => a + b);
const word = fc.tuple(chars(LOWER), str(LOWER + DIGITS + '-', 0, 8)).map(([a, b]) => a + b);
const stepName = fc
  .array(word, { minLength: 1, maxLength: 3 })
  .map((w) => w.join('.'))
  .filter((s) => s.length <= 64);
const slug = fc.tuple(chars(LOWER), str(LOWER + DIGITS + '._-', 0, 30)).map(([a, b]) => a + b);
const hex64 = str(HEX, 64, 64);
const traceId = str(HEX, 32, 32).filter((t) => t !== '0'.repeat(32));
const epoch = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const count = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const smallCount = fc.integer({ min: 0, max: 1_000_000 });
const timestamp = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const note = fc.string({ maxLength: 200, unit: 'grapheme' });
/** JSON has no -0 (it is written as 0), so the generators, like real writers, never produce it. */
const double = (constraints: { min?: number; max?: number } = {}) =>
  fc.double({ ...constraints, noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));
const percent = double({ min: 0, max: 100 });
const mediaType = fc.constantFrom('video/mp4', 'audio/wav', 'image/png', 'text/vtt', 'application/x-subrip');

const encryptedField = fc.record({
  keyId: entityId,
  alg: fc.constant('A256GCM' as const),
  iv: str(B64U, 16, 16),
  ct: str(B64U, 0, 200),
  tag: fc.tuple(str(B64U, 21, 21), chars('AQgw')).map(([a, b]) => a + b),
});

const assetRef = fc.record({
  name: fieldName,
  assetId: entityId,
  mediaType,
  sizeBytes: count,
  sha256: hex64,
});

const scalar = fc.oneof(fc.string({ maxLength: 64 }), double(), fc.boolean(), fc.constant(null));
const paramValue = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 5 }),
  fc.dictionary(fieldName, scalar, { maxKeys: 4 }),
);

const taskRef = { jobId: entityId, taskId: entityId, epoch };

const bodies: { [T in MessageType]: Arbitrary<BodyOf<T>> } = {
  'task.assign': fc.record({
    ...taskRef,
    leaseMs: fc.integer({ min: 1_000, max: 3_600_000 }),
    timeoutMs: fc.integer({ min: 1_000, max: 86_400_000 }),
    slots: fc.integer({ min: 1, max: 64 }),
    template: fc.record({ id: entityId, version: fc.integer({ min: 1, max: 10_000 }) }),
    steps: fc.array(
      fc.record({ step: stepName, params: fc.dictionary(fieldName, paramValue, { maxKeys: 5 }) }),
      {
        minLength: 1,
        maxLength: 5,
      },
    ),
    inputs: fc.array(assetRef, { maxLength: 4 }),
    sealed: fc.dictionary(fieldName, encryptedField, { maxKeys: 3 }),
  }),
  'task.cancel': fc.record(
    {
      ...taskRef,
      reason: fc.constantFrom(
        'user-cancelled',
        'lease-expired',
        'job-failed',
        'node-draining',
        'erasure' as const,
      ),
      note,
    },
    { requiredKeys: ['jobId', 'taskId', 'epoch', 'reason'] },
  ),
  'erase.order': fc.record({
    orderId: entityId,
    reason: fc.constantFrom('data-subject-request', 'retention', 'tenant-offboarding', 'operator' as const),
    scope: fc.record({
      kind: fc.constantFrom('tenant', 'project', 'job', 'asset', 'subject' as const),
      id: entityId,
    }),
    keyIds: fc.array(entityId, { minLength: 1, maxLength: 8 }),
  }),
  'task.accepted': fc.record(taskRef),
  'task.progress': fc.record(
    { ...taskRef, fraction: double({ min: 0, max: 1 }), stage: slug, message: note },
    { requiredKeys: ['jobId', 'taskId', 'epoch', 'fraction', 'stage'] },
  ),
  'task.succeeded': fc.record({
    ...taskRef,
    outputs: fc.array(assetRef, { maxLength: 4 }),
    metrics: fc.record(
      {
        durationMs: count,
        steps: fc.array(fc.record({ step: stepName, durationMs: count }), { maxLength: 5 }),
        peakRssMb: smallCount,
        peakVramMb: smallCount,
      },
      { requiredKeys: ['durationMs', 'steps'] },
    ),
  }),
  'task.failed': fc.record(
    {
      ...taskRef,
      failure: fc.constantFrom('soft', 'hard' as const),
      code: fc
        .tuple(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ'), str('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', 0, 30))
        .map(([a, b]) => a + b),
      message: note,
      step: fc.record({ index: fc.integer({ min: 0, max: 63 }), name: stepName }),
    },
    { requiredKeys: ['jobId', 'taskId', 'epoch', 'failure', 'code', 'message'] },
  ),
  'erase.receipt': fc.record({
    orderId: entityId,
    items: fc.array(
      fc.record(
        {
          keyId: entityId,
          outcome: fc.constantFrom('erased', 'not-held', 'failed' as const),
          files: smallCount,
          bytes: count,
          note,
        },
        { requiredKeys: ['keyId', 'outcome', 'files', 'bytes'] },
      ),
      { minLength: 1, maxLength: 5 },
    ),
    completedAt: timestamp,
    signature: fc.record({
      alg: fc.constantFrom('RS256', 'PS256', 'ES256', 'EdDSA' as const),
      certSha256: hex64,
      value: str(B64U, 1, 400),
    }),
  }),
  'node.heartbeat': fc.record({
    state: fc.constantFrom('starting', 'ready', 'draining', 'degraded' as const),
    agentVersion: fc
      .tuple(fc.nat(99), fc.nat(99), fc.nat(999), fc.option(str(ALNUM + '.', 1, 10), { nil: undefined }))
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? '' : '-' + pre}`),
    wireRevision: fc.integer({ min: 1, max: 1000 }),
    slots: fc
      .tuple(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 64 }))
      .map(([a, b]) => ({ total: Math.max(a, b), free: Math.min(a, b) })),
    leases: fc.array(fc.record({ taskId: entityId, epoch }), { maxLength: 8 }),
    telemetry: fc.record({
      cpu: fc.record({ cores: fc.integer({ min: 1, max: 4096 }), utilisationPct: percent }),
      mem: fc.record({ totalMb: smallCount, usedMb: smallCount }),
      scratchFreeMb: smallCount,
      gpus: fc.array(
        fc.record({
          index: fc.integer({ min: 0, max: 63 }),
          model: fc.string({ minLength: 1, maxLength: 40 }),
          vramTotalMb: smallCount,
          vramUsedMb: smallCount,
          utilisationPct: fc.option(percent, { nil: null }),
          temperatureC: fc.option(double({ min: -50, max: 200 }), { nil: null }),
        }),
        { maxLength: 8 },
      ),
      egress: fc.record({ since: timestamp, allowedBytes: count, blockedConnections: count }),
    }),
  }),
};

const tenantFor = (type: MessageType) => (type === 'node.heartbeat' ? fc.constant(null) : entityId);

export function envelopeOf<T extends MessageType>(type: T): Arbitrary<EnvelopeOf<T>> {
  return fc
    .record({
      v: fc.constant(1 as const),
      id: fc.uuid({ version: 4 }),
      type: fc.constant(type),
      nodeId,
      tenantId: tenantFor(type),
      ts: timestamp,
      traceId,
      body: bodies[type],
    })
    .map((envelope) => envelope as unknown as EnvelopeOf<T>);
}

export const anyEnvelope: Arbitrary<Envelope> = fc.oneof(
  ...(Object.keys(bodies) as MessageType[]).map((type) => envelopeOf(type) as Arbitrary<Envelope>),
);
