// Jobs over REST (no broker: assignments wait in the outbox): templates, validation with field
// paths, assets resolved within the project, idempotent submission (201, then 200 for the same
// request, 409 for another), tenant isolation, cancellation, the blocklist.
import {
  BlocklistSchema,
  ErrorReplySchema,
  JobDetailSchema,
  JobListSchema,
  ProjectSchema,
  TemplateListSchema,
} from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let tenant: string;
let producer: string;
let admin: string;
let stranger: string;
let projectId: string;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('jobs');
  producer = await t.login(await t.createUser(tenant, 'producer'));
  admin = await t.login(await t.createUser(tenant, 'it-admin'));
  stranger = await t.login(await t.createUser(await t.createTenant('jobs-other'), 'producer'));
  projectId = await newProject(producer);
});
afterAll(() => t.stop());

async function newProject(cookie: string): Promise<string> {
  const reply = await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: 'p' } });
  return bodyOf(reply, ProjectSchema).projectId;
}

const submit = (body: Record<string, unknown>, cookie = producer, project = projectId) =>
  t.api({ method: 'POST', path: `/api/v1/projects/${project}/jobs`, cookie, body });

describe('jobs API', () => {
  it('lists the templates with their parameter schemas', async () => {
    const list = bodyOf(await t.api({ path: '/api/v1/templates', cookie: producer }), TemplateListSchema);
    expect(list.items.map((i) => i.id).sort()).toEqual(['anonymise-footage', 'promo-video', 'transcode']);
    expect(list.items.find((i) => i.id === 'promo-video')?.paramsSchema).toMatchObject({ type: 'object' });
  });

  it('names the field of every bad input', async () => {
    const unknown = await submit({ template: 'nope', params: {}, idempotencyKey: 'a1' });
    expect(unknown.status).toBe(400);
    expect(bodyOf(unknown, ErrorReplySchema).fields?.[0]?.path).toBe('body.template');

    const bad = await submit({
      template: 'promo-video',
      params: { title: 'x', script: '', stills: [] },
      idempotencyKey: 'a2',
    });
    expect(bad.status).toBe(400);
    const paths = bodyOf(bad, ErrorReplySchema).fields?.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.params.script', 'body.params.stills']));

    const missingKey = await submit({ template: 'transcode', params: { source: 'x' } });
    expect(bodyOf(missingKey, ErrorReplySchema).fields?.[0]?.path).toBe('body.idempotencyKey');
  });

  it('resolves assets only within the project and tenant', async () => {
    const elsewhere = await t.createAsset(tenant, await newProject(producer), 'clip.mp4');
    const reply = await submit({
      template: 'transcode',
      params: { source: elsewhere },
      idempotencyKey: 'b1',
    });
    expect(reply.status).toBe(400);
    expect(bodyOf(reply, ErrorReplySchema).message).toContain(elsewhere);
    const foreignProject = await newProject(stranger);
    const other = await submit(
      { template: 'transcode', params: { source: 'x' }, idempotencyKey: 'b2' },
      producer,
      foreignProject,
    );
    expect(other.status).toBe(404);
  });

  it('is idempotent: the same request again is the same job (200), another request under the key is 409', async () => {
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    const body = { template: 'transcode', params: { source, height: 480 }, idempotencyKey: 'same-key' };
    const first = await submit(body);
    expect(first.status, first.text).toBe(201);
    const job = bodyOf(first, JobDetailSchema);
    expect(job).toMatchObject({ state: 'queued', title: 'Transcode to 480p', priority: 50 });
    expect(job.tasks).toHaveLength(1);

    const again = await submit(body);
    expect(again.status).toBe(200);
    expect(bodyOf(again, JobDetailSchema).jobId).toBe(job.jobId);

    const changed = await submit({ ...body, params: { source, height: 720 } });
    expect(changed.status).toBe(409);
    // Another tenant's identical key names another job.
    const theirs = await submit(
      {
        template: 'transcode',
        params: { source: await t.createAsset(tenant, projectId) },
        idempotencyKey: 'same-key',
      },
      stranger,
      await newProject(stranger),
    );
    expect(theirs.status).toBe(400); // their project does not hold our asset
  });

  it('keeps jobs inside their tenant, lists them, and cancels them', async () => {
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    const job = bodyOf(
      await submit({ template: 'transcode', params: { source }, idempotencyKey: 'c1' }),
      JobDetailSchema,
    );
    for (const path of [`/api/v1/jobs/${job.jobId}`, `/api/v1/jobs/${job.jobId}/events`]) {
      expect((await t.api({ path, cookie: stranger })).status, path).toBe(404);
    }
    expect(
      (await t.api({ method: 'POST', path: `/api/v1/jobs/${job.jobId}/cancel`, cookie: stranger })).status,
    ).toBe(404);
    const listed = bodyOf(
      await t.api({ path: `/api/v1/jobs?projectId=${projectId}`, cookie: producer }),
      JobListSchema,
    );
    expect(listed.items.map((j) => j.jobId)).toContain(job.jobId);
    expect(bodyOf(await t.api({ path: '/api/v1/jobs', cookie: stranger }), JobListSchema).items).toEqual([]);

    const cancelled = await t.api({
      method: 'POST',
      path: `/api/v1/jobs/${job.jobId}/cancel`,
      cookie: producer,
    });
    expect(bodyOf(cancelled, JobDetailSchema)).toMatchObject({
      state: 'cancelled',
      tasks: [{ state: 'cancelled' }],
    });
  });

  it('lets an it-admin block a node for one job', async () => {
    await t.registerNode('jobs-node-1');
    const source = await t.createAsset(tenant, projectId, 'clip.mp4');
    const job = bodyOf(
      await submit({ template: 'transcode', params: { source }, idempotencyKey: 'd1' }),
      JobDetailSchema,
    );
    const path = `/api/v1/jobs/${job.jobId}/blocklist`;
    const edited = await t.api({ method: 'PUT', path, cookie: admin, body: { add: ['jobs-node-1'] } });
    expect(bodyOf(edited, BlocklistSchema)).toMatchObject({ blocked: ['jobs-node-1'], threshold: 3 });
    expect(bodyOf(await t.api({ path, cookie: admin }), BlocklistSchema).blocked).toEqual(['jobs-node-1']);
    expect(
      (await t.api({ method: 'PUT', path, cookie: admin, body: { add: ['no-such-node'] } })).status,
    ).toBe(404);
  });

  it('refuses jobs in a completed project', async () => {
    const project = await newProject(producer);
    await t.api({ method: 'POST', path: `/api/v1/projects/${project}/complete`, cookie: producer });
    const reply = await submit(
      { template: 'transcode', params: { source: 'x' }, idempotencyKey: 'e1' },
      producer,
      project,
    );
    expect(reply.status).toBe(409);
  });
});
