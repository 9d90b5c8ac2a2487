// Erasure of a data subject (privacy policy §10 "Erasure", §11 minors): the subject's projects
// are crypto-shredded the way an erase request does it (ProjectKeys.destroy → journaled key
// destruction; asset files deleted; asset rows marked erased so their ids answer 410), the
// subject key is destroyed, so their sealed email and name are unreadable in the database file
// and every backup (reads show "[erased]"), the email's blind index is deleted, and the account
// is disabled (password unusable, sessions deleted, API tokens revoked). An erase order is
// queued through the outbox for every node that ran a task of those projects (one
// NodeEraseOrder row each, naming the project keys only), one audit entry records it all, and
// a certificate signed with the audit Ed25519 key says what went where. The node rows of the
// certificate start `pending`; `current` rebuilds it with the receipts received.
import { CertificateAuthority } from '@enclave/certs';
import {
  AuditAction,
  NodeErasureStatus,
  EraseReason,
  EraseScopeKind,
  newEnvelope,
  type ErasureCertificate,
  type ErasureCertificateBody,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AssetStore } from '../assets/asset-store.ts';
import { AssetsRepository } from '../assets/assets.repository.ts';
import { AuditSigningKey } from '../audit/audit-signing-key.ts';
import { AuditTrail, userActor } from '../audit/audit-trail.service.ts';
import { Clock } from '../common/clock.ts';
import { Randomness } from '../common/randomness.ts';
import { Assignment } from '../database/entities/assignment.entity.ts';
import { Task } from '../database/entities/task.entity.ts';
import { User } from '../database/entities/user.entity.ts';
import { KafkaLink } from '../kafka-link/kafka-link.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { AccountShredder } from './account-shredder.ts';
import { certificateSigningBytes } from './erasure-certificate.ts';
import { NodeEraseOrder } from './node-erase-order.entity.ts';
import { withNodeReceipts, type OrderState } from './node-receipts.ts';
import { subjectProjectIds, type SubjectRef } from './subject-export.builder.ts';

@Injectable()
export class SubjectErasure {
  constructor(
    private readonly orm: MikroORM,
    private readonly keys: ProjectKeys,
    private readonly store: AssetStore,
    private readonly assets: AssetsRepository,
    private readonly audit: AuditTrail,
    private readonly signingKey: AuditSigningKey,
    private readonly kafka: KafkaLink,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    private readonly ca: CertificateAuthority,
    private readonly account: AccountShredder,
  ) {}

  /** The stored certificate brought up to the node receipts received since, signed again. */
  async current(stored: ErasureCertificate): Promise<ErasureCertificate> {
    const orders = await this.orm.em
      .fork()
      .find(NodeEraseOrder, { requestId: stored.certificate.requestId }, { orderBy: { id: 'asc' } });
    if (orders.length === 0 && stored.certificate.nodeReceipts === undefined) return stored;
    return this.sign(withNodeReceipts(stored.certificate, orders, this.ca.intermediateCertPem));
  }

  sign(body: ErasureCertificateBody): ErasureCertificate {
    return {
      certificate: body,
      signature: this.signingKey.sign(certificateSigningBytes(body)),
      publicKeyPem: this.signingKey.publicKeyPem,
    };
  }

