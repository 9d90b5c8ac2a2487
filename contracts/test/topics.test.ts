import { describe, expect, it } from 'vitest';
import {
  ContractError,
  ErrorCode,
  NODE_ID_PATTERN,
  TOPIC_SUBSCRIPTION_PATTERN,
  assertNodeId,
  heartbeatsTopic,
  isNodeId,
  jobsTopic,
  nodeIdFromPrincipal,
  nodePrincipal,
  nodeTopics,
  parseTopic,
  resultsTopic,
  tryParseTopic,
} from '../src/index.ts';

describe('node ids', () => {
  it.each(['a', '0', 'gpu-07', 'rack2-node-11', 'a'.repeat(55), 'x-'])('accepts %s', (id) => {
    expect(isNodeId(id)).toBe(true);
    expect(assertNodeId(id)).toBe(id);
  });

  it.each(['', '-gpu', 'GPU-07', 'gpu_07', 'gpu.07', 'gpu 07', 'a'.repeat(56), 'gpü'])('rejects %j', (id) => {
    expect(isNodeId(id)).toBe(false);
    expect(() => assertNodeId(id)).toThrow(ContractError);
  });

  it('has the rule certificate names use', () => {
    expect(NODE_ID_PATTERN.source).toBe('^[a-z0-9][a-z0-9-]{0,54}$');
  });

  it('maps to and from the Kafka principal node-<id>', () => {
    expect(nodePrincipal('gpu-07')).toBe('node-gpu-07');
    expect(nodeIdFromPrincipal('node-gpu-07')).toBe('gpu-07');
    expect(nodeIdFromPrincipal('User:node-gpu-07')).toBe('gpu-07');
    expect(nodeIdFromPrincipal('control-plane')).toBeNull();
    expect(nodeIdFromPrincipal('node-')).toBeNull();
    expect(nodeIdFromPrincipal('node-GPU')).toBeNull();
    expect(() => nodePrincipal('Bad')).toThrow(ContractError);
  });
});

describe('topics', () => {
  it('names the three topics of a node', () => {
    expect(jobsTopic('gpu-07')).toBe('jobs.gpu-07');
    expect(resultsTopic('gpu-07')).toBe('results.gpu-07');
    expect(heartbeatsTopic('gpu-07')).toBe('heartbeats.gpu-07');
    expect(nodeTopics('n1')).toEqual({ jobs: 'jobs.n1', results: 'results.n1', heartbeats: 'heartbeats.n1' });
  });

  it('refuses to build a topic for an invalid node id', () => {
    expect(() => jobsTopic('../etc')).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }) as Error,
    );
    expect(() => resultsTopic('')).toThrow(ContractError);
  });

  it('parses what it builds', () => {
    for (const id of ['a', 'gpu-07', 'z'.repeat(55)]) {
      expect(parseTopic(jobsTopic(id))).toEqual({ kind: 'jobs', nodeId: id });
      expect(parseTopic(resultsTopic(id))).toEqual({ kind: 'results', nodeId: id });
      expect(parseTopic(heartbeatsTopic(id))).toEqual({ kind: 'heartbeats', nodeId: id });
    }
  });

  it.each([
    'jobs',
    'jobs.',
    'results.GPU',
    'results.gpu.07',
    'telemetry.gpu-07',
    'Results.gpu-07',
    '__consumer_offsets',
    'heartbeats.-x',
    `jobs.${'a'.repeat(56)}`,
  ])('rejects %s', (name) => {
    expect(tryParseTopic(name)).toBeNull();
    expect(() => parseTopic(name)).toThrow(ContractError);
  });

  it('subscription patterns match node topics of their kind only', () => {
    const results = new RegExp(TOPIC_SUBSCRIPTION_PATTERN.results);
    expect(results.test(resultsTopic('gpu-07'))).toBe(true);
    expect(results.test(heartbeatsTopic('gpu-07'))).toBe(false);
    expect(results.test('results')).toBe(false);
    const heartbeats = new RegExp(TOPIC_SUBSCRIPTION_PATTERN.heartbeats);
    expect(heartbeats.test(heartbeatsTopic('gpu-07'))).toBe(true);
    expect(heartbeats.test(jobsTopic('gpu-07'))).toBe(false);
    expect(new RegExp(TOPIC_SUBSCRIPTION_PATTERN.jobs).test(jobsTopic('n'))).toBe(true);
  });
});
