// Builders for scheduler tests: nodes, jobs, a ready cluster, and the invariant checker every
// property test runs after each command. Time is always passed in; nothing here sleeps.
import { expect } from 'vitest';
import type { LeaseRef } from '@enclave/contracts';
import {
  createSchedulerState,
  nodeHeartbeat,
  registerNode,
  submitJob,
  type JobSubmission,
  type NodeSpec,
  type SchedulerConfig,
  type SchedulerState,
  type TaskRequirementsInput,
  type TaskSpec,
} from '../../src/scheduler/index.ts';

export const T0 = 1_700_000_000_000;

export interface NodeOptions {
  readonly gpus?: number;
  readonly vramMb?: number | readonly number[];
  readonly cpu?: number;
  readonly tags?: readonly string[];
  readonly dedicated?: string;
}

export function nodeSpec(id: string, options: NodeOptions = {}): NodeSpec {
  const count = options.gpus ?? 0;
  const vram = options.vramMb ?? 24_000;
  const gpus = Array.from({ length: count }, (_, index) => ({
    index,
    model: 'test-gpu',
    vramMb: typeof vram === 'number' ? vram : (vram[index] ?? 0),
  }));
  const spec: NodeSpec = { id, capabilities: { gpus, cpuSlots: options.cpu ?? 8, tags: options.tags ?? [] } };
  return options.dedicated === undefined ? spec : { ...spec, dedicatedTenant: options.dedicated };
}

/** Registers the nodes and brings each online with a first heartbeat. */
export function cluster(
  nodes: readonly NodeSpec[],
  config: Partial<SchedulerConfig> = {},
  now: number = T0,
): SchedulerState {
  const state = createSchedulerState(config);
  for (const spec of nodes) addOnlineNode(state, spec, now);
  return state;
}

export function addOnlineNode(state: SchedulerState, spec: NodeSpec, now: number): void {
  registerNode(state, spec);
  nodeHeartbeat(state, spec.id, { state: 'ready', leases: [] }, now);
}

/** The leases a healthy node would list: everything it runs, at the current epoch. */
export function leasesOf(state: SchedulerState, nodeId: string): LeaseRef[] {
  const node = state.nodes.get(nodeId)!;
  return [...node.assignments.values()].map((a) => ({ taskId: a.task.id, epoch: a.epoch }));
}

export function healthyHeartbeat(state: SchedulerState, nodeId: string, now: number) {
  return nodeHeartbeat(state, nodeId, { state: 'ready', leases: leasesOf(state, nodeId) }, now);
}

export function task(
  taskId: string,
  requirements: TaskRequirementsInput = {},
  deps: readonly string[] = [],
): TaskSpec {
  return { taskId, requirements, deps };
}

export function job(
  jobId: string,
  tenantId: string,
  tasks: readonly TaskSpec[],
  options: { readonly priority?: number; readonly key?: string } = {},
): JobSubmission {
  return {
    jobId,
    tenantId,
    priority: options.priority ?? 50,
    idempotencyKey: options.key ?? `key-${jobId}`,
    tasks,
  };
}

export function submit(state: SchedulerState, submission: JobSubmission, now: number = T0) {
  return submitJob(state, submission, now);
}

/** Every structural invariant of the state; throws (via expect) on the first broken one. */
export function checkInvariants(state: SchedulerState): void {
  const liveByTask = new Map<string, number>();
  for (const node of state.nodes.values()) {
    let cpu = 0;
    const holders = new Map<number, unknown>();
    for (const assignment of [...node.assignments.values(), ...node.retiring]) {
      cpu += assignment.cpuSlots;
      for (const gpu of assignment.gpus) {
        expect(holders.has(gpu.index), `GPU ${node.id}/${gpu.index} held twice`).toBe(false);
        holders.set(gpu.index, assignment);
        expect(gpu.holder).toBe(assignment);
        expect(gpu.vramMb).toBeGreaterThanOrEqual(assignment.task.requirements.minVramMb);
      }
      const req = assignment.task.requirements;
      if (req.gpus > 0 && !req.cpuCapable) expect(assignment.gpus.length).toBe(req.gpus);
      if (assignment.gpus.length > 0) expect(assignment.gpus.length).toBe(req.gpus);
    }
    for (const assignment of node.assignments.values()) {
      liveByTask.set(assignment.task.id, (liveByTask.get(assignment.task.id) ?? 0) + 1);
      expect(assignment.task.assignment).toBe(assignment);
      expect(assignment.retireDeadline).toBeNull();
    }
    for (const gpu of node.gpus) if (!holders.has(gpu.index)) expect(gpu.holder).toBeNull();
    expect(cpu, `cpu on ${node.id}`).toBe(node.cpuUsed);
    expect(node.cpuUsed).toBeLessThanOrEqual(node.cpuSlots);
    expect(node.freeGpus).toBe(node.gpus.filter((gpu) => gpu.holder === null).length);
  }
  const held = new Map<string, { gpus: number; cpu: number }>();
  for (const task of state.tasks.values()) {
    const live = liveByTask.get(task.id) ?? 0;
    expect(live, `live assignments of ${task.id}`).toBeLessThanOrEqual(1);
    const shouldBeLive = task.state === 'assigned' || task.state === 'running';
    expect(live === 1, `${task.id} is ${task.state} with ${live} live assignments`).toBe(shouldBeLive);
    if (shouldBeLive || task.state === 'succeeded') {
      for (const dep of task.deps) expect(dep.state, `${task.id} ran before ${dep.id}`).toBe('succeeded');
    }
    const queuedReady = task.state === 'queued' && task.pendingDeps === 0;
    const inQueue = task.shape.tasks.has(task) || state.delayed.has(task);
    expect(inQueue, `${task.id} queue membership`).toBe(queuedReady);
    expect(task.pendingDeps).toBe(task.deps.filter((dep) => dep.state !== 'succeeded').length);
    if (task.assignment !== null) {
      const sum = held.get(task.job.tenant.id) ?? { gpus: 0, cpu: 0 };
      sum.gpus += task.assignment.gpus.length;
      sum.cpu += task.assignment.cpuSlots;
      held.set(task.job.tenant.id, sum);
    }
  }
  for (const tenant of state.tenants.values()) {
    expect(tenant.gpusHeld).toBe(held.get(tenant.id)?.gpus ?? 0);
    expect(tenant.cpuHeld).toBe(held.get(tenant.id)?.cpu ?? 0);
    for (const shape of tenant.shapes.values())
      expect(tenant.shapeHeap.has(shape)).toBe(shape.tasks.size > 0);
  }
  for (const job of state.jobs.values()) {
    const unfinished = job.tasks.filter(
      (t) => !['succeeded', 'failed', 'cancelled'].includes(t.state),
    ).length;
    expect(job.unfinished).toBe(unfinished);
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) expect(unfinished).toBe(0);
  }
}
