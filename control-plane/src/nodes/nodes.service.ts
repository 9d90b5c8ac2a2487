// The rack: registering an enrolled node with the scheduler, the operator's view and controls
// (drain, cordon, activate, revoke), and what a heartbeat tells us. Every change of a node's
// scheduling state is a scheduler command (one transaction with its requeues and cancels).
import { CertificateAuthority, type IssuedCertificate } from '@enclave/certs';
import {
  AuditAction,
  ContractError,
  ErrorCode,
  NODE_METRICS_WINDOW_MINUTES,
  type EnvelopeOf,
  type NodeMetrics,
  type NodeSummary,
} from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { AuditTrail, nodeActor, userActor } from '../audit/audit-trail.service.ts';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { Node } from '../database/entities/node.entity.ts';
import { KafkaLink } from '../kafka-link/kafka-link.ts';
import { AppLogger } from '../logging/app-logger.ts';
import type { NodeAdminState, NodeCapabilities } from '../scheduler/index.ts';
import { SchedulerService } from '../scheduling/scheduler.service.ts';
import { fromCertsError } from './certs-errors.ts';
import { NodeMetricsHistory } from './node-metrics.history.ts';
import { nodeSummary } from './node-summary.ts';
import { NodesRepository } from './nodes.repository.ts';

export interface NodeRegistration {
  readonly nodeId: string;
  readonly capabilities: NodeCapabilities;
  readonly certificate: Pick<IssuedCertificate, 'serial' | 'notAfter'>;
}

/** Heartbeat outcomes worth counting (for the operator and for tests). */
export interface HeartbeatStats {
  applied: number;
  unknownNode: number;
  staleLeases: number;
}

@Injectable()
export class NodesService {
  readonly heartbeatStats: HeartbeatStats = { applied: 0, unknownNode: 0, staleLeases: 0 };

  constructor(
    private readonly nodes: NodesRepository,
    private readonly scheduler: SchedulerService,
    private readonly ca: CertificateAuthority,
    private readonly kafka: KafkaLink,
    private readonly clock: Clock,
    private readonly log: AppLogger,
    private readonly audit: AuditTrail,
    private readonly metricsHistory: NodeMetricsHistory,
  ) {}

  async exists(nodeId: string): Promise<boolean> {
    return (await this.nodes.find(nodeId)) !== null;
  }

  /** A freshly enrolled node: its row and its place in the scheduler, offline until it heartbeats. */
  register(input: NodeRegistration): Promise<void> {
    return this.scheduler.run('register-node', async ({ scheduler, em, now }) => {
      em.create(Node, {
        id: input.nodeId,
        adminState: 'active',
        agentState: null,
        live: false,
        capabilities: input.capabilities,
        dedicatedTenant: null,
        lastHeartbeatAtMs: null,
        agentVersion: null,
        wireRevision: null,
        telemetry: null,
        certificateSerial: input.certificate.serial,
        certificateNotAfter: input.certificate.notAfter,
        createdAt: now,
      });
      await em.flush();
      await this.audit.record(
        {
          actor: nodeActor(input.nodeId),
          tenantId: null,
          action: AuditAction.NodeEnrolled,
          targets: [input.nodeId, input.certificate.serial],
        },
        { em },
      );
      const result = scheduler.registerNode({ id: input.nodeId, capabilities: input.capabilities });
      return { value: undefined, events: result.events, touched: { nodes: [input.nodeId] } };
    });
  }

  /** A renewed certificate: the rack view shows its expiry. */
  async recordCertificate(nodeId: string, certificate: Pick<IssuedCertificate, 'serial' | 'notAfter'>) {
    const row = await this.#mustExist(nodeId);
    row.certificateSerial = certificate.serial;
    row.certificateNotAfter = certificate.notAfter;
    await this.nodes.save();
  }

  async list(): Promise<{ items: NodeSummary[] }> {
    const views = new Map(this.scheduler.scheduler.listNodes().map((v) => [v.nodeId, v]));
    const now = this.clock.now();
    return { items: (await this.nodes.list()).map((row) => nodeSummary(row, views.get(row.id), now)) };
  }

