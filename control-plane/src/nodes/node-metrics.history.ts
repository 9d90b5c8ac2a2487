// The last hour of each node's heartbeat telemetry, for the IT operator's charts. Kept in memory,
// not in SQLite: it is a view of the recent past that a restart may lose, and writing every
// heartbeat to disk would cost more than the charts are worth. Bounded three ways: samples older
// than the window are dropped, samples are merged into fixed buckets (so a chatty node cannot
// grow its series), and at most `maxNodes` nodes are kept (the one heard from longest ago goes).
// Pure: time comes in as an argument.
import {
  NODE_METRICS_MAX_POINTS,
  NODE_METRICS_WINDOW_MINUTES,
  type GpuMetricsSeries,
  type NodeMetrics,
  type NodeTelemetry,
} from '@enclave/contracts';

export interface NodeMetricsHistoryOptions {
  /** How far back samples are kept. */
  readonly windowMs?: number;
  /** Storage resolution: samples in the same bucket are merged. */
  readonly bucketMs?: number;
  readonly maxNodes?: number;
  /** Points per series in a reply, at most. */
  readonly maxPoints?: number;
}

interface GpuAccumulator {
  model: string;
  vramTotalMb: number;
  utilSum: number;
  utilCount: number;
  vramSum: number;
  vramCount: number;
  tempMax: number | null;
}

interface Bucket {
  readonly start: number;
  samples: number;
  cpuSum: number;
  readonly gpus: Map<number, GpuAccumulator>;
}

function emptyGpu(model: string, vramTotalMb: number): GpuAccumulator {
  return { model, vramTotalMb, utilSum: 0, utilCount: 0, vramSum: 0, vramCount: 0, tempMax: null };
}

function mergeGpu(into: GpuAccumulator, from: GpuAccumulator): void {
  into.model = from.model;
  into.vramTotalMb = from.vramTotalMb;
  into.utilSum += from.utilSum;
  into.utilCount += from.utilCount;
  into.vramSum += from.vramSum;
  into.vramCount += from.vramCount;
  if (from.tempMax !== null) into.tempMax = Math.max(into.tempMax ?? from.tempMax, from.tempMax);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export class NodeMetricsHistory {
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly maxNodes: number;
  readonly maxPoints: number;
  readonly #nodes = new Map<string, Bucket[]>();

  constructor(options: NodeMetricsHistoryOptions = {}) {
    this.windowMs = options.windowMs ?? NODE_METRICS_WINDOW_MINUTES * 60_000;
    this.bucketMs = options.bucketMs ?? 10_000;
    this.maxNodes = options.maxNodes ?? 1024;
    this.maxPoints = options.maxPoints ?? NODE_METRICS_MAX_POINTS;
  }

  /** Buckets held for a node (for tests and the bound). */
  size(nodeId: string): number {
    return this.#nodes.get(nodeId)?.length ?? 0;
  }

  nodeCount(): number {
    return this.#nodes.size;
  }

  /** One heartbeat's telemetry, received at `atMs`. A sample older than the newest bucket is dropped. */
  record(nodeId: string, atMs: number, telemetry: NodeTelemetry): void {
    let buckets = this.#nodes.get(nodeId);
    if (buckets === undefined) {
      this.#makeRoom();
      buckets = [];
    }
    // Re-inserted so that Map order is "least recently heard first" (the eviction order).
    this.#nodes.delete(nodeId);
    this.#nodes.set(nodeId, buckets);

    const start = Math.floor(atMs / this.bucketMs) * this.bucketMs;
    let bucket = buckets.at(-1);
    if (bucket !== undefined && start < bucket.start) return;
    if (bucket?.start !== start) {
      bucket = { start, samples: 0, cpuSum: 0, gpus: new Map() };
      buckets.push(bucket);
    }
    bucket.samples += 1;
    bucket.cpuSum += telemetry.cpu.utilisationPct;
    for (const gpu of telemetry.gpus) {
      const acc = bucket.gpus.get(gpu.index) ?? emptyGpu(gpu.model, gpu.vramTotalMb);
      mergeGpu(acc, {
        model: gpu.model,
        vramTotalMb: gpu.vramTotalMb,
        utilSum: gpu.utilisationPct ?? 0,
        utilCount: gpu.utilisationPct === null ? 0 : 1,
        vramSum: gpu.vramUsedMb,
        vramCount: 1,
        tempMax: gpu.temperatureC,
      });
      bucket.gpus.set(gpu.index, acc);
    }
    const oldest = atMs - this.windowMs;
    while (buckets.length > 0 && (buckets[0]?.start ?? 0) + this.bucketMs <= oldest) buckets.shift();
  }

  forget(nodeId: string): void {
    this.#nodes.delete(nodeId);
  }

  /** The last `minutes` before `nowMs`, merged into at most `maxPoints` buckets per series. */
  query(nodeId: string, nowMs: number, minutes: number): NodeMetrics {
    const spanMs = Math.min(minutes * 60_000, this.windowMs);
    const fromMs = nowMs - spanMs;
    const width = Math.max(this.bucketMs, Math.ceil(spanMs / this.maxPoints / this.bucketMs) * this.bucketMs);
    const merged: Bucket[] = [];
    for (const bucket of this.#nodes.get(nodeId) ?? []) {
      if (bucket.start + this.bucketMs <= fromMs || bucket.start > nowMs) continue;
      const start = Math.floor(bucket.start / width) * width;
      let out = merged.at(-1);
      if (out?.start !== start) {
        out = { start, samples: 0, cpuSum: 0, gpus: new Map() };
        merged.push(out);
      }
      out.samples += bucket.samples;
      out.cpuSum += bucket.cpuSum;
      for (const [index, gpu] of bucket.gpus) {
        const acc = out.gpus.get(index) ?? emptyGpu(gpu.model, gpu.vramTotalMb);
        mergeGpu(acc, gpu);
        out.gpus.set(index, acc);
      }
    }
    const series = new Map<number, GpuMetricsSeries>();
    for (const bucket of merged) {
      const at = new Date(bucket.start).toISOString();
      for (const [index, gpu] of bucket.gpus) {
        const s = series.get(index) ?? { index, model: gpu.model, vramTotalMb: gpu.vramTotalMb, points: [] };
        s.model = gpu.model;
        s.vramTotalMb = gpu.vramTotalMb;
        s.points.push({
          at,
          utilisationPct: gpu.utilCount === 0 ? null : round1(gpu.utilSum / gpu.utilCount),
          vramUsedMb: gpu.vramCount === 0 ? 0 : Math.round(gpu.vramSum / gpu.vramCount),
          temperatureC: gpu.tempMax,
        });
        series.set(index, s);
      }
    }
    return {
      nodeId,
      from: new Date(fromMs).toISOString(),
      to: new Date(nowMs).toISOString(),
      bucketSeconds: width / 1000,
      samples: merged.reduce((n, b) => n + b.samples, 0),
      cpu: merged.map((b) => ({
        at: new Date(b.start).toISOString(),
        utilisationPct: round1(b.cpuSum / b.samples),
      })),
      gpus: [...series.values()].sort((a, b) => a.index - b.index),
    };
  }

  #makeRoom(): void {
    while (this.#nodes.size >= this.maxNodes) {
      const oldest = this.#nodes.keys().next();
      if (oldest.done === true) return;
      this.#nodes.delete(oldest.value);
    }
  }
}
