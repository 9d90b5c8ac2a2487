// The agent's side of the HTTPS link (/agent/*, mutual TLS with a node certificate): identity,
// and the per-task data key and ciphertext streams of inputs and outputs.
import { z } from 'zod';
import { NodeIdSchema } from '../node-id.ts';
import { EntityIdSchema, EpochSchema, FieldNameSchema, TimestampSchema } from '../primitives.ts';

export const WhoamiSchema = z.object({
  nodeId: NodeIdSchema,
  /** `node-<id>`: the same principal Kafka's ACLs name. */
  principal: z.string(),
  /** When the presented certificate expires; the agent renews at about two thirds of its life. */
  certificateNotAfter: TimestampSchema,
});

export type Whoami = z.infer<typeof WhoamiSchema>;

// ---- Task data: the project data key and the ciphertext streams of inputs and outputs ----
//
// Every task route is fenced by the assignment lease: only the node that holds the LIVE
// assignment (taskId, epoch) may call it; any other node or an older epoch gets 409
// STALE_EPOCH. Once the project's key was destroyed (crypto-shredding) they answer 410 GONE.

/** Header of an output upload: the media type of the plaintext inside the ciphertext. */
export const MEDIA_TYPE_HEADER = 'x-enclave-media-type';

/** Query strings are text: the epoch arrives as "3". */
export const AgentEpochQuerySchema = z
  .object({
    epoch: z
      .string()
      .regex(/^\d{1,9}$/, 'must be a whole number')
      .transform(Number)
      .pipe(EpochSchema),
  })
  .strict();

export const AgentTaskParamsSchema = z.object({ taskId: EntityIdSchema }).strict();

export const AgentTaskInputParamsSchema = z
  .object({ taskId: EntityIdSchema, assetId: EntityIdSchema })
  .strict();

/** An output's name is the one the task's steps use (an AssetRef name). */
export const AgentTaskOutputParamsSchema = z
  .object({ taskId: EntityIdSchema, name: FieldNameSchema })
  .strict();

/** The project DEK for one task: 32 raw bytes, base64. Sent with Cache-Control: no-store. */
export const AgentDataKeySchema = z.object({
  keyId: z.string().min(1).max(128),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64'),
  /**
   * The outputs the task must upload: its template's declared output names. Any other file
   * the steps leave is an intermediate (never uploaded); a declared name may also be an input
   * the steps rewrote in place (faces.anonymise).
   */
  outputs: z.array(FieldNameSchema).max(256).optional(),
});

export type AgentDataKey = z.infer<typeof AgentDataKeySchema>;

/**
 * The node's scratch volume key (LUKS2, docs/operations.md "Scratch volume"): 32 random bytes,
 * one per node, kept wrapped in the control plane's key ring. The agent holds it in memory only.
 */
export const AgentScratchKeySchema = z.object({
  keyId: z.string().min(1).max(128),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64'),
});

export type AgentScratchKey = z.infer<typeof AgentScratchKeySchema>;
