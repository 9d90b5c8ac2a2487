// What a task runs, as compiled from its template and stored with the task: everything a
// task.assign needs besides the lease (steps, inputs, sealed fields, timeout).
import type { EncryptedField, StepSpec } from '@enclave/contracts';
import type { TaskInput, TaskOutput } from '../templates/index.ts';

export interface TaskWork {
  readonly template: { readonly id: string; readonly version: number };
  readonly steps: readonly StepSpec[];
  readonly inputs: readonly TaskInput[];
  readonly outputs: readonly TaskOutput[];
  readonly sealed: Readonly<Record<string, EncryptedField>>;
  readonly timeoutMs: number;
}
