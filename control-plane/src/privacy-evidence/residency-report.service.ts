// Data residency (privacy policy §7, §8): every node's egress counters as its latest heartbeat
// reported them (allowed bytes to the control plane and broker, connection attempts the agent's
// egress guard refused), with totals. Nodes are the appliance's, not a tenant's: the report is
// appliance-wide and names no tenant data. Signed with the audit key (signed-report.ts);
// `enclave report verify FILE` checks a copy.
import type { ResidencyReport } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AuditSigningKey } from '../audit/audit-signing-key.ts';
import { Clock } from '../common/clock.ts';
import { Node } from '../database/entities/node.entity.ts';
import { signReport } from './signed-report.ts';

export const RESIDENCY_STATEMENT =
  'All processing happens on the appliance inside the facility: nodes may reach only the control plane and the broker, ' +
  'every other connection attempt is refused and counted (blockedConnections), and no data is transferred outside the facility.';

const latest = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b;

@Injectable()
export class ResidencyReports {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly key: AuditSigningKey,
  ) {}

  async report(): Promise<ResidencyReport> {
    const rows = await this.orm.em.fork().find(Node, {}, { orderBy: { id: 'asc' } });
    const nodes = rows.map((row) => {
      const egress = row.telemetry?.egress;
      return {
        nodeId: row.id,
        live: row.live,
        lastHeartbeatAt: row.lastHeartbeatAtMs == null ? null : new Date(row.lastHeartbeatAtMs).toISOString(),
        egress:
          egress === undefined
            ? null
            : {
                since: egress.since,
                allowedBytes: egress.allowedBytes,
                blockedConnections: egress.blockedConnections,
                lastBlockedAt: egress.lastBlockedAt ?? null,
              },
      };
    });
    const reporting = nodes.filter((node) => node.egress !== null);
    const report: Omit<ResidencyReport, 'signature' | 'publicKeyPem'> = {
      format: 'enclave-residency-report/v1',
      generatedAt: this.clock.now().toISOString(),
      statement: RESIDENCY_STATEMENT,
      nodes,
      totals: {
        nodes: nodes.length,
        reporting: reporting.length,
        allowedBytes: reporting.reduce((sum, node) => sum + (node.egress?.allowedBytes ?? 0), 0),
        blockedConnections: reporting.reduce((sum, node) => sum + (node.egress?.blockedConnections ?? 0), 0),
        lastBlockedAt: reporting.reduce<string | null>(
          (last, node) => latest(last, node.egress?.lastBlockedAt ?? null),
          null,
        ),
      },
    };
    return signReport(report, this.key);
  }
}
