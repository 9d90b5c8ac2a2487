// Random command sequences over random clusters. After every command the invariants hold:
// never two live assignments of a task, capacity (GPUs, VRAM, CPU) never exceeded, no task runs
// before its deps succeeded, stale-epoch reports change nothing, idempotent submission never
// duplicates — and the event stream alone is enough to follow which assignment is live. At the
// end of each sequence a restart from the snapshot must be indistinguishable from no restart.
import { ContractError, ErrorCode, type LeaseRef } from '@enclave/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cancelJob,
  cancelTask,
  createSchedulerState,
  markNodeLost,
  nodeHeartbeat,
  registerNode,
  schedule,
  setBlocklist,
  setNodeAdminState,
  submitJob,
  tick,
  exportState,
  importState,
  type NodeSpec,
  type SchedulerSnapshot,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import { TENANTS, clusterArb, toSubmission, type JobShape } from './arbitraries.ts';
import {
  EventFollower,
  commandArb,
  coverage,
  liveAssignments,
  pick,
  report,
  snapshot,
  type Command,
} from './commands.ts';
import { T0, checkInvariants } from './fixtures.ts';

const CONFIG = {
  leaseMs: 30_000,
  nodeLostAfterMs: 40_000,
  missingLeaseGraceMs: 5_000,
  backoffBaseMs: 1_000,
  maxAttempts: 3,
  blocklistAfterFailures: 2,
};

/**
 * A restart: the state goes through its snapshot (and JSON, as it would through a store) and
 * the restored scheduler must hold the same state and make the same next decisions.
 */
function restartEquivalent(state: SchedulerState, now: number): void {
  const saved = exportState(state);
  const restored = importState(JSON.parse(JSON.stringify(saved)) as SchedulerSnapshot, CONFIG, now);
  checkInvariants(restored);
  expect(exportState(restored)).toEqual(saved);
  expect(snapshot(restored)).toBe(snapshot(state));
  expect(tick(restored, now + 40_000)).toEqual(tick(state, now + 40_000));
  expect(schedule(restored, now + 40_000)).toEqual(schedule(state, now + 40_000));
  expect(exportState(restored)).toEqual(exportState(state));
}

