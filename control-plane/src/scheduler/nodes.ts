// Nodes: enrollment of capabilities, heartbeats (liveness + lease renewal), loss detection and
// the operator's cordon / drain / revoke. Placement never trusts a node it has not heard from
// within nodeLostAfterMs; a lost node's work is requeued (epoch+1) at once rather than waiting
// for each lease, because a silent node renews none of them anyway.
import { CancelReason, canonicalJson, type NodeId } from '@enclave/contracts';
import { releaseRetired } from './capacity.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { renewLeases } from './leases.ts';
import { normalNodeSpec } from './requirements.ts';
import { liveAssignmentsOf, nodeStatus, topologyChanged } from './scheduler-state.ts';
import type { NodeRecord, SchedulerState } from './scheduler-state.ts';
import { endAttempt, type AttemptEnd } from './task-lifecycle.ts';
import {
  NodeAdminState,
  TaskCause,
  type CommandResult,
  type HeartbeatInput,
  type LeaseRenewal,
  type NodeSpec,
  type SchedulerEvent,
} from './types.ts';

function specJson(spec: NodeSpec): string {
  return canonicalJson({
    ...spec,
    capabilities: { ...spec.capabilities, gpus: spec.capabilities.gpus.map((g) => ({ ...g })) },
  });
}

/**
 * Enrolls a node or updates its capabilities. A new node is offline until its first heartbeat.
 * Capabilities of a node that holds work cannot change under it (drain it first), and a
 * revoked id is never reused.
 */
export function registerNode(state: SchedulerState, input: NodeSpec): CommandResult {
  const issues: { path: string; message: string }[] = [];
  const spec = normalNodeSpec(input, issues);
  if (issues.length > 0) throw invalid('node registration', issues);
  const existing = state.nodes.get(spec.id);
  if (existing !== undefined) {
    if (existing.admin === NodeAdminState.Revoked)
      throw conflict('This node id was revoked; enroll the machine under a new id.');
    if (specJson(existing.spec) === specJson(spec)) return { changed: false, events: [] };
    if (existing.assignments.size > 0 || existing.retiring.size > 0) {
      throw conflict('The node holds work; drain it before changing its capabilities.');
    }
  }
  const node: NodeRecord = {
    id: spec.id,
    spec,
    gpus: [...spec.capabilities.gpus]
      .sort((a, b) => a.vramMb - b.vramMb || a.index - b.index)
      .map((gpu) => ({ ...gpu, holder: null })),
    cpuSlots: spec.capabilities.cpuSlots,
    tags: new Set(spec.capabilities.tags),
    dedicatedTenant: spec.dedicatedTenant,
    admin: existing?.admin ?? NodeAdminState.Active,
    live: existing?.live ?? false,
    agentState: existing?.agentState ?? null,
    lastHeartbeatAt: existing?.lastHeartbeatAt ?? null,
    cpuUsed: 0,
    freeGpus: spec.capabilities.gpus.length,
    assignments: new Map(),
    retiring: new Set(),
  };
  state.nodes.set(node.id, node);
  topologyChanged(state);
  return {
    changed: true,
    events: existing === undefined ? [{ type: 'node-state', nodeId: node.id, status: nodeStatus(node) }] : [],
  };
}

function nodeOrThrow(state: SchedulerState, nodeId: NodeId): NodeRecord {
  const node = state.nodes.get(nodeId);
  if (node === undefined) throw notFound('node', nodeId, 'enroll the node first.');
  return node;
}

function statusChange(node: NodeRecord, before: string, events: SchedulerEvent[]): void {
  const after = nodeStatus(node);
  if (after !== before) events.push({ type: 'node-state', nodeId: node.id, status: after });
}

