import { ContractError, ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  createSchedulerState,
  forgetJob,
  getJob,
  getTask,
  submitJob,
  cancelJob,
} from '../../src/scheduler/index.ts';
import { dagIssues } from '../../src/scheduler/dag.ts';
import { T0, checkInvariants, job, task } from './fixtures.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) return error.code;
    throw error;
  }
  throw new Error('expected a ContractError');
}

describe('submitJob', () => {
  it('creates a job whose tasks start queued at epoch 1 with normalised requirements', () => {
    const state = createSchedulerState();
    const result = submitJob(
      state,
      job('j1', 'acme', [task('t1', { gpus: 1, tags: ['b', 'a', 'a'] }), task('t2')]),
      T0,
    );
    expect(result).toEqual({
      jobId: 'j1',
      created: true,
      events: [{ type: 'job-submitted', jobId: 'j1', tenantId: 'acme' }],
    });
    const view = getJob(state, 'j1')!;
    expect(view.state).toBe('queued');
    expect(view.tasks.map((t) => [t.taskId, t.state, t.epoch, t.attempts])).toEqual([
      ['t1', 'queued', 1, 0],
      ['t2', 'queued', 1, 0],
    ]);
    expect(view.tasks[0]!.requirements).toEqual({
      gpus: 1,
      minVramMb: 0,
      cpuSlots: 1,
      tags: ['a', 'b'],
      cpuCapable: false,
    });
    expect(view.tasks[1]!.requirements).toEqual({
      gpus: 0,
      minVramMb: 0,
      cpuSlots: 1,
      tags: [],
      cpuCapable: false,
    });
    checkInvariants(state);
  });

  it('drops VRAM needs and CPU fallback from CPU tasks, so equal needs share one shape', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('a', { minVramMb: 9000, cpuCapable: true }), task('b')]), T0);
    expect(getTask(state, 'a')!.requirements).toEqual(getTask(state, 'b')!.requirements);
    expect(state.tenants.get('acme')!.shapes.size).toBe(1);
  });

  it('same key and same content returns the first job without creating anything', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('t1', { gpus: 1 })], { key: 'k' }), T0);
    // A retry mints fresh ids: still the same request.
    const again = submitJob(state, job('j2', 'acme', [task('t9', { gpus: 1 })], { key: 'k' }), T0 + 5);
    expect(again).toEqual({ jobId: 'j1', created: false, events: [] });
    expect(state.jobs.size).toBe(1);
    expect(state.tasks.size).toBe(1);
  });

  it('same key with different content is a CONFLICT and changes nothing', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('t1', { gpus: 1 })], { key: 'k' }), T0);
    expect(
      codeOf(() => submitJob(state, job('j2', 'acme', [task('t2', { gpus: 2 })], { key: 'k' }), T0)),
    ).toBe(ErrorCode.CONFLICT);
    expect(
      codeOf(() =>
        submitJob(state, job('j2', 'acme', [task('t2', { gpus: 1 })], { key: 'k', priority: 90 }), T0),
      ),
    ).toBe(ErrorCode.CONFLICT);
    expect([...state.jobs.keys()]).toEqual(['j1']);
  });

  it('compares deps by position, so renamed tasks with the same graph are the same request', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('a'), task('b', {}, ['a'])], { key: 'k' }), T0);
    expect(
      submitJob(state, job('j2', 'acme', [task('x'), task('y', {}, ['x'])], { key: 'k' }), T0).created,
    ).toBe(false);
    expect(
      codeOf(() => submitJob(state, job('j3', 'acme', [task('x', {}, ['y']), task('y')], { key: 'k' }), T0)),
    ).toBe(ErrorCode.CONFLICT);
  });

  it('scopes idempotency keys to the tenant', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('t1')], { key: 'k' }), T0);
    expect(submitJob(state, job('j2', 'globex', [task('t2')], { key: 'k' }), T0).created).toBe(true);
  });

  it('refuses a taken job id or task id under a new key', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('t1')]), T0);
    expect(codeOf(() => submitJob(state, job('j1', 'acme', [task('t2')], { key: 'other' }), T0))).toBe(
      ErrorCode.CONFLICT,
    );
    expect(codeOf(() => submitJob(state, job('j2', 'acme', [task('t1')], { key: 'other' }), T0))).toBe(
      ErrorCode.CONFLICT,
    );
    expect(state.jobs.size).toBe(1);
  });

  it.each([
    ['priority above 100', job('j', 'a', [task('t')], { priority: 101 }), 'priority'],
    ['fractional priority', job('j', 'a', [task('t')], { priority: 1.5 }), 'priority'],
    ['no tasks', job('j', 'a', []), 'tasks'],
    ['empty key', job('j', 'a', [task('t')], { key: '' }), 'idempotencyKey'],
    ['bad job id', job('j/1', 'a', [task('t')]), 'jobId'],
    ['bad tenant id', job('j', '', [task('t')]), 'tenantId'],
    ['duplicate task id', job('j', 'a', [task('t'), task('t')]), 'tasks[1].taskId'],
    ['zero cpu slots', job('j', 'a', [task('t', { cpuSlots: 0 })]), 'tasks[0].requirements.cpuSlots'],
    ['negative gpus', job('j', 'a', [task('t', { gpus: -1 })]), 'tasks[0].requirements.gpus'],
    ['bad tag', job('j', 'a', [task('t', { tags: ['Has Space'] })]), 'tasks[0].requirements.tags[0]'],
    ['unknown dep', job('j', 'a', [task('t', {}, ['nope'])]), 'tasks[0].deps[0]'],
    ['self dep', job('j', 'a', [task('t', {}, ['t'])]), 'tasks[0].deps[0]'],
    ['cycle', job('j', 'a', [task('x', {}, ['y']), task('y', {}, ['x'])]), 'tasks'],
  ])('refuses %s with VALIDATION_FAILED naming the field', (_name, submission, path) => {
    const state = createSchedulerState();
    try {
      submitJob(state, submission, T0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect((error as ContractError).issues.map((i) => i.path)).toContain(path);
    }
    expect(state.jobs.size).toBe(0);
    expect(state.tasks.size).toBe(0);
  });

  it('forgetJob frees a finished job and its key; unfinished jobs cannot be forgotten', () => {
    const state = createSchedulerState();
    submitJob(state, job('j1', 'acme', [task('t1')], { key: 'k' }), T0);
    expect(codeOf(() => forgetJob(state, 'j1'))).toBe(ErrorCode.CONFLICT);
    cancelJob(state, 'j1', T0);
    forgetJob(state, 'j1');
    expect(getJob(state, 'j1')).toBeUndefined();
    expect(codeOf(() => forgetJob(state, 'j1'))).toBe(ErrorCode.NOT_FOUND);
    expect(submitJob(state, job('j2', 'acme', [task('t2')], { key: 'k' }), T0).created).toBe(true);
  });
});

describe('dagIssues', () => {
  it('accepts diamonds and forests', () => {
    expect(
      dagIssues([
        { taskId: 'a', deps: [] },
        { taskId: 'b', deps: ['a'] },
        { taskId: 'c', deps: ['a'] },
        { taskId: 'd', deps: ['b', 'c'] },
        { taskId: 'e', deps: [] },
      ]),
    ).toEqual([]);
  });

  it('names the tasks stuck on or behind a cycle, not the free ones', () => {
    const issues = dagIssues([
      { taskId: 'free', deps: [] },
      { taskId: 'a', deps: ['c'] },
      { taskId: 'b', deps: ['a'] },
      { taskId: 'c', deps: ['b'] },
    ]);
    expect(issues).toEqual([{ path: 'tasks', message: 'dependency cycle among: a, b, c' }]);
  });

  it('reports duplicate deps', () => {
    expect(
      dagIssues([
        { taskId: 'a', deps: [] },
        { taskId: 'b', deps: ['a', 'a'] },
      ]),
    ).toEqual([{ path: 'tasks[1].deps[1]', message: 'listed twice' }]);
  });
});
