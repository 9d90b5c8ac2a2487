// Builds node.heartbeat from the agent's state, its leases and a telemetry sample. Sent every
// `periodMs`, which the agent keeps at most a third of the shortest lease it holds.
import {
  NodeState,
  WIRE_REVISION,
  newEnvelope,
  type EnvelopeOf,
  type LeaseRef,
  type NodeTelemetry,
} from '@enclave/contracts';
import { AgentState } from '../state/agent-state.ts';
import type { Clock } from '../support/clock.ts';

/** Telemetry without the egress counters, which come from the egress guard. */
export type TelemetrySample = Omit<NodeTelemetry, 'egress'>;

export interface TelemetrySource {
  sample(): Promise<TelemetrySample>;
}

/** Zeros until the egress guard exists (see docs/agent.md). */
export interface EgressCounters {
  snapshot(): NodeTelemetry['egress'];
}

export class ZeroEgressCounters implements EgressCounters {
  readonly #since: string;
  constructor(clock: Clock) {
    this.#since = clock.now().toISOString();
  }
  snapshot(): NodeTelemetry['egress'] {
    return { since: this.#since, allowedBytes: 0, blockedConnections: 0 };
  }
}

export function nodeStateOf(state: AgentState): NodeState {
  switch (state) {
    case AgentState.Enrolling:
      return NodeState.Starting;
    case AgentState.Idle:
    case AgentState.Busy:
      return NodeState.Ready;
    case AgentState.Draining:
    case AgentState.Stopped:
      return NodeState.Draining;
    case AgentState.Error:
      return NodeState.Degraded;
    default: {
      const unhandled: never = state;
      throw new Error(`unknown agent state ${String(unhandled)}`);
    }
  }
}

export interface HeartbeatInputs {
  nodeId: string;
  agentVersion: string;
  state: AgentState;
  slots: { total: number; free: number };
  leases: LeaseRef[];
  telemetry: TelemetrySample;
  egress: NodeTelemetry['egress'];
  traceId: string;
}

export function buildHeartbeat(
  inputs: HeartbeatInputs,
  stamp: { id: string; now: Date },
): EnvelopeOf<'node.heartbeat'> {
  return newEnvelope<'node.heartbeat'>(
    {
      type: 'node.heartbeat',
      nodeId: inputs.nodeId,
      tenantId: null,
      traceId: inputs.traceId,
      body: {
        state: nodeStateOf(inputs.state),
        agentVersion: inputs.agentVersion,
        wireRevision: WIRE_REVISION,
        slots: inputs.slots,
        leases: inputs.leases,
        telemetry: { ...inputs.telemetry, egress: inputs.egress },
      },
    },
    stamp,
  );
}

/** Heartbeat period: the configured one, but never more than a third of the shortest lease. */
export function heartbeatPeriodMs(configuredMs: number, leaseMsOfRunningTasks: readonly number[]): number {
  const shortest = Math.min(...leaseMsOfRunningTasks, Number.POSITIVE_INFINITY);
  return Math.max(250, Math.min(configuredMs, Math.floor(shortest / 3)));
}
