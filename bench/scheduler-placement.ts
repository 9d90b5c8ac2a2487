// Scheduler placement benchmark: `node bench/scheduler-placement.ts` (from the repository root).
// 1,000 nodes × 100,000 queued tasks across 20 tenants. Times one placement round of the real
// scheduler and of the naive baseline (scheduler-baseline.ts) on identical data, in the same
// process: a first round that fills an idle farm, rounds after 20% of the running tasks finish
// (the steady state: p50 and max), and a round with the farm full. Memory: heap held by each
// implementation's state, and process RSS before and after building the scheduler's.
// The last line is machine-readable.
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createSchedulerState,
  nodeHeartbeat,
  onSucceeded,
  registerNode,
  schedule,
  submitJob,
  type Assignment,
  type SchedulerState,
} from '../control-plane/src/scheduler/index.ts';
import { buildNaive, naiveRound, naiveRunning, naiveSucceed, type NaiveFarm } from './scheduler-baseline.ts';
import { TENANT_COUNT, buildDataset, prng, type Dataset } from './scheduler-dataset.ts';

const NODES = Number(process.env.BENCH_NODES ?? 1_000);
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const CHURN_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CHURN = 0.2;
const T0 = 1_700_000_000_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function buildScheduler(data: Dataset): SchedulerState {
  const state = createSchedulerState();
  for (const node of data.nodes) {
    registerNode(state, node);
    nodeHeartbeat(state, node.id, { state: 'ready', leases: [] }, T0);
  }
  for (const job of data.jobs) submitJob(state, job, T0);
  return state;
}

interface RoundFigures {
  readonly fillMs: number;
  readonly fillPlaced: number;
  readonly churnMs: number[];
  readonly churnPlaced: number[];
  readonly fullMs: number;
}

function runScheduler(state: SchedulerState): RoundFigures {
  const live = new Map<string, Assignment>();
  const random = prng(7);
  let now = T0;
  const round = () => {
    const { value, ms } = timed(() => schedule(state, now));
    for (const a of value.assignments) live.set(a.taskId, a);
    return { placed: value.assignments.length, ms };
  };
  const fill = round();
  const churnMs: number[] = [];
  const churnPlaced: number[] = [];
  for (let r = 0; r < CHURN_ROUNDS; r++) {
    now += 1_000;
    for (const a of [...live.values()]) {
      if (random() >= CHURN) continue;
      onSucceeded(state, { nodeId: a.nodeId, taskId: a.taskId, epoch: a.epoch }, now);
      live.delete(a.taskId);
    }
    const { placed, ms } = round();
    churnMs.push(ms);
    churnPlaced.push(placed);
  }
  const full = round();
  return { fillMs: fill.ms, fillPlaced: fill.placed, churnMs, churnPlaced, fullMs: full.ms };
}

function runBaseline(farm: NaiveFarm): RoundFigures {
  const random = prng(7);
  const round = () => {
    const { value, ms } = timed(() => naiveRound(farm));
    return { placed: value.length, ms };
  };
  const fill = round();
  const churnMs: number[] = [];
  const churnPlaced: number[] = [];
  for (let r = 0; r < CHURN_ROUNDS; r++) {
    for (const task of naiveRunning(farm)) if (random() < CHURN) naiveSucceed(farm, task);
    const { placed, ms } = round();
    churnMs.push(ms);
    churnPlaced.push(placed);
  }
  const full = round();
  return { fillMs: fill.ms, fillPlaced: fill.placed, churnMs, churnPlaced, fullMs: full.ms };
}

const data = buildDataset(NODES, TASKS);
const before = settle();
const built = timed(() => buildScheduler(data));
const afterScheduler = settle();
const farm = buildNaive(data);
const afterBaseline = settle();

const schedulerHeap = mb(afterScheduler.heapUsed - before.heapUsed);
const baselineHeap = mb(afterBaseline.heapUsed - afterScheduler.heapUsed);
const gpuTotal = data.nodes.reduce((sum, n) => sum + n.capabilities.gpus.length, 0);
const cpuTotal = data.nodes.reduce((sum, n) => sum + n.capabilities.cpuSlots, 0);

