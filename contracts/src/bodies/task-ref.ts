// Every task message names the assignment it is about. The epoch is the fence: a result or
// cancel for an older epoch than the current assignment's is dropped.
import { z } from 'zod';
import { EntityIdSchema, EpochSchema } from '../primitives.ts';

export const taskRefShape = {
  jobId: EntityIdSchema,
  taskId: EntityIdSchema,
  epoch: EpochSchema,
};

export const LeaseRefSchema = z.object({ taskId: EntityIdSchema, epoch: EpochSchema });

export type LeaseRef = z.infer<typeof LeaseRefSchema>;