  async erase(requestId: string, subject: SubjectRef, byUserId: string): Promise<ErasureCertificate> {
    const em = this.orm.em.fork();
    const projectIds = await subjectProjectIds(em, subject);
    const destroyedKeyIds: string[] = [];
    let erasedAssets = 0;
    for (const projectId of projectIds) {
      const ref = { tenantId: subject.tenantId, projectId };
      // The key first: once it is gone nothing of the project can be read, whatever happens next.
      const entries = await this.keys.destroy(ref, `data-subject erasure ${requestId}`);
      destroyedKeyIds.push(...entries.map((e) => e.keyId));
      await this.store.removeProject(subject.tenantId, projectId);
      erasedAssets += await this.assets.markProjectErased(subject.tenantId, projectId, this.clock.now());
    }
    // Nodes hold project keys only; the subject key never leaves the control plane.
    const projectKeyIds = [...new Set(destroyedKeyIds)];
    const user = await em.findOne(User, { id: subject.userId, tenant: subject.tenantId });
    destroyedKeyIds.push(
      ...(await this.account.destroyKey(user?.subjectKeyId, `data-subject erasure ${requestId}`)),
    );
    const keyIds = [...new Set(destroyedKeyIds)];
    const pseudonym = `erased-subject-${this.random.bytes(8).toString('hex')}`;
    const at = this.clock.now();
    const orders = await em.transactional(async (tx) => {
      // The sealed columns stay (noise without the subject key); the row becomes a pseudonym.
      await this.account.scrub(tx, subject, at);
      return this.#orderNodeErasure(tx, requestId, subject, projectIds, projectKeyIds, at);
    });
    const entry = await this.audit.record({
      actor: userActor(byUserId),
      tenantId: subject.tenantId,
      action: AuditAction.PrivacySubjectErased,
      targets: [requestId, subject.userId, ...projectIds].slice(0, 100),
      details: {
        destroyedKeyIds: keyIds,
        erasedAssets,
        nodesOrdered: orders.map((o) => o.nodeId),
        eraseOrders: orders.map((o) => o.id),
      },
    });
    const base: ErasureCertificateBody = {
      format: 'enclave-erasure-certificate/v1',
      requestId,
      tenantId: subject.tenantId,
      subjectPseudonym: pseudonym,
      erasedAt: at.toISOString(),
      erased: [
        {
          what: `files of ${projectIds.length} project(s) linked to the subject (${erasedAssets} asset(s))`,
          where: 'asset store ($ENCLAVE_DATA_DIR/assets)',
          how: 'project data keys destroyed (crypto-shredding), then ciphertext files deleted; asset ids answer 410',
          status: 'done',
          ids: projectIds,
        },
        {
          what: 'sealed job text (titles, scripts, prompts) of those projects',
          where: 'Kafka topics and job rows (sealed fields)',
          how: 'the sealing project keys were destroyed; every copy fails with KEY_DESTROYED',
          status: 'done',
          ids: keyIds,
        },
        {
          what: 'account: email, display name, password, sessions, API tokens',
          where: 'control-plane database (user, session, api_token) and its backups',
          how: 'subject key destroyed (crypto-shredding): the sealed email and name cannot be decrypted in any copy; email blind index deleted, password made unusable, account disabled, sessions deleted, tokens revoked',
          status: 'done',
          ids: [subject.userId],
        },
        {
          what: 'sealed audit details about the subject (e.g. the email typed in a failed sign-in)',
          where: 'audit log',
          how: 'sealed under the subject key, destroyed with it; the entries stay (the hash chain covers the ciphertext) and name the subject only by id; details of other entries stay under the tenant key',
          status: 'done',
          ids: [],
        },
        {
          what: 'backups',
          where: 'backups of the data directory',
          how: 'ciphertext in backups cannot be opened once the keys are destroyed (the key store backup must not predate this erasure)',
          status: 'out-of-scope',
          ids: [],
        },
      ],
      destroyedKeyIds: keyIds,
      auditSeq: entry.seq,
      auditHash: entry.hash,
    };
    // The node line and rows (all pending now) come from the orders, as `current` rebuilds them.
    const body = withNodeReceipts(base, orders, this.ca.intermediateCertPem);
    this.log.write('info', 'Data subject erased', {
      requestId,
      subjectUserId: subject.userId,
      projects: projectIds.length,
      destroyedKeyIds: keyIds,
      auditSeq: entry.seq,
    });
    return this.sign(body);
  }

  /** Queues an erase.order for every node that held an assignment of these projects' tasks. */
  async #orderNodeErasure(
    tx: ReturnType<MikroORM['em']['fork']>,
    requestId: string,
    subject: SubjectRef,
    projectIds: readonly string[],
    keyIds: readonly string[],
    at: Date,
  ): Promise<OrderState[]> {
    if (projectIds.length === 0 || keyIds.length === 0) return [];
    const tasks = await tx.find(Task, {
      tenant: subject.tenantId,
      job: { project: { $in: [...projectIds] } },
    });
    if (tasks.length === 0) return [];
    const assignments = await tx.find(Assignment, { task: { $in: tasks.map((t) => t.id) } });
    const nodes = [...new Set(assignments.map((a) => a.node.id))].sort();
    const orders: OrderState[] = [];
    for (const nodeId of nodes) {
      const orderId = this.random.id();
      tx.create(NodeEraseOrder, {
        id: orderId,
        tenantId: subject.tenantId,
        requestId,
        nodeId,
        keyIds: [...keyIds],
        orderedAt: at,
        status: NodeErasureStatus.Pending,
        receipt: null,
        receivedAt: null,
      });
      orders.push({
        id: orderId,
        nodeId,
        status: NodeErasureStatus.Pending,
        receipt: null,
        receivedAt: null,
      });
      this.kafka.enqueue(
        tx,
        newEnvelope<'erase.order'>(
          {
            type: 'erase.order',
            nodeId,
            tenantId: subject.tenantId,
            traceId: this.random
              .bytes(16)
              .toString('hex')
              .replace(/^0{32}$/, `${'0'.repeat(31)}1`),
            body: {
              orderId,
              reason: EraseReason.DataSubjectRequest,
              scope: { kind: EraseScopeKind.Subject, id: subject.userId },
              keyIds: [...keyIds],
            },
          },
          { id: this.random.id(), now: at },
        ),
      );
    }
    this.log.write('info', 'Erase orders queued', { requestId, nodes });
    return orders;
  }
}
