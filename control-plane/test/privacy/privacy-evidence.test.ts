// Privacy evidence end to end (issue #7 items 4, 6, 8): real SQLite, real TLS, the real
// heartbeat handler and the real `bin/enclave attestation verify` process.
import {
  AffectedSubjectsSchema,
  BreachListSchema,
  BreachSchema,
  ConsentHistorySchema,
  ConsentRecordSchema,
  ConsentStatsSchema,
  CurrentUserSchema,
  EncryptedFieldSchema,
  ErrorCode,
  ErrorReplySchema,
  JobDetailSchema,
  NoTrainingAttestationSchema,
  PrivacyNoticeSchema,
  ProjectSchema,
  RecordsOfProcessingSchema,
  ResidencyReportSchema,
  STEP_NAMES,
  type PrivacyNotice,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_MANIFEST_FILE,
  readModelRegistry,
} from '../../src/privacy-evidence/model-registry.reader.ts';
import { verifyNoTrainingAttestation } from '../../src/privacy-evidence/no-training-attestation.ts';
import { buildSubjectExport } from '../../src/privacy/subject-export.builder.ts';
import { bodyOf } from '../support/https-client.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const run = promisify(execFile);
const ENCLAVE = join(import.meta.dirname, '..', '..', '..', 'bin', 'enclave');
const HOUR = 3_600_000;

const clock = new ManualClock('2026-04-01T08:00:00.000Z');
let t: TestAppliance;
let tenant: string;
let dpo: TestUser;
/** The DPO's session, signed in again after the clock moved (sessions idle out after 30 min). */
let dpoCookie: string;

beforeAll(async () => {
  t = await startTestAppliance({ clock });
  tenant = await t.createTenant('evidence');
  dpo = await t.createUser(tenant, 'dpo');
  dpoCookie = await t.login(dpo);
});
afterAll(() => t.stop());

async function publish(text: string, material: boolean): Promise<PrivacyNotice> {
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/privacy/notices',
    cookie: dpoCookie,
    body: { text, material },
  });
  expect(reply.status, reply.text).toBe(201);
  return bodyOf(reply, PrivacyNoticeSchema);
}

function consent(cookie: string, notice: PrivacyNotice, choices: Record<string, boolean>, hash?: string) {
  return t.api({
    method: 'POST',
    path: '/api/v1/privacy/consent',
    cookie,
    body: { noticeId: notice.noticeId, shownTextSha256: hash ?? notice.textSha256, ...choices },
  });
}

async function reacknowledge(cookie: string): Promise<boolean | undefined> {
  return bodyOf(await t.api({ path: '/api/v1/auth/me', cookie }), CurrentUserSchema)
    .reacknowledgementRequired;
}

async function createProject(cookie: string, name: string): Promise<string> {
  const reply = await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name } });
  expect(reply.status, reply.text).toBe(201);
  return bodyOf(reply, ProjectSchema).projectId;
}

async function submit(cookie: string, projectId: string, purpose?: string) {
  return t.api({
    method: 'POST',
    path: `/api/v1/projects/${projectId}/jobs`,
    cookie,
    body: {
      template: 'transcode',
      params: { source: await t.createAsset(tenant, projectId, 'clip.mp4') },
      idempotencyKey: `evidence-${Math.random()}`,
      ...(purpose !== undefined ? { purpose } : {}),
    },
  });
}

