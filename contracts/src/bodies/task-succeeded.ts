// node → control plane: the task is done and its outputs are already uploaded (as ciphertext,
// over mTLS); this message only names them.
import { z } from 'zod';
import { AssetRefSchema } from './asset-ref.ts';
import { taskRefShape } from './task-ref.ts';
import { StepNameSchema } from '../primitives.ts';

const DurationMsSchema = z.int().min(0);

export const TaskMetricsSchema = z.object({
  durationMs: DurationMsSchema,
  /** Per step, in the order they ran: where the time went, for benchmarks and placement. */
  steps: z.array(z.object({ step: StepNameSchema, durationMs: DurationMsSchema })).max(64),
  peakRssMb: z.int().min(0).optional(),
  /** Absent when the task used no GPU. */
  peakVramMb: z.int().min(0).optional(),
});

export const TaskSucceededBodySchema = z.object({
  ...taskRefShape,
  outputs: z.array(AssetRefSchema).max(256),
  metrics: TaskMetricsSchema,
});

export type TaskMetrics = z.infer<typeof TaskMetricsSchema>;
export type TaskSucceededBody = z.infer<typeof TaskSucceededBodySchema>;
