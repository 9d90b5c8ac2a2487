// The producer's asset routes on a real appliance (real SQLite file, real TLS listener): an
// upload is encrypted as it streams in and comes back byte-identical, only ciphertext ever
// reaches the data directory, other tenants see 404, and the limits answer 413, 400 and 415.
// Erasing the project crypto-shreds it: 410 everywhere, files gone, the key journaled.
import {
  AssetListSchema,
  AssetSchema,
  ErrorReplySchema,
  ProjectErasureSchema,
  ProjectSchema,
} from '@enclave/contracts';
import { KeyRing } from '@enclave/crypto';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetsRepository } from '../../src/assets/assets.repository.ts';
import { KeyEvents } from '../../src/keys/key-events.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';
import { sessionBytesCall, type BytesReply } from './bytes-client.ts';

const LIMIT = 256 * 1024;
const MARKER = 'ENCLAVE-PLAINTEXT-MARKER-7f3a9c';

let t: TestAppliance;
let tenant: string;
let producer: string;
let otherProducer: string;
let dpo: string;
let projectId: string;
const destroyed: string[] = [];

beforeAll(async () => {
  t = await startTestAppliance({ env: { ENCLAVE_ASSET_LIMIT_BYTES: String(LIMIT) } });
  t.running.app.get(KeyEvents).onKeyDestroyed((entry) => {
    destroyed.push(entry.keyId);
  });
  tenant = await t.createTenant('assets');
  producer = await t.login(await t.createUser(tenant, 'producer'));
  dpo = await t.login(await t.createUser(tenant, 'dpo'));
  otherProducer = await t.login(await t.createUser(await t.createTenant('other'), 'producer'));
  projectId = await newProject(producer);
}, 60_000);
afterAll(() => t.stop());

async function newProject(cookie: string): Promise<string> {
  const reply = await t.api({ method: 'POST', path: '/api/v1/projects', cookie, body: { name: 'assets' } });
  return bodyOf(reply, ProjectSchema).projectId;
}

function call(
  cookie: string,
  method: string,
  path: string,
  body?: Buffer | Readable,
  headers: Record<string, string> = {},
): Promise<BytesReply> {
  return sessionBytesCall(t, cookie, method, path, body, headers);
}

function upload(project: string, name: string, body: Buffer | Readable, type: string, cookie = producer) {
  return call(cookie, 'POST', `/api/v1/projects/${project}/assets?name=${encodeURIComponent(name)}`, body, {
    'content-type': type,
  });
}

/** An MP4-looking file: an ftyp box, then random bytes with the marker in the middle. */
function fakeMp4(size: number): Buffer {
  const head = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from('ftypisom\0\0\0\0isomavc1', 'latin1'),
  ]);
  const body = randomBytes(size - head.length);
  body.write(MARKER, Math.floor(body.length / 2), 'latin1');
  return Buffer.concat([head, body]);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function errorCode(reply: BytesReply): string {
  return ErrorReplySchema.parse(reply.json()).code;
}

