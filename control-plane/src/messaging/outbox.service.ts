// The one way the control plane sends to a node: add the message to the outbox inside the
// caller's transaction. It never produces directly, so a message exists exactly when the state
// change it announces committed; the relay delivers it.
import {
  encodeEnvelope,
  jobsTopic,
  partitionKey,
  topicKindOf,
  TopicKind,
  type Envelope,
  type EnvelopeOn,
} from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import type { Clock } from '@enclave/certs';
import { MessagingError, MessagingErrorCode } from './messaging.errors.ts';
import { OutboxMessage, OutboxState } from './outbox-message.entity.ts';
import type { OutboxSignal } from './outbox-signal.ts';

/** Messages the control plane sends: those that travel on a node's jobs topic. */
export type OutboundEnvelope = EnvelopeOn<'jobs'>;

export class OutboxService {
  readonly #clock: Clock;
  readonly #signal: OutboxSignal;

  constructor(clock: Clock, signal: OutboxSignal) {
    this.#clock = clock;
    this.#signal = signal;
  }

  /**
   * Adds the message to `em`'s unit of work; it is written when the caller's transaction
   * flushes and commits, together with the caller's own changes. Validates and encodes now,
   * so an invalid message fails the caller's transaction instead of poisoning the relay.
   */
  enqueue(em: EntityManager, envelope: OutboundEnvelope): OutboxMessage {
    const message: Envelope = envelope;
    if (topicKindOf(message.type) !== TopicKind.Jobs) {
      throw new MessagingError(
        MessagingErrorCode.NOT_AN_OUTBOUND_MESSAGE,
        `${message.type} travels from nodes to the control plane; the outbox only sends jobs-topic messages`,
      );
    }
    const row = em.create(OutboxMessage, {
      messageId: message.id,
      type: message.type,
      topic: jobsTopic(message.nodeId),
      partitionKey: partitionKey(message),
      payload: encodeEnvelope(message),
      createdAt: this.#clock(),
      state: OutboxState.Pending,
      attempts: 0,
    });
    this.#signal.raise();
    return row;
  }
}
