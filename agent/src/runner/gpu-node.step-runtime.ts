// The production StepRuntime: gpu-node's runPipeline in a per-task scratch directory that is
// wiped whatever the outcome. Inputs are decrypted into the task files (`files/<name>.<ext>`)
// before the first step; after the last one, every task file that is not an input is
// encrypted and uploaded, and the returned AssetRefs are the task's outputs. A full scratch
// volume at any stage ends the task as a soft RESOURCES_EXHAUSTED (scratch-full.ts).
import { FailureKind, TaskFailureCode, type AssetRef, type TaskAssignBody } from '@enclave/contracts';
import { StepError, isMediaType, runPipeline, type NodeRuntime, type TaskSession } from '@enclave/gpu-node';
import { AssetTransferError, StaleLeaseError } from '../assets/asset-transfer.errors.ts';
import { isScratchFull, scratchFullFailure } from './scratch-full.ts';
import type { StepRunContext, StepRunResult, StepRuntime } from './step-runtime.ts';

export class GpuNodeStepRuntime implements StepRuntime {
  readonly #node: NodeRuntime;

  constructor(node: NodeRuntime) {
    this.#node = node;
  }

  async run(task: TaskAssignBody, context: StepRunContext): Promise<StepRunResult> {
    const { assets, signal } = context;
    let session: TaskSession | undefined;
    // Where a full disk would have stopped the task: named in its failure message.
    let stage = 'the scratch set-up';
    try {
      session = await this.#node.openTask(task.taskId);
      stage = 'the input decryption';
      for (const input of assets.inputs) {
        const { mediaType, name } = input.ref;
        if (!isMediaType(mediaType)) {
          return {
            ok: false,
            failure: FailureKind.Hard,
            code: TaskFailureCode.INPUT_UNAVAILABLE,
            message: `input "${name}" has media type ${mediaType}, which no step reads`,
          };
        }
        await assets.materialise(input, session.files.pathFor(name, mediaType), signal);
      }
      // Client text travels sealed; it becomes a task file (text/plain) only here, on scratch.
      stage = 'the sealed fields';
      for (const [field, value] of Object.entries(task.sealed)) {
        const text = assets.openSealed(value, sealedFieldAad(context.tenantId, task.jobId, field));
        await session.files.write(field, 'text/plain', text);
      }
      stage = 'the steps';
      const result = await runPipeline(
        task.steps,
        session.context((progress) => context.onProgress(progress)),
        signal,
      );
      // Inputs and opened sealed fields are not outputs: only what the steps wrote goes back.
      const inputNames = new Set([...task.inputs.map((ref) => ref.name), ...Object.keys(task.sealed)]);
      stage = 'the output upload';
      const outputs: AssetRef[] = [];
      const declared = assets.outputNames === undefined ? undefined : new Set(assets.outputNames);
      for (const file of await session.files.list()) {
        // Declared outputs go back even when they share an input's name (rewritten in place);
        // intermediates (another step's input, e.g. `composed`) stay on scratch.
        if (declared !== undefined ? !declared.has(file.name) : inputNames.has(file.name)) continue;
        outputs.push(await assets.upload(file, signal));
      }
      return { ok: true, outputs, metrics: { durationMs: result.durationMs, steps: result.steps } };
    } catch (error) {
      // Checked first: ENOSPC surfaces as whatever was writing (a decryption, a step's exit).
      if (!signal.aborted && isScratchFull(error)) {
        const step = error instanceof StepError ? error.step : undefined;
        return scratchFullFailure(step ? `step ${step.index} (${step.name})` : stage, step);
      }
      if (error instanceof StepError) {
        return {
          ok: false,
          failure: error.failure,
          code: error.code,
          message: error.message.slice(0, 1000),
          step: error.step,
        };
      }
      // Asset transfer outcomes carry their own code; TaskExecution turns them into the ending.
      if (signal.aborted || error instanceof AssetTransferError || error instanceof StaleLeaseError)
        throw error;
      return {
        ok: false,
        failure: FailureKind.Soft,
        code: TaskFailureCode.INTERNAL,
        message: error instanceof Error ? error.message.slice(0, 1000) : 'step runtime failed',
      };
    } finally {
      // Also when openTask itself failed half-way (a full disk while making its directories).
      await (session?.wipe() ?? this.#node.scratch.wipe(task.taskId));
    }
  }
}

/**
 * The additional data a sealed field is bound to, as the control plane seals it
 * (control-plane/src/jobs/sealer.ts, sealedFieldAad): a value copied into another job or
 * tenant does not open.
 */
export function sealedFieldAad(tenantId: string, jobId: string, field: string): string {
  return `enclave/sealed/v1/${tenantId}/${jobId}/${field}`;
}
