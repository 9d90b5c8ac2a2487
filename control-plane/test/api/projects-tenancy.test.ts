// Projects through the API, and the tenant boundary: another tenant's project is exactly as
// invisible as one that never existed.
import { ErrorCode, ErrorReplySchema, ProjectListSchema, ProjectSchema } from '@enclave/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let a: string; // producer of tenant A
let b: string; // producer of tenant B
let aClient: string; // client user of tenant A

beforeAll(async () => {
  t = await startTestAppliance();
  const [tenantA, tenantB] = [await t.createTenant('tenant-a'), await t.createTenant('tenant-b')];
  a = await t.login(await t.createUser(tenantA, 'producer'));
  b = await t.login(await t.createUser(tenantB, 'producer'));
  aClient = await t.login(await t.createUser(tenantA, 'client-user'));
});
afterAll(() => t.stop());

const create = async (cookie: string, name: string) =>
  bodyOf(await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name } }), ProjectSchema);
const list = async (cookie: string) =>
  bodyOf(await t.api({ path: '/api/v1/projects', cookie }), ProjectListSchema).items.map((p) => p.name);

describe('projects', () => {
  it('creates, reads and completes a project; completing twice is a conflict', async () => {
    const project = await create(a, '  Summer spot  ');
    expect(project).toMatchObject({ name: 'Summer spot', state: 'active', completedAt: null });
    const read = bodyOf(
      await t.api({ path: `/api/v1/projects/${project.projectId}`, cookie: a }),
      ProjectSchema,
    );
    expect(read).toEqual(project);
    const done = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${project.projectId}/complete`,
      cookie: a,
    });
    expect(done.status).toBe(200);
    expect(bodyOf(done, ProjectSchema)).toMatchObject({ state: 'completed' });
    const again = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${project.projectId}/complete`,
      cookie: a,
    });
    expect(again.status).toBe(409);
    expect(bodyOf(again, ErrorReplySchema).code).toBe(ErrorCode.CONFLICT);
  });

  it('pages with limit and offset, newest first', async () => {
    for (const name of ['p1', 'p2', 'p3']) await create(b, name);
    const page = bodyOf(
      await t.api({ path: '/api/v1/projects?limit=2&offset=1', cookie: b }),
      ProjectListSchema,
    );
    expect(page.items.map((p) => p.name)).toEqual(['p2', 'p1']);
  });
});

describe('tenant isolation', () => {
  it("lists only the caller's tenant, for producers and client users alike", async () => {
    await create(a, 'only-in-a');
    await create(b, 'only-in-b');
    expect(await list(a)).toContain('only-in-a');
    expect(await list(a)).not.toContain('only-in-b');
    expect(await list(aClient)).toContain('only-in-a');
    expect(await list(aClient)).not.toContain('only-in-b');
    expect(await list(b)).not.toContain('only-in-a');
  });

  it("answers 404 for another tenant's project, word for word as for an id that does not exist", async () => {
    const theirs = await create(b, 'secret plans');
    const foreign = await t.api({ path: `/api/v1/projects/${theirs.projectId}`, cookie: a });
    const missing = await t.api({ path: '/api/v1/projects/does-not-exist', cookie: a });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(bodyOf(foreign, ErrorReplySchema).message).toBe(bodyOf(missing, ErrorReplySchema).message);
    expect(foreign.text).not.toContain('secret plans');

    const complete = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${theirs.projectId}/complete`,
      cookie: a,
    });
    expect(complete.status).toBe(404);
    const still = bodyOf(
      await t.api({ path: `/api/v1/projects/${theirs.projectId}`, cookie: b }),
      ProjectSchema,
    );
    expect(still.state).toBe('active');
  });

  it('ignores any tenant the request tries to name', async () => {
    const reply = await t.api({
      method: 'POST',
      path: '/api/v1/projects?tenantId=tenant-b',
      cookie: a,
      body: { name: 'sneaky' },
    });
    expect(reply.status).toBe(201);
    expect(await list(b)).not.toContain('sneaky');
    const withField = await t.api({
      method: 'POST',
      path: '/api/v1/projects',
      cookie: a,
      body: { name: 'x', tenantId: 'b' },
    });
    expect(withField.status).toBe(400);
  });
});
