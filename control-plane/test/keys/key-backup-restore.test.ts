// Restoring a key (database) backup must not bring an erased project back. A real appliance on
// a real SQLite file: keys are made, the database file is backed up, a project is erased, the
// backup is restored; the next start-up (or `enclave keys reapply-journal`) destroys the key
// again from the journal file beside the database, audits it, and the assets answer 410.
// The same restarts check the sweep of `*.partial` files a crash left in the asset store.
import { CertificateAuthority } from '@enclave/certs';
import { AssetSchema, ProjectSchema } from '@enclave/contracts';
import { KeyRing } from '@enclave/crypto';
import { MikroORM } from '@mikro-orm/sqlite';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { runKeysCli } from '../../src/cli/keys-cli.ts';
import { journalFilePath } from '../../src/keys/destroyed-keys.journal.ts';
import { ProjectKeys } from '../../src/keys/project-keys.service.ts';
import { SqliteKeyStore } from '../../src/keys/sqlite-key-store.ts';
import { sessionBytesCall, type BytesReply } from '../assets/bytes-client.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

let dir: string;
let data: string;
let producer: TestUser;
let dpo: TestUser;
let tenant: string;
let erasedProject: string;
let keptProject: string;
let erasedAsset: string;
let keptAsset: string;
let erasedKeyId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-key-restore-'));
  data = join(dir, 'data');
  await CertificateAuthority.init({ dir: join(dir, 'ca'), passphrase: 'test passphrase, not secret' });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const start = () => startTestAppliance({ dir });

function call(t: TestAppliance, cookie: string, method: string, path: string, body?: Buffer) {
  return sessionBytesCall(
    t,
    cookie,
    method,
    path,
    body,
    body !== undefined ? { 'content-type': 'text/plain' } : {},
  );
}

async function seedProject(t: TestAppliance, cookie: string, text: string) {
  const reply = await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: text } });
  const projectId = bodyOf(reply, ProjectSchema).projectId;
  const up = await call(
    t,
    cookie,
    'POST',
    `/api/v1/projects/${projectId}/assets?name=a.txt`,
    Buffer.from(text),
  );
  expect(up.status, up.body.toString()).toBe(201);
  return { projectId, assetId: AssetSchema.parse(up.json()).assetId };
}

/** enclave.db with its WAL files, as an operator copies them with the control plane stopped. */
async function copyDatabase(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const isDatabase = (name: string) => name.startsWith('enclave.db');
  for (const name of (await readdir(to)).filter(isDatabase)) await rm(join(to, name));
  for (const name of (await readdir(from)).filter(isDatabase)) await cp(join(from, name), join(to, name));
}

/** Only the database comes back from the backup: the journal file beside it stays. */
const restoreBackup = () => copyDatabase(join(dir, 'backup'), data);

function logEntries(t: TestAppliance, message: RegExp) {
  return t.logs.entries().filter((line) => message.test(String(line['msg'] ?? line['message'])));
}

function statusOf(reply: BytesReply) {
  return reply.status;
}

