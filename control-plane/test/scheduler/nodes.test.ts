import { ContractError, ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  createSchedulerState,
  detectLostNodes,
  getNode,
  getTask,
  listNodes,
  markNodeLost,
  nodeHeartbeat,
  onAccepted,
  onSucceeded,
  registerNode,
  schedule,
  setNodeAdminState,
} from '../../src/scheduler/index.ts';
import { T0, checkInvariants, cluster, healthyHeartbeat, job, nodeSpec, submit, task } from './fixtures.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) return error.code;
    throw error;
  }
  return 'none';
}

describe('registerNode', () => {
  it('enrolls a node offline until its first heartbeat', () => {
    const state = createSchedulerState();
    expect(registerNode(state, nodeSpec('n1', { gpus: 2 })).events).toEqual([
      { type: 'node-state', nodeId: 'n1', status: 'offline' },
    ]);
    const renewal = nodeHeartbeat(state, 'n1', { state: 'ready', leases: [] }, T0);
    expect(renewal.events).toEqual([{ type: 'node-state', nodeId: 'n1', status: 'online' }]);
    expect(getNode(state, 'n1')).toMatchObject({ status: 'online', schedulable: true, lastHeartbeatAt: T0 });
  });

  it.each([
    ['bad id', { ...nodeSpec('N_1') }, 'id'],
    ['no cpu slots', nodeSpec('n', { cpu: 0 }), 'capabilities.cpuSlots'],
    [
      'duplicate GPU index',
      {
        id: 'n',
        capabilities: {
          cpuSlots: 1,
          tags: [],
          gpus: [0, 0].map((index) => ({ index, model: 'x', vramMb: 1 })),
        },
      },
      'capabilities.gpus[1].index',
    ],
    ['bad tag', nodeSpec('n', { tags: ['UPPER'] }), 'capabilities.tags[0]'],
  ])('refuses a %s', (_name, spec, path) => {
    const state = createSchedulerState();
    try {
      registerNode(state, spec);
      expect.unreachable();
    } catch (error) {
      expect((error as ContractError).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect((error as ContractError).issues.map((i) => i.path)).toContain(path);
    }
  });

  it('re-registration: same spec is a no-op; a change needs the node idle', () => {
    const state = cluster([nodeSpec('n', { gpus: 1 })]);
    expect(registerNode(state, nodeSpec('n', { gpus: 1 })).changed).toBe(false);
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    const [a] = schedule(state, T0).assignments;
    expect(codeOf(() => registerNode(state, nodeSpec('n', { gpus: 2 })))).toBe(ErrorCode.CONFLICT);
    onSucceeded(state, { nodeId: 'n', taskId: 't', epoch: a!.epoch }, T0);
    expect(registerNode(state, nodeSpec('n', { gpus: 2 })).changed).toBe(true);
    expect(getNode(state, 'n')).toMatchObject({ status: 'online', free: { gpus: [0, 1], cpuSlots: 8 } });
  });
});

describe('lost nodes', () => {
  function busy() {
    const state = cluster([nodeSpec('a', { gpus: 1 }), nodeSpec('b', { gpus: 1 })], {
      nodeLostAfterMs: 30_000,
    });
    submit(state, job('j', 'acme', [task('t', { gpus: 1 })]));
    schedule(state, T0);
    onAccepted(state, { nodeId: 'a', taskId: 't', epoch: 1 }, T0);
    return state;
  }

  it('a node silent for nodeLostAfterMs goes offline and its work is requeued with epoch+1', () => {
    const state = busy();
    healthyHeartbeat(state, 'b', T0 + 20_000);
    expect(detectLostNodes(state, T0 + 29_999).events).toEqual([]);
    const { events } = detectLostNodes(state, T0 + 30_000);
    expect(events).toContainEqual({ type: 'node-state', nodeId: 'a', status: 'offline' });
    expect(events).toContainEqual({
      type: 'cancel-order',
      nodeId: 'a',
      body: { jobId: 'j', taskId: 't', epoch: 1, reason: 'lease-expired' },
    });
    expect(getTask(state, 't')).toMatchObject({ state: 'queued', epoch: 2, failures: 1 });
    expect(getNode(state, 'b')!.status).toBe('online');
    expect(schedule(state, T0 + 30_000).assignments.map((x) => [x.nodeId, x.epoch])).toEqual([['b', 2]]);
    checkInvariants(state);
  });

  it('markNodeLost does the same on demand, and a node loss does not blocklist it for the job', () => {
    const state = busy();
    markNodeLost(state, 'a', T0 + 1);
    expect(getTask(state, 't')!.state).toBe('queued');
    expect(state.jobs.get('j')!.faults).toBeNull();
    expect(markNodeLost(state, 'a', T0 + 2).changed).toBe(false);
  });

  it('a lost node that heartbeats again is back online; its zombie run is fenced', () => {
    const state = busy();
    markNodeLost(state, 'a', T0 + 1);
    const back = nodeHeartbeat(state, 'a', { state: 'ready', leases: [{ taskId: 't', epoch: 1 }] }, T0 + 2);
    expect(back.events).toContainEqual({ type: 'node-state', nodeId: 'a', status: 'online' });
    expect(back.stale).toEqual([{ taskId: 't', epoch: 1 }]);
    expect(onSucceeded(state, { nodeId: 'a', taskId: 't', epoch: 1 }, T0 + 3).status).toBe(
      'stale-epoch-dropped',
    );
  });
});

describe('operator actions', () => {
  it('cordon stops new work but leaves running work alone', () => {
    const state = cluster([nodeSpec('n', { cpu: 2 })]);
    submit(state, job('j', 'acme', [task('t1'), task('t2')]));
    schedule(state, T0);
    expect(setNodeAdminState(state, 'n', 'cordoned', T0).events).toEqual([
      { type: 'node-state', nodeId: 'n', status: 'cordoned' },
    ]);
    expect(getTask(state, 't1')!.state).toBe('assigned');
  });

  it('drain with evict cancels and requeues what runs, without counting a fault', () => {
    const state = cluster([nodeSpec('a', { cpu: 2 }), nodeSpec('b', { cpu: 4 })]);
    submit(state, job('j', 'acme', [task('t1')]));
    expect(schedule(state, T0).assignments[0]!.nodeId).toBe('a');
    const { events } = setNodeAdminState(state, 'a', 'draining', T0, { evict: true });
    expect(events).toContainEqual({
      type: 'cancel-order',
      nodeId: 'a',
      body: { jobId: 'j', taskId: 't1', epoch: 1, reason: 'node-draining' },
    });
    expect(getTask(state, 't1')).toMatchObject({ state: 'queued', epoch: 2, failures: 0 });
    expect(schedule(state, T0).assignments[0]!.nodeId).toBe('b');
    checkInvariants(state);
  });

  it('revoke is final: work requeued, capacity forgotten, heartbeats ignored', () => {
    const state = cluster([nodeSpec('a'), nodeSpec('b')]);
    submit(state, job('j', 'acme', [task('t1')]));
    schedule(state, T0);
    const node = getTask(state, 't1')!.assignment!.nodeId;
    setNodeAdminState(state, node, 'revoked', T0);
    expect(getTask(state, 't1')).toMatchObject({ state: 'queued', epoch: 2, failures: 0 });
    expect(nodeHeartbeat(state, node, { state: 'ready', leases: [] }, T0).status).toBe('revoked');
    expect(getNode(state, node)!.status).toBe('revoked');
    expect(codeOf(() => setNodeAdminState(state, node, 'active', T0))).toBe(ErrorCode.CONFLICT);
    expect(codeOf(() => registerNode(state, nodeSpec(node)))).toBe(ErrorCode.CONFLICT);
    expect(schedule(state, T0).assignments[0]!.nodeId).not.toBe(node);
    checkInvariants(state);
  });

  it('unknown nodes are NOT_FOUND for operator commands', () => {
    const state = createSchedulerState();
    expect(codeOf(() => setNodeAdminState(state, 'ghost', 'cordoned', T0))).toBe(ErrorCode.NOT_FOUND);
    expect(codeOf(() => markNodeLost(state, 'ghost', T0))).toBe(ErrorCode.NOT_FOUND);
    expect(listNodes(state)).toEqual([]);
  });
});
