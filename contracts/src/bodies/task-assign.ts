// control plane → node: run this task under this lease. Everything the node needs is here or
// referenced from here; client text (scripts, prompts, on-screen words) is only in `sealed`.
import { z } from 'zod';
import { EncryptedFieldSchema } from './encrypted-field.ts';
import { AssetRefSchema } from './asset-ref.ts';
import { taskRefShape } from './task-ref.ts';
import { EntityIdSchema, FieldNameSchema, StepNameSchema } from '../primitives.ts';

/**
 * Plain parameter strings are capped at 256 characters on purpose: it keeps free text out of
 * `params`, where it would travel in the clear. Anything a client wrote belongs in `sealed`.
 */
export const MAX_PARAM_STRING = 256;

const ScalarSchema = z.union([z.string().max(MAX_PARAM_STRING), z.number(), z.boolean(), z.null()]);

const smallRecord = <V extends z.ZodType>(value: V, max: number) =>
  z
    .record(FieldNameSchema, value)
    .refine((record) => Object.keys(record).length <= max, `must have at most ${max} entries`);

/** A step parameter: a scalar, a list of scalars, or one level of named scalars. */
export const ParamValueSchema = z.union([
  ScalarSchema,
  z.array(ScalarSchema).max(256),
  smallRecord(ScalarSchema, 64),
]);

export const StepSpecSchema = z.object({
  step: StepNameSchema,
  /**
   * Validated again on the node against the step's own schema (gpu-node). A step reads a
   * sealed field by naming it in a parameter, e.g. `{ "scriptField": "script" }`.
   */
  params: smallRecord(ParamValueSchema, 64),
});

export const TaskAssignBodySchema = z.object({
  ...taskRefShape,
  /**
   * How long the lease lasts without renewal. The agent renews by listing the task in every
   * heartbeat, so it must heartbeat well within this (a third of it is the usual rule).
   */
  leaseMs: z.int().min(1_000).max(3_600_000),
  /** Hard limit for the whole task; the agent kills it and reports a hard failure after it. */
  timeoutMs: z.int().min(1_000).max(86_400_000),
  /** Execution slots the task occupies on the node (see node.heartbeat slots). */
  slots: z.int().min(1).max(64),
  /** The template version the task was compiled from, for audit and for the node's logs. */
  template: z.object({ id: EntityIdSchema, version: z.int().min(1) }),
  steps: z.array(StepSpecSchema).min(1).max(64),
  inputs: z.array(AssetRefSchema).max(256),
  /** Sealed client text by name; every value is AES-256-GCM ciphertext (see EncryptedField). */
  sealed: smallRecord(EncryptedFieldSchema, 32),
});

export type StepSpec = z.infer<typeof StepSpecSchema>;
export type ParamValue = z.infer<typeof ParamValueSchema>;
export type TaskAssignBody = z.infer<typeof TaskAssignBodySchema>;
