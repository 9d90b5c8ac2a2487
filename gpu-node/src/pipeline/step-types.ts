// A step is a typed declaration (name, what hardware it needs, its parameter schema, the task
// files it reads and writes) plus an executor. Parameters come from `task.assign` and are
// validated here against the step's own strict schema; free text never arrives in them: a
// step names a sealed field, which the agent has decrypted into a task file of that name.
import type { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { HardwareProfile } from '../hardware/hardware-profile.ts';
import type { Logger } from '../logger.ts';
import type { ModelSource } from '../models/model-manifest.ts';
import type { SandboxRunner, SandboxWorkdir } from '../sandbox/sandbox-runner.ts';
import type { TaskFiles } from './task-files.ts';
import type { ToolPaths } from './tool-paths.ts';

/**
 * `cpu`: runs anywhere. `gpu`: needs an NVIDIA GPU; never placed on, nor run by, a CPU-only
 * node. `gpu-preferred`: uses a GPU when present (NVENC), runs on CPU otherwise.
 */
export type StepNeeds = 'cpu' | 'gpu' | 'gpu-preferred';

/** Progress within the current step: 0..1 and an optional short note (never content). */
export type StepProgress = (fraction: number, note?: string) => void;

export interface StepContext {
  readonly taskId: string;
  readonly workdir: SandboxWorkdir;
  readonly files: TaskFiles;
  readonly sandbox: SandboxRunner;
  readonly hardware: HardwareProfile;
  readonly models: ModelSource;
  readonly tools: ToolPaths;
  readonly clock: Clock;
  /** Events and numbers only: see logger.ts. */
  readonly log: Logger;
  readonly progress: StepProgress;
}

export interface StepFiles {
  /** Task files the step reads; each must exist before it runs. */
  readonly inputs: readonly string[];
  /** Task files the step writes (or rewrites); each must exist after it ran. */
  readonly outputs: readonly string[];
}

export interface StepDefinition<P> {
  /** Matches contracts' StepNameSchema, e.g. `video.compose`. */
  readonly name: string;
  readonly needs: StepNeeds;
  /** One line for the step catalogue. */
  readonly summary: string;
  /** Strict: unknown keys are refused, so a typo cannot silently fall back to a default. */
  readonly params: z.ZodType<P>;
  files(params: P): StepFiles;
  run(ctx: StepContext, params: P, signal: AbortSignal): Promise<void>;
}

/** Keeps a step's parameter type attached to its definition while the registry stores many. */
export function defineStep<P>(definition: StepDefinition<P>): StepDefinition<P> {
  return definition;
}

// Method syntax makes StepDefinition<P> assignable to this for any P (parameters are bivariant).
export type AnyStepDefinition = StepDefinition<unknown>;