describe('privacy notices and consent', () => {
  it('records consent against the shown notice, counts it, and asks again after a material change', async () => {
    const client = await t.createUser(tenant, 'client-user');
    let clientCookie = await t.login(client);
    const producer = await t.createUser(tenant, 'producer');
    let producerCookie = await t.login(producer);

    const none = await t.api({ path: '/api/v1/privacy/notices/current', cookie: clientCookie });
    expect(none.status).toBe(404);
    expect(await reacknowledge(clientCookie)).toBe(false);

    const v1 = await publish('Notice one: we process footage for production only.', true);
    expect(v1.version).toBe(1);
    expect(v1.textSha256).toBe(createHash('sha256').update(v1.text).digest('hex'));
    const shown = bodyOf(
      await t.api({ path: '/api/v1/privacy/notices/current', cookie: clientCookie }),
      PrivacyNoticeSchema,
    );
    expect(shown).toEqual(v1);
    expect(await reacknowledge(clientCookie)).toBe(true);

    const wrongText = await consent(
      clientCookie,
      v1,
      { analytics: true, personalisation: false, marketing: false },
      '0'.repeat(64),
    );
    expect(wrongText.status).toBe(409);
    expect(bodyOf(wrongText, ErrorReplySchema).message).toMatch(/shownTextSha256/);

    const recorded = await consent(clientCookie, v1, {
      analytics: true,
      personalisation: false,
      marketing: false,
    });
    expect(recorded.status, recorded.text).toBe(201);
    const record = bodyOf(recorded, ConsentRecordSchema);
    expect(record.choices).toEqual({
      essential: true,
      analytics: true,
      personalisation: false,
      marketing: false,
    });
    expect(record.noticeVersion).toBe(1);
    expect(record.shownTextSha256).toBe(v1.textSha256);
    const refuseEssential = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/consent',
      cookie: clientCookie,
      body: {
        noticeId: v1.noticeId,
        shownTextSha256: v1.textSha256,
        essential: false,
        analytics: false,
        personalisation: false,
        marketing: false,
      },
    });
    expect(refuseEssential.status).toBe(400);
    expect(
      (await consent(producerCookie, v1, { analytics: false, personalisation: true, marketing: false }))
        .status,
    ).toBe(201);
    expect(await reacknowledge(clientCookie)).toBe(false);

    // A minor version: nobody is asked again, but consent for the old version is now refused.
    clock.advance(HOUR);
    dpoCookie = await t.login(dpo);
    const v2 = await publish('Notice one, with a typo fixed.', false);
    clientCookie = await t.login(client);
    expect(v2.version).toBe(2);
    expect(await reacknowledge(clientCookie)).toBe(false);
    const stale = await consent(clientCookie, v1, {
      analytics: false,
      personalisation: false,
      marketing: false,
    });
    expect(stale.status).toBe(409);
    expect(bodyOf(stale, ErrorReplySchema).message).toMatch(/superseded by version 2/);

    // A material version: both must acknowledge again until they consent on it.
    clock.advance(HOUR);
    dpoCookie = await t.login(dpo);
    const v3 = await publish('Notice three: a new purpose, marketing e-mail.', true);
    clientCookie = await t.login(client);
    producerCookie = await t.login(producer);
    expect(await reacknowledge(clientCookie)).toBe(true);
    expect(await reacknowledge(producerCookie)).toBe(true);
    const history = bodyOf(
      await t.api({ path: '/api/v1/privacy/consent', cookie: clientCookie }),
      ConsentHistorySchema,
    );
    expect(history).toMatchObject({ currentNoticeVersion: 3, reacknowledgementRequired: true });
    expect(history.items.map((item) => item.consentId)).toEqual([record.consentId]);

    clock.advance(HOUR);
    [dpoCookie, clientCookie, producerCookie] = [
      await t.login(dpo),
      await t.login(client),
      await t.login(producer),
    ];
    expect(
      (await consent(clientCookie, v3, { analytics: false, personalisation: false, marketing: true })).status,
    ).toBe(201);
    expect(await reacknowledge(clientCookie)).toBe(false);
    expect(await reacknowledge(producerCookie)).toBe(true);
    const after = bodyOf(
      await t.api({ path: '/api/v1/privacy/consent', cookie: clientCookie }),
      ConsentHistorySchema,
    );
    expect(after.items.map((item) => item.noticeVersion)).toEqual([3, 1]);

    const stats = bodyOf(
      await t.api({ path: '/api/v1/privacy/consent/stats', cookie: dpoCookie }),
      ConsentStatsSchema,
    );
    expect(stats.items.map((item) => item.noticeVersion)).toEqual([3, 2, 1]);
    const [s3, s2, s1] = stats.items;
    expect(s1).toMatchObject({
      users: 2,
      records: 2,
      analytics: { granted: 1, refused: 1 },
      personalisation: { granted: 1, refused: 1 },
      marketing: { granted: 0, refused: 2 },
    });
    expect(s2).toMatchObject({ users: 0, records: 0, material: false });
    expect(s3).toMatchObject({
      users: 1,
      marketing: { granted: 1, refused: 0 },
      analytics: { granted: 0, refused: 1 },
    });
    // Everyone in the tenant but the client-user: the producer and the DPO (and nobody else).
    expect(stats.usersAwaitingAcknowledgement).toBe(2);

    // The subject's access export carries their consent records.
    const exported = await buildSubjectExport(
      t.running.app.get(MikroORM).em.fork(),
      { tenantId: tenant, userId: client.userId },
      { email: client.email, displayName: client.email },
      clock.now(),
    );
    const exportedConsent = (exported.document as { consent: { noticeVersion: number; choices: object }[] })
      .consent;
    expect(exportedConsent.map((c) => c.noticeVersion)).toEqual([1, 3]);
    expect(exportedConsent[1]?.choices).toEqual({
      essential: true,
      analytics: false,
      personalisation: false,
      marketing: true,
    });

    // Another tenant sees none of it.
    const other = await t.createTenant('evidence-other');
    const otherCookie = await t.login(await t.createUser(other, 'client-user'));
    expect((await t.api({ path: '/api/v1/privacy/notices/current', cookie: otherCookie })).status).toBe(404);
    expect(
      (await consent(otherCookie, v3, { analytics: false, personalisation: false, marketing: false })).status,
    ).toBe(404);
  });
});

