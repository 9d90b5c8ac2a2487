// `enclave agent status`: what the state directory says, without talking to anything.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { StateDir } from '../config/state-dir.ts';
import { SqliteOutboxStore } from '../outbox/outbox.store.ts';

export interface AgentStatusReport {
  stateDir: string;
  enrolled: boolean;
  nodeId: string | null;
  state: string | null;
  stateUpdatedAt: string | null;
  certificateExpires: string | null;
  outboxDepth: number | null;
}

export function readAgentStatus(stateDir: string): AgentStatusReport {
  const state = new StateDir(stateDir);
  const identity = existsSync(state.paths.identity) ? state.readIdentity() : null;
  const status = state.readStatus();
  const cert = existsSync(state.paths.cert) ? new X509Certificate(readFileSync(state.paths.cert)) : null;
  let outboxDepth: number | null = null;
  if (existsSync(state.paths.outbox)) {
    const store = new SqliteOutboxStore(state.paths.outbox);
    outboxDepth = store.depth();
    store.close();
  }
  return {
    stateDir,
    enrolled: identity !== null,
    nodeId: identity?.nodeId ?? null,
    state: status?.state ?? null,
    stateUpdatedAt: status?.updatedAt ?? null,
    certificateExpires: cert ? new Date(cert.validTo).toISOString() : null,
    outboxDepth,
  };
}

export function formatAgentStatus(report: AgentStatusReport): string {
  return [
    `state dir:    ${report.stateDir}`,
    `enrolled:     ${report.enrolled ? 'yes' : 'no'}`,
    `node id:      ${report.nodeId ?? '-'}`,
    `state:        ${report.state ?? '-'}${report.stateUpdatedAt ? ` (since ${report.stateUpdatedAt})` : ''}`,
    `cert expires: ${report.certificateExpires ?? '-'}`,
    `outbox depth: ${report.outboxDepth ?? '-'}`,
  ].join('\n');
}
