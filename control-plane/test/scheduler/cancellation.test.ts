import type { ContractError } from '@enclave/contracts';
import { ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  cancelJob,
  cancelTask,
  getJob,
  onAccepted,
  onSucceeded,
  schedule,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import { T0, checkInvariants, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

function pipeline(): SchedulerState {
  const state = cluster([nodeSpec('n', { gpus: 2, cpu: 8 })]);
  // render → encode → publish, plus an independent preview.
  submit(
    state,
    job('j', 'acme', [
      task('render', { gpus: 1 }),
      task('preview'),
      task('encode', {}, ['render']),
      task('publish', {}, ['encode']),
    ]),
  );
  schedule(state, T0);
  onAccepted(state, { nodeId: 'n', taskId: 'render', epoch: 1 }, T0);
  return state;
}

describe('cancelJob', () => {
  it('cancels every unfinished task and orders running attempts stopped, with their epoch', () => {
    const state = pipeline();
    const { changed, events } = cancelJob(state, 'j', T0 + 5);
    expect(changed).toBe(true);
    expect(
      events.filter((e) => e.type === 'cancel-order').map((e) => e.type === 'cancel-order' && e.body),
    ).toEqual([
      { jobId: 'j', taskId: 'render', epoch: 1, reason: 'user-cancelled' },
      { jobId: 'j', taskId: 'preview', epoch: 1, reason: 'user-cancelled' },
    ]);
    expect(getJob(state, 'j')!.state).toBe('cancelled');
    expect(getJob(state, 'j')!.tasks.every((t) => t.state === 'cancelled')).toBe(true);
    // Nothing of it is placed again, and late results are not applied.
    expect(schedule(state, T0 + 6).assignments).toEqual([]);
    expect(onSucceeded(state, { nodeId: 'n', taskId: 'render', epoch: 1 }, T0 + 7)).toEqual({
      status: 'ignored',
      reason: 'not-live',
    });
    checkInvariants(state);
  });

  it('is a no-op on a finished job and NOT_FOUND on an unknown one', () => {
    const state = pipeline();
    cancelJob(state, 'j', T0);
    expect(cancelJob(state, 'j', T0)).toEqual({ changed: false, events: [] });
    try {
      cancelJob(state, 'nope', T0);
      expect.unreachable();
    } catch (error) {
      expect((error as ContractError).code).toBe(ErrorCode.NOT_FOUND);
    }
  });
});

describe('cancelTask', () => {
  it('cancels the task and its dependents; the rest of the job carries on', () => {
    const state = pipeline();
    const { events } = cancelTask(state, 'render', T0);
    const states = events.flatMap((e) => (e.type === 'task-state' ? [[e.taskId, e.state, e.cause]] : []));
    expect(states).toEqual([
      ['render', 'cancelled', 'user-cancelled'],
      ['encode', 'cancelled', 'dependency-cancelled'],
      ['publish', 'cancelled', 'dependency-cancelled'],
    ]);
    expect(getJob(state, 'j')!.state).toBe('running');
    const finish = onSucceeded(state, { nodeId: 'n', taskId: 'preview', epoch: 1 }, T0);
    expect(finish.status === 'applied' && finish.events).toContainEqual({
      type: 'job-state',
      jobId: 'j',
      state: 'cancelled',
    });
    checkInvariants(state);
  });

  it('cancelling a queued task sends no cancel order', () => {
    const state = pipeline();
    const { events } = cancelTask(state, 'publish', T0);
    expect(events.some((e) => e.type === 'cancel-order')).toBe(false);
    expect(cancelTask(state, 'publish', T0).changed).toBe(false);
  });
});
