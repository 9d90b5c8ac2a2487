// Fault: a node's wall clock is off by minutes (issue #10). The single box (private broker on
// 21193, control plane on 21120/21121, short leases and a 6 s node-lost time) runs; its own
// agent is stopped. A real agent process (`bin/enclave agent start`) runs under libfaketime
// 5 minutes ahead, then another 5 minutes behind: each must enrol over the pinned HTTPS link
// and receive a node certificate issued a moment ago. Their Kafka link is not judged: see the
// comment in the test (libfaketime breaks librdkafka's timed waits).
// The shift of each agent's Date.now() is asserted from what the agent itself wrote
// (status.json's updatedAt). A second test bounds the certificates' skew tolerance: a server
// certificate issued a moment ago is accepted by a client 5 minutes behind (certs backdate
// notBefore by 5 minutes) and refused by one 6 minutes behind.
// Figures: attempted = skewed agents started, acknowledged = agents enrolled with their clock
// shifted as set, lost = agents that were not, duplicated = 0 (nothing here can run twice).
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { ApiSession, startSingleBox, type SingleBox } from '@enclave/devkit/appliance';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFaultFigures } from '@enclave/devkit/testing';
import { SkewedAgent, faketimeEnv, findLibfaketime, measuredShiftMs } from './support/skewed-agent.ts';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
// This task's range, 21100-21199: API, agent listener, private broker (+1, +2 for its
// controller and inter-broker listeners), the certificate check's server.
const ports = { apiPort: 21120, agentPort: 21121, kafkaPort: 21193 };
const TLS_CHECK_PORT = 21126;
const execFileAsync = promisify(execFile);
const NODE_LOST_MS = 6_000;
const HEARTBEAT_SECONDS = 2;
const AHEAD = { offset: '+5m', nodeId: 'skew-ahead', shiftMs: 300_000 };
const BEHIND = { offset: '-5m', nodeId: 'skew-behind', shiftMs: -300_000 };

function startSkewed(
  admin: ApiSession,
  box: SingleBox,
  nodeId: string,
  offset: string,
): Promise<SkewedAgent> {
  return SkewedAgent.start(admin, {
    repoRoot: REPO,
    devDir: box.paths.devDir,
    nodeId,
    offset,
    library: library!,
    controlPlaneUrl: box.url,
    agentUrl: `https://127.0.0.1:${ports.agentPort}`,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  });
}

const library = findLibfaketime();
let dir: string;
let box: SingleBox | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agent-fault-skew-'));
  if (library === null) return;
  box = await startSingleBox({
    devDir: join(dir, 'dev'),
    ...ports,
    controlPlaneEnv: {
      ENCLAVE_SCHEDULER_TICK_MS: '500',
      ENCLAVE_SCHEDULER_LEASE_MS: '6000',
      ENCLAVE_SCHEDULER_NODE_LOST_MS: String(NODE_LOST_MS),
    },
    agentHeartbeatSeconds: HEARTBEAT_SECONDS,
    agentDrainSeconds: 5,
    readyTimeoutMs: 90_000,
    log: () => undefined,
  });
  // The box's own agent (true clock) goes, so every job lands on a skewed node.
  await box.agent.stop(15_000);
}, 240_000);

