// Retention acceptance (privacy policy §6), on a real control plane with a frozen clock: a
// completed project's files are present on day 89 and gone on day 91; a legal hold keeps them
// past day 91 until it is released; an extension moves the expiry; and the dry run lists
// exactly what the real run then deletes. Every erasure is one audit entry.
import {
  AuditAction,
  ErrorReplySchema,
  LegalHoldSchema,
  ProjectRetentionSchema,
  ProjectSchema,
  RetentionPolicySchema,
  RetentionReportSchema,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../src/audit/audit-trail.service.ts';
import { Asset } from '../../src/database/entities/asset.entity.ts';
import { ProjectKeys } from '../../src/keys/project-keys.service.ts';
import { RetentionSweeper } from '../../src/retention/retention-sweeper.ts';
import { bodyOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const DAY = 86_400_000;
const clock = new ManualClock('2026-01-01T00:00:00.000Z');
let t: TestAppliance;
let tenant: string;
let producer: TestUser;
let dpo: TestUser;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('retention');
  producer = await t.createUser(tenant, 'producer');
  dpo = await t.createUser(tenant, 'dpo');
});
afterAll(() => t.stop());

/** Sessions expire as the clock moves on: sign in afresh for each step. */
const as = async (user: TestUser) => t.login(user);

async function projectWithFiles(name: string): Promise<{ projectId: string; dir: string }> {
  const cookie = await as(producer);
  const { projectId } = bodyOf(
    await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name } }),
    ProjectSchema,
  );
  await t.createAsset(tenant, projectId, 'a.jpg');
  await t.createAsset(tenant, projectId, 'b.jpg');
  const dir = join(t.config.ENCLAVE_DATA_DIR, 'assets', tenant, projectId);
  await mkdir(join(dir, 'renders'), { recursive: true });
  await writeFile(join(dir, 'source.bin'), 'ciphertext');
  await writeFile(join(dir, 'renders', 'out.bin'), 'ciphertext');
  const done = await t.api({ method: 'POST', path: `/api/v1/projects/${projectId}/complete`, cookie });
  expect(done.status).toBe(200);
  return { projectId, dir };
}

const files = async (dir: string) => readdir(dir, { recursive: true }).catch(() => []);
/** Assets still stored (an erased one keeps its row, state `erased`, so its id answers 410). */
const assetCount = (projectId: string) =>
  t.running.app.get(MikroORM).em.fork().count(Asset, { project: projectId, state: 'stored' });
const keyDestroyed = async (projectId: string) =>
  ((await t.running.app.get(ProjectKeys).keyOf(projectId))?.destroyedAt ?? null) !== null;

async function dryRun() {
  return bodyOf(
    await t.api({ path: '/api/v1/retention/report?dryRun=true', cookie: await as(dpo) }),
    RetentionReportSchema,
  );
}

