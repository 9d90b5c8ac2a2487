// The command language of the random-sequence property test: what a sequence can do to the
// scheduler, how a command picks its target at run time, and an event follower that plays the
// persistence layer (it must be able to track live assignments from the events alone).
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  getJob,
  listNodes,
  onAccepted,
  onFailed,
  onProgress,
  onSucceeded,
  type SchedulerEvent,
  type SchedulerState,
} from '../../src/scheduler/index.ts';
import type { AssignmentRecord } from '../../src/scheduler/scheduler-state.ts';
import { jobShapeArb, type JobShape } from './arbitraries.ts';

export type Command =
  | { readonly kind: 'submit'; readonly job: JobShape }
  | { readonly kind: 'resubmit'; readonly pick: number; readonly change: boolean }
  | { readonly kind: 'schedule' }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'report'; readonly what: ReportKind; readonly pick: number }
  | { readonly kind: 'stale'; readonly what: ReportKind; readonly pick: number }
  | {
      readonly kind: 'heartbeat';
      readonly node: number;
      readonly drop: number;
      readonly agent: 'ready' | 'draining';
    }
  | { readonly kind: 'tick' }
  | { readonly kind: 'lost'; readonly node: number }
  | {
      readonly kind: 'admin';
      readonly node: number;
      readonly to: 'active' | 'cordoned' | 'draining';
      readonly evict: boolean;
    }
  | { readonly kind: 'cancelJob'; readonly pick: number }
  | { readonly kind: 'cancelTask'; readonly pick: number }
  | { readonly kind: 'blocklist'; readonly pick: number; readonly node: number; readonly add: boolean };

export type ReportKind = 'accept' | 'progress' | 'succeed' | 'soft' | 'hard';
const what: fc.Arbitrary<ReportKind> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('accept' as const) },
  { weight: 1, arbitrary: fc.constant('progress' as const) },
  { weight: 4, arbitrary: fc.constant('succeed' as const) },
  { weight: 3, arbitrary: fc.constant('soft' as const) },
  { weight: 1, arbitrary: fc.constant('hard' as const) },
);

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: jobShapeArb.map((job) => ({ kind: 'submit' as const, job })) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('resubmit' as const), pick: fc.nat(), change: fc.boolean() }),
  },
  { weight: 5, arbitrary: fc.constant({ kind: 'schedule' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(30_000, 45_000)),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('report' as const), what, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stale' as const), what, pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('heartbeat' as const),
      node: fc.nat(),
      drop: fc.nat({ max: 3 }),
      agent: fc.constantFrom<'ready' | 'draining'>('ready', 'ready', 'ready', 'draining'),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lost' as const), node: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('admin' as const),
      node: fc.nat(),
      to: fc.constantFrom<'active' | 'cordoned' | 'draining'>('active', 'active', 'cordoned', 'draining'),
      evict: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelJob' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelTask' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('blocklist' as const),
      pick: fc.nat(),
      node: fc.nat(),
      add: fc.boolean(),
    }),
  },
);

/** How often each kind of event was seen across all runs: proof the sequences reach deep states. */
export const coverage = new Map<string, number>();

function coverageKey(event: SchedulerEvent): string {
  if (event.type === 'task-state') return `task:${event.state}:${event.cause}`;
  if (event.type === 'cancel-order') return `cancel:${event.body.reason}`;
  if (event.type === 'blocklist-changed') return `blocklist:${event.by}`;
  if (event.type === 'job-state') return `job:${event.state}`;
  return event.type;
}

/** What a persistence layer following only the events would believe is live. */
export class EventFollower {
  readonly live = new Map<string, { epoch: number; nodeId: string }>();
  readonly lastEpoch = new Map<string, number>();

  apply(events: readonly SchedulerEvent[]): void {
    for (const event of events) {
      coverage.set(coverageKey(event), (coverage.get(coverageKey(event)) ?? 0) + 1);
      if (event.type === 'task-assigned') {
        const { taskId, epoch, nodeId } = event.assignment;
        expect(this.live.has(taskId), `second live assignment of ${taskId}`).toBe(false);
        expect(epoch, `epoch of ${taskId} must grow`).toBeGreaterThan(this.lastEpoch.get(taskId) ?? 0);
        this.live.set(taskId, { epoch, nodeId });
        this.lastEpoch.set(taskId, epoch);
      } else if (event.type === 'task-state' && event.state !== 'assigned' && event.state !== 'running') {
        this.live.delete(event.taskId);
      }
    }
  }

  matches(state: SchedulerState): void {
    const actual = new Map<string, { epoch: number; nodeId: string }>();
    for (const node of state.nodes.values()) {
      for (const a of node.assignments.values()) actual.set(a.task.id, { epoch: a.epoch, nodeId: node.id });
    }
    expect(new Map([...this.live].sort())).toEqual(new Map([...actual].sort()));
  }
}

export function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

export function liveAssignments(state: SchedulerState): AssignmentRecord[] {
  return [...state.nodes.values()]
    .flatMap((node) => [...node.assignments.values()])
    .sort((a, b) => (a.task.id < b.task.id ? -1 : 1));
}

/** Everything observable about tasks, jobs and node capacity. */
export function snapshot(state: SchedulerState): string {
  return JSON.stringify({
    jobs: [...state.jobs.keys()].map((id) => getJob(state, id)),
    nodes: listNodes(state),
  });
}

export function report(
  state: SchedulerState,
  kind: string,
  ref: { nodeId: string; taskId: string; epoch: number },
  now: number,
) {
  switch (kind) {
    case 'accept':
      return onAccepted(state, ref, now);
    case 'progress':
      return onProgress(state, { ...ref, fraction: 0.5 }, now);
    case 'succeed':
      return onSucceeded(state, ref, now);
    case 'soft':
      return onFailed(state, { ...ref, failure: 'soft', code: 'RESOURCES_EXHAUSTED' }, now);
    default:
      return onFailed(state, { ...ref, failure: 'hard', code: 'STEP_FAILED' }, now);
  }
}