afterAll(async () => {
  await box?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const NO_LIBFAKETIME =
  'libfaketime is not installed (Debian package faketime, listed in scripts/debian-packages.txt)';

describe('fault: a node clock 5 minutes off (libfaketime, real agent process)', () => {
  it('a real agent 5 min ahead and one 5 min behind enrol with a fresh node certificate', async (context) => {
    if (library === null) {
      printFaultFigures('clock-skew', {
        seed: 0,
        attempted: 0,
        acknowledged: 0,
        lost: 0,
        duplicated: 0,
        details: {},
        skipped: NO_LIBFAKETIME,
      });
      context.skip(NO_LIBFAKETIME);
      return;
    }
    const current = box!;
    const account = (role: string) => current.demo.accounts.find((a) => a.role === role)!;
    const admin = await ApiSession.signIn(current.url, current.caPem, account('it-admin'));
    const runs: Record<string, unknown>[] = [];
    let acknowledged = 0;
    let lost = 0;

    // Enrolment only. Under libfaketime librdkafka's timed waits (absolute CLOCK_REALTIME
    // deadlines) misbehave: 5 min ahead a producer's delivery report comes but its disconnect
    // never returns and the consumer's group session expires; 5 min behind the consumer's
    // connect times out. A real node's consistently skewed kernel clock does not do that, so
    // the Kafka link and the job are not judged here (docs/reliability.md).
    for (const { offset, nodeId, shiftMs } of [AHEAD, BEHIND]) {
      // The library does move Node's Date.now() (a child process, measured against ours).
      expect(Math.abs(measuredShiftMs(library, offset) - shiftMs)).toBeLessThan(5_000);
      const started = Date.now();
      const agent = await startSkewed(admin, current, nodeId, offset);
      try {
        // Enrolment over the pinned HTTPS link; the node certificate was issued a moment ago.
        const deadline = Date.now() + 60_000;
        while (
          !existsSync(join(agent.paths.agentStateDir, 'identity.json')) ||
          agent.statusUpdatedAt() === null
        ) {
          if (!agent.running) throw new Error(`the ${offset} agent exited:\n${agent.tail()}`);
          if (Date.now() > deadline) throw new Error(`the ${offset} agent did not enrol:\n${agent.tail()}`);
          await sleep(250);
        }
        // The agent's own clock, as it wrote it: shifted by the offset.
        const agentShiftMs = agent.statusUpdatedAt()! - Date.now();
        const enrolled = await admin.node(nodeId);
        const ok = Math.abs(agentShiftMs - shiftMs) < 60_000 && enrolled?.certificateNotAfter != null;
        if (ok) acknowledged += 1;
        else lost += 1;
        runs.push({
          offset,
          nodeId,
          agentShiftMs: Math.round(agentShiftMs),
          enrolledAfterMs: Date.now() - started,
        });
        expect(Math.abs(agentShiftMs - shiftMs), `agent clock shift ${agentShiftMs} ms`).toBeLessThan(60_000);
        expect(enrolled?.certificateNotAfter).toBeTruthy();
      } finally {
        await agent.stop(5_000);
      }
    }

    printFaultFigures('clock-skew', {
      seed: 0,
      attempted: 2,
      acknowledged,
      lost,
      duplicated: 0,
      details: { runs, nodeLostMs: NODE_LOST_MS, heartbeatSeconds: HEARTBEAT_SECONDS },
    });
    expect([acknowledged, lost]).toEqual([2, 0]);
  }, 300_000);

  it('a certificate issued a moment ago is accepted 5 minutes behind, refused 6 minutes behind', async (context) => {
    if (library === null) {
      context.skip(NO_LIBFAKETIME);
      return;
    }
    const ca = await openDevCa(join(dir, 'dev', 'ca'));
    const fresh = await ensureIdentity(ca, join(dir, 'fresh-server'), {
      profile: 'control-plane',
      name: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const server = createServer(
      { key: await readFile(fresh.key), cert: await readFile(fresh.chain) },
      (_req, res) => res.end('ok'),
    );
    await new Promise<void>((listening) => server.listen(TLS_CHECK_PORT, '127.0.0.1', listening));
    try {
      // A client on its own clock: Node's TLS (OpenSSL) checks the validity against it.
      // Async: the server lives in this process, so its event loop must keep running.
      const handshake = async (offset: string) => {
        const { stdout } = await execFileAsync(
          process.execPath,
          [
            '-e',
            `require('node:tls').connect({ host: '127.0.0.1', port: ${TLS_CHECK_PORT}, servername: 'localhost',
               ca: require('node:fs').readFileSync(${JSON.stringify(fresh.ca)}) })
             .on('secureConnect', function () { console.log('ok'); this.destroy(); })
             .on('error', (e) => console.log(e.code))`,
          ],
          { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...faketimeEnv(library, offset) } },
        );
        return stdout.trim();
      };
      expect(await handshake('+0')).toBe('ok');
      expect(await handshake('-5m')).toBe('ok');
      expect(await handshake('-6m')).toBe('CERT_NOT_YET_VALID');
    } finally {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    }
  }, 60_000);
});
