// The message types, which topic kind each may travel on, whether it belongs to a tenant, and
// its body schema: one table, so a new type cannot be added without answering all three.
import type { z } from 'zod';
import { EraseOrderBodySchema } from './bodies/erase-order.ts';
import { EraseReceiptBodySchema } from './bodies/erase-receipt.ts';
import { NodeHeartbeatBodySchema } from './bodies/node-heartbeat.ts';
import { TaskAcceptedBodySchema } from './bodies/task-accepted.ts';
import { TaskAssignBodySchema } from './bodies/task-assign.ts';
import { TaskCancelBodySchema } from './bodies/task-cancel.ts';
import { TaskFailedBodySchema } from './bodies/task-failed.ts';
import { TaskProgressBodySchema } from './bodies/task-progress.ts';
import { TaskSucceededBodySchema } from './bodies/task-succeeded.ts';
import { TopicKind } from './topics.ts';

export const MessageType = {
  TaskAssign: 'task.assign',
  TaskCancel: 'task.cancel',
  EraseOrder: 'erase.order',
  TaskAccepted: 'task.accepted',
  TaskProgress: 'task.progress',
  TaskSucceeded: 'task.succeeded',
  TaskFailed: 'task.failed',
  EraseReceipt: 'erase.receipt',
  NodeHeartbeat: 'node.heartbeat',
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const MESSAGE_TYPES = Object.values(MessageType) as readonly MessageType[];

/** A tenant message concerns one tenant's data (tenantId set); a node message does not (null). */
export const Tenancy = { Tenant: 'tenant', Node: 'node' } as const;

export type Tenancy = (typeof Tenancy)[keyof typeof Tenancy];

interface MessageDefinition {
  readonly topic: TopicKind;
  readonly tenancy: Tenancy;
  readonly body: z.ZodType;
}

export const MESSAGE_DEFINITIONS = {
  'task.assign': { topic: TopicKind.Jobs, tenancy: Tenancy.Tenant, body: TaskAssignBodySchema },
  'task.cancel': { topic: TopicKind.Jobs, tenancy: Tenancy.Tenant, body: TaskCancelBodySchema },
  'erase.order': { topic: TopicKind.Jobs, tenancy: Tenancy.Tenant, body: EraseOrderBodySchema },
  'task.accepted': { topic: TopicKind.Results, tenancy: Tenancy.Tenant, body: TaskAcceptedBodySchema },
  'task.progress': { topic: TopicKind.Results, tenancy: Tenancy.Tenant, body: TaskProgressBodySchema },
  'task.succeeded': { topic: TopicKind.Results, tenancy: Tenancy.Tenant, body: TaskSucceededBodySchema },
  'task.failed': { topic: TopicKind.Results, tenancy: Tenancy.Tenant, body: TaskFailedBodySchema },
  'erase.receipt': { topic: TopicKind.Results, tenancy: Tenancy.Tenant, body: EraseReceiptBodySchema },
  'node.heartbeat': { topic: TopicKind.Heartbeats, tenancy: Tenancy.Node, body: NodeHeartbeatBodySchema },
} as const satisfies Record<MessageType, MessageDefinition>;

type Definitions = typeof MESSAGE_DEFINITIONS;

export type BodyOf<T extends MessageType> = z.infer<Definitions[T]['body']>;

export type TenancyOf<T extends MessageType> = Definitions[T]['tenancy'];

/** The message types that may travel on topics of kind K. */
export type MessageTypeOn<K extends TopicKind> = {
  [T in MessageType]: Definitions[T]['topic'] extends K ? T : never;
}[MessageType];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(MESSAGE_DEFINITIONS, value);
}

export function topicKindOf(type: MessageType): TopicKind {
  return MESSAGE_DEFINITIONS[type].topic;
}

export function tenancyOf(type: MessageType): Tenancy {
  return MESSAGE_DEFINITIONS[type].tenancy;
}

export function messageTypesOn(kind: TopicKind): readonly MessageType[] {
  return MESSAGE_TYPES.filter((type) => topicKindOf(type) === kind);
}
