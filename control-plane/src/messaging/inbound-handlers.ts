// The messages the control plane receives, and the shape of a handler for them. A start-up
// check proves that every inbound type has exactly one handler (docs/messaging.md).
import {
  messageTypesOn,
  TopicKind,
  type EnvelopeOf,
  type EnvelopeOn,
  type MessageTypeOn,
} from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';

export type InboundMessageType = MessageTypeOn<'results'> | MessageTypeOn<'heartbeats'>;
export type InboundEnvelope = EnvelopeOn<'results'> | EnvelopeOn<'heartbeats'>;

export const INBOUND_MESSAGE_TYPES: readonly InboundMessageType[] = [
  ...(messageTypesOn(TopicKind.Results) as InboundMessageType[]),
  ...(messageTypesOn(TopicKind.Heartbeats) as InboundMessageType[]),
];

/** Where a record came from; also what the inbox and the quarantine remember of it. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Applies one decoded message with `em`, which is inside the transaction that also records the
 * message in the inbox. Return normally for anything the domain decides, including "stale,
 * ignored": only a failure that a retry may cure (the database is busy) should throw, because
 * a throw leaves the offset uncommitted and retries the same message with back-off.
 */
export type InboundHandler<T extends InboundMessageType = InboundMessageType> = (
  envelope: EnvelopeOf<T>,
  em: EntityManager,
  position: RecordPosition,
) => Promise<void>;

/** One handler per inbound type; a missing entry fails to compile. */
export type InboundHandlerTable = { readonly [T in InboundMessageType]: InboundHandler<T> };

/** Routes a decoded envelope to its handler. */
export type InboundDispatch = (
  envelope: InboundEnvelope,
  em: EntityManager,
  position: RecordPosition,
) => Promise<void>;

export function dispatchFromTable(table: InboundHandlerTable): InboundDispatch {
  return (envelope, em, position) => {
    const handler = table[envelope.type] as InboundHandler;
    return handler(envelope, em, position);
  };
}

/**
 * Proves at start-up that each inbound type has exactly one handler and that no handler waits
 * for a type that never arrives (a typo). `counts` maps each registered pattern to the number
 * of handlers registered for it.
 */
export function assertHandlerRegistry(counts: ReadonlyMap<string, number>): void {
  const problems: string[] = [];
  for (const type of INBOUND_MESSAGE_TYPES) {
    const count = counts.get(type) ?? 0;
    if (count === 0) problems.push(`${type} has no handler`);
    if (count > 1) problems.push(`${type} has ${count} handlers`);
  }
  const known = new Set<string>(INBOUND_MESSAGE_TYPES);
  for (const pattern of counts.keys()) {
    if (!known.has(pattern))
      problems.push(`a handler waits for "${pattern}", which is not an inbound message type`);
  }
  if (problems.length > 0) {
    throw new MessagingError(
      MessagingErrorCode.HANDLER_REGISTRY_INVALID,
      `Kafka handlers are incomplete: ${problems.join('; ')}`,
    );
  }
}
