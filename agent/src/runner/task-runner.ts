// Takes task.assign and task.cancel off jobs.<self>. Each decision is durable before the
// handler returns (results go to the SQLite outbox), so the consumer commits the offset only
// after `handle` resolved: a crash before that redelivers, and redeliveries are deduplicated
// by (taskId, epoch).
import {
  FailureKind,
  TaskFailureCode,
  type Envelope,
  type EnvelopeOf,
  type LeaseRef,
} from '@enclave/contracts';
import { acceptsWork, type AgentStateMachine } from '../state/agent-state.ts';
import type { Clock } from '../support/clock.ts';
import { ResultEmitter, type ResultSink } from './result-emitter.ts';
import { TaskExecution, type ExecutionDeps } from './task-execution.ts';

export type HandleOutcome =
  | 'accepted'
  | 'refused-capacity'
  | 'refused-draining'
  | 'stale-epoch'
  | 'duplicate'
  | 'cancelled'
  | 'cancel-unknown'
  | 'ignored';

export interface TaskRunnerDeps extends ExecutionDeps {
  slots: number;
  sink: ResultSink;
  machine: AgentStateMachine;
  clock: Clock;
  newId: () => string;
}

export class TaskRunner {
  readonly #deps: TaskRunnerDeps;
  readonly #running = new Map<string, TaskExecution>();
  /** Highest epoch seen per task id; bounded by how many tasks one agent sees in its life. */
  readonly #epochs = new Map<string, number>();

  constructor(deps: TaskRunnerDeps) {
    this.#deps = deps;
  }

  get slotsTotal(): number {
    return this.#deps.slots;
  }

  get slotsFree(): number {
    let used = 0;
    for (const execution of this.#running.values()) used += execution.task.slots;
    return Math.max(0, this.#deps.slots - used);
  }

  get runningCount(): number {
    return this.#running.size;
  }

  /** The leases to renew in the next heartbeat. */
  leases(): LeaseRef[] {
    return [...this.#running.values()].map(({ task }) => ({ taskId: task.taskId, epoch: task.epoch }));
  }

  handle(envelope: Envelope): HandleOutcome {
    switch (envelope.type) {
      case 'task.assign':
        return this.#assign(envelope);
      case 'task.cancel':
        return this.#cancel(envelope);
      default:
        // erase.order goes to the EraseOrderHandler (the daemon routes it); results types never
        // arrive on jobs.<self>.
        return 'ignored';
    }
  }

  /** Stop taking work, wait up to `deadlineMs` for running tasks, then abort and hand them back. */
  async drain(deadlineMs: number): Promise<void> {
    const { machine, timers } = this.#deps;
    if (machine.state !== 'draining') machine.apply({ kind: 'drain' });
    const all = () => Promise.all([...this.#running.values()].map((execution) => execution.done));
    let timer: { cancel(): void } | null = null;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = timers.after(deadlineMs, () => resolve('deadline'));
    });
    const first = await Promise.race([all().then(() => 'done' as const), deadline]);
    (timer as { cancel(): void } | null)?.cancel();
    if (first === 'deadline') this.abortAll();
    await all();
  }

  /** The running tasks whose data key is one of `keyIds`. */
  tasksUsingKeys(keyIds: ReadonlySet<string>): { taskId: string; keyId: string }[] {
    const found: { taskId: string; keyId: string }[] = [];
    for (const execution of this.#running.values()) {
      const keyId = execution.keyId;
      if (keyId !== undefined && keyIds.has(keyId)) found.push({ taskId: execution.task.taskId, keyId });
    }
    return found;
  }

  /**
   * Erase order: cancels every running task whose data key is one of `keyIds` (each ends with a
   * hard CANCELLED; its scratch is wiped by the runtime) and resolves once they have ended.
   */
  async cancelUsingKeys(keyIds: ReadonlySet<string>): Promise<{ taskId: string; keyId: string }[]> {
    const stopped: { taskId: string; keyId: string; done: Promise<void> }[] = [];
    for (const execution of this.#running.values()) {
      const keyId = execution.keyId;
      if (keyId === undefined || !keyIds.has(keyId)) continue;
      execution.stop('cancelled');
      stopped.push({ taskId: execution.task.taskId, keyId, done: execution.done });
    }
    await Promise.all(stopped.map((s) => s.done));
    return stopped.map(({ taskId, keyId }) => ({ taskId, keyId }));
  }

  /** Abort everything now (the second signal): each task reports a soft AGENT_SHUTDOWN. */
  abortAll(): void {
    for (const execution of this.#running.values()) execution.stop('shutdown');
  }

  #assign(envelope: EnvelopeOf<'task.assign'>): HandleOutcome {
    const task = envelope.body;
    const seen = this.#epochs.get(task.taskId);
    if (seen !== undefined && task.epoch < seen) return 'stale-epoch';
    if (seen !== undefined && task.epoch === seen) return 'duplicate';
    // A newer epoch of a task we still run means the old lease was lost: stop the old run.
    this.#running.get(task.taskId)?.stop('cancelled');
    const emitter = new ResultEmitter(envelope, this.#deps.sink, this.#deps.clock, this.#deps.newId);
    if (!acceptsWork(this.#deps.machine.state)) {
      this.#epochs.set(task.taskId, task.epoch);
      emitter.failed({
        failure: FailureKind.Soft,
        code: TaskFailureCode.AGENT_SHUTDOWN,
        message: 'the node is draining',
      });
      return 'refused-draining';
    }
    if (task.slots > this.slotsFree) {
      this.#epochs.set(task.taskId, task.epoch);
      emitter.failed({
        failure: FailureKind.Soft,
        code: TaskFailureCode.NO_CAPACITY,
        message: `needs ${task.slots} slots, ${this.slotsFree} free`,
      });
      return 'refused-capacity';
    }
    this.#epochs.set(task.taskId, task.epoch);
    const execution = new TaskExecution(task, emitter, this.#deps, envelope.tenantId);
    const key = task.taskId;
    this.#running.set(key, execution);
    this.#deps.machine.apply({ kind: 'task-started', running: this.#running.size });
    void execution.done.finally(() => {
      if (this.#running.get(key) === execution) this.#running.delete(key);
      this.#deps.machine.tryApply({ kind: 'task-finished', running: this.#running.size });
    });
    return 'accepted';
  }

  #cancel(envelope: EnvelopeOf<'task.cancel'>): HandleOutcome {
    const execution = this.#running.get(envelope.body.taskId);
    if (!execution || execution.task.epoch !== envelope.body.epoch) return 'cancel-unknown';
    execution.stop('cancelled');
    return 'cancelled';
  }
}
