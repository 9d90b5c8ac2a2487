// node → control plane: the assignment arrived and the node has taken it. Until this comes,
// the control plane may re-place the task without cancelling anything.
import { z } from 'zod';
import { taskRefShape } from './task-ref.ts';

export const TaskAcceptedBodySchema = z.object({ ...taskRefShape });

export type TaskAcceptedBody = z.infer<typeof TaskAcceptedBodySchema>;
