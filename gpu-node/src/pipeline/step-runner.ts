// Running steps: a task's `steps[]` is checked as a whole before anything runs (every step
// known, runnable on this hardware, its parameters valid, every input present or produced by an
// earlier step), then run in order with progress scaled over the whole pipeline.
import { FailureKind, TaskFailureCode, check, type StepSpec, type TaskMetrics } from '@enclave/contracts';
import type { HardwareProfile } from '../hardware/hardware-profile.ts';
import { stepRegistry } from '../steps/index.ts';
import { StepError, cancelledError, hardError, softError } from './step-error.ts';
import { canRunOn, type StepRegistry } from './step-registry.ts';
import type { AnyStepDefinition, StepContext } from './step-types.ts';

export type StepRun = TaskMetrics['steps'][number];

export interface PlannedStep {
  readonly index: number;
  readonly definition: AnyStepDefinition;
  readonly params: unknown;
}

function planOne(
  spec: StepSpec,
  index: number,
  registry: StepRegistry,
  hardware: HardwareProfile,
): PlannedStep {
  const definition = registry.get(spec.step);
  const at = (error: StepError) => error.atStep(index, spec.step);
  // Soft: a newer control plane may know steps this agent does not; another node may.
  if (definition === undefined)
    throw at(softError(TaskFailureCode.UNSUPPORTED_STEP, 'this node has no such step'));
  if (!canRunOn(definition, hardware)) {
    throw at(softError(TaskFailureCode.UNSUPPORTED_STEP, 'the step needs a GPU and this node has none'));
  }
  const parsed = check(definition.params, spec.params);
  if (!parsed.success) {
    const where = parsed.issues.map((i) => `params.${i.path}: ${i.message}`).slice(0, 5);
    throw at(hardError(TaskFailureCode.INVALID_PARAMS, `invalid parameters (${where.join('; ')})`));
  }
  return { index, definition, params: parsed.data };
}

/** Checks the whole sequence against the task files present now; throws the first problem. */
export function planPipeline(
  specs: readonly StepSpec[],
  registry: StepRegistry,
  hardware: HardwareProfile,
  presentFiles: readonly string[],
): PlannedStep[] {
  const available = new Set(presentFiles);
  return specs.map((spec, index) => {
    const planned = planOne(spec, index, registry, hardware);
    const files = planned.definition.files(planned.params);
    const missing = files.inputs.find((name) => !available.has(name));
    if (missing !== undefined) {
      throw hardError(
        TaskFailureCode.INPUT_UNAVAILABLE,
        `task file "${missing}" is neither an input nor made by an earlier step`,
      ).atStep(index, spec.step);
    }
    for (const name of files.outputs) available.add(name);
    return planned;
  });
}

async function execute(planned: PlannedStep, ctx: StepContext, signal: AbortSignal): Promise<StepRun> {
  const { definition, index } = planned;
  if (signal.aborted) throw cancelledError().atStep(index, definition.name);
  const started = ctx.clock.monotonicMs();
  try {
    await definition.run(ctx, planned.params, signal);
    if (signal.aborted) throw cancelledError();
    const present = new Set((await ctx.files.list()).map((file) => file.name));
    const missing = definition.files(planned.params).outputs.find((name) => !present.has(name));
    if (missing !== undefined)
      throw hardError(TaskFailureCode.INTERNAL, `the step did not write "${missing}"`);
  } catch (error) {
    if (error instanceof StepError) throw error.atStep(index, definition.name);
    if (signal.aborted) throw cancelledError().atStep(index, definition.name);
    // A bug or an unexpected I/O error: the message stays generic, the cause stays attached.
    throw new StepError('the step failed unexpectedly', {
      code: TaskFailureCode.INTERNAL,
      failure: FailureKind.Hard,
      step: { index, name: definition.name },
      cause: error,
    });
  }
  return { step: definition.name, durationMs: Math.round(ctx.clock.monotonicMs() - started) };
}

/** Runs one step on its own (its inputs must already be task files). */
export async function runStep(
  spec: StepSpec,
  ctx: StepContext,
  signal: AbortSignal,
  registry: StepRegistry = stepRegistry,
): Promise<StepRun> {
  const present = (await ctx.files.list()).map((file) => file.name);
  const [planned] = planPipeline([spec], registry, ctx.hardware, present);
  return execute(planned as PlannedStep, ctx, signal);
}

export interface PipelineProgress {
  /** 0..1 over the whole pipeline, never decreasing. */
  readonly fraction: number;
  /** The running step's name (a slug, fit for task.progress `stage`). */
  readonly stage: string;
  readonly message?: string;
}

export interface PipelineContext extends Omit<StepContext, 'progress'> {
  readonly onProgress?: (progress: PipelineProgress) => void;
  readonly registry?: StepRegistry;
}

export interface PipelineResult {
  readonly steps: StepRun[];
  readonly durationMs: number;
}

/** Runs a linear sequence of steps; stops at the first failure (a StepError naming the step). */
export async function runPipeline(
  specs: readonly StepSpec[],
  ctx: PipelineContext,
  signal: AbortSignal,
): Promise<PipelineResult> {
  const started = ctx.clock.monotonicMs();
  const present = (await ctx.files.list()).map((file) => file.name);
  const plan = planPipeline(specs, ctx.registry ?? stepRegistry, ctx.hardware, present);
  const runs: StepRun[] = [];
  let reported = 0;
  for (const planned of plan) {
    const stage = planned.definition.name;
    const report = (within: number, message?: string) => {
      const fraction = Math.min(
        1,
        Math.max(reported, (planned.index + Math.min(1, Math.max(0, within))) / plan.length),
      );
      reported = fraction;
      ctx.onProgress?.({ fraction, stage, ...(message === undefined ? {} : { message }) });
    };
    report(0);
    runs.push(await execute(planned, { ...ctx, progress: report }, signal));
    report(1);
  }
  return { steps: runs, durationMs: Math.round(ctx.clock.monotonicMs() - started) };
}
