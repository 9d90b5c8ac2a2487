// How an asset transfer can end badly, in the terms task.failed needs. A 409 is different: the
// node no longer holds the lease, so the task is dropped without a terminal message (the
// control plane has moved it on and would ignore one).
import type { TaskFailureCode } from '@enclave/contracts';
import { FailureKind } from '@enclave/contracts';

export class AssetTransferError extends Error {
  readonly code: TaskFailureCode;
  readonly failure: FailureKind;

  constructor(code: TaskFailureCode, failure: FailureKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AssetTransferError';
    this.code = code;
    this.failure = failure;
  }
}

/** The control plane answered 409: this (taskId, epoch) is no longer the live lease. */
export class StaleLeaseError extends Error {
  constructor(taskId: string, epoch: number) {
    super(`task ${taskId} epoch ${epoch} is no longer leased to this node`);
    this.name = 'StaleLeaseError';
  }
}

/** Maps a non-success HTTP status of an /agent/v1/tasks route to the error the task ends with. */
export function transferErrorFor(
  status: number,
  what: string,
  task: { taskId: string; epoch: number },
  detail: string,
  failedCode: TaskFailureCode,
): Error {
  if (status === 409) return new StaleLeaseError(task.taskId, task.epoch);
  const note = detail ? `: ${detail.slice(0, 300)}` : '';
  if (status === 410)
    return new AssetTransferError(
      failedCode,
      FailureKind.Hard,
      `${what}: the project's data was destroyed (HTTP 410); the task cannot run again${note}`,
    );
  // 4xx other than these means the request itself is wrong: retrying elsewhere will not help.
  const kind =
    status >= 400 && status < 500 && status !== 408 && status !== 429 ? FailureKind.Hard : FailureKind.Soft;
  return new AssetTransferError(failedCode, kind, `${what}: HTTP ${status}${note}`);
}