describe('restoring a key backup', () => {
  it('seeds two projects with keys, backs up the database file, erases one project', async () => {
    const first = await start();
    try {
      tenant = await first.createTenant('restore');
      producer = await first.createUser(tenant, 'producer');
      dpo = await first.createUser(tenant, 'dpo');
      const cookie = await first.login(producer);
      ({ projectId: erasedProject, assetId: erasedAsset } = await seedProject(first, cookie, 'to be erased'));
      ({ projectId: keptProject, assetId: keptAsset } = await seedProject(first, cookie, 'to be kept'));
      erasedKeyId = (await first.running.app.get(ProjectKeys).keyOf(erasedProject))!.keyId;
    } finally {
      await first.stop();
    }
    await copyDatabase(data, join(dir, 'backup'));

    const second = await start();
    try {
      const erased = await call(
        second,
        await second.login(dpo),
        'POST',
        `/api/v1/projects/${erasedProject}/erase`,
      );
      expect(erased.status, erased.body.toString()).toBe(200);
    } finally {
      await second.stop();
    }
    const journal = await readFile(journalFilePath(data), 'utf8');
    expect(journal).toContain(erasedKeyId);
    expect(journal).not.toMatch(/"(key|secret|material)"/);
  }, 120_000);

  it('start-up destroys the restored key again, audits and logs it, and the assets answer 410', async () => {
    await restoreBackup();
    // Crash leftovers in the asset store: a plain upload's temp file and an orphaned resumable one.
    const projectDir = join(data, 'assets', tenant, keptProject);
    await writeFile(join(projectDir, `${keptAsset}.0123456789ab.partial`), 'ciphertext left by a crash');
    await writeFile(join(projectDir, 'orphan-upload.upload.partial'), 'no session names it');

    // Before the start: the restored key store holds the erased project's key again.
    const t = await start();
    try {
      const [line] = logEntries(t, /Destroyed-keys journal re-applied/);
      expect(line, t.logs.text).toBeDefined();
      expect(line).toMatchObject({ destroyedAgain: [erasedKeyId], mergedIntoStore: [erasedKeyId] });
      expect(JSON.stringify(line)).not.toMatch(/"wrapped"|"ct"|erased by user/);

      await expect(t.running.app.get(KeyRing).getDataKey(erasedKeyId)).rejects.toMatchObject({
        code: 'KEY_DESTROYED',
      });
      expect(await t.running.app.get(SqliteKeyStore).get(erasedKeyId)).toBeUndefined();

      const cookie = await t.login(producer);
      for (const path of [
        `/api/v1/assets/${erasedAsset}`,
        `/api/v1/assets/${erasedAsset}/content`,
        `/api/v1/projects/${erasedProject}/assets`,
      ]) {
        expect(statusOf(await call(t, cookie, 'GET', path)), path).toBe(410);
      }
      const kept = await call(t, cookie, 'GET', `/api/v1/assets/${keptAsset}/content`);
      expect(kept.status).toBe(200);
      expect(kept.body.toString()).toBe('to be kept');

      const audit = await t.running.app
        .get(MikroORM)
        .em.fork()
        .find(AuditEntryRecord, { action: 'key.destruction-reapplied' });
      expect(audit.map((row) => row.targets)).toEqual([[erasedKeyId]]);

      const [sweep] = logEntries(t, /Asset store swept/);
      expect(sweep).toMatchObject({ removedPartials: 2 });
      expect((await readdir(projectDir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
    } finally {
      await t.stop();
    }

    // Idempotent: the next start finds nothing to re-apply and records nothing more.
    const again = await start();
    try {
      expect(logEntries(again, /Destroyed-keys journal re-applied/)).toEqual([]);
      expect(logEntries(again, /Destroyed-keys journal checked/)[0]).toMatchObject({ mergedIntoStore: [] });
      expect(logEntries(again, /Asset store swept/)[0]).toMatchObject({ removedPartials: 0 });
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('`enclave keys reapply-journal` does the same with the control plane stopped', async () => {
    await restoreBackup();
    const env = { ENCLAVE_DATA_DIR: data };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runKeysCli(['reapply-journal'], env, io), err.join()).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ destroyedAgain: [erasedKeyId], projectsMarked: 1 });
    expect(await runKeysCli(['reapply-journal'], env, io)).toBe(0);
    expect(JSON.parse(out[1]!)).toMatchObject({ destroyedAgain: [], mergedIntoStore: [] });

    const t = await start();
    try {
      expect(logEntries(t, /Destroyed-keys journal re-applied/)).toEqual([]);
      const cookie = await t.login(producer);
      expect((await call(t, cookie, 'GET', `/api/v1/assets/${erasedAsset}/content`)).status).toBe(410);
    } finally {
      await t.stop();
    }
    expect(await runKeysCli(['drop-keys'], env, io)).toBe(2);
    const wrongDir = await runKeysCli(['reapply-journal'], { ENCLAVE_DATA_DIR: join(dir, 'nowhere') }, io);
    expect(wrongDir).toBe(1);
    expect(err.at(-1)).toMatch(/^enclave keys: There is no database at .*nowhere.*set ENCLAVE_DATA_DIR/);
  }, 120_000);

  it('an edited journal stops the CLI and the start-up, naming the line', async () => {
    const file = journalFilePath(data);
    const copy = join(dir, 'journal-copy');
    await cp(file, copy);
    const text = await readFile(copy, 'utf8');
    await writeFile(copy, text.replace(/"reason":"[^"]*"/, '"reason":"nothing happened"'));
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(await runKeysCli(['reapply-journal', '--journal', copy], { ENCLAVE_DATA_DIR: data }, io)).toBe(1);
    expect(err[0]).toMatch(
      /^enclave keys: The destroyed-keys journal .* is broken at line 1: its hash does not match/,
    );

    await cp(copy, file);
    await expect(start()).rejects.toThrow(/destroyed-keys journal .* is broken at line 1/);
  }, 60_000);
});
