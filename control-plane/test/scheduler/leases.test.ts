import { describe, expect, it } from 'vitest';
import {
  expireLeases,
  getNode,
  getTask,
  nodeHeartbeat,
  onAccepted,
  onFailed,
  onProgress,
  onSucceeded,
  renewLeases,
  schedule,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import { T0, checkInvariants, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

const LEASE = 60_000;

function oneAssigned(): SchedulerState {
  const state = cluster([nodeSpec('a', { gpus: 1 }), nodeSpec('b', { gpus: 1 })], {
    leaseMs: LEASE,
    cancelGraceMs: 20_000,
  });
  submit(state, job('j', 'acme', [task('t', { gpus: 1 }), task('after', { gpus: 1 }, ['t'])]));
  expect(schedule(state, T0).assignments.map((x) => [x.taskId, x.nodeId, x.epoch])).toEqual([['t', 'a', 1]]);
  return state;
}

const ref = (epoch: number, nodeId = 'a') => ({ nodeId, taskId: 't', epoch });

describe('reports and fencing', () => {
  it('accepted makes the task running and restarts the lease', () => {
    const state = oneAssigned();
    const outcome = onAccepted(state, ref(1), T0 + 1_000);
    expect(outcome.status).toBe('applied');
    expect(getTask(state, 't')!.state).toBe('running');
    expect(getTask(state, 't')!.assignment!.leaseExpiresAt).toBe(T0 + 1_000 + LEASE);
    expect(onAccepted(state, ref(1), T0 + 2_000)).toEqual({ status: 'ignored', reason: 'duplicate' });
  });

  it('progress records the fraction, implies acceptance and does not renew the lease', () => {
    const state = oneAssigned();
    expect(onProgress(state, { ...ref(1), fraction: 0.4 }, T0 + 5_000).status).toBe('applied');
    const view = getTask(state, 't')!;
    expect([view.state, view.progress]).toEqual(['running', 0.4]);
    onProgress(state, { ...ref(1), fraction: 0.9 }, T0 + 50_000);
    expect(getTask(state, 't')!.assignment!.leaseExpiresAt).toBe(T0 + 5_000 + LEASE);
  });

  it('succeeded frees the capacity at once and wakes dependents', () => {
    const state = oneAssigned();
    onAccepted(state, ref(1), T0);
    expect(onSucceeded(state, ref(1), T0 + 10).status).toBe('applied');
    expect(getNode(state, 'a')!.free.gpus).toEqual([0]);
    expect(schedule(state, T0 + 10).assignments.map((x) => x.taskId)).toEqual(['after']);
    expect(onSucceeded(state, ref(1), T0 + 20)).toEqual({ status: 'ignored', reason: 'not-live' });
    checkInvariants(state);
  });

  it('drops reports with another epoch and changes nothing', () => {
    const state = oneAssigned();
    const before = JSON.stringify(getTask(state, 't'));
    for (const report of [
      () => onAccepted(state, ref(2), T0),
      () => onProgress(state, { ...ref(0), fraction: 1 }, T0),
      () => onSucceeded(state, ref(7), T0),
      () => onFailed(state, { ...ref(2), failure: 'hard', code: 'STEP_FAILED' }, T0),
    ]) {
      expect(report()).toEqual({ status: 'stale-epoch-dropped', currentEpoch: 1 });
    }
    expect(JSON.stringify(getTask(state, 't'))).toBe(before);
  });

  it('ignores a current-epoch report from a node the task is not on', () => {
    const state = oneAssigned();
    expect(onSucceeded(state, ref(1, 'b'), T0)).toEqual({ status: 'ignored', reason: 'wrong-node' });
    expect(getTask(state, 't')!.state).toBe('assigned');
  });

  it('answers unknown for a task it never heard of', () => {
    const state = oneAssigned();
    expect(onSucceeded(state, { nodeId: 'a', taskId: 'ghost', epoch: 1 }, T0)).toEqual({ status: 'unknown' });
  });
});

describe('lease renewal and expiry', () => {
  it('a heartbeat listing the current lease renews it', () => {
    const state = oneAssigned();
    onAccepted(state, ref(1), T0);
    const renewal = nodeHeartbeat(
      state,
      'a',
      { state: 'ready', leases: [{ taskId: 't', epoch: 1 }] },
      T0 + 40_000,
    );
    expect(renewal.renewed).toEqual([{ taskId: 't', epoch: 1 }]);
    expect(expireLeases(state, T0 + 90_000).events).toEqual([]);
    expect(getTask(state, 't')!.state).toBe('running');
  });

  it('an expired lease requeues the task with epoch+1, cancels the old run and fences its results', () => {
    const state = oneAssigned();
    onAccepted(state, ref(1), T0);
    const { events, requeued } = expireLeases(state, T0 + LEASE);
    expect(requeued).toEqual([{ taskId: 't', epoch: 2 }]);
    expect(events).toContainEqual({
      type: 'cancel-order',
      nodeId: 'a',
      body: { jobId: 'j', taskId: 't', epoch: 1, reason: 'lease-expired' },
    });
    const view = getTask(state, 't')!;
    expect([view.state, view.epoch, view.failures, view.excludedNode]).toEqual(['queued', 2, 1, 'a']);
    expect(onSucceeded(state, ref(1), T0 + LEASE)).toEqual({
      status: 'stale-epoch-dropped',
      currentEpoch: 2,
    });
    // The old run may still hold node a's GPU; the retry goes to b with the new epoch.
    const retry = schedule(state, T0 + LEASE).assignments;
    expect(retry.map((x) => [x.nodeId, x.epoch, x.attempt])).toEqual([['b', 2, 2]]);
    checkInvariants(state);
  });

  it('an assignment never accepted expires too', () => {
    const state = oneAssigned();
    expireLeases(state, T0 + LEASE - 1);
    expect(getTask(state, 't')!.state).toBe('assigned');
    expireLeases(state, T0 + LEASE);
    expect(getTask(state, 't')!.state).toBe('queued');
  });

  it('a retiring run holds its capacity until the node stops listing it', () => {
    const state = oneAssigned();
    expireLeases(state, T0 + LEASE);
    expect(getNode(state, 'a')!.free.gpus).toEqual([]);
    expect(getNode(state, 'a')!.retiring).toBe(1);
    const stillThere = renewLeases(state, 'a', [{ taskId: 't', epoch: 1 }], T0 + LEASE + 1);
    expect(stillThere.stale).toEqual([{ taskId: 't', epoch: 1 }]);
    expect(stillThere.events).toEqual([]);
    expect(getNode(state, 'a')!.free.gpus).toEqual([]);
    renewLeases(state, 'a', [], T0 + LEASE + 2);
    expect(getNode(state, 'a')!.free.gpus).toEqual([0]);
    checkInvariants(state);
  });

  it('a retiring run is released after the cancel grace without confirmation', () => {
    const state = oneAssigned();
    expireLeases(state, T0 + LEASE);
    expireLeases(state, T0 + LEASE + 19_999);
    expect(getNode(state, 'a')!.retiring).toBe(1);
    expireLeases(state, T0 + LEASE + 20_000);
    expect(getNode(state, 'a')!.retiring).toBe(0);
    expect(getNode(state, 'a')!.free.gpus).toEqual([0]);
  });

  it('a stale lease the scheduler no longer tracks gets a cancel order', () => {
    const state = oneAssigned();
    expireLeases(state, T0 + LEASE);
    expireLeases(state, T0 + LEASE + 20_000);
    const renewal = renewLeases(state, 'a', [{ taskId: 't', epoch: 1 }], T0 + LEASE + 20_001);
    expect(renewal.events).toEqual([
      {
        type: 'cancel-order',
        nodeId: 'a',
        body: { jobId: 'j', taskId: 't', epoch: 1, reason: 'lease-expired' },
      },
    ]);
  });

  it('a running task missing from a heartbeat is lost only after the grace since acceptance', () => {
    const state = cluster([nodeSpec('a', { gpus: 1 }), nodeSpec('b', { gpus: 1 })], {
      missingLeaseGraceMs: 10_000,
    });
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    schedule(state, T0);
    // Not yet accepted: a missing lease may just be in flight.
    renewLeases(state, 'a', [], T0 + 1);
    expect(getTask(state, 't')!.state).toBe('assigned');
    onAccepted(state, ref(1), T0 + 1_000);
    renewLeases(state, 'a', [], T0 + 10_999);
    expect(getTask(state, 't')!.state).toBe('running');
    const { events } = renewLeases(state, 'a', [], T0 + 11_000);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'task-state',
        state: 'queued',
        cause: 'missing-from-heartbeat',
        epoch: 2,
      }),
    );
    // The node said it does not have it: capacity is free at once, no cancel needed.
    expect(events.filter((e) => e.type === 'cancel-order')).toEqual([]);
    expect(getNode(state, 'a')!.free.gpus).toEqual([0]);
    checkInvariants(state);
  });

  it('the grace runs from the last heartbeat that listed the task, not from acceptance', () => {
    const state = cluster([nodeSpec('a', { gpus: 1 }), nodeSpec('b', { gpus: 1 })], {
      missingLeaseGraceMs: 10_000,
    });
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    schedule(state, T0);
    onAccepted(state, ref(1), T0 + 1_000);
    renewLeases(state, 'a', [{ taskId: 't', epoch: 1 }], T0 + 29_000);
    // A long task has just finished: the heartbeat no longer lists it, its result is in flight.
    renewLeases(state, 'a', [], T0 + 31_000);
    renewLeases(state, 'a', [], T0 + 38_999);
    expect(getTask(state, 't')!.state).toBe('running');
    const { events } = renewLeases(state, 'a', [], T0 + 39_000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'task-state', cause: 'missing-from-heartbeat', epoch: 2 }),
    );
    checkInvariants(state);
  });

  it('renewals from an unknown node change nothing', () => {
    const state = oneAssigned();
    expect(renewLeases(state, 'ghost', [{ taskId: 't', epoch: 1 }], T0).status).toBe('unknown-node');
  });
});
