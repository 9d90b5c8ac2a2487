// A complete handler table for tests: each handler writes an AppliedEvent row with the
// transaction's EntityManager, and can be told to fail for a given message id.
import type { EntityManager } from '@mikro-orm/core';
import type {
  InboundEnvelope,
  InboundHandler,
  InboundHandlerTable,
  RecordPosition,
} from '../../src/messaging/inbound-handlers.ts';
import { AppliedEvent } from './applied-event.entity.ts';

export class RecordingHandlers {
  /** Message id → how many more times its handler throws. */
  readonly failures = new Map<string, number>();
  calls = 0;

  readonly table: InboundHandlerTable;

  constructor() {
    const record: InboundHandler = (envelope, em, position) => this.#apply(envelope, em, position);
    this.table = {
      'task.accepted': record,
      'task.progress': record,
      'task.succeeded': record,
      'task.failed': record,
      'erase.receipt': record,
      'node.heartbeat': record,
    };
  }

  async #apply(envelope: InboundEnvelope, em: EntityManager, position: RecordPosition): Promise<void> {
    this.calls++;
    em.create(AppliedEvent, {
      messageId: envelope.id,
      type: envelope.type,
      topic: position.topic,
      offset: position.offset,
    });
    await em.flush();
    const left = this.failures.get(envelope.id) ?? 0;
    if (left > 0) {
      this.failures.set(envelope.id, left - 1);
      // After the write: the rollback must take the handler's own row with it.
      throw new Error('SQLITE_BUSY: database is locked');
    }
  }
}
