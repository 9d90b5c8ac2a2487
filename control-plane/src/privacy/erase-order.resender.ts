// Re-sends erase orders that nodes have not answered (privacy policy §10 erasure; issue #7
// item 2). The first send is in SubjectErasure; a node that was offline, wiped or lost the
// message would otherwise leave its order pending for ever. The same order (same id, keys and
// scope) goes out again through the outbox — the agent carries a redelivered order out again,
// and the control plane keeps the first receipt — on a timer with backoff, and when the node
// heartbeats (it is reachable now), bounded by ENCLAVE_ERASE_ORDER_MAX_ATTEMPTS
// (erase-order-resend.policy.ts). Each re-send is audited (actor `system`).
import { AuditAction, EraseReason, EraseScopeKind, NodeErasureStatus, newEnvelope } from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/sqlite';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.service.ts';
import { Clock } from '../common/clock.ts';
import { IntervalTimers } from '../common/interval-timers.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { KafkaLink } from '../kafka-link/kafka-link.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { resendDue, type ResendSettings, type ResendTrigger } from './erase-order-resend.policy.ts';
import { NodeEraseOrder, type NodeEraseOrderRow } from './node-erase-order.entity.ts';
import { PrivacyRequest } from './privacy-request.entity.ts';

@Injectable()
export class EraseOrderResender implements OnApplicationBootstrap {
  /**
   * Nodes with a pending order, as of the last timer run: a heartbeat from any other node (the
   * common case) costs no query. An order made since is first sent anyway; the next run adds it.
   */
  #pendingNodes = new Set<string>();

  constructor(
    private readonly orm: MikroORM,
    private readonly kafka: KafkaLink,
    private readonly audit: AuditTrail,
    private readonly timers: IntervalTimers,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(100, Math.min(Math.floor(this.config.ENCLAVE_ERASE_ORDER_RETRY_MS / 2), 60_000));
    this.timers.every(
      every,
      async () => {
        await this.resendDue();
      },
      (error) => this.log.write('error', 'Erase order re-send failed', { error: String(error) }),
    );
  }

  get settings(): ResendSettings {
    return {
      retryMs: this.config.ENCLAVE_ERASE_ORDER_RETRY_MS,
      maxAttempts: this.config.ENCLAVE_ERASE_ORDER_MAX_ATTEMPTS,
    };
  }

  /** The timer's run: every pending order whose backoff has passed; returns the order ids sent. */
  async resendDue(): Promise<string[]> {
    const sent = await this.orm.em.fork().transactional(async (em) => {
      const pending = await em.find(NodeEraseOrder, { status: NodeErasureStatus.Pending });
      this.#pendingNodes = new Set(pending.map((o) => o.nodeId));
      return this.#resend(em, pending, 'timer');
    });
    return sent;
  }

  /** A heartbeat from `nodeId`, inside its inbox transaction: re-sends what it has not answered. */
  async onHeartbeat(em: EntityManager, nodeId: string): Promise<string[]> {
    if (!this.#pendingNodes.has(nodeId)) return [];
    const pending = await em.find(NodeEraseOrder, { status: NodeErasureStatus.Pending, nodeId });
    if (pending.length === 0) this.#pendingNodes.delete(nodeId);
    return this.#resend(em, pending, 'heartbeat');
  }

  async #resend(
    em: EntityManager,
    pending: readonly NodeEraseOrderRow[],
    trigger: ResendTrigger,
  ): Promise<string[]> {
    const now = this.clock.now();
    const due = pending.filter((o) => resendDue(o, now, this.settings, trigger));
    if (due.length === 0) return [];
    const requests = await em.find(PrivacyRequest, {
      id: { $in: [...new Set(due.map((o) => o.requestId))] },
    });
    const subjectOf = new Map(requests.map((r) => [r.id, r.subjectUserId]));
    const sent: string[] = [];
    for (const order of due) {
      const subjectUserId = subjectOf.get(order.requestId);
      if (subjectUserId === undefined) continue;
      order.attempts += 1;
      order.lastSentAt = now;
      this.kafka.enqueue(
        em,
        newEnvelope<'erase.order'>(
          {
            type: 'erase.order',
            nodeId: order.nodeId,
            tenantId: order.tenantId,
            traceId: this.#traceId(),
            body: {
              orderId: order.id,
              reason: EraseReason.DataSubjectRequest,
              scope: { kind: EraseScopeKind.Subject, id: subjectUserId },
              keyIds: [...order.keyIds],
            },
          },
          { id: this.random.id(), now },
        ),
      );
      await this.audit.record(
        {
          actor: 'system',
          tenantId: order.tenantId,
          action: AuditAction.PrivacyEraseOrderResent,
          targets: [order.requestId, order.id, order.nodeId],
          details: { trigger, attempt: order.attempts, maxAttempts: this.settings.maxAttempts },
        },
        { em },
      );
      sent.push(order.id);
    }
    await em.flush();
    this.log.write('info', 'Erase orders sent again', {
      trigger,
      orders: sent,
      nodes: due.map((o) => o.nodeId),
    });
    return sent;
  }

  #traceId(): string {
    const hex = this.random.bytes(16).toString('hex');
    return /^0+$/.test(hex) ? `${hex.slice(0, 31)}1` : hex;
  }
}
