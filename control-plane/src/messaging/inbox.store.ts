// The consumer's database side: apply a message at most once (its changes and its inbox row in
// one transaction), and record a poison message in quarantine.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import type { Clock } from '@enclave/certs';
import { InboxMessage } from './inbox-message.entity.ts';
import type { InboundEnvelope, RecordPosition } from './inbound-handlers.ts';
import { QuarantinedMessage } from './quarantined-message.entity.ts';

export type ApplyOutcome = 'applied' | 'duplicate';

export class InboxStore {
  readonly #em: EntityManager;
  readonly #clock: Clock;

  constructor(em: EntityManager, clock: Clock) {
    this.#em = em;
    this.#clock = clock;
  }

  /**
   * Runs `apply` and records the message in one transaction, unless the message was applied
   * before. A concurrent duplicate (two consumers during a rebalance) loses on the primary key
   * and rolls back as a whole.
   */
  async applyOnce(
    envelope: InboundEnvelope,
    position: RecordPosition,
    apply: (em: EntityManager) => Promise<void>,
  ): Promise<ApplyOutcome> {
    try {
      return await this.#em.fork().transactional(async (em) => {
        if (await em.findOne(InboxMessage, { messageId: envelope.id })) return 'duplicate';
        await apply(em);
        em.create(InboxMessage, {
          messageId: envelope.id,
          type: envelope.type,
          topic: position.topic,
          partition: position.partition,
          offset: position.offset,
          appliedAt: this.#clock(),
        });
        return 'applied';
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && (await this.isApplied(envelope.id))) {
        return 'duplicate';
      }
      throw error;
    }
  }

  async isApplied(messageId: string): Promise<boolean> {
    return (await this.#em.fork().count(InboxMessage, { messageId })) > 0;
  }

  /** Records a record that cannot be applied; recording the same position twice is a no-op. */
  async quarantine(position: RecordPosition, errorCode: string, messageId: string | null): Promise<void> {
    const { topic, partition, offset } = position;
    await this.#em.fork().transactional(async (em) => {
      if (await em.findOne(QuarantinedMessage, { topic, partition, offset })) return;
      em.create(QuarantinedMessage, {
        topic,
        partition,
        offset,
        messageId,
        errorCode,
        quarantinedAt: this.#clock(),
      });
    });
  }
}
