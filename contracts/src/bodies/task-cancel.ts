// control plane → node: stop this assignment. Carries the epoch so a late cancel for an old
// assignment cannot kill the task's newer run on the same node.
import { z } from 'zod';
import { taskRefShape } from './task-ref.ts';
import { NoteSchema } from '../primitives.ts';

export const CancelReason = {
  /** A person cancelled the job. */
  UserCancelled: 'user-cancelled',
  /** The lease ran out; the task has been queued again with a higher epoch. */
  LeaseExpired: 'lease-expired',
  /** Another task of the job failed hard; the rest is pointless. */
  JobFailed: 'job-failed',
  /** An operator is draining the node and does not want to wait. */
  NodeDraining: 'node-draining',
  /** Data the task uses is being erased (data-subject request, retention). */
  Erasure: 'erasure',
  /** A data-subject restriction or objection stopped processing of the task's data. */
  Restriction: 'restriction',
} as const;

export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

export const TaskCancelBodySchema = z.object({
  ...taskRefShape,
  reason: z.enum(CancelReason),
  note: NoteSchema.optional(),
});

export type TaskCancelBody = z.infer<typeof TaskCancelBodySchema>;