describe('no public training', () => {
  it('refuses a job that declares a training purpose, and takes a production one', async () => {
    const producerCookie = await t.login(await t.createUser(tenant, 'producer'));
    const projectId = await createProject(producerCookie, 'no-training');
    const refused = await submit(producerCookie, projectId, 'training');
    expect(refused.status).toBe(403);
    expect(bodyOf(refused, ErrorReplySchema).message).toMatch(/production only.*never.*train/);
    const jobs = await t.api({ path: `/api/v1/jobs?projectId=${projectId}`, cookie: producerCookie });
    expect(jobs.status, jobs.text).toBe(200);
    expect((jobs.json as { items: unknown[] }).items).toEqual([]);
    expect((await submit(producerCookie, projectId, 'production')).status).toBe(201);
    expect((await submit(producerCookie, projectId)).status).toBe(201);
    expect((await submit(producerCookie, projectId, 'research')).status).toBe(400);
    // Every job and asset says what kind of client data it is and that production is its only use.
    const listed = await t.api({ path: `/api/v1/jobs?projectId=${projectId}`, cookie: producerCookie });
    for (const job of (listed.json as { items: unknown[] }).items) {
      expect(job).toMatchObject({ dataCategory: 'client-prompt', allowedUses: ['production'] });
    }
    const assets = await t.api({ path: `/api/v1/projects/${projectId}/assets`, cookie: producerCookie });
    expect(assets.status, assets.text).toBe(200);
    const items = (assets.json as { items: unknown[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const asset of items) {
      expect(asset).toMatchObject({ dataCategory: 'client-footage', allowedUses: ['production'] });
    }
    // An export of client data for training is refused the same way.
    const assetId = await t.createAsset(tenant, projectId, 'clip.mp4');
    const exported = await t.api({
      path: `/api/v1/assets/${assetId}/content?purpose=training`,
      cookie: producerCookie,
    });
    expect(exported.status).toBe(403);
    expect(bodyOf(exported, ErrorReplySchema).message).toMatch(/production only/);
  });

  it('signs an attestation of the pinned models and the step catalogue that verifies, and a tampered one fails', async () => {
    const itAdmin = await t.login(await t.createUser(tenant, 'it-admin'));
    const reply = await t.api({ path: '/api/v1/privacy/no-training-attestation', cookie: itAdmin });
    expect(reply.status, reply.text).toBe(200);
    const signed = bodyOf(reply, NoTrainingAttestationSchema);
    const manifest = JSON.parse(await readFile(DEFAULT_MODEL_MANIFEST_FILE, 'utf8')) as unknown;
    expect(signed.attestation.models).toEqual(manifest);
    expect(signed.attestation.steps.map((step) => step.name)).toEqual(STEP_NAMES);
    expect(signed.attestation.steps.every((step) => step.trains === false)).toBe(true);
    expect(signed.attestation.policy).toMatchObject({
      allowedUses: ['production'],
      refusedUses: ['training'],
    });
    const publicKey = await readFile(join(t.config.ENCLAVE_DATA_DIR, 'audit-signing-key.pub.pem'), 'utf8');
    expect(verifyNoTrainingAttestation(reply.text, publicKey).ok).toBe(true);

    const tampered = structuredClone(signed);
    tampered.attestation.models.files[0]!.sha256 = 'f'.repeat(64);
    const check = verifyNoTrainingAttestation(JSON.stringify(tampered));
    expect(check).toEqual({ ok: false, reason: 'the signature does not match the attestation' });

    const good = join(t.dir, 'attestation.json');
    const bad = join(t.dir, 'attestation-tampered.json');
    await writeFile(good, reply.text);
    await writeFile(bad, JSON.stringify(tampered));
    const ok = await run(ENCLAVE, ['attestation', 'verify', good]);
    expect(ok.stdout).toMatch(/verifies: .* none trains/);
    const failed = await run(ENCLAVE, ['attestation', 'verify', bad]).then(
      () => ({ code: 0 }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
  });
});

describe('the model registry reader', () => {
  it('answers 503 UNAVAILABLE, not 500, when the manifest is missing or malformed', async () => {
    await expect(readModelRegistry(join(t.dir, 'missing.json'))).rejects.toMatchObject({
      code: ErrorCode.UNAVAILABLE,
    });
    const bad = join(t.dir, 'bad-manifest.json');
    await writeFile(bad, JSON.stringify({ package: 'x', version: '1', files: [{ path: 'a' }] }));
    await expect(readModelRegistry(bad)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
  });
});

describe('records of processing', () => {
  it('are built from the route table, the settings, the retention policy and the data held', async () => {
    dpoCookie = await t.login(dpo);
    const producerCookie = await t.login(await t.createUser(tenant, 'producer'));
    const projectId = await createProject(producerCookie, 'ropa');
    expect((await submit(producerCookie, projectId)).status).toBe(201);
    expect(
      (
        await t.api({
          method: 'PUT',
          path: '/api/v1/retention/policy',
          cookie: dpoCookie,
          body: { defaultDays: 45 },
        })
      ).status,
    ).toBe(200);
    const reply = await t.api({ path: '/api/v1/privacy/records-of-processing', cookie: dpoCookie });
    expect(reply.status, reply.text).toBe(200);
    const ropa = bodyOf(reply, RecordsOfProcessingSchema);
    expect(ropa.controller.tenantId).toBe(tenant);
    expect(ropa.retention).toMatchObject({
      projectFilesDaysAfterCompletion: 45,
      breachNotifyHours: 72,
      privacyRequestDeadlineDays: 30,
    });
    expect(ropa.activities.every((activity) => activity.recipients.length === 0)).toBe(true);
    expect(ropa.activities[0]?.retention).toMatch(/45 days/);
    expect(ropa.activities[0]?.carriedOutBy).toContain('POST /api/v1/projects/:projectId/jobs');
    expect(ropa.transfers.outsideFacility).toBe(false);
    const footage = ropa.inventory.find((item) => item.dataCategory === 'client-footage');
    expect(footage?.items).toBeGreaterThanOrEqual(1);
    expect(ropa.inventory.every((item) => item.allowedUses.join() === 'production')).toBe(true);
  });
});

describe('breach register', () => {
  it('finds exactly the subjects in scope and flags an overdue notification', async () => {
    const start = clock.now();
    const a = await t.createUser(tenant, 'producer');
    const b = await t.createUser(tenant, 'producer');
    const c = await t.createUser(tenant, 'producer');
    const [aCookie, bCookie] = [await t.login(a), await t.login(b)];
    const inScope = await createProject(aCookie, 'breached');
    const outOfScope = await createProject(bCookie, 'safe');
    expect(bodyOf(await submit(aCookie, inScope), JobDetailSchema).jobId).toBeTruthy();
    expect((await submit(bCookie, outOfScope)).status).toBe(201);
    clock.advance(10 * HOUR);
    const windowEnd = clock.now();
    clock.advance(HOUR);
    // After the window: C's job in the breached project is not in scope.
    expect((await submit(await t.login(c), inScope)).status).toBe(201);
    dpoCookie = await t.login(dpo);

    const created = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/breaches',
      cookie: dpoCookie,
      body: {
        detectedAt: clock.now().toISOString(),
        description: 'A backup disk of the breached project was lost.',
        scope: { projectIds: [inScope], from: start.toISOString(), to: windowEnd.toISOString() },
      },
    });
    expect(created.status, created.text).toBe(201);
    const breach = bodyOf(created, BreachSchema);
    expect(breach.status).toBe('open');
    expect(Date.parse(breach.notifyBy) - Date.parse(breach.detectedAt)).toBe(72 * HOUR);
    expect(breach.overdue).toBe(false);

    const affected = bodyOf(
      await t.api({
        path: `/api/v1/privacy/breaches/${breach.breachId}/affected-subjects`,
        cookie: dpoCookie,
      }),
      AffectedSubjectsSchema,
    );
    expect(affected.subjects).toEqual([{ subject: `user:${a.userId}`, projects: 1, jobs: 1 }]);
    expect(affected).toMatchObject({ projectsInScope: 1, jobsInScope: 1 });
    expect(JSON.stringify(affected)).not.toContain('@');

    // The whole tenant over the whole time: B and C appear too.
    const wide = bodyOf(
      await t.api({
        method: 'POST',
        path: '/api/v1/privacy/breaches',
        cookie: dpoCookie,
        body: {
          detectedAt: clock.now().toISOString(),
          description: 'Wide',
          scope: { from: start.toISOString(), to: clock.now().toISOString() },
        },
      }),
      BreachSchema,
    );
    const wideSubjects = bodyOf(
      await t.api({ path: `/api/v1/privacy/breaches/${wide.breachId}/affected-subjects`, cookie: dpoCookie }),
      AffectedSubjectsSchema,
    ).subjects.map((s) => s.subject);
    expect(wideSubjects).toEqual(expect.arrayContaining([a, b, c].map((u) => `user:${u.userId}`)));

    clock.advance(73 * HOUR);
    dpoCookie = await t.login(dpo);
    const listed = bodyOf(
      await t.api({ path: '/api/v1/privacy/breaches', cookie: dpoCookie }),
      BreachListSchema,
    );
    expect(listed.items.find((item) => item.breachId === breach.breachId)?.overdue).toBe(true);
    const notified = await t.api({
      method: 'POST',
      path: `/api/v1/privacy/breaches/${breach.breachId}/status`,
      cookie: dpoCookie,
      body: { status: 'notified' },
    });
    expect(bodyOf(notified, BreachSchema)).toMatchObject({ status: 'notified', overdue: false });

    const other = await t.createTenant('breach-other');
    const otherDpo = await t.login(await t.createUser(other, 'dpo'));
    expect(
      (
        await t.api({
          path: `/api/v1/privacy/breaches/${breach.breachId}/affected-subjects`,
          cookie: otherDpo,
        })
      ).status,
    ).toBe(404);
    const foreignScope = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/breaches',
      cookie: otherDpo,
      body: {
        detectedAt: clock.now().toISOString(),
        description: 'x',
        scope: { projectIds: [inScope], from: start.toISOString(), to: clock.now().toISOString() },
      },
    });
    expect(foreignScope.status).toBe(404);
    const future = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/breaches',
      cookie: otherDpo,
      body: {
        detectedAt: '9999-12-31T23:00:00.000Z',
        description: 'x',
        scope: { from: start.toISOString(), to: clock.now().toISOString() },
      },
    });
    expect(future.status).toBe(400);
    expect(bodyOf(future, ErrorReplySchema).fields?.[0]?.path).toBe('body.detectedAt');
  });
});

