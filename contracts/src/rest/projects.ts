// Projects: the unit a producer works in and the unit retention counts from (privacy policy:
// project files are kept 90 days after completion unless extended; a legal hold wins).
import { z } from 'zod';
import { noCardNumbers } from './privacy.ts';
import { EntityIdSchema, TimestampSchema } from '../primitives.ts';

export const ProjectState = { Active: 'active', Completed: 'completed' } as const;
export type ProjectState = (typeof ProjectState)[keyof typeof ProjectState];
export const ProjectStateSchema = z.enum(ProjectState);

export const ProjectNameSchema = noCardNumbers(z.string().trim().min(1, 'required').max(200));

export const ProjectSchema = z.object({
  projectId: EntityIdSchema,
  name: z.string(),
  state: ProjectStateSchema,
  createdAt: TimestampSchema,
  completedAt: TimestampSchema.nullable(),
  /** Set when someone extended retention past the default; null otherwise. */
  retentionExtendedUntil: TimestampSchema.nullable(),
});

export const ProjectListSchema = z.object({ items: z.array(ProjectSchema) });

export const CreateProjectRequestSchema = z.object({ name: ProjectNameSchema }).strict();

export const ProjectIdParamsSchema = z.object({ projectId: EntityIdSchema }).strict();

/** Query strings are text: a page size arrives as "50". */
export const PageQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.int().min(1).max(500))
      .optional(),
    offset: z
      .string()
      .regex(/^\d{1,9}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.int().min(0))
      .optional(),
  })
  .strict();

export type Project = z.infer<typeof ProjectSchema>;
export type CreateProjectRequest = z.infer<typeof CreateProjectRequestSchema>;