describe('retention of completed projects', () => {
  let plain: { projectId: string; dir: string };
  let held: { projectId: string; dir: string };
  let extended: { projectId: string; dir: string };
  const start = clock.now().getTime();

  it('reports the expiry: 90 days after completion by default', async () => {
    plain = await projectWithFiles('plain');
    held = await projectWithFiles('held');
    extended = await projectWithFiles('extended');
    const view = bodyOf(
      await t.api({ path: `/api/v1/projects/${plain.projectId}/retention`, cookie: await as(producer) }),
      ProjectRetentionSchema,
    );
    expect(view).toEqual({
      projectId: plain.projectId,
      completedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: new Date(start + 90 * DAY).toISOString(),
      legalHold: false,
    });
    expect(
      bodyOf(await t.api({ path: '/api/v1/retention/policy', cookie: await as(dpo) }), RetentionPolicySchema),
    ).toEqual({ defaultDays: 90 });
  });

  it('places a legal hold (dpo only, one at a time) and extends a project', async () => {
    const refused = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${held.projectId}/legal-hold`,
      cookie: await as(producer),
      body: { reason: 'litigation' },
    });
    expect(refused.status).toBe(403);
    const placed = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${held.projectId}/legal-hold`,
      cookie: await as(dpo),
      body: { reason: 'litigation: case 2026-17' },
    });
    expect(placed.status).toBe(201);
    expect(bodyOf(placed, LegalHoldSchema)).toMatchObject({ projectId: held.projectId, releasedAt: null });
    const twice = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${held.projectId}/legal-hold`,
      cookie: await as(dpo),
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(409);

    const until = new Date(start + 120 * DAY).toISOString();
    const longer = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${extended.projectId}/retention`,
      cookie: await as(producer),
      body: { until, reason: 'client asked for a second cut' },
    });
    expect(bodyOf(longer, ProjectRetentionSchema).expiresAt).toBe(until);
    const shorter = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${extended.projectId}/retention`,
      cookie: await as(producer),
      body: { until: new Date(start + 10 * DAY).toISOString(), reason: 'shorter' },
    });
    expect(shorter.status).toBe(409);
    expect(bodyOf(shorter, ErrorReplySchema).message).toContain('already kept until');
  });

  it('keeps everything on day 89', async () => {
    clock.advance(89 * DAY);
    expect((await dryRun()).items).toEqual([]);
    const ran = await t.api({ method: 'POST', path: '/api/v1/retention/run', cookie: await as(dpo) });
    expect(bodyOf(ran, RetentionReportSchema).items).toEqual([]);
    for (const p of [plain, held, extended]) {
      expect(await files(p.dir)).toHaveLength(3); // two files and the renders directory
      expect(await assetCount(p.projectId)).toBe(2);
    }
  });

  it('on day 91 the dry run lists exactly what the real run deletes: the plain project only', async () => {
    clock.advance(2 * DAY);
    const preview = await dryRun();
    expect(preview.dryRun).toBe(true);
    expect(preview.held).toEqual([held.projectId]);
    expect(preview.items).toHaveLength(1);
    expect(preview.items[0]).toMatchObject({
      tenantId: tenant,
      projectId: plain.projectId,
      files: [
        join('assets', tenant, plain.projectId, 'renders', 'out.bin'),
        join('assets', tenant, plain.projectId, 'source.bin'),
      ],
    });
    expect(preview.items[0]!.assetIds).toHaveLength(2);
    // Nothing was deleted by the dry run.
    expect(await files(plain.dir)).toHaveLength(3);

    const real = bodyOf(
      await t.api({ method: 'POST', path: '/api/v1/retention/run', cookie: await as(dpo) }),
      RetentionReportSchema,
    );
    expect(real.dryRun).toBe(false);
    expect(real.items).toEqual(preview.items);
    expect(await files(plain.dir)).toEqual([]);
    expect(await assetCount(plain.projectId)).toBe(0);
    expect(await keyDestroyed(plain.projectId)).toBe(true); // crypto-shredded
    // The held and the extended project are untouched.
    for (const p of [held, extended]) {
      expect(await files(p.dir)).toHaveLength(3);
      expect(await assetCount(p.projectId)).toBe(2);
      expect(await keyDestroyed(p.projectId)).toBe(false);
    }
    const erasures = (await t.running.app.get(AuditTrail).load()).entries.filter(
      (e) => e.action === AuditAction.ProjectFilesErased,
    );
    expect(erasures.map((e) => e.targets)).toEqual([[plain.projectId]]);
    expect(erasures[0]!.details).not.toBeNull();
    // The crypto-shredding's key destruction is audited too (KeyEvents → KeyDestructionAuditor).
    const destroyed = (await t.running.app.get(AuditTrail).load()).entries.filter(
      (e) => e.action === AuditAction.KeyDestroyed,
    );
    expect(destroyed).toHaveLength(1);
    expect(destroyed[0]!.tenantId).toBe(tenant);
    // A second run finds nothing left to do.
    expect((await dryRun()).items).toEqual([]);
  });

  it('the legal hold keeps files past expiry until released; the timer sweep then erases them', async () => {
    clock.advance(20 * DAY); // day 111
    const sweeper = t.running.app.get(RetentionSweeper);
    expect((await sweeper.sweep({ dryRun: false })).items).toEqual([]);
    expect(await files(held.dir)).toHaveLength(3);

    const released = await t.api({
      method: 'DELETE',
      path: `/api/v1/projects/${held.projectId}/legal-hold?reason=${encodeURIComponent('case settled')}`,
      cookie: await as(dpo),
    });
    expect(released.status, released.text + JSON.stringify(released.headers)).toBe(200);
    expect(bodyOf(released, LegalHoldSchema).releasedAt).toBe(clock.now().toISOString());
    const again = await t.api({
      method: 'DELETE',
      path: `/api/v1/projects/${held.projectId}/legal-hold?reason=twice`,
      cookie: await as(dpo),
    });
    expect(again.status).toBe(409);

    const timer = await sweeper.sweep({ dryRun: false });
    expect(timer.items.map((i) => i.projectId)).toEqual([held.projectId]);
    expect(await files(held.dir)).toEqual([]);
    expect(await files(extended.dir)).toHaveLength(3);
  });

  it('the extension holds until its date', async () => {
    const sweeper = t.running.app.get(RetentionSweeper);
    clock.advance(8 * DAY); // day 119
    expect((await sweeper.sweep({ dryRun: true })).items).toEqual([]);
    clock.advance(2 * DAY); // day 121
    expect((await sweeper.sweep({ dryRun: false })).items.map((i) => i.projectId)).toEqual([
      extended.projectId,
    ]);
    expect(await files(extended.dir)).toEqual([]);
    expect((await t.running.app.get(AuditTrail).verify()).ok).toBe(true);
  });

  it('a tenant default changes the expiry of its projects', async () => {
    const set = await t.api({
      method: 'PUT',
      path: '/api/v1/retention/policy',
      cookie: await as(dpo),
      body: { defaultDays: 30 },
    });
    expect(bodyOf(set, RetentionPolicySchema)).toEqual({ defaultDays: 30 });
    const p = await projectWithFiles('short');
    const view = bodyOf(
      await t.api({ path: `/api/v1/projects/${p.projectId}/retention`, cookie: await as(producer) }),
      ProjectRetentionSchema,
    );
    expect(view.expiresAt).toBe(new Date(clock.now().getTime() + 30 * DAY).toISOString());
  });
});
