import { decodeFromTopic, encodeEnvelope, heartbeatsTopic } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  ZeroEgressCounters,
  buildHeartbeat,
  heartbeatPeriodMs,
  nodeStateOf,
} from '../src/heartbeat/heartbeat.builder.ts';
import { jobsConsumerConfig } from '../src/kafka/jobs-consumer.ts';
import { AGENT_STATES } from '../src/state/agent-state.ts';
import { ManualClock } from '../src/support/clock.ts';
import { NODE, TRACE, nextId } from './fixtures.ts';

describe('heartbeat', () => {
  it('builds a valid node.heartbeat listing the leases and zero egress counters', () => {
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const envelope = buildHeartbeat(
      {
        nodeId: NODE,
        agentVersion: '0.1.0',
        state: 'busy',
        slots: { total: 2, free: 1 },
        leases: [{ taskId: 'task-1', epoch: 3 }],
        telemetry: {
          cpu: { cores: 8, utilisationPct: 12.5 },
          mem: { totalMb: 4096, usedMb: 1024 },
          scratchFreeMb: 900,
          gpus: [],
        },
        egress: new ZeroEgressCounters(clock).snapshot(),
        traceId: TRACE,
      },
      { id: nextId(), now: clock.now() },
    );
    const decoded = decodeFromTopic(heartbeatsTopic(NODE), encodeEnvelope(envelope));
    expect(decoded.type).toBe('node.heartbeat');
    if (decoded.type !== 'node.heartbeat') return;
    expect(decoded.body.state).toBe('ready');
    expect(decoded.body.leases).toEqual([{ taskId: 'task-1', epoch: 3 }]);
    expect(decoded.body.telemetry.egress).toEqual({
      since: '2026-03-01T10:00:00.000Z',
      allowedBytes: 0,
      blockedConnections: 0,
    });
  });

  it('maps every agent state to a node state', () => {
    expect(Object.fromEntries(AGENT_STATES.map((state) => [state, nodeStateOf(state)]))).toEqual({
      enrolling: 'starting',
      idle: 'ready',
      busy: 'ready',
      draining: 'draining',
      stopped: 'draining',
      error: 'degraded',
    });
  });

  it('beats at most every third of the shortest lease', () => {
    expect(heartbeatPeriodMs(10_000, [])).toBe(10_000);
    expect(heartbeatPeriodMs(10_000, [60_000, 15_000])).toBe(5_000);
  });
});

describe('jobs consumer settings', () => {
  it('reads jobs.<self> in group node-<self>, read_committed, manual commits', () => {
    const config = jobsConsumerConfig(
      {
        bootstrap: 'b:9093',
        caFile: '/s/ca.pem',
        chainFile: '/s/chain.pem',
        keyFile: '/s/key.pem',
        clientId: 'node-x',
      },
      'gpu-7',
    );
    expect(config).toMatchObject({
      'group.id': 'node-gpu-7',
      'isolation.level': 'read_committed',
      'enable.auto.commit': false,
      'security.protocol': 'ssl',
      'ssl.key.location': '/s/key.pem',
    });
  });
});
