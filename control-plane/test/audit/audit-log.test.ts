// The audit log on a real control plane (real SQLite, real HTTPS): what gets recorded and how
// (no email in clear), append-only in the database, serialised appends, checkpoints, the verify
// route, and the export checked by the real `enclave audit verify` process — which must catch
// an edited, deleted or swapped entry and a forged checkpoint, naming the first bad seq.
import {
  AuditAction,
  AuditVerifyReplySchema,
  AuditCheckpointSchema,
  ErrorReplySchema,
  ProjectSchema,
  type AuditEntryDto,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { execFile } from 'node:child_process';
import { stat, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_KEY_FILE, AUDIT_PUBLIC_KEY_FILE } from '../../src/audit/audit-signing-key.ts';
import { AuditTrail } from '../../src/audit/audit-trail.service.ts';
import { DetailsSealer } from '../../src/audit/details-sealer.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const run = promisify(execFile);
const ENCLAVE = join(import.meta.dirname, '..', '..', '..', 'bin', 'enclave');

let t: TestAppliance;
let tenant: string;
let dpo: TestUser;
let dpoCookie: string;
let trail: AuditTrail;
let orm: MikroORM;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('audit');
  dpo = await t.createUser(tenant, 'dpo', 'dpo.person@example.test');
  dpoCookie = await t.login(dpo);
  trail = t.running.app.get(AuditTrail);
  orm = t.running.app.get(MikroORM);
});
afterAll(() => t.stop());

