// Pruning of the messaging tables. Sent outbox rows still hold the encoded message (sealed
// fields, short parameters): they are kept only as long as they help an operator trace a
// delivery. Inbox rows are what makes a replay a no-op, so they must outlive every record that
// could still be replayed: keep them longer than the topics' retention (log.retention.hours).
import type { EntityManager } from '@mikro-orm/core';
import { InboxMessage } from './inbox-message.entity.ts';
import { OutboxMessage, OutboxState } from './outbox-message.entity.ts';

export interface MessagingRetention {
  /** Sent outbox rows older than this are deleted. Pending rows are never deleted. */
  readonly sentOutboxBefore: Date;
  /** Inbox rows older than this are deleted; must be before now minus the topic retention. */
  readonly inboxBefore: Date;
}

export async function pruneMessaging(
  em: EntityManager,
  retention: MessagingRetention,
): Promise<{ outbox: number; inbox: number }> {
  return em.fork().transactional(async (tx) => ({
    outbox: await tx.nativeDelete(OutboxMessage, {
      state: OutboxState.Sent,
      sentAt: { $lt: retention.sentOutboxBefore },
    }),
    inbox: await tx.nativeDelete(InboxMessage, { appliedAt: { $lt: retention.inboxBefore } }),
  }));
}
