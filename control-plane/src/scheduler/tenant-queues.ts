// Where ready work lives: one record per tenant, and per tenant one queue per "shape" (a
// distinct set of requirements). Tasks of a shape are interchangeable for placement, which is
// what lets a round stop looking at a whole shape once no node can take it.
import type { EntityId } from '@enclave/contracts';
import { IndexedHeap } from './indexed-heap.ts';
import type { SchedulerState, ShapeQueue, TaskRecord, TenantRecord } from './scheduler-state.ts';
import type { TaskRequirements } from './types.ts';

/** Priority first (higher first), then submission order, then order within the job. */
export function taskBefore(a: TaskRecord, b: TaskRecord): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.ordinal < b.ordinal;
}

export function delayedBefore(a: TaskRecord, b: TaskRecord): boolean {
  return a.notBefore !== b.notBefore ? a.notBefore < b.notBefore : taskBefore(a, b);
}

function shapeBefore(a: ShapeQueue, b: ShapeQueue): boolean {
  return taskBefore(a.tasks.peek()!, b.tasks.peek()!);
}

export function tenantOf(state: SchedulerState, tenantId: EntityId): TenantRecord {
  let tenant = state.tenants.get(tenantId);
  if (tenant === undefined) {
    tenant = {
      id: tenantId,
      weight: 1,
      gpusHeld: 0,
      cpuHeld: 0,
      lastServed: -1,
      shapes: new Map(),
      shapeHeap: new IndexedHeap(shapeBefore),
      heapIndex: -1,
    };
    state.tenants.set(tenantId, tenant);
  }
  return tenant;
}

export function shapeKey(requirements: TaskRequirements): string {
  const { gpus, minVramMb, cpuSlots, cpuCapable, tags } = requirements;
  return JSON.stringify([gpus, gpus > 0 ? minVramMb : 0, cpuSlots, gpus > 0 && cpuCapable, tags]);
}

export function shapeOf(tenant: TenantRecord, requirements: TaskRequirements): ShapeQueue {
  const key = shapeKey(requirements);
  let shape = tenant.shapes.get(key);
  if (shape === undefined) {
    shape = {
      key,
      tenant,
      requirements,
      tasks: new IndexedHeap(taskBefore),
      round: -1,
      gpuCursor: 0,
      cpuCursor: 0,
      ordersVersion: -1,
      gpuOrder: null,
      cpuOrder: null,
      heapIndex: -1,
    };
    tenant.shapes.set(key, shape);
  }
  return shape;
}
