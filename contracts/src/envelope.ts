// The envelope every Kafka message travels in. The body depends on `type`; the envelope's own
// fields let any consumer route, deduplicate, trace and authorise a message without its body.
import { z } from 'zod';
import {
  MESSAGE_DEFINITIONS,
  MESSAGE_TYPES,
  Tenancy,
  type MessageType,
  type MessageTypeOn,
  type TenancyOf,
} from './message-types.ts';
import { NodeIdSchema } from './node-id.ts';
import { EntityIdSchema, TimestampSchema, TraceIdSchema } from './primitives.ts';
import type { TopicKind } from './topics.ts';

/**
 * The envelope's schema version: bumped only for changes an old reader cannot survive. Additive
 * changes within a version are counted by WIRE_REVISION instead (see docs/contracts.md).
 */
export const ENVELOPE_VERSION = 1;

/** Versions this build can read. During a migration to v2 this becomes [1, 2] first. */
export const SUPPORTED_VERSIONS: readonly number[] = [ENVELOPE_VERSION];

/**
 * Bumped on every additive change to v1 (a new optional field, enum value or message type).
 * Agents report it in node.heartbeat; the control plane sends a node only what its revision
 * knows. Changes: 1 — initial set.
 */
export const WIRE_REVISION = 1;

type TenantIdSchemaFor<T extends MessageType> =
  TenancyOf<T> extends 'node' ? z.ZodNull : typeof EntityIdSchema;

function envelopeSchemaFor<T extends MessageType>(type: T) {
  const definition = MESSAGE_DEFINITIONS[type];
  const tenantId = (definition.tenancy === Tenancy.Node ? z.null() : EntityIdSchema) as TenantIdSchemaFor<T>;
  return z.object({
    v: z.literal(ENVELOPE_VERSION),
    /** Unique per message (UUID): consumers deduplicate redeliveries by it. */
    id: z.uuid(),
    type: z.literal(type),
    /** The node the message is to or from; must match the node of the topic it travels on. */
    nodeId: NodeIdSchema,
    /** The tenant whose data the message concerns; null for node-level messages (heartbeats). */
    tenantId,
    /** When the sender created it, UTC. */
    ts: TimestampSchema,
    /** W3C trace id carried from the HTTP request that caused the work, for log correlation. */
    traceId: TraceIdSchema,
    // Not redundant: without it the body's type is the union of all bodies, not T's body.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    body: definition.body as (typeof MESSAGE_DEFINITIONS)[T]['body'],
  });
}

type EnvelopeSchemaOf<T extends MessageType> = ReturnType<typeof envelopeSchemaFor<T>>;

export const ENVELOPE_SCHEMAS = Object.fromEntries(
  MESSAGE_TYPES.map((type) => [type, envelopeSchemaFor(type)]),
) as unknown as { readonly [T in MessageType]: EnvelopeSchemaOf<T> };

/** The envelope of type T; distributes over unions, so EnvelopeOf<'a' | 'b'> is a union too. */
export type EnvelopeOf<T extends MessageType> = T extends MessageType ? z.infer<EnvelopeSchemaOf<T>> : never;

/** Any valid message: a union discriminated by `type`. */
export type Envelope = { [T in MessageType]: EnvelopeOf<T> }[MessageType];

/** The messages that may travel on topics of kind K. */
export type EnvelopeOn<K extends TopicKind> = Extract<Envelope, { type: MessageTypeOn<K> }>;

/** The whole union as one schema, for tooling (JSON Schema export, docs). The codec parses per type. */
export const EnvelopeSchema = z.discriminatedUnion(
  'type',
  MESSAGE_TYPES.map((type) => ENVELOPE_SCHEMAS[type]) as unknown as [
    EnvelopeSchemaOf<MessageType>,
    ...EnvelopeSchemaOf<MessageType>[],
  ],
);

export type NewEnvelopeFields<T extends MessageType> = Omit<EnvelopeOf<T>, 'v' | 'id' | 'ts'>;

/**
 * Build an envelope. The id and the clock come from the caller (a UUID source and a clock it
 * can freeze in tests); validation happens when it is encoded.
 */
export function newEnvelope<T extends MessageType>(
  fields: NewEnvelopeFields<T>,
  stamp: { readonly id: string; readonly now: Date },
): EnvelopeOf<T> {
  return { ...fields, v: ENVELOPE_VERSION, id: stamp.id, ts: stamp.now.toISOString() } as EnvelopeOf<T>;
}

/**
 * The Kafka record key. Messages about one task (or one erase order) share a key, so they stay
 * in order even if a node topic ever gets more than one partition.
 */
export function partitionKey(envelope: Envelope): string {
  switch (envelope.type) {
    case 'task.assign':
    case 'task.cancel':
    case 'task.accepted':
    case 'task.progress':
    case 'task.succeeded':
    case 'task.failed':
      return envelope.body.taskId;
    case 'erase.order':
    case 'erase.receipt':
      return envelope.body.orderId;
    case 'node.heartbeat':
      return envelope.nodeId;
    default: {
      const unhandled: never = envelope;
      throw new Error(`No partition key for ${(unhandled as { type: string }).type}`);
    }
  }
}
