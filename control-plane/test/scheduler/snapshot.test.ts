// Restart from a snapshot: running, retiring, delayed and blocked work all come back, and a
// store that contradicts itself is refused.
import { ContractError, ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  Scheduler,
  exportState,
  expireLeases,
  getNode,
  getTask,
  importState,
  onAccepted,
  onFailed,
  onSucceeded,
  schedule,
  setBlocklist,
  type SchedulerSnapshot,
} from '../../src/scheduler/index.ts';
import { T0, checkInvariants, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

const CONFIG = { leaseMs: 30_000, backoffBaseMs: 10_000, cancelGraceMs: 60_000 };

function busyState() {
  const state = cluster([nodeSpec('a', { gpus: 2, cpu: 8 }), nodeSpec('b', { gpus: 1, cpu: 4 })], CONFIG);
  submit(
    state,
    job('j', 'acme', [
      task('render', { gpus: 1 }),
      task('retry', { gpus: 1 }),
      task('stuck', { gpus: 1 }),
      task('mux', {}, ['render']),
    ]),
  );
  setBlocklist(state, 'j', { add: ['b'] });
  const placed = schedule(state, T0).assignments;
  expect(placed.map((a) => [a.taskId, a.nodeId])).toEqual([
    ['render', 'a'],
    ['retry', 'a'],
  ]);
  onAccepted(state, { nodeId: 'a', taskId: 'render', epoch: 1 }, T0);
  onFailed(
    state,
    { nodeId: 'a', taskId: 'retry', epoch: 1, failure: 'soft', code: 'RESOURCES_EXHAUSTED' },
    T0,
  );
  expireLeases(state, T0 + 30_000); // render's lease runs out: retiring on a, requeued
  return state;
}

describe('exportState / importState', () => {
  it('round-trips through JSON and resumes with the same decisions', () => {
    const state = busyState();
    const saved = exportState(state);
    const restored = importState(JSON.parse(JSON.stringify(saved)) as SchedulerSnapshot, CONFIG, T0 + 30_000);
    checkInvariants(restored);
    expect(exportState(restored)).toEqual(saved);
    expect(getNode(restored, 'a')).toEqual(getNode(state, 'a'));
    expect(getTask(restored, 'retry')).toEqual(getTask(state, 'retry'));
    // b is blocklisted for the job, so a is not avoided: it is the only home left.
    expect(getTask(restored, 'render')).toMatchObject({ state: 'queued', epoch: 2, excludedNode: null });
    expect(getNode(restored, 'a')!.retiring).toBe(1);
    for (const now of [T0 + 30_000, T0 + 40_000])
      expect(schedule(restored, now)).toEqual(schedule(state, now));
  });

  it('the facade resumes from a snapshot', () => {
    const state = busyState();
    const clock = { now: () => T0 + 30_000 };
    const scheduler = new Scheduler({ clock, config: CONFIG, snapshot: exportState(state) });
    expect(scheduler.exportState()).toEqual(exportState(state));
    expect(scheduler.getBlocklist('j').blocked).toEqual(['b']);
    expect(onSucceeded(scheduler.state, { nodeId: 'a', taskId: 'render', epoch: 1 }, T0).status).toBe(
      'stale-epoch-dropped',
    );
  });

  it('refuses a snapshot that gives one GPU to two tasks', () => {
    const state = cluster([nodeSpec('a', { gpus: 1, cpu: 8 })], CONFIG);
    submit(state, job('j', 'acme', [task('x', { gpus: 1 }), task('y', { gpus: 1 })]));
    schedule(state, T0);
    const saved = exportState(state);
    const [x, y] = saved.jobs[0]!.tasks;
    const corrupt: SchedulerSnapshot = {
      ...saved,
      jobs: [{ ...saved.jobs[0]!, tasks: [x!, { ...y!, state: 'assigned', assignment: x!.assignment }] }],
    };
    try {
      importState(corrupt, CONFIG, T0);
      expect.unreachable();
    } catch (error) {
      expect((error as ContractError).code).toBe(ErrorCode.CONFLICT);
    }
  });

  it('refuses a running task without an assignment', () => {
    const state = cluster([nodeSpec('a')], CONFIG);
    submit(state, job('j', 'acme', [task('x')]));
    const saved = exportState(state);
    const corrupt: SchedulerSnapshot = {
      ...saved,
      jobs: [{ ...saved.jobs[0]!, tasks: [{ ...saved.jobs[0]!.tasks[0]!, state: 'running' }] }],
    };
    expect(() => importState(corrupt, CONFIG, T0)).toThrow(ContractError);
  });
});
