// Every committed key destruction (crypto-shredding a project, off-boarding a tenant) becomes
// an audit entry: the keys module emits `key-destroyed` (KeyEvents) and the audit log listens,
// so the key ring does not depend on the audit log. The reason may name a person or a matter:
// it goes into the sealed details only.
import { AuditAction } from '@enclave/contracts';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KeyEvents } from '../keys/key-events.ts';
import { AuditTrail, SYSTEM_ACTOR } from './audit-trail.service.ts';

@Injectable()
export class KeyDestructionAuditor implements OnModuleInit, OnModuleDestroy {
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: KeyEvents,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.#unsubscribe = this.events.onKeyDestroyed(async (entry) => {
      await this.trail.record({
        actor: SYSTEM_ACTOR,
        tenantId: entry.tenantId,
        action: AuditAction.KeyDestroyed,
        targets: [entry.keyId],
        details: { kind: entry.kind, destroyedAt: entry.destroyedAt, reason: entry.reason },
      });
    });
  }

  onModuleDestroy(): void {
    this.#unsubscribe?.();
  }
}
