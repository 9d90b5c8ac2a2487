// The consumer's database side: apply messages at most once (their changes and their inbox rows
// in one transaction, one per consumer batch), and record a poison message in quarantine.
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import type { Clock } from '@enclave/certs';
import { InboxMessage } from './inbox-message.entity.ts';
import type { InboundEnvelope, RecordPosition } from './inbound-handlers.ts';
import { QuarantinedMessage } from './quarantined-message.entity.ts';

export type ApplyOutcome = 'applied' | 'duplicate';

/** One decoded record of a batch. */
export interface InboxItem {
  readonly envelope: InboundEnvelope;
  readonly position: RecordPosition;
}

/**
 * Runs `work` (every handler of one transaction) inside that transaction, with its
 * EntityManager: the control plane's scheduler batches the handlers' commands into one.
 */
export type ApplyScope = <T>(em: EntityManager, work: () => Promise<T>) => Promise<T>;

const direct: ApplyScope = (_em, work) => work();

export class InboxStore {
  readonly #em: EntityManager;
  readonly #clock: Clock;
  readonly #scope: ApplyScope;

  constructor(em: EntityManager, clock: Clock, scope: ApplyScope = direct) {
    this.#em = em;
    this.#clock = clock;
    this.#scope = scope;
  }

  /** `applyBatch` of one message. */
  async applyOnce(
    envelope: InboundEnvelope,
    position: RecordPosition,
    apply: (em: EntityManager) => Promise<void>,
  ): Promise<ApplyOutcome> {
    const [outcome] = await this.applyBatch([{ envelope, position }], (em) => apply(em));
    return outcome!;
  }

  /**
   * Applies each message not applied before, in order, and records it in the inbox, all in one
   * transaction: one commit (one fsync) for the whole batch. Any failure rolls the whole batch
   * back; the caller then applies the records one by one to find the one that fails. A
   * concurrent duplicate (two consumers during a rebalance) loses on the primary key and rolls
   * back as a whole.
   */
  async applyBatch(
    items: readonly InboxItem[],
    apply: (em: EntityManager, item: InboxItem) => Promise<void>,
  ): Promise<ApplyOutcome[]> {
    try {
      return await this.#em.fork().transactional((em) =>
        this.#scope(em, async () => {
          const ids = [...new Set(items.map((i) => i.envelope.id))];
          const seen = new Set(
            (await em.find(InboxMessage, { messageId: { $in: ids } }, { fields: ['messageId'] })).map(
              (row) => row.messageId,
            ),
          );
          const outcomes: ApplyOutcome[] = [];
          for (const item of items) {
            const { envelope, position } = item;
            if (seen.has(envelope.id)) {
              outcomes.push('duplicate');
              continue;
            }
            seen.add(envelope.id);
            await apply(em, item);
            em.create(InboxMessage, {
              messageId: envelope.id,
              type: envelope.type,
              topic: position.topic,
              partition: position.partition,
              offset: position.offset,
              appliedAt: this.#clock(),
            });
            outcomes.push('applied');
          }
          return outcomes;
        }),
      );
    } catch (error) {
      if (
        error instanceof UniqueConstraintViolationException &&
        items.length === 1 &&
        (await this.isApplied(items[0]!.envelope.id))
      ) {
        return ['duplicate'];
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
