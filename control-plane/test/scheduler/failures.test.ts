import type { ContractError } from '@enclave/contracts';
import { ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  createSchedulerState,
  getBlocklist,
  getJob,
  getTask,
  onAccepted,
  onFailed,
  onSucceeded,
  schedule,
  setBlocklist,
  type Assignment,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import { T0, checkInvariants, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

const soft = (a: Assignment, code = 'RESOURCES_EXHAUSTED') =>
  ({ nodeId: a.nodeId, taskId: a.taskId, epoch: a.epoch, failure: 'soft', code }) as const;

function only(state: SchedulerState, now: number): Assignment {
  const { assignments } = schedule(state, now);
  expect(assignments).toHaveLength(1);
  return assignments[0]!;
}

describe('soft failure', () => {
  it('retries on another node after a back-off, with epoch+1', () => {
    const state = cluster([nodeSpec('a', { gpus: 1 }), nodeSpec('b', { gpus: 1 })], { backoffBaseMs: 5_000 });
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    const first = only(state, T0);
    expect(first.nodeId).toBe('a');
    const outcome = onFailed(state, soft(first), T0 + 100);
    expect(outcome.status === 'applied' && outcome.events).toContainEqual(
      expect.objectContaining({
        type: 'task-state',
        state: 'queued',
        cause: 'soft-failure',
        epoch: 2,
        notBefore: T0 + 5_100,
      }),
    );
    expect(freeGpusOf(state, 'a')).toBe(1);
    expect(schedule(state, T0 + 5_099).assignments).toEqual([]);
    const retry = only(state, T0 + 5_100);
    expect([retry.nodeId, retry.epoch, retry.attempt]).toEqual(['b', 2, 2]);
    checkInvariants(state);
  });

  it('retries on the same node when no other node could ever run the task', () => {
    const state = cluster([nodeSpec('only', { gpus: 1 }), nodeSpec('cpu', { cpu: 64 })], {
      backoffBaseMs: 1,
    });
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    onFailed(state, soft(only(state, T0)), T0);
    expect(getTask(state, 't')!.excludedNode).toBeNull();
    expect(only(state, T0 + 1).nodeId).toBe('only');
  });

  it('backs off exponentially up to the cap', () => {
    const state = createSchedulerState({ backoffBaseMs: 1_000, backoffCapMs: 10_000 });
    expect([1, 2, 3, 4, 5, 6, 60].map((n) => backoffMs(state, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000,
    ]);
  });

  it('fails the task and the job after maxAttempts faulty attempts, cancelling the rest', () => {
    const state = cluster([nodeSpec('a', { gpus: 1, cpu: 4 }), nodeSpec('b', { gpus: 1, cpu: 4 })], {
      maxAttempts: 3,
      backoffBaseMs: 1,
      blocklistAfterFailures: 10,
    });
    submit(
      state,
      job('j', 'acme', [task('t', { gpus: 1 }), task('other', { cpuSlots: 1 }), task('later', {}, ['t'])]),
    );
    let now = T0;
    const { assignments } = schedule(state, now);
    const other = assignments.find((a) => a.taskId === 'other')!;
    onAccepted(state, { nodeId: other.nodeId, taskId: 'other', epoch: 1 }, now);
    let current = assignments.find((a) => a.taskId === 't')!;
    for (let attempt = 1; attempt < 3; attempt++) {
      onFailed(state, soft(current), now);
      now += 10_000;
      current = only(state, now);
    }
    const last = onFailed(state, soft(current), now);
    expect(last.status).toBe('applied');
    const events = last.status === 'applied' ? last.events : [];
    expect(getTask(state, 't')!.state).toBe('failed');
    expect(events).toContainEqual(
      expect.objectContaining({ taskId: 't', state: 'failed', cause: 'attempts-exhausted' }),
    );
    expect(events).toContainEqual({ type: 'job-state', jobId: 'j', state: 'failed' });
    expect(events).toContainEqual({
      type: 'cancel-order',
      nodeId: other.nodeId,
      body: { jobId: 'j', taskId: 'other', epoch: 1, reason: 'job-failed' },
    });
    expect(getJob(state, 'j')!.tasks.map((t) => t.state)).toEqual(['failed', 'cancelled', 'cancelled']);
    checkInvariants(state);
  });
});

describe('hard failure', () => {
  it('fails the task and the job at once', () => {
    const state = cluster([nodeSpec('a', { gpus: 2 })]);
    submit(state, job('j', 'acme', [task('t', { gpus: 1 }), task('u', { gpus: 1 })]));
    const [t, u] = schedule(state, T0).assignments;
    onFailed(state, { ...soft(t!), failure: 'hard', code: 'INVALID_PARAMS' }, T0);
    const view = getJob(state, 'j')!;
    expect(view.state).toBe('failed');
    expect(view.tasks.map((x) => [x.state, x.lastFailure])).toEqual([
      ['failed', { nodeId: 'a', code: 'INVALID_PARAMS' }],
      ['cancelled', null],
    ]);
    // u's run was ours to stop: its GPU stays held until the node confirms.
    expect(state.nodes.get('a')!.retiring.size).toBe(1);
    expect(u!.taskId).toBe('u');
    checkInvariants(state);
  });
});

describe('per-job node blocklist', () => {
  function flakyCluster(): SchedulerState {
    const state = cluster([nodeSpec('a', { cpu: 8 }), nodeSpec('b', { cpu: 1 })], {
      blocklistAfterFailures: 2,
      backoffBaseMs: 1,
      maxAttempts: 10,
    });
    submit(state, job('j', 'acme', [task('t1'), task('t2'), task('t3')]));
    submit(state, job('k', 'acme', [task('k1')]));
    return state;
  }

  it('blocklists a node for a job after N faults there; other jobs still use it', () => {
    const state = flakyCluster();
    const placed = schedule(state, T0).assignments;
    // Best-fit by size: the 1-slot node b fills first.
    expect(placed.map((x) => [x.taskId, x.nodeId])).toEqual([
      ['t1', 'b'],
      ['t2', 'a'],
      ['t3', 'a'],
      ['k1', 'a'],
    ]);
    const first = placed.filter((x) => x.nodeId === 'a' && x.jobId === 'j');
    onFailed(state, soft(first[0]!), T0);
    expect(getBlocklist(state, 'j')).toEqual({ jobId: 'j', blocked: [], failures: { a: 1 }, threshold: 2 });
    const outcome = onFailed(state, soft(first[1]!), T0);
    expect(outcome.status === 'applied' && outcome.events).toContainEqual({
      type: 'blocklist-changed',
      jobId: 'j',
      nodeId: 'a',
      blocked: true,
      by: 'failures',
    });
    expect(getBlocklist(state, 'j').blocked).toEqual(['a']);
    expect(getBlocklist(state, 'k').blocked).toEqual([]);
    // j's retries never land on a again, though a has room; b has one slot once t1 is done.
    onSucceeded(state, { nodeId: 'b', taskId: 't1', epoch: 1 }, T0);
    const later = schedule(state, T0 + 1_000).assignments;
    expect(later.filter((x) => x.jobId === 'j').map((x) => x.nodeId)).toEqual(['b']);
    checkInvariants(state);
  });

  it('is editable: operators add and remove nodes; removal forgets the count', () => {
    const state = flakyCluster();
    expect(setBlocklist(state, 'j', { add: ['b'] }).events).toEqual([
      { type: 'blocklist-changed', jobId: 'j', nodeId: 'b', blocked: true, by: 'operator' },
    ]);
    expect(setBlocklist(state, 'j', { add: ['b'] }).changed).toBe(false);
    const placed = schedule(state, T0).assignments;
    expect(placed.filter((x) => x.jobId === 'j').every((x) => x.nodeId === 'a')).toBe(true);
    onFailed(state, soft(placed.find((x) => x.jobId === 'j')!), T0);
    expect(getBlocklist(state, 'j').failures).toEqual({ a: 1 });
    setBlocklist(state, 'j', { remove: ['a', 'b'] });
    expect(getBlocklist(state, 'j')).toEqual({ jobId: 'j', blocked: [], failures: {}, threshold: 2 });
  });

  it('sets a blocked task aside for the round without holding up same-shape work of other jobs', () => {
    const state = cluster([nodeSpec('a', { cpu: 1 })]);
    submit(state, job('first', 'acme', [task('f1')], { priority: 90 }));
    submit(state, job('second', 'acme', [task('s1')], { priority: 10 }));
    setBlocklist(state, 'first', { add: ['a'] });
    expect(schedule(state, T0).assignments.map((x) => x.taskId)).toEqual(['s1']);
    expect(getTask(state, 'f1')!.state).toBe('queued');
    onSucceeded(state, { nodeId: 'a', taskId: 's1', epoch: 1 }, T0);
    expect(schedule(state, T0).assignments).toEqual([]);
    setBlocklist(state, 'first', { remove: ['a'] });
    expect(schedule(state, T0).assignments.map((x) => x.taskId)).toEqual(['f1']);
    checkInvariants(state);
  });

  it('refuses unknown nodes and jobs', () => {
    const state = flakyCluster();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ContractError).code;
      }
      return 'none';
    };
    expect(code(() => setBlocklist(state, 'j', { add: ['ghost'] }))).toBe(ErrorCode.NOT_FOUND);
    expect(code(() => getBlocklist(state, 'nope'))).toBe(ErrorCode.NOT_FOUND);
  });
});

function freeGpusOf(state: SchedulerState, nodeId: string): number {
  return state.nodes.get(nodeId)!.freeGpus;
}
