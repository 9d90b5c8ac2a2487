// Jobs on the REST side: templates to choose from, idempotent submission into a project, the
// job with its task DAG and history, cancellation, the per-job node blocklist, and the history
// entries the live event stream sends.
import { z } from 'zod';
import { CARD_NUMBER_MESSAGE, cardNumberPath } from './privacy.ts';
import { DataCategory, DataPurposeSchema, DataUse } from './privacy-evidence.ts';
import { NodeIdSchema } from '../node-id.ts';
import { EntityIdSchema, SlugSchema, TimestampSchema } from '../primitives.ts';
import { PageQuerySchema } from './projects.ts';
import { TEMPLATE_IDS } from '../templates/template-params.ts';

export const JobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export const TaskStateSchema = z.enum(['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled']);

export const TemplateSummarySchema = z.object({
  id: z.enum(TEMPLATE_IDS),
  version: z.int().min(1),
  title: z.string(),
  description: z.string(),
  /** JSON Schema of the parameters (input side): what the UI builds its form from. */
  paramsSchema: z.record(z.string(), z.unknown()),
});

export const TemplateListSchema = z.object({ items: z.array(TemplateSummarySchema) });

/** Printable ASCII: keys end up in logs and unique indexes, never as free text. */
export const IdempotencyKeySchema = z
  .string()
  .min(1, 'required')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (a UUID is a good key)');

export const SubmitJobRequestSchema = z
  .object({
    /** A template id from GET /api/v1/templates. */
    template: z.string().min(1).max(100),
    /** Validated against the template's parameter schema (errors name `body.params.<field>`). */
    params: z.record(z.string(), z.unknown()),
    /** 0-100, higher first within the tenant; 50 unless given. */
    priority: z.int().min(0).max(100).optional(),
    /**
     * Required. The same key with the same request returns the job made the first time (200);
     * the same key with a different request is refused (409 CONFLICT).
     */
    idempotencyKey: IdempotencyKeySchema,
    /** What the output is for: `production` unless given; `training` is refused (403, privacy §4B). */
    purpose: DataPurposeSchema.optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    // Titles and scripts are free text: a card number typed into one is refused (privacy).
    const path = cardNumberPath(request.params);
    if (path !== null)
      ctx.addIssue({ code: 'custom', path: ['params', ...path], message: CARD_NUMBER_MESSAGE });
  });

export const TaskFailureSchema = z.object({ nodeId: NodeIdSchema, code: z.string() });

export const TaskSummarySchema = z.object({
  taskId: EntityIdSchema,
  /** The template's name for the task (`voice`, `render`), unique within the job. */
  key: z.string(),
  title: z.string(),
  state: TaskStateSchema,
  /** Of the current assignment, or (while queued) of the next one. */
  epoch: z.int().min(1),
  attempts: z.int().min(0),
  failures: z.int().min(0),
  /** The node of the current or last assignment. */
  nodeId: NodeIdSchema.nullable(),
  progress: z.number().min(0).max(1).nullable(),
  /** Keys of the tasks that must succeed first. */
  deps: z.array(z.string()),
  lastFailure: TaskFailureSchema.nullable(),
});

export const HistoryKindSchema = z.enum(['job', 'task', 'progress']);

/** One committed change of a job or its tasks; also the `data` of a live event. */
export const JobHistoryEntrySchema = z.object({
  /** Increases across the appliance; the SSE `id` (send it back as Last-Event-ID to resume). */
  seq: z.int().min(1),
  jobId: EntityIdSchema,
  at: TimestampSchema,
  kind: HistoryKindSchema,
  taskId: EntityIdSchema.nullable(),
  /** The job's or task's state after the change; null for progress. */
  state: z.string().nullable(),
  epoch: z.int().min(1).nullable(),
  nodeId: NodeIdSchema.nullable(),
  progress: z.number().min(0).max(1).nullable(),
  stage: SlugSchema.nullable(),
  /** Why a task changed (scheduler cause: `assigned`, `lease-expired`...). */
  cause: z.string().nullable(),
  code: z.string().nullable(),
});

export const JobSummarySchema = z.object({
  jobId: EntityIdSchema,
  projectId: EntityIdSchema,
  template: z.object({ id: z.string(), version: z.int().min(1) }),
  title: z.string(),
  state: JobStateSchema,
  priority: z.int().min(0).max(100),
  idempotencyKey: z.string(),
  submittedAt: TimestampSchema,
  /** A job's sealed parameters (titles, scripts) are `client-prompt` data; privacy §4B. */
  dataCategory: z.enum(DataCategory).optional(),
  /** Always `['production']`, never training. */
  allowedUses: z.array(z.enum(DataUse)).optional(),
});

export const JobDetailSchema = JobSummarySchema.extend({
  tasks: z.array(TaskSummarySchema),
  /** The DAG: `from` must succeed before `to` starts (task ids). */
  edges: z.array(z.object({ from: EntityIdSchema, to: EntityIdSchema })),
  /** State changes in commit order (progress entries are left out; the stream has them). */
  history: z.array(JobHistoryEntrySchema),
});

export const JobListSchema = z.object({ items: z.array(JobSummarySchema) });

export const JobListQuerySchema = PageQuerySchema.extend({ projectId: EntityIdSchema.optional() }).strict();

export const JobIdParamsSchema = z.object({ jobId: EntityIdSchema }).strict();
export const ProjectJobsParamsSchema = z.object({ projectId: EntityIdSchema }).strict();

export const BlocklistSchema = z.object({
  jobId: EntityIdSchema,
  blocked: z.array(NodeIdSchema),
  /** Faults of this job counted per node since it was last unblocked. */
  failures: z.record(z.string(), z.int().min(0)),
  /** Faults after which a node is blocked for the job automatically. */
  threshold: z.int().min(1),
});

export const BlocklistEditSchema = z
  .object({
    add: z.array(NodeIdSchema).max(256).optional(),
    remove: z.array(NodeIdSchema).max(256).optional(),
  })
  .strict();

/** Resume point of an event stream, when the client cannot send the Last-Event-ID header. */
export const EventStreamQuerySchema = z
  .object({
    lastEventId: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a whole number')
      .optional(),
  })
  .strict();

export type TemplateSummaryDto = z.infer<typeof TemplateSummarySchema>;
export type SubmitJobRequest = z.infer<typeof SubmitJobRequestSchema>;
export type TaskSummary = z.infer<typeof TaskSummarySchema>;
export type JobHistoryEntry = z.infer<typeof JobHistoryEntrySchema>;
export type JobSummary = z.infer<typeof JobSummarySchema>;
export type JobDetail = z.infer<typeof JobDetailSchema>;
export type Blocklist = z.infer<typeof BlocklistSchema>;
export type BlocklistEdit = z.infer<typeof BlocklistEditSchema>;
