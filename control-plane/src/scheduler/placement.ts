// One placement round. The order is: weighted fair share across tenants (fair-share.ts), then
// within a tenant priority (high first), then submission order, then order within the job.
//
// Node choice is first-fit over a per-shape node order that is best-fit by capability: nodes
// dedicated to the tenant first; then, for GPU work, the smallest GPUs that are big enough and
// the nodes with fewest GPUs (so 80 GB cards and 8-GPU boxes stay free for work that needs
// them); for CPU work, CPU-only nodes before GPU nodes. Packing fills nodes in that order.
//
// Why it is fast: within a round capacity only shrinks, so a node that cannot take a shape now
// cannot take it later in the round. Each (tenant, shape) keeps a cursor into its node order
// that only moves forward, so a round costs O(nodes × shapes touched + placements × log n),
// whatever the backlog. A shape whose cursor reaches the end is parked until the next round;
// a task that fits only nodes it must avoid (its last failing node, its job's blocklist) is
// set aside for the round. The round stops as soon as no CPU slot is free (every task holds
// one) or no tenant has a placeable shape left.
import { allocate, couldEverFit, fitsNow, modesOf, type PlacementMode } from './capacity.ts';
import { clusterTotals, tenantBefore, type ClusterTotals } from './fair-share.ts';
import { IndexedHeap } from './indexed-heap.ts';
import { promoteDue, readyCount, refreshShape } from './ready-queue.ts';
import { hasBlocklist, isBlocked } from './scheduler-state.ts';
import type { NodeRecord, SchedulerState, ShapeQueue, TaskRecord, TenantRecord } from './scheduler-state.ts';
import { markJobRunning, taskEvent } from './task-lifecycle.ts';
import { TaskCause, TaskState, type Assignment, type ScheduleResult, type SchedulerEvent } from './types.ts';
import { assignmentView } from './views.ts';

interface Round {
  readonly state: SchedulerState;
  readonly number: number;
  readonly now: number;
  readonly totals: ClusterTotals;
  readonly parked: ShapeQueue[];
  readonly setAside: TaskRecord[];
}

type Lookup = { readonly node: NodeRecord; readonly mode: PlacementMode } | 'exhausted' | 'avoided';

export function schedule(state: SchedulerState, now: number): ScheduleResult {
  promoteDue(state, now);
  const totals = clusterTotals(state);
  const round: Round = { state, number: ++state.round, now, totals, parked: [], setAside: [] };
  const assignments: Assignment[] = [];
  const events: SchedulerEvent[] = [];
  const tenants = new IndexedHeap<TenantRecord>(tenantBefore(totals));
  for (const tenant of state.tenants.values()) if (tenant.shapeHeap.size > 0) tenants.push(tenant);
  try {
    while (totals.freeCpu > 0) {
      const tenant = tenants.pop();
      if (tenant === undefined) break;
      const placed = placeNextOf(round, tenant, events);
      if (placed !== null) {
        assignments.push(placed);
        tenant.lastServed = ++state.placementSeq;
      }
      if (tenant.shapeHeap.size > 0) tenants.push(tenant);
    }
  } finally {
    restore(round);
  }
  return { assignments, events, readyLeft: readyCount(state) };
}

/** Places the tenant's best placeable task, or returns null when it has none this round. */
function placeNextOf(round: Round, tenant: TenantRecord, events: SchedulerEvent[]): Assignment | null {
  for (let shape = tenant.shapeHeap.peek(); shape !== undefined; shape = tenant.shapeHeap.peek()) {
    if (shape.round !== round.number) {
      shape.round = round.number;
      shape.gpuCursor = 0;
      shape.cpuCursor = 0;
    }
    const task = shape.tasks.peek()!;
    const found = lookup(round, shape, task);
    if (found === 'exhausted') {
      tenant.shapeHeap.remove(shape);
      round.parked.push(shape);
      continue;
    }
    shape.tasks.pop();
    refreshShape(shape);
    if (found === 'avoided') {
      round.setAside.push(task);
      continue;
    }
    return assign(round, task, found.node, found.mode, events);
  }
  return null;
}