async function entries(): Promise<readonly AuditEntryDto[]> {
  return (await trail.load()).entries;
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(ENCLAVE, ['audit', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('what is recorded', () => {
  it('records tenant and user creation and sign-ins, and never an email in clear', async () => {
    const wrong = await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: dpo.email, password: 'not the password at all' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await t.api({
      method: 'POST',
      path: '/api/v1/auth/login',
      body: { email: 'nobody.here@example.test', password: 'not the password at all' },
    });
    expect(unknown.status).toBe(401);

    const all = await entries();
    const actions = all.map((e) => e.action);
    expect(actions).toContain(AuditAction.TenantCreated);
    expect(actions).toContain(AuditAction.UserCreated);
    expect(all.find((e) => e.action === AuditAction.SignIn)).toMatchObject({
      actor: `user:${dpo.userId}`,
      tenantId: tenant,
      targets: [dpo.userId],
    });
    const failed = all.filter((e) => e.action === AuditAction.SignInFailed);
    expect(failed.map((e) => e.actor)).toEqual([`user:${dpo.userId}`, 'system']);
    // The email is in the sealed details only: not in any stored column, not in the file.
    const raw = await orm.em
      .fork()
      .getConnection()
      .execute<Record<string, unknown>[]>('select * from audit_entry');
    expect(JSON.stringify(raw)).not.toContain('example.test');
    expect(JSON.stringify(raw)).not.toContain('nobody.here');
    // ...and the sealer can open them (the DPO's investigation path).
    const sealer = t.running.app.get(DetailsSealer);
    const opened = await sealer.open(
      { tenantId: null, action: AuditAction.SignInFailed },
      failed[1]!.details!,
    );
    expect(opened).toMatchObject({ email: 'nobody.here@example.test', why: 'unknown-account' });
  });

  it('records job submission, node enrolment and revocation, project completion', async () => {
    const producer = await t.login(await t.createUser(tenant, 'producer'));
    const admin = await t.login(await t.createUser(tenant, 'it-admin'));
    const project = bodyOf(
      await t.api({ method: 'POST', path: '/api/v1/projects', cookie: producer, body: { name: 'p' } }),
      ProjectSchema,
    );
    const source = await t.createAsset(tenant, project.projectId, 'clip.mp4');
    const job = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${project.projectId}/jobs`,
      cookie: producer,
      body: { template: 'transcode', params: { source }, idempotencyKey: 'audit-job-1' },
    });
    expect(job.status).toBe(201);
    const jobId = (job.json as { jobId: string }).jobId;
    await t.registerNode('audit-node-1');
    const revoked = await t.api({ method: 'POST', path: '/api/v1/nodes/audit-node-1/revoke', cookie: admin });
    expect(revoked.status).toBe(200);
    const done = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${project.projectId}/complete`,
      cookie: producer,
    });
    expect(done.status).toBe(200);

    const all = await entries();
    const find = (action: string) => all.filter((e) => e.action === action).at(-1);
    expect(find(AuditAction.JobSubmitted)?.targets).toEqual([project.projectId, jobId]);
    expect(find(AuditAction.NodeEnrolled)).toMatchObject({ actor: 'node:audit-node-1', tenantId: null });
    expect(find(AuditAction.NodeRevoked)?.targets).toEqual(['audit-node-1']);
    expect(find(AuditAction.ProjectCompleted)?.targets).toEqual([project.projectId]);
  });
});

describe('the chain in the database', () => {
  it('appends concurrently without a gap or a fork, and signs a checkpoint every N entries', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        trail.record({
          actor: 'system',
          tenantId: null,
          action: AuditAction.KeyDestroyed,
          targets: [`k${i}`],
        }),
      ),
    );
    while ((await entries()).length < 2 * trail.checkpointEvery) {
      await trail.record({ actor: 'system', tenantId: null, action: AuditAction.KeyDestroyed });
    }
    const all = await entries();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const { checkpoints } = await trail.load();
    expect(checkpoints.map((c) => c.seq)).toEqual(expect.arrayContaining([100, 200]));
    expect((await trail.verify()).ok).toBe(true);
  });

  it("appends inside the caller's transaction: rolled back with it", async () => {
    const before = (await entries()).length;
    await expect(
      orm.em.fork().transactional(async (em) => {
        await trail.record({ actor: 'system', tenantId: null, action: AuditAction.KeyDestroyed }, { em });
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    expect((await entries()).length).toBe(before);
    expect((await trail.verify()).ok).toBe(true);
  });

  it('keeps the signing key private (0600) and publishes the public key', async () => {
    const dataDir = t.config.ENCLAVE_DATA_DIR;
    expect((await stat(join(dataDir, AUDIT_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dataDir, AUDIT_PUBLIC_KEY_FILE), 'utf8')).toBe(trail.publicKeyPem);
  });
});

describe('verify and export', () => {
  it('verify answers ok for dpo and it-admin, 403 for a producer', async () => {
    const reply = bodyOf(
      await t.api({ path: '/api/v1/audit/verify', cookie: dpoCookie }),
      AuditVerifyReplySchema,
    );
    expect(reply.ok).toBe(true);
    expect(reply.entries).toBeGreaterThanOrEqual(200);
    const producer = await t.login(await t.createUser(tenant, 'producer'));
    const refused = await t.api({ path: '/api/v1/audit/verify', cookie: producer });
    expect(refused.status).toBe(403);
    expect(bodyOf(refused, ErrorReplySchema).code).toBe('FORBIDDEN');
    const checkpoint = await t.api({ method: 'POST', path: '/api/v1/audit/checkpoints', cookie: dpoCookie });
    expect(checkpoint.status).toBe(201);
    expect(bodyOf(checkpoint, AuditCheckpointSchema).seq).toBe((await entries()).length);
  });

  it('exports JSON lines the CLI verifies, and the CLI catches edit, deletion, swap and a forged checkpoint', async () => {
    const reply = await t.api({ path: '/api/v1/audit/export', cookie: dpoCookie });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/x-ndjson');
    const lines = reply.text.trimEnd().split('\n');
    const file = join(t.dir, 'audit.jsonl');
    await writeFile(file, reply.text);
    const good = await cli('verify', file);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('verifies');
    const pinned = await cli(
      'verify',
      file,
      '--public-key',
      join(t.config.ENCLAVE_DATA_DIR, AUDIT_PUBLIC_KEY_FILE),
    );
    expect(pinned.code, pinned.stderr).toBe(0);

    const entryLine = (seq: number) => lines.findIndex((l) => l.includes(`"seq":${seq},"time"`));
    const variant = async (name: string, changed: string[]) => {
      const path = join(t.dir, `${name}.jsonl`);
      await writeFile(path, changed.join('\n') + '\n');
      return cli('verify', path);
    };

    const edited = [...lines];
    edited[entryLine(5)] = edited[entryLine(5)]!.replace(/"actor":"[^"]*"/, '"actor":"user:someone-else"');
    const deleted = lines.filter((_, i) => i !== entryLine(7));
    const swapped = [...lines];
    [swapped[entryLine(3)], swapped[entryLine(9)]] = [swapped[entryLine(9)]!, swapped[entryLine(3)]!];
    const lastEntry = lines.filter((l) => l.startsWith('{"type":"entry"')).length;
    const truncated = lines.filter((_, i) => i !== entryLine(lastEntry));
    const forged = lines.map((l) =>
      l.startsWith('{"type":"checkpoint"') && l.includes('"seq":100,')
        ? l.replace(/"signature":"(.)/, (_m, c: string) => `"signature":"${c === 'A' ? 'B' : 'A'}`)
        : l,
    );
    // One real CLI process per damaged copy, run side by side.
    const [e, d, s, tr, f, usage] = await Promise.all([
      variant('edited', edited),
      variant('deleted', deleted),
      variant('swapped', swapped),
      variant('truncated', truncated),
      variant('forged', forged),
      cli('verify'),
    ]);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('first bad seq 5');
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('first bad seq 7');
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('first bad seq 3');
    expect(tr.code).toBe(1);
    expect(tr.stderr).toContain(`first bad seq ${lastEntry}`);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('first bad seq 100');
    expect(f.stderr).toContain('bad signature');
    expect(usage.code).toBe(2);
  }, 180_000);

  it('the database refuses UPDATE and DELETE; an edit made behind its back fails verification', async () => {
    const connection = orm.em.fork().getConnection();
    await expect(connection.execute(`update audit_entry set actor = 'system' where seq = 2`)).rejects.toThrow(
      /immutable/,
    );
    await expect(connection.execute(`delete from audit_entry where seq = 2`)).rejects.toThrow(/immutable/);
    // An attacker with the file drops the trigger first: the chain still tells.
    await connection.execute('drop trigger audit_entry_append_only_update');
    await connection.execute(`update audit_entry set targets = '["forged"]' where seq = 4`);
    const reply = bodyOf(
      await t.api({ path: '/api/v1/audit/verify', cookie: dpoCookie }),
      AuditVerifyReplySchema,
    );
    expect(reply).toMatchObject({ ok: false, problem: { seq: 4 } });
  });
});
