// Enrollment against a tiny local HTTPS server whose certificate comes from the dev CA. The
// server answers with a node certificate issued beforehand (this tests the agent's side: pin,
// CSR, reply handling, file modes; the CSR signing is the control plane's).
import { caPinOf, formatEnrollmentToken } from '@enclave/certs';
import { EnrollRequestSchema } from '@enclave/contracts';
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateDir } from '../src/config/state-dir.ts';
import { EnrollmentError, enroll } from '../src/enroll/enrollment.client.ts';
import { nodeCapabilities } from '../src/enroll/node-capabilities.ts';
import { pinnedHttpsTransport } from '../src/enroll/pinned-https.transport.ts';
import { kafkaContext } from './kafka-helpers.ts';

let server: Server;
let url: string;
let rootPem: string;
let nodeFiles: { cert: string; chain: string; ca: string };
const received: unknown[] = [];

beforeAll(async () => {
  const ca = await openDevCa(kafkaContext().caDir);
  const dir = mkdtempSync(join(tmpdir(), 'agent-enroll-'));
  const serverId = await ensureIdentity(ca, join(dir, 'server'), {
    profile: 'control-plane',
    name: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  nodeFiles = await ensureIdentity(ca, join(dir, 'node'), { profile: 'node', name: 'gpu-enroll-1' });
  rootPem = readFileSync(serverId.ca, 'utf8');
  server = createServer(
    {
      key: readFileSync(serverId.key),
      cert: `${readFileSync(serverId.chain, 'utf8').trim()}\n${rootPem}`,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            nodeId: 'gpu-enroll-1',
            certificatePem: readFileSync(nodeFiles.cert, 'utf8'),
            chainPem: readFileSync(nodeFiles.chain, 'utf8'),
            caPem: rootPem,
            kafka: { bootstrap: '127.0.0.1:19093', topics: { jobs: 'jobs.gpu-enroll-1' } },
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `https://localhost:${address.port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const capabilities = nodeCapabilities(
  { gpus: [{ index: 0, vendor: 'nvidia', model: 'NVIDIA L4', vramMb: 23_034, driver: '550.54' }] },
  { slots: 2, tags: ['studio-a'] },
);

const tokenFor = (pin: Buffer, name = 'gpu-enroll-1') =>
  formatEnrollmentToken({ name, secret: randomBytes(32), caPin: pin });

describe('enrollment client', () => {
  it('enrolls over TLS pinned to the token and stores the identity with a 0600 key', async () => {
    const token = tokenFor(caPinOf(rootPem));
    const result = await enroll({ controlPlaneUrl: url, token, capabilities }, pinnedHttpsTransport);
    expect(result.reply.nodeId).toBe('gpu-enroll-1');
    const sent = received.at(-1) as { token: string; csrPem: string };
    expect(sent.token).toBe(token);
    expect(sent.csrPem).toContain('BEGIN CERTIFICATE REQUEST');
    // What the agent really sent passes the strict schema the control plane's enroll route uses.
    const parsed = EnrollRequestSchema.safeParse(sent);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.capabilities).toEqual({
      gpus: [{ index: 0, model: 'NVIDIA L4', vramMb: 23_034 }],
      cpuSlots: 2,
      tags: ['studio-a'],
    });

    const state = new StateDir(mkdtempSync(join(tmpdir(), 'agent-state-')));
    state.writeEnrollment(
      {
        nodeId: result.reply.nodeId,
        kafka: { bootstrap: result.reply.kafka.bootstrap },
        enrolledAt: new Date().toISOString(),
      },
      {
        keyPem: result.keyPem,
        certificatePem: result.reply.certificatePem,
        chainPem: result.reply.chainPem,
        caPem: result.reply.caPem,
      },
    );
    expect(statSync(state.paths.key).mode & 0o777).toBe(0o600);
    expect(statSync(state.paths.dir).mode & 0o777).toBe(0o700);
    expect(state.readIdentity()?.nodeId).toBe('gpu-enroll-1');
  }, 30_000);

  it('refuses a server whose CA does not match the pin, before sending the token', async () => {
    const before = received.length;
    const token = tokenFor(randomBytes(32));
    await expect(enroll({ controlPlaneUrl: url, token, capabilities }, pinnedHttpsTransport)).rejects.toThrow(
      /pin/,
    );
    expect(received.length).toBe(before);
  }, 30_000);

  it('rejects a malformed token with a clear error', async () => {
    await expect(
      enroll({ controlPlaneUrl: url, token: 'nope', capabilities }, pinnedHttpsTransport),
    ).rejects.toThrow(EnrollmentError);
  });
});
