// The egress guard with real sockets: a listener outside the allowlist is never reached and the
// counter counts the attempt; an allowed one works; a step process in gpu-node's sandbox (a
// fresh network namespace) cannot connect either, and that refusal is counted too. The
// counters ride on a heartbeat that validates against the contract.
import { NodeHeartbeatBodySchema } from '@enclave/contracts';
import { createSandboxRunner, processRunner, silentLogger } from '@enclave/gpu-node';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EgressCounter } from '../src/egress/egress-counter.ts';
import { installEgressGuard, type InstalledGuard } from '../src/egress/egress-guard.ts';
import { EgressPolicy } from '../src/egress/egress-policy.ts';
import { buildHeartbeat } from '../src/heartbeat/heartbeat.builder.ts';
import { AgentState } from '../src/state/agent-state.ts';
import { ManualClock } from '../src/support/clock.ts';
import { NODE, TRACE, nextId } from './fixtures.ts';

const ALLOWED_PORT = 20502;
const FORBIDDEN_PORT = 20503;
const accepted = { allowed: 0, forbidden: 0 };
const servers: Server[] = [];
let guard: InstalledGuard | null = null;

async function listen(port: number, name: keyof typeof accepted): Promise<void> {
  const server = createServer((socket) => {
    accepted[name] += 1;
    socket.end('hello');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

/** Connects and reads until the peer closes: resolves with what came back or the error code. */
function attempt(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`error:${error.code ?? error.message}`));
  });
}

beforeAll(async () => {
  await listen(ALLOWED_PORT, 'allowed');
  await listen(FORBIDDEN_PORT, 'forbidden');
});

afterEach(() => {
  guard?.uninstall();
  guard = null;
});

afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('egress guard (the agent process)', () => {
  it('refuses a destination outside the allowlist, counts it, and lets an allowed one through', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const counter = new EgressCounter(clock);
    const refused: string[] = [];
    const policy = EgressPolicy.forAgent({
      controlPlaneUrl: `https://127.0.0.1:${ALLOWED_PORT}`,
      kafkaBootstrap: '127.0.0.1:19093',
      allow: ['10.20.0.0/16'],
    });
    guard = installEgressGuard(policy, counter, (destination) => refused.push(destination));
    const before = { ...accepted };

    expect(await attempt('127.0.0.1', ALLOWED_PORT)).toBe('hello');
    clock.advance(5_000);
    expect(await attempt('127.0.0.1', FORBIDDEN_PORT)).toBe('error:EGRESS_BLOCKED');
    // A host name not on the list is resolved and its address decides.
    expect(await attempt('localhost', FORBIDDEN_PORT)).toBe('error:EGRESS_BLOCKED');

    expect(accepted.forbidden).toBe(before.forbidden); // no connection ever reached it
    expect(accepted.allowed).toBe(before.allowed + 1);
    expect(refused).toEqual([`127.0.0.1:${FORBIDDEN_PORT}`, expect.stringMatching(/^localhost:20503 \(/)]);
    const snapshot = counter.snapshot();
    expect(snapshot.blockedConnections).toBe(2);
    expect(snapshot.lastBlockedAt).toBe('2026-01-01T00:00:05.000Z');
    expect(snapshot.allowedBytes).toBeGreaterThanOrEqual(0);

    guard.uninstall();
    guard = null;
    expect(await attempt('127.0.0.1', FORBIDDEN_PORT)).toBe('hello'); // the listener was real
  });

  it('parses host, host:port, CIDR and IPv6 entries', () => {
    const policy = new EgressPolicy(['cp.enclave.lan', 'broker-1:9093', '10.0.0.0/8', '[fd00::1]:443']);
    expect(policy.check('cp.enclave.lan', 1)).toBe('allow');
    expect(policy.check('broker-1', 9093)).toBe('allow');
    expect(policy.check('broker-1', 9094)).toBe('resolve');
    expect(policy.check('10.1.2.3', 80)).toBe('allow');
    expect(policy.check('11.1.2.3', 80)).toBe('deny');
    expect(policy.check('fd00::1', 443)).toBe('allow');
    expect(policy.check('fd00::1', 80)).toBe('deny');
    expect(new EgressPolicy(['cp.lan']).check('evil.example', 443)).toBe('deny');
    expect(() => new EgressPolicy(['300.1.1.1/8'])).toThrow(/CIDR/);
  });
});

describe('egress of step processes (gpu-node sandbox)', () => {
  it('a sandboxed step cannot connect to a listening port, and the attempt is counted', async () => {
    const sandbox = await createSandboxRunner({ processRunner, logger: silentLogger });
    expect(sandbox.isolated).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'agent-egress-'));
    mkdirSync(join(dir, 'tmp'));
    const before = accepted.forbidden;
    const result = await sandbox.run({
      command: '/bin/bash',
      args: ['-c', `exec 3<>/dev/tcp/127.0.0.1/${FORBIDDEN_PORT} && echo connected`],
      workdir: { dir, tmpDir: join(dir, 'tmp') },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderrTail).toMatch(/Network is unreachable/);
    expect(accepted.forbidden).toBe(before);
    expect(sandbox.networkRefusals).toBe(1);

    const counter = new EgressCounter(new ManualClock(), [sandbox]);
    const heartbeat = buildHeartbeat(
      {
        nodeId: NODE,
        agentVersion: '0.1.0',
        state: AgentState.Busy,
        slots: { total: 1, free: 0 },
        leases: [{ taskId: 'task-1', epoch: 1 }],
        telemetry: {
          cpu: { cores: 2, utilisationPct: 10 },
          mem: { totalMb: 1000, usedMb: 500 },
          scratchFreeMb: 100,
          gpus: [],
        },
        egress: counter.snapshot(),
        traceId: TRACE,
      },
      { id: nextId(), now: new Date() },
    );
    const parsed = NodeHeartbeatBodySchema.safeParse(heartbeat.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.telemetry.egress.blockedConnections).toBe(1);
    expect(parsed.data?.telemetry.egress.lastBlockedAt).toBeDefined();
  }, 30_000);
});
