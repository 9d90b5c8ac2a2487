import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ENVELOPE_SCHEMAS,
  EnvelopeSchema,
  MESSAGE_TYPES,
  decodeEnvelope,
  encodeEnvelope,
  messageTypesOn,
  newEnvelope,
  partitionKey,
  tenancyOf,
  topicKindOf,
  type EnvelopeOn,
} from '../src/index.ts';
import { NODE, TENANT, TRACE, examples } from './fixtures.ts';

describe('message types', () => {
  it('each travels on exactly the topic kind the architecture gives it', () => {
    expect(messageTypesOn('jobs')).toEqual(['task.assign', 'task.cancel', 'erase.order']);
    expect(messageTypesOn('results')).toEqual([
      'task.accepted',
      'task.progress',
      'task.succeeded',
      'task.failed',
      'erase.receipt',
    ]);
    expect(messageTypesOn('heartbeats')).toEqual(['node.heartbeat']);
  });

  it('only heartbeats are node-level (tenantId null)', () => {
    expect(MESSAGE_TYPES.filter((type) => tenancyOf(type) === 'node')).toEqual(['node.heartbeat']);
  });

  it('every type has an envelope schema that accepts its example and rejects the others', () => {
    for (const type of MESSAGE_TYPES) {
      for (const other of MESSAGE_TYPES) {
        expect(ENVELOPE_SCHEMAS[type].safeParse(examples[other]).success, `${type} schema on ${other}`).toBe(
          type === other,
        );
      }
      expect(EnvelopeSchema.safeParse(examples[type]).success).toBe(true);
    }
  });

  it('the whole union converts to JSON Schema for tooling', () => {
    const jsonSchema = z.toJSONSchema(EnvelopeSchema) as { oneOf?: unknown[] };
    expect(jsonSchema.oneOf).toHaveLength(MESSAGE_TYPES.length);
  });

  it('results carry the assignment epoch for fencing', () => {
    for (const type of ['task.accepted', 'task.progress', 'task.succeeded', 'task.failed'] as const) {
      const { epoch: _epoch, ...withoutEpoch } = examples[type].body;
      expect(ENVELOPE_SCHEMAS[type].safeParse({ ...examples[type], body: withoutEpoch }).success).toBe(false);
    }
  });

  it('narrows decoded types by topic kind', () => {
    const decoded: EnvelopeOn<'heartbeats'> = decodeEnvelope(encodeEnvelope(examples['node.heartbeat']), {
      expectedTopicKind: 'heartbeats',
    });
    // A heartbeat is the only thing on heartbeats topics, so its body is known without a check.
    expect(decoded.body.slots.free).toBe(1);
    // @ts-expect-error a jobs-topic decode cannot yield a result message type
    const wrong: EnvelopeOn<'jobs'> = examples['task.failed'];
    expect(topicKindOf(wrong.type)).toBe('results');
  });
});

describe('newEnvelope', () => {
  it('stamps version, id and time from the caller and passes encode', () => {
    const now = new Date('2026-05-04T10:00:00.000Z');
    const message = newEnvelope(
      {
        type: 'task.accepted',
        nodeId: NODE,
        tenantId: TENANT,
        traceId: TRACE,
        body: { jobId: 'j', taskId: 't', epoch: 1 },
      },
      { id: '9b2f4e0a-7c1d-4d3e-8f6a-5b4c3d2e1f0a', now },
    );
    expect(message).toEqual({
      v: 1,
      id: '9b2f4e0a-7c1d-4d3e-8f6a-5b4c3d2e1f0a',
      ts: '2026-05-04T10:00:00.000Z',
      type: 'task.accepted',
      nodeId: NODE,
      tenantId: TENANT,
      traceId: TRACE,
      body: { jobId: 'j', taskId: 't', epoch: 1 },
    });
    expect(decodeEnvelope(encodeEnvelope(message))).toEqual(message);
  });
});

describe('partitionKey', () => {
  it('keys task messages by task, erase messages by order, heartbeats by node', () => {
    expect(partitionKey(examples['task.assign'])).toBe('task-01HXZ3-render');
    expect(partitionKey(examples['task.failed'])).toBe('task-01HXZ3-render');
    expect(partitionKey(examples['erase.order'])).toBe('erase-2026-0042');
    expect(partitionKey(examples['erase.receipt'])).toBe('erase-2026-0042');
    expect(partitionKey(examples['node.heartbeat'])).toBe(NODE);
  });
});
