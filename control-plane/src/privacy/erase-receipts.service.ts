// Collects the nodes' erase receipts (the `erase.receipt` inbound handler hands over here, inside
// the inbox transaction). A receipt counts only if its signature verifies with a node
// certificate this appliance's CA issued to the sending node, not revoked, and it answers
// every key of an order that was sent to that node for that tenant. Accepted: the order row
// keeps the receipt as signed, an audit entry records it, and the request's stored erasure
// certificate is rebuilt and signed again. Refused: audited with the reason, nothing else
// changes (the order stays pending). A second receipt for an answered order is ignored.
import { CertificateAuthority, normalizeSerial } from '@enclave/certs';
import {
  AuditAction,
  EraseOutcome,
  NodeErasureStatus,
  type EnvelopeOf,
  type ErasureCertificate,
} from '@enclave/contracts';
import type { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditSigningKey } from '../audit/audit-signing-key.ts';
import { AuditTrail, nodeActor } from '../audit/audit-trail.service.ts';
import { Clock } from '../common/clock.ts';
import { Revocation } from '../database/entities/revocation.entity.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { verifyEraseReceipt } from './erase-receipt.verifier.ts';
import { certificateSigningBytes } from './erasure-certificate.ts';
import { NodeEraseOrder } from './node-erase-order.entity.ts';
import { withNodeReceipts } from './node-receipts.ts';
import { PrivacyRequest } from './privacy-request.entity.ts';

export type ReceiptDecision = 'recorded' | 'duplicate' | 'refused';

@Injectable()
export class EraseReceipts {
  constructor(
    private readonly ca: CertificateAuthority,
    private readonly audit: AuditTrail,
    private readonly signingKey: AuditSigningKey,
    private readonly clock: Clock,
    private readonly log: AppLogger,
  ) {}

  async onReceipt(em: EntityManager, m: EnvelopeOf<'erase.receipt'>): Promise<ReceiptDecision> {
    const { body } = m;
    const order = await em.findOne(NodeEraseOrder, { id: body.orderId });
    // Refusals are audited under the order's tenant only: a forged envelope names any tenant.
    if (order === null) return this.#refuse(em, m, null, 'no erase order with this id was sent');
    if (order.nodeId !== m.nodeId || order.tenantId !== m.tenantId)
      return this.#refuse(em, m, order.tenantId, 'the order was sent to another node or tenant');
    if (order.status !== NodeErasureStatus.Pending) {
      this.log.write('info', 'Erase receipt for an answered order ignored', {
        orderId: order.id,
        nodeId: m.nodeId,
        messageId: m.id,
      });
      return 'duplicate';
    }
    const answered = new Set(body.items.map((item) => item.keyId));
    const missing = order.keyIds.filter((keyId) => !answered.has(keyId));
    if (missing.length > 0)
      return this.#refuse(
        em,
        m,
        order.tenantId,
        `the receipt does not answer key(s) ${missing.slice(0, 5).join(', ')}`,
      );
    const check = verifyEraseReceipt({
      nodeId: m.nodeId,
      tenantId: m.tenantId,
      body,
      issuerPem: this.ca.intermediateCertPem,
    });
    if (!check.ok) return this.#refuse(em, m, order.tenantId, check.reason);
    // Read through the inbox transaction's `em`: the CA's own store would wait for the one
    // SQLite connection this transaction holds.
    const serial = normalizeSerial(check.certificate.serialNumber);
    if ((await em.findOne(Revocation, { serial })) !== null)
      return this.#refuse(em, m, order.tenantId, 'the signing node certificate has been revoked');

    const failed = body.items.filter((item) => item.outcome === EraseOutcome.Failed);
    order.status = failed.length > 0 ? NodeErasureStatus.Failed : NodeErasureStatus.Erased;
    order.receipt = body;
    order.receivedAt = this.clock.now();
    await em.flush();
    await this.audit.record(
      {
        actor: nodeActor(m.nodeId),
        tenantId: m.tenantId,
        action: AuditAction.PrivacyEraseReceiptRecorded,
        targets: [order.requestId, order.id, m.nodeId],
        details: {
          status: order.status,
          items: body.items.map(({ keyId, outcome, files, bytes }) => ({ keyId, outcome, files, bytes })),
          certSha256: body.signature.certSha256,
          completedAt: body.completedAt,
        },
      },
      { em },
    );
    await this.#rebuildCertificate(em, order.requestId);
    this.log.write(failed.length > 0 ? 'warn' : 'info', 'Erase receipt recorded', {
      orderId: order.id,
      requestId: order.requestId,
      nodeId: m.nodeId,
      status: order.status,
      files: body.items.reduce((n, item) => n + item.files, 0),
    });
    return 'recorded';
  }

  async #rebuildCertificate(em: EntityManager, requestId: string): Promise<void> {
    const request = await em.findOne(PrivacyRequest, { id: requestId });
    if (request?.certificate === null || request?.certificate === undefined) return;
    const stored = request.certificate as unknown as ErasureCertificate;
    const orders = await em.find(NodeEraseOrder, { requestId }, { orderBy: { id: 'asc' } });
    const body = withNodeReceipts(stored.certificate, orders, this.ca.intermediateCertPem);
    const rebuilt: ErasureCertificate = {
      certificate: body,
      signature: this.signingKey.sign(certificateSigningBytes(body)),
      publicKeyPem: this.signingKey.publicKeyPem,
    };
    request.certificate = rebuilt;
    await em.flush();
  }

  async #refuse(
    em: EntityManager,
    m: EnvelopeOf<'erase.receipt'>,
    tenantId: string | null,
    reason: string,
  ): Promise<'refused'> {
    this.log.write('warn', 'Erase receipt refused', {
      orderId: m.body.orderId,
      nodeId: m.nodeId,
      messageId: m.id,
      reason,
    });
    await this.audit.record(
      {
        actor: nodeActor(m.nodeId),
        tenantId,
        action: AuditAction.PrivacyEraseReceiptRefused,
        targets: [m.body.orderId, m.nodeId],
        details: { reason, messageId: m.id },
      },
      { em },
    );
    return 'refused';
  }
}
