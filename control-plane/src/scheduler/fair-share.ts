// Weighted fair share across tenants: weighted Dominant Resource Fairness (DRF).
//
//   share(t) = max(gpusHeld(t) / clusterGpus, cpuHeld(t) / clusterCpuSlots) / weight(t)
//
// Each placement goes to the tenant with the lowest share that still has placeable work; ties
// go to the tenant served least recently (then tenant id). "Dominant" because a tenant running
// CPU-heavy encodes and one running GPU renders are compared on the resource each uses most.
// Held = live assignments; the cluster is every live, unrevoked node (a cordoned node's work
// still counts towards its tenant's share).
import { ContractError, ErrorCode, type EntityId } from '@enclave/contracts';
import { tenantOf } from './tenant-queues.ts';
import type { SchedulerState, TenantRecord } from './scheduler-state.ts';
import { isSchedulable } from './scheduler-state.ts';

export interface ClusterTotals {
  readonly gpus: number;
  readonly cpuSlots: number;
  /** Free on schedulable nodes; placement decrements these as it goes. */
  freeGpus: number;
  freeCpu: number;
}

export function clusterTotals(state: SchedulerState): ClusterTotals {
  let gpus = 0;
  let cpuSlots = 0;
  let freeGpus = 0;
  let freeCpu = 0;
  for (const node of state.nodes.values()) {
    if (!node.live || node.admin === 'revoked') continue;
    gpus += node.gpus.length;
    cpuSlots += node.cpuSlots;
    if (!isSchedulable(node)) continue;
    freeGpus += node.freeGpus;
    freeCpu += node.cpuSlots - node.cpuUsed;
  }
  return { gpus, cpuSlots, freeGpus, freeCpu };
}

export function weightedShare(tenant: TenantRecord, totals: ClusterTotals): number {
  const gpuShare = totals.gpus > 0 ? tenant.gpusHeld / totals.gpus : 0;
  const cpuShare = totals.cpuSlots > 0 ? tenant.cpuHeld / totals.cpuSlots : 0;
  return Math.max(gpuShare, cpuShare) / tenant.weight;
}

/** The order tenants are served in during one round (totals are fixed for the round). */
export function tenantBefore(totals: ClusterTotals): (a: TenantRecord, b: TenantRecord) => boolean {
  return (a, b) => {
    const shareA = weightedShare(a, totals);
    const shareB = weightedShare(b, totals);
    if (shareA !== shareB) return shareA < shareB;
    if (a.lastServed !== b.lastServed) return a.lastServed < b.lastServed;
    return a.id < b.id;
  };
}

/** A tenant with weight 2 is entitled to twice the share of a tenant with weight 1. */
export function setTenantWeight(state: SchedulerState, tenantId: EntityId, weight: number): void {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1000) {
    throw new ContractError(
      ErrorCode.VALIDATION_FAILED,
      'Tenant weight must be a number above 0 and at most 1000.',
      [{ path: 'weight', message: 'must be > 0 and ≤ 1000' }],
    );
  }
  tenantOf(state, tenantId).weight = weight;
}
