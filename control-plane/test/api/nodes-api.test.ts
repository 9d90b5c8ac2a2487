// Nodes over REST without a broker: enrollment tokens and every way a token is refused (the
// happy path, which needs Kafka, is in test/e2e), the rack view after a heartbeat, the
// operator's controls with their live stream, renewal and revocation on the agent listener.
import { createCsr } from '@enclave/certs';
import {
  EnrollmentTokenSchema,
  ErrorReplySchema,
  NodeListSchema,
  NodeSummarySchema,
  RenewReplySchema,
  type NodeStatusEvent,
} from '@enclave/contracts';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../support/event-stream.ts';
import { bodyOf, httpsCall } from '../support/https-client.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

// Real time now: the agent listener checks certificate validity against the real clock.
const clock = new ManualClock();
let t: TestAppliance;
let admin: string;

beforeAll(async () => {
  t = await startTestAppliance({
    clock,
    env: {
      ENCLAVE_ENROLL_RATE_PER_MINUTE: '8',
      ENCLAVE_SESSION_IDLE_MINUTES: '1440',
      ENCLAVE_SESSION_ABSOLUTE_HOURS: '168',
    },
  });
  admin = await t.login(await t.createUser(await t.createTenant('rack'), 'it-admin'));
});
afterAll(() => t.stop());

async function token(nodeId: string): Promise<string> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/nodes/enrollment-tokens',
    cookie: admin,
    body: { nodeId, ttlHours: 1 },
  });
  expect(reply.status, reply.text).toBe(201);
  return bodyOf(reply, EnrollmentTokenSchema).token;
}

const enroll = (tokenText: string) =>
  t.api({
    method: 'POST',
    path: '/api/v1/enroll',
    body: {
      token: tokenText,
      csrPem: 'not read before the token is',
      capabilities: { gpus: [], cpuSlots: 1 },
    },
  });

describe('the rack', () => {
  it('shows a node offline until it heartbeats, then online with its telemetry', async () => {
    await t.registerNode('rack-a', {
      gpus: [{ index: 0, model: 'L4', vramMb: 24_000 }],
      cpuSlots: 4,
      tags: [],
    });
    const find = async () =>
      bodyOf(await t.api({ path: '/api/v1/nodes', cookie: admin }), NodeListSchema).items.find(
        (n) => n.nodeId === 'rack-a',
      )!;
    expect(await find()).toMatchObject({
      status: 'offline',
      schedulable: false,
      lastHeartbeatAt: null,
      telemetry: null,
    });
    await deliver(t.running, heartbeat('rack-a', clock.now()));
    clock.advance(1_500);
    expect(await find()).toMatchObject({
      status: 'online',
      schedulable: true,
      agentState: 'ready',
      agentVersion: '0.1.0',
      heartbeatAgeMs: 1_500,
      freeGpus: [0],
      freeCpuSlots: 4,
      telemetry: { scratchFreeMb: 5000 },
    });
  });

  it('drains, cordons and activates a node, and streams each change to it-admins', async () => {
    const stream = await openEventStream({
      port: t.apiPort,
      path: '/api/v1/nodes/events',
      ca: t.caPem,
      headers: { cookie: `__Host-enclave_session=${admin}` },
    });
    try {
      await stream.until((events) => events.some((e) => (e.data as NodeStatusEvent).nodeId === 'rack-a'));
      const post = async (verb: string) =>
        bodyOf(
          await t.api({ method: 'POST', path: `/api/v1/nodes/rack-a/${verb}`, cookie: admin }),
          NodeSummarySchema,
        );
      expect(await post('drain')).toMatchObject({
        status: 'draining',
        adminState: 'draining',
        schedulable: false,
      });
      expect(await post('cordon')).toMatchObject({ status: 'cordoned' });
      expect(await post('activate')).toMatchObject({ status: 'online', schedulable: true });
      await stream.until(
        (events) => events.filter((e) => (e.data as NodeStatusEvent).nodeId === 'rack-a').length >= 4,
      );
      expect(
        stream.events
          .map((e) => e.data as NodeStatusEvent)
          .filter((e) => e.nodeId === 'rack-a')
          .map((e) => e.status),
      ).toEqual(['online', 'draining', 'cordoned', 'online']);
      expect(
        (await t.api({ method: 'POST', path: '/api/v1/nodes/rack-nobody/drain', cookie: admin })).status,
      ).toBe(404);
    } finally {
      stream.close();
    }
  });

  it('renews a node certificate over mTLS, then revokes the node: requests refused, state revoked', async () => {
    const issued = await t.registerNode('rack-b');
    const tls = { ca: t.caPem, cert: issued.chainPem, key: issued.keyPem! };
    const csrPem = createCsr({ privateKeyPem: issued.keyPem!, profile: 'node', name: 'rack-b' });
    const renewed = await httpsCall({
      port: t.agentPort,
      method: 'POST',
      path: '/agent/v1/renew',
      tls,
      body: { csrPem },
    });
    expect(renewed.status, renewed.text).toBe(201);
    const fresh = bodyOf(renewed, RenewReplySchema);
    expect(new X509Certificate(fresh.certificatePem).serialNumber).not.toBe(issued.serial);

    const revoked = await t.api({ method: 'POST', path: '/api/v1/nodes/rack-b/revoke', cookie: admin });
    expect(bodyOf(revoked, NodeSummarySchema)).toMatchObject({ status: 'revoked', adminState: 'revoked' });
    await expect(httpsCall({ port: t.agentPort, path: '/agent/v1/whoami', tls })).rejects.toThrow(
      /ECONNRESET|alert|certificate|socket hang up|EPIPE/i,
    );
    // Revoking again is harmless (the way to retry a failed Kafka deny).
    expect((await t.api({ method: 'POST', path: '/api/v1/nodes/rack-b/revoke', cookie: admin })).status).toBe(
      200,
    );
  });
});

describe('enrollment', () => {
  it('refuses unknown, tampered and expired tokens, and says 503 while Kafka is not configured', async () => {
    expect((await enroll('enc1.nobody.x.y')).status).toBe(401);
    const good = await token('rack-new-1');
    const [prefix, , secret, pin] = good.split('.');
    expect((await enroll([prefix, 'rack-other', secret, pin].join('.'))).status).toBe(403);
    const unavailable = await enroll(good);
    expect(unavailable.status).toBe(503);
    expect(bodyOf(unavailable, ErrorReplySchema).code).toBe('UNAVAILABLE');
    clock.advance(61 * 60_000);
    expect((await enroll(good)).status).toBe(410);
  });

  it('refuses a token for a node id that is enrolled already', async () => {
    await t.registerNode('rack-taken');
    const reply = await t.api({
      method: 'POST',
      path: '/api/v1/nodes/enrollment-tokens',
      cookie: admin,
      body: { nodeId: 'rack-taken' },
    });
    expect(reply.status).toBe(409);
  });

  it('limits enrollment attempts per address', async () => {
    let last = 0;
    for (let i = 0; i < 10; i++) last = (await enroll('enc1.nobody.x.y')).status;
    expect(last).toBe(429);
    clock.advance(61_000);
  });
});
