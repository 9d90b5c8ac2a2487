// What the task runner needs to execute a task's steps. The production adapter wraps
// gpu-node's runPipeline with a per-task scratch directory; unit tests use a scripted fake.
import type { AssetRef, FailureKind, TaskAssignBody, TaskMetrics } from '@enclave/contracts';
import type { TaskAssets } from './input-fetcher.ts';

export interface StepProgress {
  /** 0..1 over the whole task. */
  fraction: number;
  /** A lower-case slug: a step name, `fetching-inputs`... */
  stage: string;
  message?: string;
}

export type StepRunResult =
  | { ok: true; outputs: AssetRef[]; metrics: TaskMetrics }
  | {
      ok: false;
      failure: FailureKind;
      code: string;
      message: string;
      step?: { index: number; name: string };
    };

export interface StepRunContext {
  signal: AbortSignal;
  /** The task's tenant (from its envelope): part of a sealed field's additional data. */
  tenantId: string;
  /** The task's data key, fetched inputs (ciphertext) and output upload. */
  assets: TaskAssets;
  onProgress(progress: StepProgress): void;
}

export interface StepRuntime {
  run(task: TaskAssignBody, context: StepRunContext): Promise<StepRunResult>;
}