  async setAdminState(nodeId: string, admin: NodeAdminState, evict = false): Promise<NodeSummary> {
    await this.#mustExist(nodeId);
    await this.scheduler.run(`node-${admin}`, ({ scheduler }) => ({
      value: undefined,
      events: scheduler.setNodeAdminState(nodeId, admin, { evict }).events,
      touched: { nodes: [nodeId] },
    }));
    return this.summary(nodeId);
  }

  /**
   * CA first (renewal refused, CRL reloaded, open agent connections closed), then the scheduler
   * (its work requeued at once), then Kafka (deny). Each step is idempotent, so a 503 from the
   * last one is cured by repeating the request.
   */
  async revoke(caller: UserCaller, nodeId: string): Promise<NodeSummary> {
    await this.#mustExist(nodeId);
    try {
      await this.ca.revoke({ nodeId, reason: 'cessationOfOperation', actor: `user:${caller.userId}` });
    } catch (error) {
      throw fromCertsError(error, 'params.nodeId');
    }
    if (this.scheduler.scheduler.getNode(nodeId)?.admin !== 'revoked') {
      await this.scheduler.run('node-revoked', ({ scheduler }) => ({
        value: undefined,
        events: scheduler.setNodeAdminState(nodeId, 'revoked').events,
        touched: { nodes: [nodeId] },
      }));
    }
    // Audited once the CA has revoked, before the Kafka deny that may answer 503 (and be repeated).
    await this.audit.record({
      actor: userActor(caller.userId),
      tenantId: caller.tenantId,
      action: AuditAction.NodeRevoked,
      targets: [nodeId],
    });
    const denied = await this.kafka.deny(nodeId);
    this.log.write('info', 'Node revoked', { nodeId, kafkaDenied: denied, userId: caller.userId });
    return this.summary(nodeId);
  }

  /** The node's recent GPU and CPU telemetry, for the operator's charts (404 for an unknown node). */
  async metrics(nodeId: string, minutes = NODE_METRICS_WINDOW_MINUTES): Promise<NodeMetrics> {
    await this.#mustExist(nodeId);
    return this.metricsHistory.query(nodeId, this.clock.now().getTime(), minutes);
  }

  async summary(nodeId: string): Promise<NodeSummary> {
    const row = await this.#mustExist(nodeId);
    return nodeSummary(row, this.scheduler.scheduler.getNode(nodeId), this.clock.now());
  }

  /** node.heartbeat, in the inbox transaction: liveness, lease renewals, telemetry. */
  onHeartbeat(em: EntityManager, message: EnvelopeOf<'node.heartbeat'>): Promise<void> {
    const { nodeId, body } = message;
    return this.scheduler.run(
      'heartbeat',
      async ({ scheduler }) => {
        if (scheduler.getNode(nodeId) === undefined) {
          this.heartbeatStats.unknownNode++;
          return { value: undefined, events: [] };
        }
        const renewal = scheduler.nodeHeartbeat(nodeId, { state: body.state, leases: body.leases });
        if (renewal.status !== 'applied') return { value: undefined, events: renewal.events };
        this.heartbeatStats.applied++;
        const row = await em.findOneOrFail(Node, { id: nodeId });
        row.agentVersion = body.agentVersion;
        row.wireRevision = body.wireRevision;
        row.telemetry = body.telemetry;
        this.metricsHistory.record(nodeId, this.clock.now().getTime(), body.telemetry);
        if (renewal.stale.length > 0) {
          this.heartbeatStats.staleLeases += renewal.stale.length;
          this.log.write('info', 'Heartbeat lists superseded leases; cancel orders sent', {
            nodeId,
            stale: renewal.stale.map((l) => `${l.taskId}#${l.epoch}`),
          });
        }
        return { value: undefined, events: renewal.events, touched: { nodes: [nodeId] } };
      },
      { em },
    );
  }

  async #mustExist(nodeId: string) {
    const row = await this.nodes.find(nodeId);
    if (row === null) throw new ContractError(ErrorCode.NOT_FOUND, 'No node with this id is enrolled.');
    return row;
  }
}