/** A heartbeat: the node is alive, in the state it says, and renews the leases it lists. */
export function nodeHeartbeat(
  state: SchedulerState,
  nodeId: NodeId,
  heartbeat: HeartbeatInput,
  now: number,
): LeaseRenewal {
  const node = state.nodes.get(nodeId);
  if (node === undefined) return { status: 'unknown-node', renewed: [], stale: [], events: [] };
  if (node.admin === NodeAdminState.Revoked) return { status: 'revoked', renewed: [], stale: [], events: [] };
  const before = nodeStatus(node);
  node.live = true;
  node.agentState = heartbeat.state;
  node.lastHeartbeatAt = Math.max(node.lastHeartbeatAt ?? now, now);
  const events: SchedulerEvent[] = [];
  statusChange(node, before, events);
  const renewal = renewLeases(state, nodeId, heartbeat.leases, now);
  return { ...renewal, events: [...events, ...renewal.events] };
}

const LOST: AttemptEnd = {
  cause: TaskCause.NodeLost,
  fault: true,
  // A crash takes all of a node's tasks at once; that says little about any one job.
  blameNode: false,
  cancelReason: CancelReason.LeaseExpired,
  backoff: false,
};

/**
 * The node is gone (silent too long, or the operator says so): offline, and its live work is
 * requeued with epoch+1. Cancel orders still go out — Kafka delivers them if the node returns
 * with the runs still going — and capacity stays held until it confirms or the grace ends.
 */
export function markNodeLost(state: SchedulerState, nodeId: NodeId, now: number): CommandResult {
  const node = nodeOrThrow(state, nodeId);
  if (!node.live && node.assignments.size === 0) return { changed: false, events: [] };
  const before = nodeStatus(node);
  node.live = false;
  const events: SchedulerEvent[] = [];
  statusChange(node, before, events);
  for (const assignment of liveAssignmentsOf(node)) endAttempt(state, assignment.task, LOST, now, events);
  return { changed: true, events };
}

/** Marks lost every live node not heard from for nodeLostAfterMs. Call it on a timer. */
export function detectLostNodes(state: SchedulerState, now: number): CommandResult {
  const events: SchedulerEvent[] = [];
  for (const node of state.nodes.values()) {
    if (!node.live || node.lastHeartbeatAt === null) continue;
    if (now - node.lastHeartbeatAt >= state.config.nodeLostAfterMs)
      events.push(...markNodeLost(state, node.id, now).events);
  }
  return { changed: events.length > 0, events };
}

/**
 * Operator actions. Cordon and drain stop new placements; drain with `evict` also cancels what
 * runs there (requeued elsewhere without counting as a fault). Revoke is final: the node's
 * certificate is gone, so its work is requeued and its capacity forgotten at once — it can no
 * longer reach us to confirm anything. `active` lifts a cordon or drain.
 */
export function setNodeAdminState(
  state: SchedulerState,
  nodeId: NodeId,
  admin: NodeAdminState,
  now: number,
  options: { readonly evict?: boolean } = {},
): CommandResult {
  const node = nodeOrThrow(state, nodeId);
  if (node.admin === NodeAdminState.Revoked) {
    if (admin === NodeAdminState.Revoked) return { changed: false, events: [] };
    throw conflict('A revoked node cannot be brought back; enroll the machine under a new id.');
  }
  const before = nodeStatus(node);
  const changed = node.admin !== admin;
  node.admin = admin;
  const events: SchedulerEvent[] = [];
  statusChange(node, before, events);
  if (admin === NodeAdminState.Revoked) {
    topologyChanged(state);
    const end: AttemptEnd = {
      cause: TaskCause.NodeRevoked,
      fault: false,
      blameNode: false,
      cancelReason: null,
      backoff: false,
    };
    for (const assignment of liveAssignmentsOf(node)) endAttempt(state, assignment.task, end, now, events);
    for (const retiring of [...node.retiring]) releaseRetired(retiring);
  } else if (admin === NodeAdminState.Draining && options.evict === true) {
    const end: AttemptEnd = {
      cause: TaskCause.NodeEvicted,
      fault: false,
      blameNode: false,
      cancelReason: CancelReason.NodeDraining,
      backoff: false,
    };
    for (const assignment of liveAssignmentsOf(node)) endAttempt(state, assignment.task, end, now, events);
  }
  return { changed: changed || events.length > 0, events };
}
