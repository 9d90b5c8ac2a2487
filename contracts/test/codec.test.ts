import { describe, expect, it, vi } from 'vitest';
import {
  ContractError,
  ErrorCode,
  MAX_ENCODED_BYTES,
  MESSAGE_TYPES,
  decodeEnvelope,
  decodeFromTopic,
  encodeEnvelope,
  heartbeatsTopic,
  jobsTopic,
  resultsTopic,
  topicKindOf,
  type Envelope,
} from '../src/index.ts';
import { NODE, bytesOf, examples, mutable, sealedScript } from './fixtures.ts';

function decodeError(
  bytes: Uint8Array | null,
  options?: Parameters<typeof decodeEnvelope>[1],
): ContractError {
  try {
    decodeEnvelope(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  throw new Error('decodeEnvelope accepted the message');
}

describe('round trip', () => {
  it.each(MESSAGE_TYPES)('%s encodes and decodes to the same message, on its own topic', (type) => {
    const message = examples[type];
    const bytes = encodeEnvelope(message);
    expect(decodeEnvelope(bytes)).toEqual(message);
    expect(decodeEnvelope(bytes, { expectedTopicKind: topicKindOf(type), expectedNodeId: NODE })).toEqual(
      message,
    );
  });

  it('decodes records by topic name', () => {
    expect(decodeFromTopic(jobsTopic(NODE), encodeEnvelope(examples['task.assign'])).type).toBe(
      'task.assign',
    );
    expect(decodeFromTopic(resultsTopic(NODE), encodeEnvelope(examples['task.failed'])).type).toBe(
      'task.failed',
    );
    expect(decodeFromTopic(heartbeatsTopic(NODE), encodeEnvelope(examples['node.heartbeat'])).type).toBe(
      'node.heartbeat',
    );
  });

  it('drops fields the schema does not know, on encode and on decode (tolerant reader)', () => {
    const withExtra = { ...mutable('task.accepted'), addedInRevision2: 'x' };
    withExtra.body.futureField = 1;
    const decoded = decodeEnvelope(bytesOf(withExtra));
    expect(decoded).toEqual(examples['task.accepted']);
    expect(decoded).not.toHaveProperty('addedInRevision2');
    const encoded = encodeEnvelope(withExtra as unknown as Envelope).toString('utf8');
    expect(encoded).not.toContain('addedInRevision2');
    expect(encoded).not.toContain('futureField');
  });
});

describe('decode rejects', () => {
  it('an unknown message type', () => {
    const error = decodeError(bytesOf({ ...mutable('task.accepted'), type: 'job.assign' }));
    expect(error.code).toBe(ErrorCode.UNKNOWN_MESSAGE_TYPE);
    expect(error.message).toContain('"job.assign"');
    expect(error.issues).toEqual([{ path: 'type', message: 'is not a known message type' }]);
  });

  it('a type that is not a string', () => {
    const error = decodeError(bytesOf({ ...mutable('task.accepted'), type: 7 }));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.issues[0]?.path).toBe('type');
  });

  it.each([2, 0, 99])('schema version %i, naming what is supported', (v) => {
    const error = decodeError(bytesOf({ ...mutable('task.accepted'), v }));
    expect(error.code).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(error.message).toContain(`schema version ${v} is not supported`);
    expect(error.message).toContain('reads 1');
  });

  it('a missing or non-integer version', () => {
    const missing = mutable('task.accepted');
    delete missing.v;
    expect(decodeError(bytesOf(missing))).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      issues: [{ path: 'v', message: 'required (expected integer)' }],
    });
    expect(decodeError(bytesOf({ ...mutable('task.accepted'), v: '1' })).code).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(decodeError(bytesOf({ ...mutable('task.accepted'), v: 1.5 })).code).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
  });

  it('a missing field, naming its path', () => {
    const message = mutable('task.assign');
    delete message.body.epoch;
    const error = decodeError(bytesOf(message));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.issues).toEqual([{ path: 'body.epoch', message: 'required (expected number)' }]);
    expect(error.message).toContain('invalid task.assign: body.epoch: required');
  });

  it('a missing nested field, naming the full path', () => {
    const message = mutable('task.assign');
    const sealed = message.body.sealed as Record<string, Record<string, unknown>>;
    delete sealed.script?.tag;
    const error = decodeError(bytesOf(message));
    expect(error.issues.map((i) => i.path)).toEqual(['body.sealed.script.tag']);
  });

  it('a wrong field type', () => {
    const message = mutable('task.progress');
    message.body.fraction = '0.5';
    const error = decodeError(bytesOf(message));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.issues).toEqual([
      { path: 'body.fraction', message: expect.stringContaining('expected number') as string },
    ]);
  });

  it('every bad field at once, with array indexes in paths', () => {
    const message = mutable('node.heartbeat');
    const telemetry = message.body.telemetry as { gpus: Record<string, unknown>[] };
    telemetry.gpus[1]!.vramUsedMb = -1;
    message.ts = '2026-05-04 10:15';
    const error = decodeError(bytesOf(message));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['body.telemetry.gpus[1].vramUsedMb', 'ts']);
  });

  it('a tenantId on a node-level message, and a null tenantId on a tenant message', () => {
    expect(decodeError(bytesOf({ ...mutable('node.heartbeat'), tenantId: 'acme' })).issues[0]?.path).toBe(
      'tenantId',
    );
    expect(decodeError(bytesOf({ ...mutable('task.failed'), tenantId: null })).issues[0]?.path).toBe(
      'tenantId',
    );
  });

  it('a non-UUID message id and a malformed trace id', () => {
    expect(decodeError(bytesOf({ ...mutable('task.accepted'), id: 'msg-1' })).issues[0]?.path).toBe('id');
    expect(
      decodeError(bytesOf({ ...mutable('task.accepted'), traceId: '0'.repeat(32) })).issues[0]?.path,
    ).toBe('traceId');
  });

  it('an oversized message before parsing it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      // Not even JSON: if it were parsed, the code would be MALFORMED_PAYLOAD.
      const error = decodeError(Buffer.alloc(MAX_ENCODED_BYTES + 1, 0x7b));
      expect(error.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
      expect(error.message).toContain(`${MAX_ENCODED_BYTES + 1} bytes`);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('accepts a message of exactly the maximum size', () => {
    const message = mutable('task.progress');
    const base = bytesOf(message).length;
    message.body.message = 'x'.repeat(1000);
    // Pad with whitespace (valid JSON) up to the limit.
    const json = JSON.stringify(message);
    const padded = Buffer.from(json + ' '.repeat(MAX_ENCODED_BYTES - Buffer.byteLength(json)), 'utf8');
    expect(padded.length).toBe(MAX_ENCODED_BYTES);
    expect(base).toBeLessThan(MAX_ENCODED_BYTES);
    expect(decodeEnvelope(padded).type).toBe('task.progress');
  });

  it('invalid JSON, without quoting the payload', () => {
    const error = decodeError(Buffer.from('{"v":1,"type":"task.assign","secret script', 'utf8'));
    expect(error.code).toBe(ErrorCode.MALFORMED_PAYLOAD);
    expect(error.message).toBe('Rejected Kafka message: the bytes are not valid JSON.');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('bytes that are not UTF-8', () => {
    expect(decodeError(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])).code).toBe(ErrorCode.MALFORMED_PAYLOAD);
  });

  it('deeply nested JSON within the size limit, without overflowing the stack', () => {
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    const json = `{"v":1,"type":"task.assign","body":{"steps":[{"step":"a","params":{"x":${nested}}}]}}`;
    expect(Buffer.byteLength(json)).toBeLessThan(MAX_ENCODED_BYTES);
    const error = decodeError(Buffer.from(json));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.issues.map((i) => i.path)).toContain('body.steps[0].params.x');
  });

  it('empty records and tombstones', () => {
    expect(decodeError(null).code).toBe(ErrorCode.MALFORMED_PAYLOAD);
    expect(decodeError(new Uint8Array(0)).code).toBe(ErrorCode.MALFORMED_PAYLOAD);
  });

  it.each([['[1,2]'], ['"task.assign"'], ['null'], ['42']])('JSON that is not an object: %s', (json) => {
    expect(decodeError(Buffer.from(json)).code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('a message type on a topic kind that may not carry it', () => {
    const assign = encodeEnvelope(examples['task.assign']);
    const error = decodeError(assign, { expectedTopicKind: 'results' });
    expect(error.code).toBe(ErrorCode.TOPIC_MISMATCH);
    expect(error.message).toContain('task.assign may not travel on results.<node>');
    expect(error.message).toContain('belongs on jobs.<node>');

    expect(decodeError(encodeEnvelope(examples['task.succeeded']), { expectedTopicKind: 'jobs' }).code).toBe(
      ErrorCode.TOPIC_MISMATCH,
    );
    expect(
      decodeError(encodeEnvelope(examples['task.progress']), { expectedTopicKind: 'heartbeats' }).code,
    ).toBe(ErrorCode.TOPIC_MISMATCH);
    expect(() => decodeFromTopic(resultsTopic(NODE), assign)).toThrow(
      expect.objectContaining({ code: ErrorCode.TOPIC_MISMATCH }) as Error,
    );
  });

  it("an envelope naming another node than its topic's", () => {
    const bytes = encodeEnvelope(examples['task.succeeded']);
    const error = decodeError(bytes, { expectedTopicKind: 'results', expectedNodeId: 'gpu-08' });
    expect(error.code).toBe(ErrorCode.NODE_MISMATCH);
    expect(error.message).toContain('"gpu-07"');
    expect(error.message).toContain('"gpu-08"');
    expect(() => decodeFromTopic(resultsTopic('gpu-08'), bytes)).toThrow(
      expect.objectContaining({ code: ErrorCode.NODE_MISMATCH }) as Error,
    );
  });

  it('a record from a topic that is not a node topic', () => {
    expect(() => decodeFromTopic('results', encodeEnvelope(examples['task.failed']))).toThrow(ContractError);
    expect(() => decodeFromTopic('results.GPU-07', encodeEnvelope(examples['task.failed']))).toThrow(
      ContractError,
    );
  });

  it('never echoes payload values in messages or issues', () => {
    const message = mutable('task.assign');
    const steps = message.body.steps as { params: Record<string, unknown> }[];
    steps[0]!.params.voice = 'TOP-SECRET-'.repeat(40);
    const error = decodeError(bytesOf(message));
    expect(error.issues[0]?.path).toBe('body.steps[0].params.voice');
    expect(JSON.stringify({ m: error.message, i: error.issues })).not.toContain('TOP-SECRET');
  });
});

describe('encode refuses', () => {
  it('an invalid message, with the field path', () => {
    const bad = { ...examples['task.progress'], body: { ...examples['task.progress'].body, fraction: 1.5 } };
    expect(() => encodeEnvelope(bad)).toThrow(
      expect.objectContaining({
        code: ErrorCode.VALIDATION_FAILED,
        issues: [{ path: 'body.fraction', message: expect.stringContaining('<=1') as string }],
      }) as Error,
    );
  });

  it('an unknown type', () => {
    const bad = { ...examples['task.progress'], type: 'task.paused' } as unknown as Envelope;
    expect(() => encodeEnvelope(bad)).toThrow(
      expect.objectContaining({ code: ErrorCode.UNKNOWN_MESSAGE_TYPE }) as Error,
    );
  });

  it('a message over the size limit, pointing at assets instead', () => {
    // Many sealed fields, each within its own limit, add up to more than the message limit.
    const sealed = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [`field${i}`, { ...sealedScript, ct: 'A'.repeat(100 * 1024) }]),
    );
    const big = { ...examples['task.assign'], body: { ...examples['task.assign'].body, sealed } };
    let caught: unknown;
    try {
      encodeEnvelope(big);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ContractError);
    expect((caught as ContractError).code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect((caught as ContractError).message).toContain('as an asset');
  });
});
