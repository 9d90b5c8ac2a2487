import { describe, expect, it } from 'vitest';
import {
  createSchedulerState,
  getTask,
  nodeHeartbeat,
  onSucceeded,
  registerNode,
  schedule,
  setNodeAdminState,
  type Assignment,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import { T0, addOnlineNode, checkInvariants, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

function placements(assignments: readonly Assignment[]): Record<string, string> {
  return Object.fromEntries(assignments.map((a) => [a.taskId, a.nodeId]));
}

function succeed(state: SchedulerState, a: Assignment, now = T0) {
  return onSucceeded(state, { nodeId: a.nodeId, taskId: a.taskId, epoch: a.epoch }, now);
}

describe('placement: requirements against capabilities', () => {
  it('puts a GPU task on a node with enough GPUs of enough VRAM, never on a CPU-only node', () => {
    const state = cluster([
      nodeSpec('cpu-1', { cpu: 64 }),
      nodeSpec('small', { gpus: 4, vramMb: 8_000 }),
      nodeSpec('big', { gpus: 2, vramMb: 80_000 }),
    ]);
    submit(
      state,
      job('j', 'acme', [task('needs-vram', { gpus: 1, minVramMb: 40_000 }), task('needs-2', { gpus: 2 })]),
    );
    const { assignments } = schedule(state, T0);
    expect(placements(assignments)).toEqual({ 'needs-vram': 'big', 'needs-2': 'small' });
    const vram = assignments.find((a) => a.taskId === 'needs-vram')!;
    expect(vram.gpuIndices).toHaveLength(1);
    expect(assignments.find((a) => a.taskId === 'needs-2')!.gpuIndices).toEqual([0, 1]);
    checkInvariants(state);
  });

  it('takes the smallest GPUs that are big enough on a node with mixed cards', () => {
    const state = cluster([nodeSpec('mixed', { gpus: 3, vramMb: [80_000, 16_000, 24_000] })]);
    submit(state, job('j', 'acme', [task('t', { gpus: 1, minVramMb: 20_000 })]));
    expect(schedule(state, T0).assignments[0]!.gpuIndices).toEqual([2]);
  });

  it('counts VRAM per GPU: two 12 GB cards do not make a 24 GB one', () => {
    const state = cluster([nodeSpec('n', { gpus: 2, vramMb: 12_000 })]);
    submit(state, job('j', 'acme', [task('t', { gpus: 1, minVramMb: 24_000 })]));
    expect(schedule(state, T0).assignments).toEqual([]);
  });

  it('requires every task tag on the node', () => {
    const state = cluster([
      nodeSpec('plain', { gpus: 1 }),
      nodeSpec('nvenc', { gpus: 1, tags: ['nvenc'] }),
      nodeSpec('both', { gpus: 1, tags: ['nvenc', 'zone:b'] }),
    ]);
    submit(
      state,
      job('j', 'acme', [
        task('a', { gpus: 1, tags: ['nvenc', 'zone:b'] }),
        task('b', { gpus: 1, tags: ['nvenc'] }),
      ]),
    );
    expect(placements(schedule(state, T0).assignments)).toEqual({ a: 'both', b: 'nvenc' });
  });

  it('keeps dedicated nodes for their tenant and fills them before the shared pool', () => {
    const state = cluster([
      nodeSpec('shared', { cpu: 4 }),
      nodeSpec('acme-only', { cpu: 4, dedicated: 'acme' }),
    ]);
    submit(state, job('g', 'globex', [task('g1', { cpuSlots: 4 }), task('g2', { cpuSlots: 4 })]));
    submit(state, job('a', 'acme', [task('a1', { cpuSlots: 4 })]));
    expect(placements(schedule(state, T0).assignments)).toEqual({ a1: 'acme-only', g1: 'shared' });
    expect(getTask(state, 'g2')!.state).toBe('queued');
  });

  it('checks free CPU slots', () => {
    const state = cluster([nodeSpec('n', { cpu: 4 })]);
    submit(
      state,
      job('j', 'acme', [task('a', { cpuSlots: 3 }), task('b', { cpuSlots: 2 }), task('c', { cpuSlots: 1 })]),
    );
    expect(placements(schedule(state, T0).assignments)).toEqual({ a: 'n', c: 'n' });
  });

  it('prefers CPU-only nodes for CPU work, keeping GPU nodes for GPU work', () => {
    const state = cluster([nodeSpec('gpu', { gpus: 1, cpu: 8 }), nodeSpec('cpu', { cpu: 8 })]);
    submit(state, job('j', 'acme', [task('c', { cpuSlots: 2 })]));
    expect(placements(schedule(state, T0).assignments)).toEqual({ c: 'cpu' });
  });

  it('falls back to CPU slots for a cpuCapable task only when no GPU fits', () => {
    const state = cluster([nodeSpec('gpu', { gpus: 1, cpu: 8 }), nodeSpec('cpu', { cpu: 8 })]);
    submit(
      state,
      job('j', 'acme', [task('x', { gpus: 1, cpuCapable: true }), task('y', { gpus: 1, cpuCapable: true })]),
    );
    const { assignments } = schedule(state, T0);
    expect(assignments.map((a) => [a.taskId, a.nodeId, a.gpuIndices.length])).toEqual([
      ['x', 'gpu', 1],
      ['y', 'cpu', 0],
    ]);
    checkInvariants(state);
  });

  it('never places a GPU-only task without its GPUs, however much CPU is free', () => {
    const state = cluster([nodeSpec('cpu', { cpu: 128 })]);
    submit(state, job('j', 'acme', [task('x', { gpus: 1 })]));
    expect(schedule(state, T0).assignments).toEqual([]);
    expect(getTask(state, 'x')!.state).toBe('queued');
  });
});

describe('placement: which nodes take work', () => {
  it.each([
    ['cordoned', (s: SchedulerState) => setNodeAdminState(s, 'n', 'cordoned', T0)],
    ['draining', (s: SchedulerState) => setNodeAdminState(s, 'n', 'draining', T0)],
    ['revoked', (s: SchedulerState) => setNodeAdminState(s, 'n', 'revoked', T0)],
    ['agent draining', (s: SchedulerState) => nodeHeartbeat(s, 'n', { state: 'draining', leases: [] }, T0)],
    ['agent degraded', (s: SchedulerState) => nodeHeartbeat(s, 'n', { state: 'degraded', leases: [] }, T0)],
    ['agent starting', (s: SchedulerState) => nodeHeartbeat(s, 'n', { state: 'starting', leases: [] }, T0)],
  ])('skips a %s node', (_name, act) => {
    const state = cluster([nodeSpec('n')]);
    act(state);
    submit(state, job('j', 'acme', [task('t')]));
    expect(schedule(state, T0).assignments).toEqual([]);
  });

  it('skips an enrolled node until its first heartbeat', () => {
    const state = createSchedulerState();
    registerNode(state, nodeSpec('n'));
    submit(state, job('j', 'acme', [task('t')]));
    expect(schedule(state, T0).assignments).toEqual([]);
    nodeHeartbeat(state, 'n', { state: 'ready', leases: [] }, T0);
    expect(schedule(state, T0).assignments).toHaveLength(1);
  });

  it('sees nodes enrolled after earlier rounds (cached node orders are rebuilt)', () => {
    const state = cluster([nodeSpec('a', { cpu: 1, dedicated: 'other' }), nodeSpec('b', { cpu: 1 })]);
    submit(state, job('j', 'acme', [task('t1'), task('t2'), task('t3')]));
    expect(placements(schedule(state, T0).assignments)).toEqual({ t1: 'b' });
    addOnlineNode(state, nodeSpec('c', { cpu: 1 }), T0);
    addOnlineNode(state, nodeSpec('d', { cpu: 1, dedicated: 'acme' }), T0);
    expect(placements(schedule(state, T0).assignments)).toEqual({ t2: 'd', t3: 'c' });
    checkInvariants(state);
  });

  it('places again on a node brought back to active', () => {
    const state = cluster([nodeSpec('n')]);
    setNodeAdminState(state, 'n', 'cordoned', T0);
    submit(state, job('j', 'acme', [task('t')]));
    expect(schedule(state, T0).assignments).toEqual([]);
    setNodeAdminState(state, 'n', 'active', T0);
    expect(schedule(state, T0).assignments).toHaveLength(1);
  });
});

describe('placement: order within a tenant', () => {
  it('higher priority first, then FIFO by submission, then order within the job', () => {
    const state = cluster([nodeSpec('n', { cpu: 1 })]);
    submit(state, job('low', 'acme', [task('low-1')], { priority: 10 }));
    submit(state, job('first', 'acme', [task('f1'), task('f2')], { priority: 60 }));
    submit(state, job('second', 'acme', [task('s1')], { priority: 60 }));
    submit(state, job('urgent', 'acme', [task('u1')], { priority: 100 }));
    const order: string[] = [];
    for (let round = 0; round < 5; round++) {
      const [a] = schedule(state, T0).assignments;
      order.push(a!.taskId);
      succeed(state, a!);
    }
    expect(order).toEqual(['u1', 'f1', 'f2', 's1', 'low-1']);
  });

  it('does not let a big task at the head block smaller ones behind it (no head-of-line blocking)', () => {
    const state = cluster([nodeSpec('n', { gpus: 2 })]);
    submit(state, job('big', 'acme', [task('big', { gpus: 4 })], { priority: 100 }));
    submit(state, job('small', 'acme', [task('small', { gpus: 1 })], { priority: 1 }));
    expect(placements(schedule(state, T0).assignments)).toEqual({ small: 'n' });
  });
});

describe('placement: eligibility', () => {
  it('places a task only once all its deps have succeeded', () => {
    const state = cluster([nodeSpec('n', { cpu: 8 })]);
    submit(state, job('j', 'acme', [task('a'), task('b'), task('c', {}, ['a', 'b'])]));
    const first = schedule(state, T0).assignments;
    expect(first.map((a) => a.taskId).sort()).toEqual(['a', 'b']);
    succeed(state, first[0]!);
    expect(schedule(state, T0).assignments).toEqual([]);
    succeed(state, first[1]!);
    expect(schedule(state, T0).assignments.map((a) => a.taskId)).toEqual(['c']);
    checkInvariants(state);
  });

  it('marks the job running on its first placement', () => {
    const state = cluster([nodeSpec('n')]);
    submit(state, job('j', 'acme', [task('a')]));
    const { events } = schedule(state, T0);
    expect(events).toContainEqual({ type: 'job-state', jobId: 'j', state: 'running' });
  });

  it('assigns with epoch, lease and attempt, and reports the events to persist', () => {
    const state = cluster([nodeSpec('n', { gpus: 1 })], { leaseMs: 30_000 });
    submit(state, job('j', 'acme', [task('a', { gpus: 1, cpuSlots: 2 })]));
    const { assignments, events } = schedule(state, T0 + 7);
    const expected: Assignment = {
      taskId: 'a',
      jobId: 'j',
      tenantId: 'acme',
      nodeId: 'n',
      epoch: 1,
      gpuIndices: [0],
      cpuSlots: 2,
      leaseMs: 30_000,
      leaseExpiresAt: T0 + 7 + 30_000,
      attempt: 1,
    };
    expect(assignments).toEqual([expected]);
    expect(events).toContainEqual({ type: 'task-assigned', assignment: expected });
    expect(getTask(state, 'a')!.state).toBe('assigned');
  });

  it('stops at once when nothing is free, however long the queue', () => {
    const state = cluster([nodeSpec('n', { cpu: 1 })]);
    submit(
      state,
      job(
        'j',
        'acme',
        Array.from({ length: 50 }, (_, i) => task(`t${i}`)),
      ),
    );
    expect(schedule(state, T0).assignments).toHaveLength(1);
    const second = schedule(state, T0);
    expect(second.assignments).toEqual([]);
    expect(second.readyLeft).toBe(49);
  });

  it('keeps shapes that found no node this round for the next round', () => {
    const state = cluster([nodeSpec('n', { gpus: 1, cpu: 4 })]);
    submit(state, job('j', 'acme', [task('g1', { gpus: 1 }), task('g2', { gpus: 1 }), task('c1')]));
    const first = schedule(state, T0).assignments;
    expect(first.map((a) => a.taskId)).toEqual(['g1', 'c1']);
    succeed(state, first[0]!);
    expect(schedule(state, T0).assignments.map((a) => a.taskId)).toEqual(['g2']);
    checkInvariants(state);
  });
});