function run(nodes: readonly NodeSpec[], commands: readonly Command[]): void {
  const state = createSchedulerState(CONFIG);
  const follower = new EventFollower();
  for (const spec of nodes) follower.apply(registerNode(state, spec).events);
  let now = T0;
  for (const spec of nodes)
    follower.apply(nodeHeartbeat(state, spec.id, { state: 'ready', leases: [] }, now).events);
  let serial = 0;
  const submitted: { job: JobShape; jobId: string }[] = [];
  const keys = new Map<string, string>();

  for (const command of commands) {
    switch (command.kind) {
      case 'submit': {
        const submission = toSubmission(command.job, serial++);
        const slot = `${submission.tenantId}/${submission.idempotencyKey}`;
        const jobsBefore = state.jobs.size;
        try {
          const result = submitJob(state, submission, now);
          follower.apply(result.events);
          if (keys.has(slot)) expect(result).toMatchObject({ jobId: keys.get(slot), created: false });
          else expect(result.created).toBe(true);
          keys.set(slot, result.jobId);
          submitted.push({ job: command.job, jobId: result.jobId });
        } catch (error) {
          // Only a reused key with other content may be refused.
          expect((error as ContractError).code).toBe(ErrorCode.CONFLICT);
          expect(keys.has(slot)).toBe(true);
        }
        expect(state.jobs.size).toBe(jobsBefore + (keys.size > jobsBefore ? 1 : 0));
        expect(state.jobs.size).toBe(keys.size);
        break;
      }
      case 'resubmit': {
        const previous = pick(submitted, command.pick);
        if (previous === undefined) break;
        const job: JobShape = command.change
          ? { ...previous.job, priority: (previous.job.priority + 1) % 101 }
          : previous.job;
        const before = snapshot(state);
        try {
          const result = submitJob(state, toSubmission(job, serial++), now);
          expect(command.change).toBe(false);
          expect(result).toEqual({ jobId: previous.jobId, created: false, events: [] });
        } catch (error) {
          expect(command.change).toBe(true);
          expect((error as ContractError).code).toBe(ErrorCode.CONFLICT);
        }
        expect(snapshot(state)).toBe(before);
        break;
      }
      case 'schedule':
        follower.apply(schedule(state, now).events);
        break;
      case 'advance':
        now += command.ms;
        break;
      case 'report': {
        const a = pick(liveAssignments(state), command.pick);
        if (a === undefined) break;
        const outcome = report(
          state,
          command.what,
          { nodeId: a.node.id, taskId: a.task.id, epoch: a.epoch },
          now,
        );
        expect(['applied', 'ignored']).toContain(outcome.status);
        if (outcome.status === 'applied') follower.apply(outcome.events);
        break;
      }
      case 'stale': {
        const task = pick([...state.tasks.values()], command.pick);
        if (task === undefined) break;
        const epoch = task.epoch > 1 ? task.epoch - 1 : task.epoch + 1;
        const nodeId = task.assignment?.node.id ?? nodes[0]!.id;
        const before = snapshot(state);
        const outcome = report(state, command.what, { nodeId, taskId: task.id, epoch }, now);
        expect(outcome).toEqual({ status: 'stale-epoch-dropped', currentEpoch: task.epoch });
        expect(snapshot(state)).toBe(before);
        break;
      }
      case 'heartbeat': {
        const node = pick([...state.nodes.values()], command.node)!;
        const leases: LeaseRef[] = [...node.assignments.values(), ...node.retiring]
          .map((a) => ({ taskId: a.task.id, epoch: a.epoch }))
          .filter((_, i) => command.drop === 0 || i % (command.drop + 1) !== 0);
        follower.apply(nodeHeartbeat(state, node.id, { state: command.agent, leases }, now).events);
        break;
      }
      case 'tick':
        follower.apply(tick(state, now).events);
        break;
      case 'lost':
        follower.apply(markNodeLost(state, pick([...state.nodes.keys()], command.node)!, now).events);
        break;
      case 'admin': {
        const nodeId = pick([...state.nodes.keys()], command.node)!;
        follower.apply(setNodeAdminState(state, nodeId, command.to, now, { evict: command.evict }).events);
        break;
      }
      case 'cancelJob': {
        const job = pick([...state.jobs.keys()], command.pick);
        if (job !== undefined) follower.apply(cancelJob(state, job, now).events);
        break;
      }
      case 'cancelTask': {
        const task = pick([...state.tasks.keys()], command.pick);
        if (task !== undefined) follower.apply(cancelTask(state, task, now).events);
        break;
      }
      case 'blocklist': {
        const job = pick([...state.jobs.keys()], command.pick);
        const nodeId = pick([...state.nodes.keys()], command.node)!;
        if (job !== undefined)
          setBlocklist(state, job, command.add ? { add: [nodeId] } : { remove: [nodeId] });
        break;
      }
    }
    checkInvariants(state);
    follower.matches(state);
  }
  restartEquivalent(state, now);
}

describe('scheduler invariants under random command sequences', () => {
  it('hold after every command', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(commandArb, { minLength: 20, maxLength: 120 }), (nodes, commands) => {
        run(nodes, commands);
      }),
      { numRuns: 400 },
    );
    // The sequences must reach deep states, or the invariants above would hold vacuously.
    for (const key of [
      'task-assigned',
      'task:running:accepted',
      'task:succeeded:succeeded',
      'task:queued:soft-failure',
      'task:queued:node-lost',
      'cancel:lease-expired',
      'cancel:user-cancelled',
    ]) {
      expect(coverage.get(key) ?? 0, key).toBeGreaterThan(5);
    }
  });

  it('the generators reach the interesting states (sanity check of the property above)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(clusterArb, fc.array(commandArb, { minLength: 40, maxLength: 80 }), (nodes, commands) => {
        const state = createSchedulerState({ backoffBaseMs: 1_000 });
        for (const spec of nodes) {
          registerNode(state, spec);
          nodeHeartbeat(state, spec.id, { state: 'ready', leases: [] }, T0);
        }
        let serial = 0;
        for (const command of commands) {
          if (command.kind === 'submit') {
            try {
              submitJob(state, toSubmission(command.job, serial++), T0);
            } catch (error) {
              if (!(error instanceof ContractError)) throw error;
            }
          }
          if (command.kind === 'schedule') schedule(state, T0);
        }
        for (const task of state.tasks.values()) {
          seen.add(`task:${task.state}`);
          if (task.assignment && task.assignment.gpus.length === 0 && task.requirements.gpus > 0)
            seen.add('cpu-fallback');
        }
      }),
      { numRuns: 100 },
    );
    expect(seen).toContain('task:assigned');
    expect(seen).toContain('task:queued');
    expect(seen).toContain('cpu-fallback');
    expect(TENANTS.length).toBeGreaterThan(1);
  });
});
