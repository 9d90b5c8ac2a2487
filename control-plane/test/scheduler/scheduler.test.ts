// The facade end to end with a hand-driven clock: a DAG job through assignment, acceptance,
// a lost node, the retry, success and the dependents, as the NestJS service will drive it.
import { describe, expect, it } from 'vitest';
import { Scheduler, type SchedulerEvent } from '../../src/scheduler/index.ts';
import { T0, checkInvariants, nodeSpec, task } from './fixtures.ts';

class ManualClock {
  time = T0;
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const types = (events: readonly SchedulerEvent[]) => events.map((e) => e.type);

describe('Scheduler facade', () => {
  it('runs a DAG job through a node loss to success', () => {
    const clock = new ManualClock();
    const scheduler = new Scheduler({ clock, config: { leaseMs: 30_000, nodeLostAfterMs: 20_000 } });
    for (const id of ['gpu-a', 'gpu-b']) {
      scheduler.registerNode(nodeSpec(id, { gpus: 1, cpu: 4 }));
      scheduler.nodeHeartbeat(id, { state: 'ready', leases: [] });
    }
    const submitted = scheduler.submitJob({
      jobId: 'ad-42',
      tenantId: 'acme',
      priority: 70,
      idempotencyKey: 'req-1',
      tasks: [task('render', { gpus: 1, minVramMb: 8_000 }), task('mux', { cpuSlots: 1 }, ['render'])],
    });
    expect(submitted.created).toBe(true);

    const first = scheduler.schedule().assignments;
    expect(first.map((a) => [a.taskId, a.nodeId, a.epoch])).toEqual([['render', 'gpu-a', 1]]);
    expect(scheduler.onAccepted({ nodeId: 'gpu-a', taskId: 'render', epoch: 1 }).status).toBe('applied');

    // gpu-a goes silent; gpu-b keeps heartbeating.
    clock.advance(15_000);
    scheduler.nodeHeartbeat('gpu-b', { state: 'ready', leases: [] });
    clock.advance(5_000);
    const lost = scheduler.tick().events;
    expect(types(lost)).toEqual(['node-state', 'cancel-order', 'task-state']);
    expect(scheduler.getNode('gpu-a')!.status).toBe('offline');

    const retry = scheduler.schedule().assignments;
    expect(retry.map((a) => [a.taskId, a.nodeId, a.epoch, a.attempt])).toEqual([['render', 'gpu-b', 2, 2]]);
    // The zombie on gpu-a finishes late: fenced.
    expect(scheduler.onSucceeded({ nodeId: 'gpu-a', taskId: 'render', epoch: 1 }).status).toBe(
      'stale-epoch-dropped',
    );
    expect(scheduler.onSucceeded({ nodeId: 'gpu-b', taskId: 'render', epoch: 2 }).status).toBe('applied');

    const mux = scheduler.schedule().assignments;
    expect(mux.map((a) => a.taskId)).toEqual(['mux']);
    const done = scheduler.onSucceeded({ nodeId: mux[0]!.nodeId, taskId: 'mux', epoch: 1 });
    expect(done.status === 'applied' && done.events).toContainEqual({
      type: 'job-state',
      jobId: 'ad-42',
      state: 'succeeded',
    });
    expect(scheduler.getJob('ad-42')!.state).toBe('succeeded');
    expect(scheduler.getTask('render')).toMatchObject({ attempts: 2, failures: 1, epoch: 2 });
    checkInvariants(scheduler.state);
  });

  it('exposes queue stats, nodes, blocklists and weights', () => {
    const clock = new ManualClock();
    const scheduler = new Scheduler({ clock });
    scheduler.registerNode(nodeSpec('n1'));
    scheduler.setTenantWeight('acme', 2);
    scheduler.submitJob({
      jobId: 'j',
      tenantId: 'acme',
      priority: 1,
      idempotencyKey: 'k',
      tasks: [task('t')],
    });
    expect(scheduler.queueStats()).toEqual([
      { tenantId: 'acme', weight: 2, ready: 1, gpusHeld: 0, cpuHeld: 0 },
    ]);
    expect(scheduler.listNodes().map((n) => n.status)).toEqual(['offline']);
    expect(scheduler.setBlocklist('j', { add: ['n1'] }).changed).toBe(true);
    expect(scheduler.getBlocklist('j').blocked).toEqual(['n1']);
    expect(scheduler.cancelTask('t').changed).toBe(true);
    expect(scheduler.cancelJob('j').changed).toBe(false);
    scheduler.forgetJob('j');
    expect(scheduler.getJob('j')).toBeUndefined();
  });
});
