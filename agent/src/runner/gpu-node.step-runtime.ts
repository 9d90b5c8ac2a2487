// The production StepRuntime: gpu-node's runPipeline in a per-task scratch directory that is
// wiped whatever the outcome. Outputs are not uploaded yet (the /agent/v1 upload route lands
// with the encryption issue), so a success reports no output assets; see docs/agent.md.
import { FailureKind, TaskFailureCode, type TaskAssignBody } from '@enclave/contracts';
import { StepError, runPipeline, type NodeRuntime } from '@enclave/gpu-node';
import type { StepRunContext, StepRunResult, StepRuntime } from './step-runtime.ts';

export class GpuNodeStepRuntime implements StepRuntime {
  readonly #node: NodeRuntime;

  constructor(node: NodeRuntime) {
    this.#node = node;
  }

  async run(task: TaskAssignBody, context: StepRunContext): Promise<StepRunResult> {
    const session = await this.#node.openTask(task.taskId);
    try {
      const result = await runPipeline(
        task.steps,
        session.context((progress) => context.onProgress(progress)),
        context.signal,
      );
      return { ok: true, outputs: [], metrics: { durationMs: result.durationMs, steps: result.steps } };
    } catch (error) {
      if (error instanceof StepError) {
        return {
          ok: false,
          failure: error.failure,
          code: error.code,
          message: error.message.slice(0, 1000),
          step: error.step,
        };
      }
      if (context.signal.aborted) throw error;
      return {
        ok: false,
        failure: FailureKind.Soft,
        code: TaskFailureCode.INTERNAL,
        message: error instanceof Error ? error.message.slice(0, 1000) : 'step runtime failed',
      };
    } finally {
      await session.wipe();
    }
  }
}
