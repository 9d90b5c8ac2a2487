// No starvation, stated precisely. Let K be the number of tenants. Call a round "hungry" for
// tenant T when, at its start, T holds nothing and has a ready task that fits the free
// capacity of some schedulable node (tags, dedication, GPUs with enough VRAM, CPU slots).
// Claim: between two placements for T there are at most K-1 hungry rounds for T in which T
// gets nothing. Why: in a hungry round T's share is 0, so only tenants with share 0 and an
// older (or tied, lower-id) last service come before T; if none of them places anything, the
// capacity T fits is untouched when T's turn comes and T places. Each tenant that does place
// ahead of T moves behind T until T is served, so that happens at most K-1 times.
// Completions and arrivals are random, so the cluster is rarely idle or full.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSchedulerState,
  nodeHeartbeat,
  onSucceeded,
  registerNode,
  schedule,
  setTenantWeight,
  submitJob,
  type NodeSpec,
} from '../../src/scheduler/index.ts';
import type { NodeRecord, SchedulerState, TaskRecord } from '../../src/scheduler/scheduler-state.ts';
import { TENANTS, clusterArb, jobShapeArb, toSubmission, type JobShape } from './arbitraries.ts';
import { T0, checkInvariants } from './fixtures.ts';

/** An independent statement of "fits the free capacity now", written apart from capacity.ts. */
function fitsFreeSomewhere(state: SchedulerState, task: TaskRecord): boolean {
  const req = task.requirements;
  const tenant = task.job.tenant.id;
  const fits = (node: NodeRecord): boolean => {
    if (node.admin !== 'active' || !node.live || node.agentState !== 'ready') return false;
    if (node.dedicatedTenant !== undefined && node.dedicatedTenant !== tenant) return false;
    if (!req.tags.every((tag) => node.spec.capabilities.tags.includes(tag))) return false;
    if (node.cpuSlots - node.cpuUsed < req.cpuSlots) return false;
    const freeBig = node.gpus.filter((gpu) => gpu.holder === null && gpu.vramMb >= req.minVramMb).length;
    return req.gpus === 0 || freeBig >= req.gpus || req.cpuCapable;
  };
  return [...state.nodes.values()].some(fits);
}

function hungryTenants(state: SchedulerState, now: number): Set<string> {
  const hungry = new Set<string>();
  for (const task of state.tasks.values()) {
    const tenant = task.job.tenant;
    if (hungry.has(tenant.id) || tenant.gpusHeld > 0 || tenant.cpuHeld > 0) continue;
    if (task.state !== 'queued' || task.pendingDeps > 0 || task.notBefore > now) continue;
    if (fitsFreeSomewhere(state, task)) hungry.add(tenant.id);
  }
  return hungry;
}

interface Round {
  readonly arrivals: readonly JobShape[];
  /** Each live assignment finishes before the round with this probability (in percent). */
  readonly finishPct: number;
  readonly seed: number;
}

const roundArb: fc.Arbitrary<Round> = fc.record({
  arrivals: fc.array(jobShapeArb, { maxLength: 3 }),
  finishPct: fc.integer({ min: 0, max: 100 }),
  seed: fc.nat(),
});

/** The longest wait seen across all runs: shows the bound is reached, not vacuous. */
let worst = 0;

function simulate(nodes: readonly NodeSpec[], weights: readonly number[], rounds: readonly Round[]): void {
  const state = createSchedulerState();
  weights.forEach((weight, i) => setTenantWeight(state, TENANTS[i]!, weight));
  for (const spec of nodes) {
    registerNode(state, spec);
    nodeHeartbeat(state, spec.id, { state: 'ready', leases: [] }, T0);
  }
  const unservedHungry = new Map<string, number>(TENANTS.map((t) => [t, 0]));
  let serial = 0;
  const now = T0;
  for (const round of rounds) {
    let coin = round.seed;
    for (const node of state.nodes.values()) {
      for (const a of [...node.assignments.values()]) {
        coin = (coin * 1103515245 + 12345) % 2 ** 31;
        if (coin % 100 < round.finishPct)
          onSucceeded(state, { nodeId: node.id, taskId: a.task.id, epoch: a.epoch }, now);
      }
    }
    for (const arrival of round.arrivals) {
      submitJob(state, toSubmission({ ...arrival, key: serial }, serial), now);
      serial++;
    }
    const hungry = hungryTenants(state, now);
    const served = new Set(schedule(state, now).assignments.map((a) => a.tenantId));
    for (const tenant of TENANTS) {
      if (served.has(tenant)) unservedHungry.set(tenant, 0);
      else if (hungry.has(tenant)) unservedHungry.set(tenant, unservedHungry.get(tenant)! + 1);
      const waited = unservedHungry.get(tenant)!;
      worst = Math.max(worst, waited);
      expect(waited, `${tenant} starved`).toBeLessThanOrEqual(TENANTS.length - 1);
    }
    checkInvariants(state);
  }
}

describe('no tenant is starved', () => {
  it(`a hungry tenant is served within ${TENANTS.length - 1} hungry rounds of going unserved`, () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: TENANTS.length, maxLength: TENANTS.length }),
        fc.array(roundArb, { minLength: 5, maxLength: 40 }),
        (nodes, weights, rounds) => simulate(nodes, weights, rounds),
      ),
      { numRuns: 300 },
    );
    expect(worst).toBeGreaterThanOrEqual(1);
  });
});
