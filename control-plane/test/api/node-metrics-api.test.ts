// GET /api/v1/nodes/{id}/metrics: heartbeats delivered as the Kafka consumer delivers them fill
// the node's history; the route answers it downsampled, only to IT admins, 404 for an unknown
// node and 400 for a bad window.
import { ErrorCode, ErrorReplySchema, NodeMetricsSchema } from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

// Near real time (sessions and certificates), on a whole minute so the buckets line up.
const clock = new ManualClock(new Date(Math.ceil(Date.now() / 60_000) * 60_000));
let t: TestAppliance;
let tenant: string;
let admin: string;

function gpuHeartbeat(nodeId: string, util: number, temp: number) {
  const message = heartbeat(nodeId, clock.now());
  return {
    ...message,
    body: {
      ...message.body,
      telemetry: {
        ...message.body.telemetry,
        gpus: [
          {
            index: 0,
            model: 'L4',
            vramTotalMb: 24_000,
            vramUsedMb: 6_000,
            utilisationPct: util,
            temperatureC: temp,
          },
        ],
      },
    },
  };
}

beforeAll(async () => {
  t = await startTestAppliance({
    clock,
    env: { ENCLAVE_SESSION_IDLE_MINUTES: '1440', ENCLAVE_SESSION_ABSOLUTE_HOURS: '168' },
  });
  tenant = await t.createTenant('charts');
  admin = await t.login(await t.createUser(tenant, 'it-admin'));
  await t.registerNode('chart-a', {
    gpus: [{ index: 0, model: 'L4', vramMb: 24_000 }],
    cpuSlots: 4,
    tags: [],
  });
});
afterAll(() => t.stop());

describe('node metrics', () => {
  it('answers the heartbeats of the last minutes, bucketed', async () => {
    const empty = await t.api({ path: '/api/v1/nodes/chart-a/metrics', cookie: admin });
    expect(bodyOf(empty, NodeMetricsSchema)).toMatchObject({ nodeId: 'chart-a', samples: 0, gpus: [] });

    // 20 minutes of heartbeats every 5 s
    for (let i = 0; i < 240; i++) {
      await deliver(t.running, gpuHeartbeat('chart-a', i < 120 ? 20 : 80, 50 + (i % 10)));
      clock.advance(5_000);
    }
    const hour = bodyOf(
      await t.api({ path: '/api/v1/nodes/chart-a/metrics', cookie: admin }),
      NodeMetricsSchema,
    );
    expect(hour.samples).toBe(240);
    expect(hour.bucketSeconds).toBe(30);
    const gpu = hour.gpus[0];
    expect(gpu).toMatchObject({ index: 0, model: 'L4', vramTotalMb: 24_000 });
    expect(gpu?.points).toHaveLength(40);
    expect(gpu?.points[0]).toMatchObject({ utilisationPct: 20, vramUsedMb: 6_000 });
    expect(gpu?.points.at(-1)).toMatchObject({ utilisationPct: 80 });
    expect(hour.cpu).toHaveLength(40);

    const five = bodyOf(
      await t.api({ path: '/api/v1/nodes/chart-a/metrics?minutes=5', cookie: admin }),
      NodeMetricsSchema,
    );
    expect(five.bucketSeconds).toBe(10);
    expect(five.samples).toBe(60);
    expect(five.gpus[0]?.points.every((p) => p.utilisationPct === 80)).toBe(true);
  });

  it('refuses a bad window with 400 and names the field', async () => {
    for (const query of ['minutes=0', 'minutes=61', 'minutes=ten', 'minutes=5&step=1']) {
      const reply = await t.api({ path: `/api/v1/nodes/chart-a/metrics?${query}`, cookie: admin });
      expect(reply.status, query).toBe(400);
      expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
    const reply = await t.api({ path: '/api/v1/nodes/chart-a/metrics?minutes=0', cookie: admin });
    expect(bodyOf(reply, ErrorReplySchema).fields?.[0]?.path).toBe('query.minutes');
  });

  it('answers 404 for a node that is not enrolled, 400 for a malformed id', async () => {
    const missing = await t.api({ path: '/api/v1/nodes/no-such-node/metrics', cookie: admin });
    expect(missing.status).toBe(404);
    expect(bodyOf(missing, ErrorReplySchema).code).toBe(ErrorCode.NOT_FOUND);
    const bad = await t.api({ path: '/api/v1/nodes/Bad_Id!/metrics', cookie: admin });
    expect(bad.status).toBe(400);
  });

  it('is for IT admins only, whatever the tenant', async () => {
    for (const role of ['producer', 'dpo', 'client-user'] as const) {
      const cookie = await t.login(await t.createUser(tenant, role));
      const reply = await t.api({ path: '/api/v1/nodes/chart-a/metrics', cookie });
      expect(reply.status, role).toBe(403);
      expect(bodyOf(reply, ErrorReplySchema).code).toBe(ErrorCode.FORBIDDEN);
    }
    expect((await t.api({ path: '/api/v1/nodes/chart-a/metrics' })).status).toBe(401);
    // the rack is the appliance's, not a tenant's: an IT admin of another tenant sees the same node
    const other = await t.login(await t.createUser(await t.createTenant('charts-b'), 'it-admin'));
    const reply = await t.api({ path: '/api/v1/nodes/chart-a/metrics?minutes=60', cookie: other });
    expect(bodyOf(reply, NodeMetricsSchema).samples).toBe(240);
  });
});
