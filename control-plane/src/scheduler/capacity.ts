// Node capacity: whether a task fits a node, and taking and giving back GPUs and CPU slots.
// GPUs are exclusive and `minVramMb` is per GPU, so "VRAM never exceeded" means every GPU's
// holder asked for no more than the GPU has. An assignment's capacity is freed either at once
// (the node told us the run ended, or the node is gone for good) or, when we cancelled or
// superseded a run that may still be going, only once the node confirms or a grace expires —
// so the books never promise a GPU that a zombie run still occupies.
import type { AssignmentRecord, GpuSlot, NodeRecord, TaskRecord } from './scheduler-state.ts';
import { isSchedulable } from './scheduler-state.ts';
import type { TaskRequirements } from './types.ts';

/** `gpu`: with its GPUs. `cpu`: on CPU slots alone (CPU tasks, or cpuCapable fallback). */
export type PlacementMode = 'gpu' | 'cpu';

/** Capability check that ignores current use: could this node ever run the task this way? */
export function couldEverFit(
  node: NodeRecord,
  tenantId: string,
  req: TaskRequirements,
  mode: PlacementMode,
): boolean {
  if (node.dedicatedTenant !== undefined && node.dedicatedTenant !== tenantId) return false;
  if (node.cpuSlots < req.cpuSlots) return false;
  for (const tag of req.tags) if (!node.tags.has(tag)) return false;
  if (mode === 'cpu') return true;
  let big = 0;
  for (const gpu of node.gpus) if (gpu.vramMb >= req.minVramMb) big++;
  return big >= req.gpus;
}

/** Does the task fit the node's free capacity now? Assumes couldEverFit. */
export function fitsNow(node: NodeRecord, req: TaskRequirements, mode: PlacementMode): boolean {
  if (!isSchedulable(node) || node.cpuSlots - node.cpuUsed < req.cpuSlots) return false;
  if (mode === 'cpu') return true;
  if (node.freeGpus < req.gpus) return false;
  let found = 0;
  for (const gpu of node.gpus) {
    if (gpu.holder === null && gpu.vramMb >= req.minVramMb && ++found >= req.gpus) return true;
  }
  return false;
}

export function allocate(
  task: TaskRecord,
  node: NodeRecord,
  mode: PlacementMode,
  now: number,
  leaseMs: number,
): AssignmentRecord {
  const req = task.requirements;
  const gpus: GpuSlot[] = [];
  if (mode === 'gpu') {
    for (const gpu of node.gpus) {
      if (gpu.holder !== null || gpu.vramMb < req.minVramMb) continue;
      gpus.push(gpu);
      if (gpus.length === req.gpus) break;
    }
  }
  return hold(task, node, {
    epoch: task.epoch,
    gpus,
    cpuSlots: req.cpuSlots,
    assignedAt: now,
    leaseExpiresAt: now + leaseMs,
  });
}

export interface Holding {
  readonly epoch: number;
  readonly gpus: readonly GpuSlot[];
  readonly cpuSlots: number;
  readonly assignedAt: number;
  readonly leaseExpiresAt: number;
}

/** Takes the given GPUs and CPU slots of the node for a live assignment of the task. */
export function hold(task: TaskRecord, node: NodeRecord, holding: Holding): AssignmentRecord {
  const assignment: AssignmentRecord = { task, node, ...holding, acceptedAt: null, retireDeadline: null };
  for (const gpu of holding.gpus) gpu.holder = assignment;
  node.freeGpus -= holding.gpus.length;
  node.cpuUsed += holding.cpuSlots;
  node.assignments.set(task.id, assignment);
  task.job.tenant.gpusHeld += holding.gpus.length;
  task.job.tenant.cpuHeld += holding.cpuSlots;
  task.assignment = assignment;
  return assignment;
}

/** Detaches a live assignment from its task and tenant; its capacity is untouched. */
function detach(assignment: AssignmentRecord): void {
  const { task, node } = assignment;
  node.assignments.delete(task.id);
  task.job.tenant.gpusHeld -= assignment.gpus.length;
  task.job.tenant.cpuHeld -= assignment.cpuSlots;
  if (task.assignment === assignment) task.assignment = null;
}

function freeCapacity(assignment: AssignmentRecord): void {
  const { node } = assignment;
  for (const gpu of assignment.gpus) {
    if (gpu.holder === assignment) {
      gpu.holder = null;
      node.freeGpus++;
    }
  }
  node.cpuUsed -= assignment.cpuSlots;
}

/** The run has ended for certain: detach and free. */
export function releaseLive(assignment: AssignmentRecord): void {
  detach(assignment);
  freeCapacity(assignment);
}

/** The run is no longer the task's but may still occupy the node until `deadline`. */
export function retire(assignment: AssignmentRecord, deadline: number): void {
  detach(assignment);
  assignment.retireDeadline = deadline;
  assignment.node.retiring.add(assignment);
}

export function releaseRetired(assignment: AssignmentRecord): void {
  if (assignment.node.retiring.delete(assignment)) freeCapacity(assignment);
}

const GPU_ONLY: readonly PlacementMode[] = ['gpu'];
const GPU_THEN_CPU: readonly PlacementMode[] = ['gpu', 'cpu'];
const CPU_ONLY: readonly PlacementMode[] = ['cpu'];

/** The ways a task may be placed, preferred first. */
export function modesOf(req: TaskRequirements): readonly PlacementMode[] {
  if (req.gpus === 0) return CPU_ONLY;
  return req.cpuCapable ? GPU_THEN_CPU : GPU_ONLY;
}
