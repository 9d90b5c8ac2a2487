// What the task runner needs to execute a task's steps. The production adapter wraps
// gpu-node's runPipeline with a per-task scratch directory; unit tests use a scripted fake.
import type { AssetRef, FailureKind, TaskAssignBody, TaskMetrics } from '@enclave/contracts';
import type { FetchedInput } from './input-fetcher.ts';

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
  inputs: readonly FetchedInput[];
  onProgress(progress: StepProgress): void;
}

export interface StepRuntime {
  run(task: TaskAssignBody, context: StepRunContext): Promise<StepRunResult>;
}
