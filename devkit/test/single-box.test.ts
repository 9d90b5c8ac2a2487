// `make up` as a test: the whole appliance — a private Kafka broker (its own dev directory and
// port), the compiled control plane as a child process, the demo tenant and one real agent
// enrolled with a token — booted in a temp directory on this suite's ports, then stopped and
// booted again on the same directory. Health is read over TLS 1.3 with the CA demo.env names
// (also with curl), every demo account signs in, the node is online, and stopping leaves no
// process behind.
import { LoginReplySchema } from '@enclave/contracts';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../src/appliance/demo-accounts.ts';
import { httpsJson } from '../src/appliance/https-json.ts';
import { startSingleBox, type SingleBox, type SingleBoxOptions } from '../src/appliance/single-box.ts';
import { alive, processTree } from './support/process-tree.ts';

// This suite's own ports (20600-20699): API, agent listener, and a private broker.
const ports = { apiPort: 20600, agentPort: 20601, kafkaPort: 20610 };

let devDir: string;
let box: SingleBox | undefined;
const logs: string[] = [];

function options(): SingleBoxOptions {
  return { devDir, ...ports, log: (line) => logs.push(line), agentDrainSeconds: 5 };
}

function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

/** Stops the box and checks that nothing it started is still running. */
async function stopAndCheckNoOrphans(current: SingleBox): Promise<void> {
  const roots = [
    current.controlPlane.pid,
    current.agent.pid,
    ...(current.brokerStartedHere ? [current.broker.pid] : []),
  ];
  const tree = processTree(roots);
  expect(tree.length).toBeGreaterThanOrEqual(roots.length);
  await current.stop();
  const deadline = Date.now() + 10_000;
  while (tree.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(tree.filter(alive), 'processes left running after stop').toEqual([]);
}

beforeAll(async () => {
  devDir = await mkdtemp(join(tmpdir(), 'enclave-single-box-'));
});

afterAll(async () => {
  await box?.stop();
  if (devDir) await rm(devDir, { recursive: true, force: true });
});

describe('the single box (make up)', () => {
  let first: Record<string, string>;

  it('boots broker, control plane, demo tenant and an online agent on a fresh directory', async () => {
    box = await startSingleBox(options());
    expect(box.firstRun).toBe(true);
    expect(box.brokerStartedHere).toBe(true);

    // demo.env: 0600, the URL, a CA file, three accounts.
    expect(statSync(box.demoEnvFile).mode & 0o777).toBe(0o600);
    first = readEnvFile(box.demoEnvFile);
    expect(first['ENCLAVE_URL']).toBe(`https://127.0.0.1:${ports.apiPort}`);
    const caPem = readFileSync(first['ENCLAVE_CA']!, 'utf8');

    // Health over TLS 1.3, trusting only that CA; TLS 1.2 is refused.
    const health = await httpsJson({ url: `${first['ENCLAVE_URL']}/api/v1/health`, caPem });
    expect(health.status).toBe(200);
    expect(health.tlsVersion).toBe('TLSv1.3');
    expect(health.json).toMatchObject({ status: 'ok' });
    const curl = execFileSync(
      'curl',
      [
        '-sS',
        '--fail',
        '--tlsv1.3',
        '--cacert',
        first['ENCLAVE_CA']!,
        `${first['ENCLAVE_URL']}/api/v1/health`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(curl)).toMatchObject({ status: 'ok' });
    expect(() =>
      execFileSync(
        'curl',
        [
          '-sS',
          '--fail',
          '--tls-max',
          '1.2',
          '--cacert',
          first['ENCLAVE_CA']!,
          `${first['ENCLAVE_URL']}/api/v1/health`,
        ],
        {
          stdio: 'pipe',
        },
      ),
    ).toThrow();

    // Every demo account signs in with the password demo.env holds, with its role.
    for (const [prefix, role] of [
      ['ADMIN', 'it-admin'],
      ['PRODUCER', 'producer'],
      ['DPO', 'dpo'],
    ] as const) {
      const reply = await httpsJson({
        url: `${first['ENCLAVE_URL']}/api/v1/auth/login`,
        caPem,
        method: 'POST',
        body: { email: first[`ENCLAVE_${prefix}_EMAIL`], password: first[`ENCLAVE_${prefix}_PASSWORD`] },
      });
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      expect(LoginReplySchema.parse(reply.json).role).toBe(role);
    }

    // The real agent enrolled with its token, which is gone now, and its node is online.
    const admin = await ApiSession.signIn(box.url, caPem, {
      email: first['ENCLAVE_ADMIN_EMAIL']!,
      password: first['ENCLAVE_ADMIN_PASSWORD']!,
    });
    const node = await admin.node(first['ENCLAVE_NODE_ID']!);
    expect(node?.status).toBe('online');
    expect(node?.agentState).toBe('ready');
    expect(existsSync(box.paths.agentTokenFile)).toBe(false);
    expect(existsSync(join(box.paths.agentStateDir, 'identity.json'))).toBe(true);
    expect(statSync(box.paths.masterKeyFile).mode & 0o777).toBe(0o600);

    await stopAndCheckNoOrphans(box);
    box = undefined;
  }, 300_000);

  it('starts again on the same directory: same database, accounts and node, no new enrollment', async () => {
    box = await startSingleBox(options());
    expect(box.firstRun).toBe(false);
    const again = readEnvFile(box.demoEnvFile);
    expect(again['ENCLAVE_PRODUCER_PASSWORD']).toBe(first['ENCLAVE_PRODUCER_PASSWORD']);
    const producer = await ApiSession.signIn(box.url, box.caPem, {
      email: again['ENCLAVE_PRODUCER_EMAIL']!,
      password: again['ENCLAVE_PRODUCER_PASSWORD']!,
    });
    expect((await producer.call('GET', '/api/v1/projects')).status).toBe(200);
    const admin = await ApiSession.signIn(box.url, box.caPem, {
      email: again['ENCLAVE_ADMIN_EMAIL']!,
      password: again['ENCLAVE_ADMIN_PASSWORD']!,
    });
    expect((await admin.node(again['ENCLAVE_NODE_ID']!))?.status).toBe('online');
    expect(logs.filter((line) => line.includes('creating an enrollment token'))).toHaveLength(1);
    expect(logs.filter((line) => line.includes('first run'))).toHaveLength(1);

    await stopAndCheckNoOrphans(box);
    box = undefined;
  }, 300_000);
});