function lookup(round: Round, shape: ShapeQueue, task: TaskRecord): Lookup {
  const req = shape.requirements;
  const job = task.job;
  const avoids = task.excludedNode !== null || hasBlocklist(job);
  let avoided = false;
  for (const mode of modesOf(req)) {
    if (mode === 'gpu' && round.totals.freeGpus < req.gpus) continue;
    const order = nodeOrder(round.state, shape, mode);
    let cursor = mode === 'gpu' ? shape.gpuCursor : shape.cpuCursor;
    while (cursor < order.length && !fitsNow(order[cursor]!, req, mode)) cursor++;
    if (mode === 'gpu') shape.gpuCursor = cursor;
    else shape.cpuCursor = cursor;
    if (cursor === order.length) continue;
    if (!avoids) return { node: order[cursor]!, mode };
    // Rare path (a retry or a job with a blocklist): look past the nodes this task must avoid.
    for (let i = cursor; i < order.length; i++) {
      const node = order[i]!;
      if (i > cursor && !fitsNow(node, req, mode)) continue;
      if (node.id === task.excludedNode || isBlocked(job, node.id)) avoided = true;
      else return { node, mode };
    }
  }
  return avoided ? 'avoided' : 'exhausted';
}

function assign(
  round: Round,
  task: TaskRecord,
  node: NodeRecord,
  mode: PlacementMode,
  events: SchedulerEvent[],
): Assignment {
  const { state, now, totals } = round;
  const record = allocate(task, node, mode, now, state.config.leaseMs);
  totals.freeCpu -= record.cpuSlots;
  totals.freeGpus -= record.gpus.length;
  task.state = TaskState.Assigned;
  task.attempts++;
  task.excludedNode = null;
  task.progress = null;
  const assignment = assignmentView(record, state.config.leaseMs);
  events.push({ type: 'task-assigned', assignment });
  events.push(taskEvent(task, TaskCause.Assigned, { nodeId: node.id }));
  markJobRunning(task.job, events);
  return assignment;
}

/** Tasks set aside and shapes parked go back where the next round will find them. */
function restore(round: Round): void {
  for (const task of round.setAside) task.shape.tasks.push(task);
  for (const task of round.setAside) refreshShape(task.shape);
  for (const shape of round.parked) refreshShape(shape);
}

/**
 * Nodes that could ever take the shape for this tenant in this mode, best-fit first. Cached
 * until a node's capabilities change; whether a node is up, and how full, is checked live.
 * Tenants without dedicated nodes all see the same order (the shared pool), so they share it:
 * with 20 tenants that is most of the cost of a round after a topology change.
 */
function nodeOrder(state: SchedulerState, shape: ShapeQueue, mode: PlacementMode): readonly NodeRecord[] {
  if (shape.ordersVersion !== state.topologyVersion) {
    shape.ordersVersion = state.topologyVersion;
    shape.gpuOrder = null;
    shape.cpuOrder = null;
  }
  const known = mode === 'gpu' ? shape.gpuOrder : shape.cpuOrder;
  if (known !== null) return known;
  const order = sharedNodeOrder(state, shape, mode);
  if (mode === 'gpu') shape.gpuOrder = order;
  else shape.cpuOrder = order;
  return order;
}

function sharedNodeOrder(
  state: SchedulerState,
  shape: ShapeQueue,
  mode: PlacementMode,
): readonly NodeRecord[] {
  const tenantId = shape.tenant.id;
  state.dedicatedTenants ??= dedicatedTenants(state);
  const owner = state.dedicatedTenants.has(tenantId) ? tenantId : '';
  const key = `${owner}\n${mode}\n${shape.key}`;
  const cached = state.nodeOrders.get(key);
  if (cached !== undefined) return cached;
  const req = shape.requirements;
  const rank = new Map<NodeRecord, number>();
  const order: NodeRecord[] = [];
  for (const node of state.nodes.values()) {
    if (node.admin === 'revoked' || !couldEverFit(node, tenantId, req, mode)) continue;
    order.push(node);
    // The largest VRAM among the GPUs a task of this shape would take on an idle node.
    let taken = 0;
    let vram = 0;
    if (mode === 'gpu') {
      for (const gpu of node.gpus) {
        if (gpu.vramMb < req.minVramMb) continue;
        vram = gpu.vramMb;
        if (++taken === req.gpus) break;
      }
    }
    rank.set(node, vram);
  }
  order.sort(
    (a, b) =>
      Number(b.dedicatedTenant === tenantId) - Number(a.dedicatedTenant === tenantId) ||
      rank.get(a)! - rank.get(b)! ||
      a.gpus.length - b.gpus.length ||
      a.cpuSlots - b.cpuSlots ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  state.nodeOrders.set(key, order);
  return order;
}

function dedicatedTenants(state: SchedulerState): Set<string> {
  const owners = new Set<string>();
  for (const node of state.nodes.values())
    if (node.dedicatedTenant !== undefined) owners.add(node.dedicatedTenant);
  return owners;
}
