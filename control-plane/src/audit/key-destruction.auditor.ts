// Every committed key destruction (crypto-shredding a project, off-boarding a tenant) becomes
// an audit entry: the keys module emits `key-destroyed` (KeyEvents) and the audit log listens,
// so the key ring does not depend on the audit log. The reason may name a person or a matter:
// it goes into the sealed details only. A destruction re-applied from the destroyed-keys journal
// at start-up (a restored key backup) is recorded here too, once the audit log is up.
import { AuditAction } from '@enclave/contracts';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KeyEvents } from '../keys/key-events.ts';
import { JOURNAL_RECONCILIATION, type JournalReconciliation } from '../keys/journal-reconciliation.ts';
import { AuditTrail, SYSTEM_ACTOR } from './audit-trail.service.ts';

@Injectable()
export class KeyDestructionAuditor implements OnModuleInit, OnModuleDestroy {
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: KeyEvents,
    private readonly trail: AuditTrail,
    @Inject(JOURNAL_RECONCILIATION) private readonly reconciliation: JournalReconciliation,
  ) {}

  async onModuleInit(): Promise<void> {
    this.#unsubscribe = this.events.onKeyDestroyed(async (entry) => {
      await this.trail.record({
        actor: SYSTEM_ACTOR,
        tenantId: entry.tenantId,
        action: AuditAction.KeyDestroyed,
        targets: [entry.keyId],
        details: { kind: entry.kind, destroyedAt: entry.destroyedAt, reason: entry.reason },
      });
    });
    await recordReapplied(this.trail, this.reconciliation);
  }

  onModuleDestroy(): void {
    this.#unsubscribe?.();
  }
}

/** One `key.destruction-reapplied` entry per destruction the restored key store had lost. */
export async function recordReapplied(trail: AuditTrail, result: JournalReconciliation): Promise<void> {
  for (const entry of result.reapplied) {
    await trail.record({
      actor: SYSTEM_ACTOR,
      tenantId: entry.tenantId,
      action: AuditAction.KeyDestructionReapplied,
      targets: [entry.keyId],
      details: {
        kind: entry.kind,
        destroyedAt: entry.destroyedAt,
        reason: entry.reason,
        materialDeleted: entry.materialDeleted,
      },
    });
  }
}
