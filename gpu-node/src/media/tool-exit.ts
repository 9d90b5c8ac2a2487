// Turning a finished (or unstartable) tool process into the right StepError, in one place.
// Messages name the tool and the stage only; stderr goes to `diagnostics`, never the wire.
import { TaskFailureCode } from '@enclave/contracts';
import type { ProcessResult } from '../process/process-runner.ts';
import { ProcessStartError } from '../process/process-runner.ts';
import { cancelledError, hardError, softError, type StepError } from '../pipeline/step-error.ts';

export function exitError(tool: string, stage: string, result: ProcessResult): StepError | null {
  if (result.aborted) return cancelledError();
  if (result.timedOut)
    return hardError(TaskFailureCode.STEP_TIMEOUT, `${tool} ran out of time during ${stage}`);
  if (result.code === 0) return null;
  switch (result.signal) {
    case 'SIGXCPU':
      return hardError(TaskFailureCode.RESOURCES_EXHAUSTED, `${tool} hit the CPU-time limit during ${stage}`);
    case 'SIGXFSZ':
      return hardError(
        TaskFailureCode.RESOURCES_EXHAUSTED,
        `${tool} hit the file-size limit during ${stage}`,
      );
    case 'SIGKILL':
      // Not ours (we only SIGKILL after an abort or timeout): most likely the OOM killer.
      return softError(
        TaskFailureCode.RESOURCES_EXHAUSTED,
        `${tool} was killed during ${stage} (out of memory?)`,
      );
    default:
      return hardError(
        TaskFailureCode.STEP_FAILED,
        `${tool} failed during ${stage} (${result.signal ?? `exit code ${result.code ?? 'unknown'}`})`,
        result.stderrTail,
      );
  }
}

/** Throws unless the tool exited 0. */
export function assertSucceeded(tool: string, stage: string, result: ProcessResult): void {
  const error = exitError(tool, stage, result);
  if (error !== null) throw error;
}

/** Runs a tool and maps "could not even start it" to a soft failure: this node lacks the tool. */
export async function startingTool<T>(tool: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProcessStartError) {
      throw softError(TaskFailureCode.UNSUPPORTED_STEP, `this node cannot run ${tool}`);
    }
    throw error;
  }
}
