// A full scratch volume (ENOSPC) is the node's condition, not the task's: the same task may
// fit on a node with a larger volume, or on this one once its other tasks have ended. So it is
// reported as a soft RESOURCES_EXHAUSTED ("handed back": the scheduler retries elsewhere after
// a back-off, counts the fault against this node for the job, and gives up after its attempt
// limit), never as the failure the full disk happened to surface as (an input that "does not
// decrypt", a step that "failed", an agent error).
import { FailureKind, TaskFailureCode } from '@enclave/contracts';
import { StepError } from '@enclave/gpu-node';

/** What a tool prints when its write hits ENOSPC (ffmpeg: "…: No space left on device"). */
const NO_SPACE = /No space left on device|Disk quota exceeded/i;
const NO_SPACE_ERRNO = new Set(['ENOSPC', 'EDQUOT']);

/** True when `error` (or an error in its cause chain) is a write that found the disk full. */
export function isScratchFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && NO_SPACE_ERRNO.has(code)) return true;
    // A step's tool ran out of space in its own process: only its stderr says so.
    if (current instanceof StepError && NO_SPACE.test(current.diagnostics ?? '')) return true;
    current = current.cause;
  }
  return false;
}

export interface ScratchFullFailure {
  ok: false;
  failure: FailureKind;
  code: TaskFailureCode;
  message: string;
  step?: { index: number; name: string };
}

/** The task.failed body of a task that ran out of scratch space while doing `what`. */
export function scratchFullFailure(what: string, step?: { index: number; name: string }): ScratchFullFailure {
  return {
    ok: false,
    failure: FailureKind.Soft,
    code: TaskFailureCode.RESOURCES_EXHAUSTED,
    message: `the node's scratch volume is full (ENOSPC) during ${what}; the task's scratch was wiped and the task handed back`,
    ...(step !== undefined ? { step } : {}),
  };
}
