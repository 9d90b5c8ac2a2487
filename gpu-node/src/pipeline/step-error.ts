// The one error type a step raises. It carries what the agent needs for `task.failed` (code,
// soft/hard, which step) and a message fit for the operator: never client content, never a
// tool's stderr (which can quote media metadata). The stderr tail rides along as a
// non-enumerable `diagnostics` property for local debugging and is never serialised.
import { FailureKind, TaskFailureCode } from '@enclave/contracts';

export interface StepErrorOptions {
  readonly code: TaskFailureCode;
  readonly failure: FailureKind;
  readonly step?: { readonly index: number; readonly name: string };
  readonly diagnostics?: string;
  readonly cause?: unknown;
}

export class StepError extends Error {
  readonly code: TaskFailureCode;
  readonly failure: FailureKind;
  readonly step: { readonly index: number; readonly name: string } | undefined;
  declare readonly diagnostics: string | undefined;

  constructor(message: string, options: StepErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepError';
    this.code = options.code;
    this.failure = options.failure;
    this.step = options.step;
    Object.defineProperty(this, 'diagnostics', { value: options.diagnostics, enumerable: false });
  }

  /** The same error, now knowing which step of the task raised it. */
  atStep(index: number, name: string): StepError {
    if (this.step !== undefined) return this;
    return new StepError(this.message, {
      code: this.code,
      failure: this.failure,
      step: { index, name },
      diagnostics: this.diagnostics,
      cause: this.cause,
    });
  }
}

/** The task itself cannot succeed: bad parameters or input; another node would fail too. */
export function hardError(code: TaskFailureCode, message: string, diagnostics?: string): StepError {
  return new StepError(message, { code, failure: FailureKind.Hard, diagnostics });
}

/** This node or its circumstances failed: another node may succeed. */
export function softError(code: TaskFailureCode, message: string, diagnostics?: string): StepError {
  return new StepError(message, { code, failure: FailureKind.Soft, diagnostics });
}

export const cancelledError = (): StepError =>
  new StepError('the task was cancelled', { code: TaskFailureCode.CANCELLED, failure: FailureKind.Hard });