describe('signed reports (records of processing, residency report)', () => {
  it('verify with `enclave report verify` against the pinned audit key; a changed byte fails', async () => {
    await t.registerNode('signed-report-node');
    const publicKey = join(t.config.ENCLAVE_DATA_DIR, 'audit-signing-key.pub.pem');
    const cookie = await t.login(dpo);
    for (const [name, path, change] of [
      [
        'records',
        '/api/v1/privacy/records-of-processing',
        (text: string) => text.replace('"evidence"', '"evidencE"'),
      ],
      [
        'residency',
        '/api/v1/privacy/residency-report',
        (text: string) => text.replace('signed-report-node', 'signed-report-nodE'),
      ],
    ] as const) {
      const reply = await t.api({ path, cookie });
      expect(reply.status, reply.text).toBe(200);
      const good = join(t.dir, `${name}.json`);
      const bad = join(t.dir, `${name}-changed.json`);
      await writeFile(good, reply.text);
      const changed = change(reply.text);
      expect(changed).not.toBe(reply.text);
      await writeFile(bad, changed);
      const ok = await run(ENCLAVE, ['report', 'verify', good, '--public-key', publicKey]);
      expect(ok.stdout).toMatch(
        /verifies: enclave-(records-of-processing|residency-report)\/v1, generated .*, signed by the pinned key/,
      );
      const failed = await run(ENCLAVE, ['report', 'verify', bad, '--public-key', publicKey]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /does NOT verify: the signature does not match the content: the report was changed after it was signed/,
      );
    }
    // Whitespace outside values is not content: a re-indented copy still verifies.
    const pretty = join(t.dir, 'records-pretty.json');
    await writeFile(
      pretty,
      JSON.stringify(JSON.parse(await readFile(join(t.dir, 'records.json'), 'utf8')), null, 2),
    );
    const unpinned = await run(ENCLAVE, ['report', 'verify', pretty]);
    expect(unpinned.stdout).toMatch(/verifies: .*file's own \(unpinned\) key/);
  });
});

describe('breach register: sealed description', () => {
  it('stores the description only sealed under the tenant key; reads open it', async () => {
    const marker = 'BREACH-DESCRIPTION-MARKER-5e1d: laptop of Jane Roe stolen';
    const create = async (description: string) =>
      bodyOf(
        await t.api({
          method: 'POST',
          path: '/api/v1/privacy/breaches',
          cookie: await t.login(dpo),
          body: {
            detectedAt: clock.now().toISOString(),
            description,
            scope: {
              from: new Date(clock.now().getTime() - HOUR).toISOString(),
              to: clock.now().toISOString(),
            },
          },
        }),
        BreachSchema,
      );
    const breach = await create(marker);
    const decoy = await create('another breach');
    expect(breach.description).toBe(marker);
    const listed = bodyOf(
      await t.api({ path: '/api/v1/privacy/breaches', cookie: await t.login(dpo) }),
      BreachListSchema,
    );
    expect(listed.items.find((item) => item.breachId === breach.breachId)?.description).toBe(marker);

    // The raw database (file and WAL): no plaintext, only an EncryptedField in the column.
    const connection = t.running.app.get(MikroORM).em.getConnection();
    const [raw] = await connection.execute<{ description: string }[]>(
      'select description from breach where id = ?',
      [breach.breachId],
    );
    expect(EncryptedFieldSchema.safeParse(JSON.parse(raw!.description)).success).toBe(true);
    for (const name of ['enclave.db', 'enclave.db-wal']) {
      const bytes = await readFile(join(t.config.ENCLAVE_DATA_DIR, name)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from('BREACH-DESCRIPTION-MARKER')), name).toBe(false);
    }

    // Bound to its row: the sealed value copied onto another breach does not open there.
    await connection.execute('update breach set description = ? where id = ?', [
      raw!.description,
      decoy.breachId,
    ]);
    const again = bodyOf(
      await t.api({ path: '/api/v1/privacy/breaches', cookie: await t.login(dpo) }),
      BreachListSchema,
    );
    expect(again.items.find((item) => item.breachId === decoy.breachId)?.description).toMatch(
      /^\[unreadable/,
    );
    expect(again.items.find((item) => item.breachId === breach.breachId)?.description).toBe(marker);
  });
});

describe('residency report', () => {
  it("shows a node's egress counters from its latest heartbeat, with totals", async () => {
    await t.registerNode('residency-node-1');
    await t.registerNode('residency-node-2');
    const now = clock.now();
    const base = heartbeat('residency-node-1', now);
    const lastBlockedAt = new Date(now.getTime() - 60_000).toISOString();
    const egress = {
      since: new Date(now.getTime() - HOUR).toISOString(),
      allowedBytes: 123_456,
      blockedConnections: 3,
      lastBlockedAt,
    };
    await deliver(t.running, {
      ...base,
      body: { ...base.body, telemetry: { ...base.body.telemetry, egress } },
    });

    const itAdmin = await t.login(await t.createUser(tenant, 'it-admin'));
    const reply = await t.api({ path: '/api/v1/privacy/residency-report', cookie: itAdmin });
    expect(reply.status, reply.text).toBe(200);
    const report = bodyOf(reply, ResidencyReportSchema);
    expect(report.statement).toMatch(/no data is transferred outside the facility/);
    const one = report.nodes.find((node) => node.nodeId === 'residency-node-1');
    expect(one?.egress).toEqual(egress);
    expect(report.nodes.find((node) => node.nodeId === 'residency-node-2')?.egress).toBeNull();
    expect(report.totals).toMatchObject({ blockedConnections: 3, allowedBytes: 123_456, lastBlockedAt });
    expect(report.totals.reporting).toBe(1);
    expect(report.totals.nodes).toBeGreaterThanOrEqual(2);
  });
});
