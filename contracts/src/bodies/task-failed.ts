// node → control plane: the task did not finish. `failure` tells the scheduler what to do:
// soft → place it again (elsewhere), hard → fail the job.
import { z } from 'zod';
import { taskRefShape } from './task-ref.ts';
import { NoteSchema, StepNameSchema } from '../primitives.ts';

export const FailureKind = {
  /** The node or its circumstances failed (OOM, disk, lost input); another node may succeed. */
  Soft: 'soft',
  /** The task itself cannot succeed (bad input, step error); retrying is pointless. */
  Hard: 'hard',
} as const;

export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

/**
 * Codes agents send today. The wire accepts any UPPER_SNAKE code so that a newer agent's new
 * code does not make an older control plane drop the whole failure; the scheduler acts on
 * `failure`, and the code is for people and statistics.
 */
export const TaskFailureCode = {
  STEP_FAILED: 'STEP_FAILED',
  STEP_TIMEOUT: 'STEP_TIMEOUT',
  TASK_TIMEOUT: 'TASK_TIMEOUT',
  UNSUPPORTED_STEP: 'UNSUPPORTED_STEP',
  INVALID_PARAMS: 'INVALID_PARAMS',
  INPUT_UNAVAILABLE: 'INPUT_UNAVAILABLE',
  INPUT_INTEGRITY: 'INPUT_INTEGRITY',
  DECRYPTION_FAILED: 'DECRYPTION_FAILED',
  OUTPUT_UPLOAD_FAILED: 'OUTPUT_UPLOAD_FAILED',
  RESOURCES_EXHAUSTED: 'RESOURCES_EXHAUSTED',
  NO_CAPACITY: 'NO_CAPACITY',
  SANDBOX_VIOLATION: 'SANDBOX_VIOLATION',
  EGRESS_BLOCKED: 'EGRESS_BLOCKED',
  AGENT_SHUTDOWN: 'AGENT_SHUTDOWN',
  /** The answer to a task.cancel: the task has stopped and its slot is free. Sent as hard. */
  CANCELLED: 'CANCELLED',
  INTERNAL: 'INTERNAL',
} as const;

export type TaskFailureCode = (typeof TaskFailureCode)[keyof typeof TaskFailureCode];

export const TaskFailedBodySchema = z.object({
  ...taskRefShape,
  failure: z.enum(FailureKind),
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an UPPER_SNAKE code of at most 64 characters'),
  /** For the operator: what went wrong, without client content (no stderr dumps of scripts). */
  message: NoteSchema,
  /** The step that failed, when one did. */
  step: z.object({ index: z.int().min(0), name: StepNameSchema }).optional(),
});

export type TaskFailedBody = z.infer<typeof TaskFailedBodySchema>;
