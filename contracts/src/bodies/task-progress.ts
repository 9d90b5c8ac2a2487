// node → control plane: how far the task is, for the producer's progress bar. Progress is
// advisory: it does not renew the lease (heartbeats do).
import { z } from 'zod';
import { taskRefShape } from './task-ref.ts';
import { NoteSchema, SlugSchema } from '../primitives.ts';

export const TaskProgressBodySchema = z.object({
  ...taskRefShape,
  /** 0..1 over the whole task, not the current stage. */
  fraction: z.number().min(0).max(1),
  /** `fetching-inputs`, a step name, `uploading-outputs`... */
  stage: SlugSchema,
  /** Shown to people; written by the agent, never containing client content. */
  message: NoteSchema.optional(),
});

export type TaskProgressBody = z.infer<typeof TaskProgressBodySchema>;
