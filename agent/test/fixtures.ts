// Test builders for envelopes and a scripted step runtime.
import { newEnvelope, type EnvelopeOf, type TaskAssignBody } from '@enclave/contracts';
import type { StepRunContext, StepRunResult, StepRuntime } from '../src/runner/step-runtime.ts';

export const NODE = 'gpu-test-1';
export const TRACE = '0123456789abcdef0123456789abcdef';

let counter = 0;
export const nextId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function assignEnvelope(overrides: Partial<TaskAssignBody> = {}): EnvelopeOf<'task.assign'> {
  const body: TaskAssignBody = {
    jobId: 'job-1',
    taskId: 'task-1',
    epoch: 1,
    leaseMs: 30_000,
    timeoutMs: 60_000,
    slots: 1,
    template: { id: 'tpl-1', version: 1 },
    steps: [{ step: 'transcode', params: {} }],
    inputs: [],
    sealed: {},
    ...overrides,
  };
  return newEnvelope<'task.assign'>(
    { type: 'task.assign', nodeId: NODE, tenantId: 'tenant-1', traceId: TRACE, body },
    { id: nextId(), now: new Date('2026-01-01T00:00:00Z') },
  );
}

export function cancelEnvelope(taskId: string, epoch: number): EnvelopeOf<'task.cancel'> {
  return newEnvelope<'task.cancel'>(
    {
      type: 'task.cancel',
      nodeId: NODE,
      tenantId: 'tenant-1',
      traceId: TRACE,
      body: { jobId: 'job-1', taskId, epoch, reason: 'user-cancelled' },
    },
    { id: nextId(), now: new Date('2026-01-01T00:00:00Z') },
  );
}

/** A runtime each test drives by hand: `finish(taskId, result)` ends that task's run. */
export class ScriptedRuntime implements StepRuntime {
  readonly contexts = new Map<string, StepRunContext>();
  readonly #finishers = new Map<string, (result: StepRunResult) => void>();

  run(task: TaskAssignBody, context: StepRunContext): Promise<StepRunResult> {
    this.contexts.set(task.taskId, context);
    return new Promise<StepRunResult>((resolve, reject) => {
      this.#finishers.set(task.taskId, resolve);
      context.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  finish(
    taskId: string,
    result: StepRunResult = { ok: true, outputs: [], metrics: { durationMs: 5, steps: [] } },
  ): void {
    const finish = this.#finishers.get(taskId);
    if (!finish) throw new Error(`no run for ${taskId}`);
    finish(result);
  }
}

export const flushPromises = () => new Promise<void>((resolve) => setImmediate(resolve));
