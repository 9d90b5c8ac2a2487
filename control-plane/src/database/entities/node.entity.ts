// A GPU node. `adminState` is the operator's decision (kept apart from liveness so a cordon
// survives a reboot); `agentState` is what the agent last reported in a heartbeat.
import { NodeState, type NodeTelemetry } from '@enclave/contracts';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { NodeAdminState, type NodeCapabilities } from '../../scheduler/index.ts';
import { Tenant } from './tenant.entity.ts';

export const Node = defineEntity({
  name: 'Node',
  properties: {
    /** The node id: its certificate name and the suffix of its topics. */
    id: p.string().length(64).primary(),
    adminState: p.enum(Object.values(NodeAdminState)),
    agentState: p.enum(Object.values(NodeState)).nullable(),
    live: p.boolean().default(false),
    capabilities: p.json<NodeCapabilities>(),
    /** When set, only this tenant's tasks are placed here. */
    dedicatedTenant: () => p.manyToOne(Tenant).nullable(),
    lastHeartbeatAtMs: p.integer().nullable(),
    /** From the last heartbeat, for the rack view. */
    agentVersion: p.string().length(100).nullable(),
    wireRevision: p.integer().nullable(),
    telemetry: p.json<NodeTelemetry>().nullable(),
    certificateSerial: p.string().length(64).nullable(),
    certificateNotAfter: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export type NodeRow = InferEntity<typeof Node>;