console.log(
  `Scheduler placement: ${data.nodes.length} nodes (${gpuTotal} GPUs, ${cpuTotal} CPU slots) × ` +
    `${data.taskCount} queued tasks in ${data.jobs.length} jobs, ${TENANT_COUNT} tenants; Node ${process.version}`,
);
console.log(`build scheduler state: ${fmt(built.ms, 0)} ms`);

const ours = runScheduler(built.value);
const naive = runBaseline(farm);

const row = (name: string, a: string, b: string, c: string, d: string) =>
  console.log(`${name.padEnd(24)}${a.padStart(14)}${b.padStart(10)}${c.padStart(14)}${d.padStart(10)}`);
row('round', 'scheduler ms', 'placed', 'baseline ms', 'placed');
row(
  'fill (idle farm)',
  fmt(ours.fillMs),
  String(ours.fillPlaced),
  fmt(naive.fillMs),
  String(naive.fillPlaced),
);
ours.churnMs.forEach((ms, i) =>
  row(
    `after 20% finished #${i + 1}`,
    fmt(ms),
    String(ours.churnPlaced[i]),
    fmt(naive.churnMs[i]!),
    String(naive.churnPlaced[i]),
  ),
);
row('farm full', fmt(ours.fullMs, 2), '0', fmt(naive.fullMs), '0');

const p50 = percentile(ours.churnMs, 0.5);
const max = Math.max(...ours.churnMs);
const baseP50 = percentile(naive.churnMs, 0.5);
const rssMb = mb(afterScheduler.rss);
const rssBefore = mb(before.rss);
console.log(`steady-state round: p50 ${fmt(p50)} ms, max ${fmt(max)} ms; baseline p50 ${fmt(baseP50)} ms`);
console.log(
  `memory: scheduler state ${fmt(schedulerHeap)} MB heap, baseline arrays ${fmt(baselineHeap)} MB heap ` +
    `(×${fmt(schedulerHeap / baselineHeap, 2)}); RSS ${fmt(rssBefore)} MB → ${fmt(rssMb)} MB with the scheduler state ` +
    `(×${fmt(rssMb / rssBefore, 2)}); peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB`,
);
const result = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  load_avg_1m: Number(fmt(loadavg()[0]!, 2)),
  node: process.version,
  nodes: data.nodes.length,
  tasks: data.taskCount,
  tenants: TENANT_COUNT,
  build_ms: Number(fmt(built.ms, 0)),
  fill_ms: Number(fmt(ours.fillMs, 2)),
  fill_placed: ours.fillPlaced,
  placement_ms: Number(fmt(p50, 2)),
  placement_max_ms: Number(fmt(max, 2)),
  full_ms: Number(fmt(ours.fullMs, 2)),
  baseline_fill_ms: Number(fmt(naive.fillMs, 2)),
  baseline_ms: Number(fmt(baseP50, 2)),
  baseline_full_ms: Number(fmt(naive.fullMs, 2)),
  ratio: Number(fmt(p50 / baseP50, 4)),
  rss_before_mb: Number(fmt(rssBefore)),
  rss_mb: Number(fmt(rssMb)),
  rss_ratio: Number(fmt(rssMb / rssBefore, 3)),
  heap_mb: Number(fmt(schedulerHeap)),
  baseline_heap_mb: Number(fmt(baselineHeap)),
  heap_ratio: Number(fmt(schedulerHeap / baselineHeap, 3)),
};
// The workspace's convention (docs/benchmarks.md), then the key=value line, last.
console.log('RESULT scheduler-placement ' + JSON.stringify(result));
console.log(
  (
    [
      'placement_ms',
      'placement_max_ms',
      'baseline_ms',
      'ratio',
      'fill_ms',
      'full_ms',
      'rss_mb',
      'rss_before_mb',
      'rss_ratio',
      'heap_mb',
      'baseline_heap_mb',
      'heap_ratio',
    ] as const
  )
    .map((key) => `${key}=${result[key]}`)
    .join(' '),
);
