// The agent listener's TLS policy and the /agent routes, over real sockets: only node
// certificates of this appliance get in, the API listener never serves /agent, and a
// revocation takes effect at once without a restart.
import { CertificateAuthority, type IssuedCertificate } from '@enclave/certs';
import { ErrorCode, ErrorReplySchema, WhoamiSchema } from '@enclave/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, httpsCall, type ClientTls } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let node: IssuedCertificate;
let strangerDir: string;
let stranger: IssuedCertificate;

beforeAll(async () => {
  t = await startTestAppliance();
  node = await t.issue('node', 'gpu-01');
  strangerDir = await mkdtemp(join(tmpdir(), 'enclave-other-ca-'));
  const otherCa = await CertificateAuthority.init({
    dir: join(strangerDir, 'ca'),
    passphrase: 'another test CA',
  });
  stranger = await otherCa.issue({ profile: 'node', name: 'gpu-01', keyType: 'ec-p256' });
});
afterAll(async () => {
  await t.stop();
  if (strangerDir) await rm(strangerDir, { recursive: true, force: true });
});

const as = (cert?: IssuedCertificate): ClientTls =>
  cert ? { ca: t.caPem, cert: cert.chainPem, key: cert.keyPem! } : { ca: t.caPem };
const agentCall = (path: string, tls: ClientTls, headers: Record<string, string> = {}) =>
  httpsCall({ port: t.agentPort, path, tls, headers });

async function expectRefusedAtTls(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toThrow(/ECONNRESET|alert|certificate|socket hang up|EPIPE/i);
}

describe('agent listener', () => {
  it('lets a node certificate call /agent/v1/whoami', async () => {
    const reply = await agentCall('/agent/v1/whoami', as(node));
    expect(reply.status).toBe(200);
    expect(bodyOf(reply, WhoamiSchema)).toEqual({
      nodeId: 'gpu-01',
      principal: 'node-gpu-01',
      certificateNotAfter: node.notAfter.toISOString(),
    });
  });

  it('refuses a connection without a client certificate, and one from another CA', async () => {
    await expectRefusedAtTls(agentCall('/agent/v1/whoami', as()));
    await expectRefusedAtTls(
      agentCall('/agent/v1/whoami', { ca: t.caPem, cert: stranger.chainPem, key: stranger.keyPem! }),
    );
  });

  it('answers 403 to certificates of other profiles', async () => {
    const operator = await t.issue('operator', 'alice');
    const service = await t.ca.issue({
      profile: 'control-plane',
      name: 'cp',
      dnsNames: ['localhost'],
      keyType: 'ec-p256',
    });
    for (const cert of [operator, service]) {
      const reply = await agentCall('/agent/v1/whoami', as(cert));
      expect(reply.status).toBe(403);
      expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.FORBIDDEN);
    }
  });

  it('serves nothing but /agent: a node certificate gets 404 for /api routes there', async () => {
    for (const path of ['/api/v1/projects', '/api/v1/health', '/api/docs']) {
      const reply = await agentCall(path, as(node));
      expect(reply.status, path).toBe(404);
      expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.NOT_FOUND);
    }
  });

  it('refuses TLS 1.2', async () => {
    const attempt = new Promise<void>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: t.agentPort,
        servername: 'localhost',
        ca: t.caPem,
        cert: node.chainPem,
        key: node.keyPem!,
        maxVersion: 'TLSv1.2',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    await expect(attempt).rejects.toThrow(/protocol|version|alert/i);
  });
});

describe('API listener', () => {
  it('never serves /agent, not even to a signed-in browser', async () => {
    const tenant = await t.createTenant('acme');
    const cookie = await t.login(await t.createUser(tenant, 'it-admin'));
    const reply = await t.api({ path: '/agent/v1/whoami', cookie });
    expect(reply.status).toBe(404);
    expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('ignores a node certificate: /api routes still want a session or token', async () => {
    const reply = await httpsCall({ port: t.apiPort, path: '/api/v1/projects', tls: as(node) });
    expect(reply.status).toBe(401);
    expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('refuses TLS 1.2', async () => {
    const attempt = new Promise<void>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: t.apiPort,
        servername: 'localhost',
        ca: t.caPem,
        maxVersion: 'TLSv1.2',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    await expect(attempt).rejects.toThrow(/protocol|version|alert/i);
  });
});

describe('revocation', () => {
  it('takes effect at once without a restart: new connections are refused, open ones are closed', async () => {
    const doomed = await t.issue('node', 'gpu-doomed');
    const survivor = await t.issue('node', 'gpu-survivor');
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await httpsCall({
        port: t.agentPort,
        path: '/agent/v1/whoami',
        tls: as(doomed),
        agent: keepAlive,
      });
      expect(before.status).toBe(200);

      await t.ca.revoke({ nodeId: 'gpu-doomed', reason: 'keyCompromise' });

      await expectRefusedAtTls(agentCall('/agent/v1/whoami', as(doomed)));
      const reused = httpsCall({
        port: t.agentPort,
        path: '/agent/v1/whoami',
        tls: as(doomed),
        agent: keepAlive,
      });
      await reused.then(
        (reply) => expect(reply.status).toBe(401), // only if the old socket were still alive
        (error: unknown) => expect(String(error)).toMatch(/ECONNRESET|socket hang up|alert|certificate/i),
      );
      expect((await agentCall('/agent/v1/whoami', as(survivor))).status).toBe(200);
      expect(t.logs.text).toContain('Certificate revoked: agent listener reloaded');
    } finally {
      keepAlive.destroy();
    }
  });
});
