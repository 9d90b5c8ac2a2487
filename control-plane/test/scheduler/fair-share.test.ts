import { ContractError } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  clusterTotals,
  onSucceeded,
  schedule,
  setTenantWeight,
  weightedShare,
  type Assignment,
} from '../../src/scheduler/index.ts';
import { T0, cluster, job, nodeSpec, submit, task } from './fixtures.ts';

function countBy(assignments: readonly Assignment[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of assignments) counts[a.tenantId] = (counts[a.tenantId] ?? 0) + 1;
  return counts;
}

describe('weighted fair share (DRF)', () => {
  it('splits a cluster evenly between equal tenants whatever their backlog or priorities', () => {
    const state = cluster([nodeSpec('n', { cpu: 10 })]);
    submit(
      state,
      job(
        'a',
        'acme',
        Array.from({ length: 100 }, (_, i) => task(`a${i}`)),
        { priority: 100 },
      ),
    );
    submit(
      state,
      job(
        'g',
        'globex',
        Array.from({ length: 3 }, (_, i) => task(`g${i}`)),
        { priority: 0 },
      ),
    );
    submit(
      state,
      job(
        'i',
        'initech',
        Array.from({ length: 100 }, (_, i) => task(`i${i}`)),
        { priority: 50 },
      ),
    );
    expect(countBy(schedule(state, T0).assignments)).toEqual({ acme: 4, globex: 3, initech: 3 });
  });

  it('serves tenants in proportion to their weights', () => {
    const state = cluster([nodeSpec('n', { cpu: 12 })]);
    setTenantWeight(state, 'acme', 3);
    submit(
      state,
      job(
        'a',
        'acme',
        Array.from({ length: 50 }, (_, i) => task(`a${i}`)),
      ),
    );
    submit(
      state,
      job(
        'g',
        'globex',
        Array.from({ length: 50 }, (_, i) => task(`g${i}`)),
      ),
    );
    expect(countBy(schedule(state, T0).assignments)).toEqual({ acme: 9, globex: 3 });
  });

  it('compares tenants on their dominant resource', () => {
    // 4 GPUs, 40 CPU slots. acme runs one 2-GPU task (GPU share 0.5); globex's 10 one-slot
    // tasks are a CPU share of 0.25, so globex still goes first after them.
    const state = cluster([nodeSpec('n', { gpus: 4, cpu: 40 })]);
    submit(state, job('a0', 'acme', [task('a0', { gpus: 2 })]));
    schedule(state, T0);
    submit(
      state,
      job(
        'g',
        'globex',
        Array.from({ length: 10 }, (_, i) => task(`g${i}`)),
      ),
    );
    submit(state, job('a1', 'acme', [task('a1')]));
    const totals = clusterTotals(state);
    expect(weightedShare(state.tenants.get('acme')!, totals)).toBe(0.5);
    const order = schedule(state, T0).assignments.map((a) => a.taskId);
    expect(order.indexOf('a1')).toBe(10);
  });

  it('breaks ties by serving the tenant served least recently', () => {
    const state = cluster([nodeSpec('n', { cpu: 1 })]);
    submit(state, job('a', 'acme', [task('a1'), task('a2')]));
    submit(state, job('b', 'bravo', [task('b1'), task('b2')]));
    const served: string[] = [];
    for (let round = 0; round < 4; round++) {
      const [a] = schedule(state, T0).assignments;
      served.push(a!.tenantId);
      onSucceeded(state, { nodeId: a!.nodeId, taskId: a!.taskId, epoch: a!.epoch }, T0);
    }
    expect(served).toEqual(['acme', 'bravo', 'acme', 'bravo']);
  });

  it('a tenant whose work does not fit does not hold up the others', () => {
    const state = cluster([nodeSpec('n', { gpus: 1, cpu: 4 })]);
    submit(state, job('a', 'acme', [task('huge', { gpus: 8 })]));
    submit(state, job('b', 'bravo', [task('b1'), task('b2')]));
    expect(countBy(schedule(state, T0).assignments)).toEqual({ bravo: 2 });
  });

  it('refuses weights that are not positive', () => {
    const state = cluster([]);
    expect(() => setTenantWeight(state, 'acme', 0)).toThrow(ContractError);
    expect(() => setTenantWeight(state, 'acme', Number.NaN)).toThrow(ContractError);
  });
});
