// The baseline the scheduler is measured against: the obvious implementation over plain arrays.
// Each round filters the queued tasks whose deps are done, sorts them all by priority then
// submission, and first-fits each one by scanning every node. Same placement rules (tags,
// dedication, GPUs with enough VRAM, CPU slots, CPU fallback), no fair share, no indexes; it
// does get the same "nothing free at all" early stop, to be fair to it.
import type { Dataset } from './scheduler-dataset.ts';

interface NaiveGpu {
  readonly vramMb: number;
  busy: boolean;
}

interface NaiveNode {
  readonly id: string;
  readonly gpus: NaiveGpu[];
  readonly cpuSlots: number;
  cpuUsed: number;
  readonly tags: readonly string[];
  readonly dedicated: string | undefined;
}

interface NaiveTask {
  readonly id: string;
  readonly tenant: string;
  readonly priority: number;
  readonly seq: number;
  readonly gpus: number;
  readonly minVramMb: number;
  readonly cpuSlots: number;
  readonly cpuCapable: boolean;
  readonly tags: readonly string[];
  readonly deps: readonly NaiveTask[];
  state: 'queued' | 'running' | 'succeeded';
  node: NaiveNode | null;
  held: NaiveGpu[];
}

export interface NaiveFarm {
  readonly nodes: NaiveNode[];
  readonly tasks: NaiveTask[];
}

export function buildNaive(data: Dataset): NaiveFarm {
  const nodes: NaiveNode[] = data.nodes.map((spec) => ({
    id: spec.id,
    gpus: spec.capabilities.gpus.map((gpu) => ({ vramMb: gpu.vramMb, busy: false })),
    cpuSlots: spec.capabilities.cpuSlots,
    cpuUsed: 0,
    tags: spec.capabilities.tags,
    dedicated: spec.dedicatedTenant,
  }));
  const tasks: NaiveTask[] = [];
  const byId = new Map<string, NaiveTask>();
  data.jobs.forEach((job, seq) => {
    for (const spec of job.tasks) {
      const req = spec.requirements ?? {};
      const task: NaiveTask = {
        id: spec.taskId,
        tenant: job.tenantId,
        priority: job.priority,
        seq,
        gpus: req.gpus ?? 0,
        minVramMb: req.minVramMb ?? 0,
        cpuSlots: req.cpuSlots ?? 1,
        cpuCapable: req.cpuCapable ?? false,
        tags: req.tags ?? [],
        deps: (spec.deps ?? []).map((id) => byId.get(id)!),
        state: 'queued',
        node: null,
        held: [],
      };
      tasks.push(task);
      byId.set(task.id, task);
    }
  });
  return { nodes, tasks };
}

function tryPlace(task: NaiveTask, node: NaiveNode, withGpus: boolean): boolean {
  if (node.dedicated !== undefined && node.dedicated !== task.tenant) return false;
  if (node.cpuSlots - node.cpuUsed < task.cpuSlots) return false;
  if (!task.tags.every((tag) => node.tags.includes(tag))) return false;
  const held: NaiveGpu[] = [];
  if (withGpus) {
    for (const gpu of node.gpus)
      if (!gpu.busy && gpu.vramMb >= task.minVramMb && held.length < task.gpus) held.push(gpu);
    if (held.length < task.gpus) return false;
  }
  for (const gpu of held) gpu.busy = true;
  node.cpuUsed += task.cpuSlots;
  task.state = 'running';
  task.node = node;
  task.held = held;
  return true;
}

/** One naive round; returns the ids placed. */
export function naiveRound(farm: NaiveFarm): string[] {
  const ready = farm.tasks.filter(
    (t) => t.state === 'queued' && t.deps.every((d) => d.state === 'succeeded'),
  );
  ready.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
  let freeCpu = farm.nodes.reduce((sum, node) => sum + node.cpuSlots - node.cpuUsed, 0);
  const placed: string[] = [];
  for (const task of ready) {
    if (freeCpu === 0) break;
    let done = false;
    if (task.gpus > 0) for (const node of farm.nodes) if ((done = tryPlace(task, node, true))) break;
    if (!done && (task.gpus === 0 || task.cpuCapable)) {
      for (const node of farm.nodes) if ((done = tryPlace(task, node, false))) break;
    }
    if (done) {
      freeCpu -= task.cpuSlots;
      placed.push(task.id);
    }
  }
  return placed;
}

export function naiveSucceed(farm: NaiveFarm, task: NaiveTask): void {
  for (const gpu of task.held) gpu.busy = false;
  task.node!.cpuUsed -= task.cpuSlots;
  task.state = 'succeeded';
  task.node = null;
  task.held = [];
}

export function naiveRunning(farm: NaiveFarm): NaiveTask[] {
  return farm.tasks.filter((t) => t.state === 'running');
}