describe('upload and download', () => {
  it('round-trips byte-identical; the store holds only ciphertext, hashed as stored', async () => {
    const original = fakeMp4(200 * 1024 + 123);
    const created = await upload(projectId, 'clip one.mp4', original, 'video/mp4');
    expect(created.status, created.body.toString()).toBe(201);
    const asset = AssetSchema.parse(created.json());
    expect(asset).toMatchObject({
      projectId,
      name: 'clip one.mp4',
      mediaType: 'video/mp4',
      origin: 'upload',
    });

    const down = await call(producer, 'GET', `/api/v1/assets/${asset.assetId}/content`);
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('video/mp4');
    expect(down.headers['cache-control']).toBe('no-store');
    expect(down.body.equals(original)).toBe(true);

    const stored = join(t.config.ENCLAVE_DATA_DIR, 'assets', tenant, projectId, asset.assetId);
    const bytes = await readFile(stored);
    expect(asset.sizeBytes).toBe(bytes.length);
    expect(asset.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect((await stat(stored)).mode & 0o777).toBe(0o600);

    // Not a byte of the plaintext marker anywhere under the data dir: files, database, WAL.
    for (const file of await filesUnder(t.config.ENCLAVE_DATA_DIR)) {
      expect((await readFile(file)).includes(Buffer.from(MARKER, 'latin1')), file).toBe(false);
    }
  });

  it('streams a chunked upload with no Content-Length', async () => {
    const original = Buffer.from(`1\n00:00:00,000 --> 00:00:02,000\n${MARKER}\n`, 'utf8');
    const created = await upload(
      projectId,
      'captions.srt',
      Readable.from([original.subarray(0, 10), original.subarray(10)]),
      'application/x-subrip',
    );
    expect(created.status, created.body.toString()).toBe(201);
    const asset = AssetSchema.parse(created.json());
    const down = await call(producer, 'GET', `/api/v1/assets/${asset.assetId}/content`);
    expect(down.body.equals(original)).toBe(true);
  });

  it('lists and describes the project assets', async () => {
    const list = AssetListSchema.parse(
      (await call(producer, 'GET', `/api/v1/projects/${projectId}/assets`)).json(),
    );
    expect(list.items.length).toBeGreaterThanOrEqual(2);
    const one = await call(producer, 'GET', `/api/v1/assets/${list.items[0]!.assetId}`);
    expect(AssetSchema.parse(one.json())).toEqual(list.items[0]);
  });
});

describe('refusals', () => {
  it("another tenant's project and assets are 404", async () => {
    const list = AssetListSchema.parse(
      (await call(producer, 'GET', `/api/v1/projects/${projectId}/assets`)).json(),
    );
    const assetId = list.items[0]!.assetId;
    for (const path of [
      `/api/v1/assets/${assetId}`,
      `/api/v1/assets/${assetId}/content`,
      `/api/v1/projects/${projectId}/assets`,
    ]) {
      const reply = await call(otherProducer, 'GET', path);
      expect(reply.status, path).toBe(404);
      expect(errorCode(reply)).toBe('NOT_FOUND');
    }
    const put = await upload(projectId, 'x.txt', Buffer.from('hello'), 'text/plain', otherProducer);
    expect(put.status).toBe(404);
  });

  it('413 over the size limit, declared or streamed, and nothing is left behind', async () => {
    const big = Buffer.alloc(LIMIT + 1, 0x61);
    const declared = await upload(projectId, 'big.txt', big, 'text/plain');
    expect(declared.status).toBe(413);
    expect(errorCode(declared)).toBe('PAYLOAD_TOO_LARGE');
    expect(ErrorReplySchema.parse(declared.json()).message).toContain('ENCLAVE_ASSET_LIMIT_BYTES');

    const streamed = await upload(
      projectId,
      'big.txt',
      Readable.from([big.subarray(0, LIMIT / 2), big.subarray(LIMIT / 2)]),
      'text/plain',
    );
    expect(streamed.status).toBe(413);
    const files = await filesUnder(join(t.config.ENCLAVE_DATA_DIR, 'assets'));
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('400 for a name that is a path or empty', async () => {
    for (const name of ['../escape.txt', 'a/b.txt', 'a\\b.txt', '..', '']) {
      const reply = await upload(projectId, name, Buffer.from('hello'), 'text/plain');
      expect(reply.status, name).toBe(400);
      expect(errorCode(reply)).toBe('VALIDATION_FAILED');
    }
  });

  it('415 when the bytes are not the declared type, or the type is not accepted', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
    const mismatch = await upload(projectId, 'photo.png', jpeg, 'image/png');
    expect(mismatch.status).toBe(415);
    expect(errorCode(mismatch)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(ErrorReplySchema.parse(mismatch.json()).message).toContain('image/png');
    expect((await upload(projectId, 'photo.jpg', jpeg, 'image/jpeg')).status).toBe(201);
    expect((await upload(projectId, 'x.exe', Buffer.from('MZ...'), 'application/x-msdownload')).status).toBe(
      415,
    );
    expect((await upload(projectId, 'x.json', Buffer.from('{}'), 'application/json')).status).toBe(415);
    expect((await upload(projectId, 'bin.txt', Buffer.from([0, 1, 2, 3]), 'text/plain')).status).toBe(415);
  });
});

describe('erasure (crypto-shredding)', () => {
  it('only it-admin and dpo may erase', async () => {
    const reply = await call(producer, 'POST', `/api/v1/projects/${projectId}/erase`);
    expect(reply.status).toBe(403);
  });

  it('destroys the key, deletes the files, and every asset route answers 410 after', async () => {
    const project = await newProject(producer);
    const asset = AssetSchema.parse((await upload(project, 'a.mp4', fakeMp4(70_000), 'video/mp4')).json());
    const dir = join(t.config.ENCLAVE_DATA_DIR, 'assets', tenant, project);
    expect(await filesUnder(dir)).toHaveLength(1);

    const erased = await call(dpo, 'POST', `/api/v1/projects/${project}/erase`);
    expect(erased.status, erased.body.toString()).toBe(200);
    const result = ProjectErasureSchema.parse(erased.json());
    expect(result).toMatchObject({ projectId: project, erasedAssets: 1 });
    expect(result.destroyedKeyIds).toHaveLength(1);
    expect(destroyed).toContain(result.destroyedKeyIds[0]);
    await expect(filesUnder(dir)).rejects.toMatchObject({ code: 'ENOENT' });

    const journal = await t.running.app.get(KeyRing).destroyedJournal();
    expect(journal.map((e) => e.keyId)).toContain(result.destroyedKeyIds[0]);
    await expect(t.running.app.get(KeyRing).getDataKey(result.destroyedKeyIds[0]!)).rejects.toMatchObject({
      code: 'KEY_DESTROYED',
    });

    for (const [method, path] of [
      ['GET', `/api/v1/assets/${asset.assetId}`],
      ['GET', `/api/v1/assets/${asset.assetId}/content`],
    ] as const) {
      const reply = await call(producer, method, path);
      expect(reply.status, path).toBe(410);
      expect(errorCode(reply)).toBe('GONE');
    }
    const again = await upload(project, 'b.txt', Buffer.from('hello'), 'text/plain');
    expect(again.status).toBe(410);
    const list = await call(producer, 'GET', `/api/v1/projects/${project}/assets`);
    expect(list.status).toBe(410);
    expect(await t.running.app.get(AssetsRepository).findById(asset.assetId)).toMatchObject({
      state: 'erased',
    });
    // Repeating is harmless.
    const repeat = ProjectErasureSchema.parse(
      (await call(dpo, 'POST', `/api/v1/projects/${project}/erase`)).json(),
    );
    expect(repeat).toMatchObject({ destroyedKeyIds: [], erasedAssets: 0 });
  });
});
