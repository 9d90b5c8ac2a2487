// A node's GPU history for the IT operator's charts: the control plane keeps the last hour of
// heartbeat telemetry per node (in memory, bounded) and serves it downsampled to at most
// NODE_METRICS_MAX_POINTS points per series.
import { z } from 'zod';
import { NodeIdSchema } from '../node-id.ts';
import { TimestampSchema } from '../primitives.ts';

/** How far back the control plane keeps samples; the longest window a caller may ask for. */
export const NODE_METRICS_WINDOW_MINUTES = 60;
/** Points per series in a reply, at most: longer windows are averaged into wider buckets. */
export const NODE_METRICS_MAX_POINTS = 120;

export const NodeMetricsQuerySchema = z
  .object({
    /** Minutes back from now, 1–60; 60 when absent. */
    minutes: z
      .string()
      .regex(/^\d{1,4}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.int().min(1).max(NODE_METRICS_WINDOW_MINUTES))
      .optional(),
  })
  .strict();

/** One bucket of one GPU: the mean of the samples in it (temperature: the highest). */
export const GpuMetricsPointSchema = z.object({
  at: TimestampSchema,
  /** null when no sample in the bucket reported it. */
  utilisationPct: z.number().min(0).max(100).nullable(),
  vramUsedMb: z.number().min(0),
  temperatureC: z.number().nullable(),
});

export const GpuMetricsSeriesSchema = z.object({
  index: z.int().min(0).max(63),
  model: z.string(),
  vramTotalMb: z.int().min(0),
  points: z.array(GpuMetricsPointSchema),
});

export const CpuMetricsPointSchema = z.object({
  at: TimestampSchema,
  utilisationPct: z.number().min(0).max(100),
});

export const NodeMetricsSchema = z.object({
  nodeId: NodeIdSchema,
  from: TimestampSchema,
  to: TimestampSchema,
  /** Width of one point's bucket. */
  bucketSeconds: z.int().min(1),
  /** Heartbeats the reply was built from. */
  samples: z.int().min(0),
  cpu: z.array(CpuMetricsPointSchema),
  gpus: z.array(GpuMetricsSeriesSchema),
});

export type NodeMetricsQuery = z.infer<typeof NodeMetricsQuerySchema>;
export type GpuMetricsPoint = z.infer<typeof GpuMetricsPointSchema>;
export type GpuMetricsSeries = z.infer<typeof GpuMetricsSeriesSchema>;
export type CpuMetricsPoint = z.infer<typeof CpuMetricsPointSchema>;
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;
