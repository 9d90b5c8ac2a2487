// A node as the IT operator sees it: the scheduler's view (status, free capacity, what runs
// there) joined with the row (capabilities, certificate, last telemetry).
import type { NodeSummary } from '@enclave/contracts';
import type { NodeRow } from '../database/entities/node.entity.ts';
import type { NodeView } from '../scheduler/index.ts';

export function nodeSummary(row: NodeRow, view: NodeView | undefined, now: Date): NodeSummary {
  const lastHeartbeat = view?.lastHeartbeatAt ?? row.lastHeartbeatAtMs ?? null;
  return {
    nodeId: row.id,
    status: view?.status ?? (row.adminState === 'revoked' ? 'revoked' : 'offline'),
    adminState: view?.admin ?? row.adminState,
    agentState: view?.agentState ?? row.agentState ?? null,
    schedulable: view?.schedulable ?? false,
    capabilities: {
      gpus: row.capabilities.gpus.map((g) => ({ index: g.index, model: g.model, vramMb: g.vramMb })),
      cpuSlots: row.capabilities.cpuSlots,
      tags: [...row.capabilities.tags],
    },
    lastHeartbeatAt: lastHeartbeat === null ? null : new Date(lastHeartbeat).toISOString(),
    heartbeatAgeMs: lastHeartbeat === null ? null : Math.max(0, now.getTime() - lastHeartbeat),
    agentVersion: row.agentVersion ?? null,
    telemetry: row.telemetry ?? null,
    running: view ? [...view.running] : [],
    freeGpus: view ? [...view.free.gpus] : [],
    freeCpuSlots: view?.free.cpuSlots ?? 0,
    certificateNotAfter: row.certificateNotAfter ? row.certificateNotAfter.toISOString() : null,
    enrolledAt: row.createdAt.toISOString(),
  };
}
