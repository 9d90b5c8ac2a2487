// One task from accepted to its final message. Every way it can end maps to exactly one
// terminal message: success, the runtime's own failure, an asset transfer failure (its code and
// kind), cancel (hard CANCELLED), timeout (hard TASK_TIMEOUT), shutdown (soft AGENT_SHUTDOWN:
// handed back to the scheduler) or an unexpected throw (soft INTERNAL) — except a stale lease
// (the control plane answered 409): the task is dropped with no terminal message, because the
// control plane has already given it to a newer epoch and would discard one.
import { FailureKind, TaskFailureCode, type TaskAssignBody } from '@enclave/contracts';
import type { Clock } from '../support/clock.ts';
import type { Timers } from '../support/timers.ts';
import { AssetTransferError, StaleLeaseError } from '../assets/asset-transfer.errors.ts';
import type { InputFetcher, TaskAssets } from './input-fetcher.ts';
import type { ResultEmitter } from './result-emitter.ts';
import type { StepProgress, StepRuntime } from './step-runtime.ts';

export type StopReason = 'cancelled' | 'timeout' | 'shutdown';

export interface ExecutionDeps {
  runtime: StepRuntime;
  inputs: InputFetcher;
  clock: Clock;
  timers: Timers;
  /** Minimum time between two task.progress messages of one task. */
  progressIntervalMs: number;
  /** Told when a task is dropped because its lease went stale (409). */
  onStale?: (taskId: string, epoch: number) => void;
}

export class TaskExecution {
  readonly task: TaskAssignBody;
  readonly #emitter: ResultEmitter;
  readonly #deps: ExecutionDeps;
  readonly #abort = new AbortController();
  #stopReason: StopReason | null = null;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  #keyId: string | undefined;
  readonly done: Promise<void>;

  readonly #tenantId: string;

  constructor(task: TaskAssignBody, emitter: ResultEmitter, deps: ExecutionDeps, tenantId: string) {
    this.task = task;
    this.#tenantId = tenantId;
    this.#emitter = emitter;
    this.#deps = deps;
    emitter.accepted();
    this.done = this.#run();
  }

  /** The task's data key id once its key was fetched: erase orders find their tasks by it. */
  get keyId(): string | undefined {
    return this.#keyId;
  }

  stop(reason: StopReason): void {
    if (this.#stopReason) return;
    this.#stopReason = reason;
    this.#abort.abort(new Error(`task ${reason}`));
  }

  async #run(): Promise<void> {
    const timer = this.#deps.timers.after(this.task.timeoutMs, () => this.stop('timeout'));
    let assets: TaskAssets | null = null;
    try {
      assets = await this.#deps.inputs.open(this.task, this.#abort.signal);
      this.#keyId = assets.keyId;
      const result = await this.#deps.runtime.run(this.task, {
        signal: this.#abort.signal,
        tenantId: this.#tenantId,
        assets,
        onProgress: (progress) => this.#progress(progress),
      });
      if (this.#stopReason) this.#reportStopped(this.#stopReason);
      else if (result.ok) this.#emitter.succeeded({ outputs: result.outputs, metrics: result.metrics });
      else
        this.#emitter.failed({
          failure: result.failure,
          code: result.code,
          message: result.message,
          step: result.step,
        });
    } catch (error) {
      if (this.#stopReason) this.#reportStopped(this.#stopReason);
      else if (error instanceof StaleLeaseError) this.#deps.onStale?.(this.task.taskId, this.task.epoch);
      else if (error instanceof AssetTransferError)
        this.#emitter.failed({
          failure: error.failure,
          code: error.code,
          message: error.message.slice(0, 1000),
        });
      else
        this.#emitter.failed({
          failure: FailureKind.Soft,
          code: TaskFailureCode.INTERNAL,
          message: `agent error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000),
        });
    } finally {
      timer.cancel();
      assets?.close();
    }
  }

  #progress(progress: StepProgress): void {
    if (this.#stopReason) return;
    const now = this.#deps.clock.now().getTime();
    if (now - this.#lastProgressAt < this.#deps.progressIntervalMs) return;
    this.#lastProgressAt = now;
    const fraction = Math.min(1, Math.max(0, progress.fraction));
    this.#emitter.progress({ fraction, stage: progress.stage, message: progress.message });
  }

  #reportStopped(reason: StopReason): void {
    switch (reason) {
      case 'cancelled':
        this.#emitter.failed({
          failure: FailureKind.Hard,
          code: TaskFailureCode.CANCELLED,
          message: 'cancelled by the control plane',
        });
        return;
      case 'timeout':
        this.#emitter.failed({
          failure: FailureKind.Hard,
          code: TaskFailureCode.TASK_TIMEOUT,
          message: `task ran past its ${this.task.timeoutMs} ms limit`,
        });
        return;
      case 'shutdown':
        this.#emitter.failed({
          failure: FailureKind.Soft,
          code: TaskFailureCode.AGENT_SHUTDOWN,
          message: 'handed back: the agent is shutting down',
        });
        return;
      default: {
        const unhandled: never = reason;
        throw new Error(`unknown stop reason ${String(unhandled)}`);
      }
    }
  }
}
