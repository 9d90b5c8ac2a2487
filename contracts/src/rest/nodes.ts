// GPU nodes on the REST side: enrollment (a single-use token from the IT operator, then a CSR
// from the node), certificate renewal on the agent listener, and the operator's rack view and
// controls. Node ids follow the one rule of node-id.ts (certificate name, Kafka principal,
// topic suffix).
import { z } from 'zod';
import { NodeHeartbeatBodySchema, NodeState, NodeTelemetrySchema } from '../bodies/node-heartbeat.ts';
import { NodeIdSchema } from '../node-id.ts';
import { EntityIdSchema, SlugSchema, TimestampSchema } from '../primitives.ts';

const PemSchema = z.string().min(1, 'required').max(16_384);

export const GpuSpecSchema = z
  .object({
    index: z.int().min(0).max(63),
    model: z.string().min(1).max(128),
    vramMb: z.int().min(0).max(10_000_000),
  })
  .strict();

/** What the node offers the scheduler; fixed at enrollment (a changed machine enrolls again). */
export const NodeCapabilitiesSchema = z
  .object({
    gpus: z.array(GpuSpecSchema).max(64),
    cpuSlots: z.int().min(1).max(1024),
    tags: z.array(SlugSchema).max(32).default([]),
  })
  .strict();

export const CreateEnrollmentTokenRequestSchema = z
  .object({
    nodeId: NodeIdSchema,
    /** How long the token may be used; 24 h unless asked, at most a week. */
    ttlHours: z.int().min(1).max(168).optional(),
  })
  .strict();

export const EnrollmentTokenSchema = z.object({
  /** Shown once: only a hash is kept. Give it to the node's installer out of band. */
  token: z.string(),
  nodeId: NodeIdSchema,
  expiresAt: TimestampSchema,
});

export const EnrollRequestSchema = z
  .object({
    token: z.string().min(1, 'required').max(512),
    /** PKCS#10 for the node's own key; only the key is taken from it, the name from the token. */
    csrPem: PemSchema,
    capabilities: NodeCapabilitiesSchema,
  })
  .strict();

export const NodeKafkaAccessSchema = z.object({
  /** Comma-separated `host:port` list of the broker's client listener (mutual TLS). */
  bootstrap: z.string(),
  topics: z.object({ jobs: z.string(), results: z.string(), heartbeats: z.string() }),
});

export const EnrollReplySchema = z.object({
  nodeId: NodeIdSchema,
  certificatePem: z.string(),
  /** Leaf + intermediate: what the node presents to the agent listener and to Kafka. */
  chainPem: z.string(),
  /** The appliance root: the only trust anchor. */
  caPem: z.string(),
  certificateNotAfter: TimestampSchema,
  kafka: NodeKafkaAccessSchema,
});

export const RenewRequestSchema = z.object({ csrPem: PemSchema }).strict();

export const RenewReplySchema = z.object({
  certificatePem: z.string(),
  chainPem: z.string(),
  caPem: z.string(),
  certificateNotAfter: TimestampSchema,
});

export const NodeStatusSchema = z.enum(['online', 'draining', 'cordoned', 'offline', 'revoked']);

export const NodeAdminStateSchema = z.enum(['active', 'draining', 'cordoned', 'revoked']);

export const NodeSummarySchema = z.object({
  nodeId: NodeIdSchema,
  /** The one word for people: revoked > offline > cordoned > draining > online. */
  status: NodeStatusSchema,
  adminState: NodeAdminStateSchema,
  /** What the agent said in its last heartbeat; null before the first one. */
  agentState: z.enum(NodeState).nullable(),
  /** Takes new work now: active, heard from recently and ready. */
  schedulable: z.boolean(),
  capabilities: NodeCapabilitiesSchema,
  lastHeartbeatAt: TimestampSchema.nullable(),
  heartbeatAgeMs: z.int().min(0).nullable(),
  agentVersion: NodeHeartbeatBodySchema.shape.agentVersion.nullable(),
  telemetry: NodeTelemetrySchema.nullable(),
  /** Tasks with a live assignment on the node. */
  running: z.array(EntityIdSchema),
  freeGpus: z.array(z.int()),
  freeCpuSlots: z.int(),
  certificateNotAfter: TimestampSchema.nullable(),
  enrolledAt: TimestampSchema,
});

export const NodeListSchema = z.object({ items: z.array(NodeSummarySchema) });

export const NodeIdParamsSchema = z.object({ nodeId: NodeIdSchema }).strict();

export const DrainNodeQuerySchema = z
  .object({
    /** "true": cancel what runs there now (requeued elsewhere) instead of letting it finish. */
    evict: z.enum(['true', 'false']).optional(),
  })
  .strict();

/** One change of a node's status, as the it-admin event stream sends it. */
export const NodeStatusEventSchema = z.object({
  nodeId: NodeIdSchema,
  status: NodeStatusSchema,
  at: TimestampSchema,
});

export type GpuSpec = z.infer<typeof GpuSpecSchema>;
export type NodeCapabilitiesDto = z.infer<typeof NodeCapabilitiesSchema>;
export type CreateEnrollmentTokenRequest = z.infer<typeof CreateEnrollmentTokenRequestSchema>;
export type EnrollmentTokenDto = z.infer<typeof EnrollmentTokenSchema>;
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;
export type EnrollReply = z.infer<typeof EnrollReplySchema>;
export type RenewReply = z.infer<typeof RenewReplySchema>;
export type NodeSummary = z.infer<typeof NodeSummarySchema>;
export type NodeStatusEvent = z.infer<typeof NodeStatusEventSchema>;
