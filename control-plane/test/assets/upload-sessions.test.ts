// Resumable uploads on a real appliance (real SQLite file, real TLS, real files): a file sent in
// pieces survives a control-plane restart half-way and resumes from the stored offset; the
// asset decrypts to the original bytes; only ciphertext is ever on disk; wrong offsets answer
// 409 with the expected one, wrong piece lengths 400 (nothing counted), a wrong SHA-256 or
// media type is refused, sizes over the limit 413, and expired sessions are removed.
import { ErrorReplySchema, ProjectSchema, UploadSessionSchema, type UploadSession } from '@enclave/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UPLOAD_PIECE_BYTES,
  UPLOAD_TTL_MS,
  UploadSessionsService,
} from '../../src/assets/upload-sessions.service.ts';
import { bodyOf } from '../support/https-client.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';
import { bytesCall, type BytesReply } from './bytes-client.ts';

const LIMIT = 24 * 1024 * 1024;
const MARKER = 'ENCLAVE-UPLOAD-PLAINTEXT-MARKER-51c0';
const clock = new ManualClock();

let t: TestAppliance;
let dir: string;
let tenant: string;
let producer: string;
let dpo: string;
let projectId: string;

async function start(reuse?: string): Promise<TestAppliance> {
  return startTestAppliance({
    clock,
    env: { ENCLAVE_ASSET_LIMIT_BYTES: String(LIMIT) },
    ...(reuse !== undefined ? { dir: reuse } : {}),
  });
}

beforeAll(async () => {
  t = await start();
  dir = t.dir;
  tenant = await t.createTenant('uploads');
  const user = await t.createUser(tenant, 'producer');
  producer = await t.login(user);
  dpo = await t.login(await t.createUser(tenant, 'dpo'));
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie: producer,
    body: { name: 'u' },
  });
  projectId = bodyOf(reply, ProjectSchema).projectId;
}, 60_000);
afterAll(async () => {
  await t.running.close();
  await rm(dir, { recursive: true, force: true });
});

/** An MP4-looking file: an ftyp box, then random bytes with the marker inside every MiB. */
function fakeMp4(size: number): Buffer {
  const file = randomBytes(size);
  Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\0\0isomavc1', 'latin1')]).copy(
    file,
    0,
  );
  for (let at = 4096; at + MARKER.length < size; at += 1024 * 1024) file.write(MARKER, at, 'latin1');
  return file;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function createUpload(body: Record<string, unknown>, cookie = producer) {
  return t.api({ method: 'POST', path: `/api/v1/projects/${projectId}/uploads`, cookie, body });
}

async function newUpload(file: Buffer, extra: Record<string, unknown> = {}): Promise<UploadSession> {
  const reply = await createUpload({
    name: 'footage.mp4',
    size: file.length,
    contentType: 'video/mp4',
    ...extra,
  });
  expect(reply.status, reply.text).toBe(201);
  return UploadSessionSchema.parse(JSON.parse(reply.text));
}

function put(
  uploadId: string,
  offset: number,
  body: Buffer | Readable,
  cookie = producer,
): Promise<BytesReply> {
  return bytesCall({
    port: t.apiPort,
    method: 'PUT',
    path: `/api/v1/projects/${projectId}/uploads/${uploadId}?offset=${offset}`,
    tls: { ca: t.caPem },
    headers: {
      cookie: `__Host-enclave_session=${cookie}`,
      origin: `https://127.0.0.1:${t.apiPort}`,
      'content-type': 'application/octet-stream',
    },
    body,
  });
}

async function status(uploadId: string): Promise<UploadSession> {
  const reply = await t.api({ path: `/api/v1/projects/${projectId}/uploads/${uploadId}`, cookie: producer });
  expect(reply.status, reply.text).toBe(200);
  return UploadSessionSchema.parse(JSON.parse(reply.text));
}

function error(reply: BytesReply): { code: string; message: string } {
  return ErrorReplySchema.parse(reply.json());
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function noPlaintextOnDisk(): Promise<void> {
  for (const file of await filesUnder(t.config.ENCLAVE_DATA_DIR)) {
    expect((await readFile(file)).includes(Buffer.from(MARKER, 'latin1')), file).toBe(false);
  }
}

describe('resumable uploads', () => {
  it('resumes after a restart on the same data dir; the asset decrypts to the original bytes', async () => {
    const file = fakeMp4(2 * UPLOAD_PIECE_BYTES + 3 * 1024 * 1024 + 777);
    const session = await newUpload(file, { sha256: sha256(file) });
    expect(session).toMatchObject({
      offset: 0,
      chunkSize: UPLOAD_PIECE_BYTES,
      state: 'receiving',
      asset: null,
    });

    const first = await put(session.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES));
    expect(first.status, first.body.toString()).toBe(200);
    expect(UploadSessionSchema.parse(first.json()).offset).toBe(UPLOAD_PIECE_BYTES);
    const partials = (await filesUnder(t.config.ENCLAVE_DATA_DIR)).filter((f) =>
      f.endsWith('.upload.partial'),
    );
    expect(partials).toHaveLength(1);
    await noPlaintextOnDisk();

    // Kill the control plane half-way and start a new one over the same directory.
    await t.running.close();
    t = await start(dir);
    producer = await t.login(await t.createUser(tenant, 'producer'));

    const resumed = await status(session.uploadId);
    expect(resumed.offset).toBe(UPLOAD_PIECE_BYTES);
    const head = await bytesCall({
      port: t.apiPort,
      method: 'HEAD',
      path: `/api/v1/projects/${projectId}/uploads/${session.uploadId}`,
      tls: { ca: t.caPem },
      headers: { cookie: `__Host-enclave_session=${producer}` },
    });
    expect(head.status).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(UPLOAD_PIECE_BYTES));
    // A piece sent again from 0 (a client that missed the reply) is a 409 naming the offset.
    const stale = await put(session.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES));
    expect(stale.status).toBe(409);
    expect(error(stale).message).toContain(`offset ${UPLOAD_PIECE_BYTES}`);

    let offset = resumed.offset;
    let last: UploadSession = resumed;
    while (offset < file.length) {
      const piece = file.subarray(offset, offset + UPLOAD_PIECE_BYTES);
      const reply = await put(session.uploadId, offset, piece);
      expect(reply.status, reply.body.toString()).toBe(200);
      last = UploadSessionSchema.parse(reply.json());
      offset += piece.length;
      expect(last.offset).toBe(offset);
    }
    expect(last.state).toBe('completed');
    const asset = last.asset!;
    expect(asset).toMatchObject({ name: 'footage.mp4', mediaType: 'video/mp4', origin: 'upload' });

    const down = await bytesCall({
      port: t.apiPort,
      path: `/api/v1/assets/${asset.assetId}/content`,
      tls: { ca: t.caPem },
      headers: { cookie: `__Host-enclave_session=${producer}` },
    });
    expect(down.status).toBe(200);
    expect(sha256(down.body)).toBe(sha256(file));
    const stored = await readFile(
      join(t.config.ENCLAVE_DATA_DIR, 'assets', tenant, projectId, asset.assetId),
    );
    expect(asset.sha256).toBe(sha256(stored));
    const leftovers = (await filesUnder(t.config.ENCLAVE_DATA_DIR)).filter((f) => f.endsWith('.partial'));
    expect(leftovers).toEqual([]);
    await noPlaintextOnDisk();

    // The last piece repeated after completion (its reply was lost) answers the same asset.
    const again = await put(session.uploadId, file.length, Buffer.alloc(0));
    expect(again.status).toBe(200);
    expect(UploadSessionSchema.parse(again.json()).asset?.assetId).toBe(asset.assetId);
  }, 120_000);

  it('counts nothing of a piece with the wrong length; a piece ahead of the offset is a 409', async () => {
    const file = fakeMp4(UPLOAD_PIECE_BYTES + 5000);
    const session = await newUpload(file);
    const short = await put(session.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES - 1));
    expect(short.status).toBe(400);
    expect(error(short).code).toBe('VALIDATION_FAILED');
    expect(error(short).message).toContain(`exactly ${UPLOAD_PIECE_BYTES} bytes`);
    expect((await status(session.uploadId)).offset).toBe(0);

    const ahead = await put(session.uploadId, UPLOAD_PIECE_BYTES, file.subarray(UPLOAD_PIECE_BYTES));
    expect(ahead.status).toBe(409);
    expect(error(ahead).message).toContain('offset 0');

    const ok = await put(session.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES));
    expect(ok.status).toBe(200);
    const tooLong = await put(
      session.uploadId,
      UPLOAD_PIECE_BYTES,
      Buffer.concat([file.subarray(UPLOAD_PIECE_BYTES), Buffer.from('x')]),
    );
    expect(tooLong.status).toBe(400);
    expect((await status(session.uploadId)).offset).toBe(UPLOAD_PIECE_BYTES);
    const done = await put(session.uploadId, UPLOAD_PIECE_BYTES, file.subarray(UPLOAD_PIECE_BYTES));
    expect(done.status, done.body.toString()).toBe(200);
    expect(UploadSessionSchema.parse(done.json()).state).toBe('completed');
  }, 60_000);

  it('refuses a piece whose bytes differ from an uncounted earlier attempt (no AES-GCM nonce reuse)', async () => {
    const file = fakeMp4(UPLOAD_PIECE_BYTES + 10);
    const session = await newUpload(file);
    // A first attempt that ends short (streamed, no Content-Length): its full chunks are already
    // written, but not counted.
    const cut = await put(session.uploadId, 0, Readable.from([file.subarray(0, UPLOAD_PIECE_BYTES - 100)]));
    expect(cut.status).toBe(400);
    const other = Buffer.from(file.subarray(0, UPLOAD_PIECE_BYTES));
    other[2 * 1024 * 1024] = other[2 * 1024 * 1024]! ^ 0xff;
    const changed = await put(session.uploadId, 0, other);
    expect(changed.status).toBe(409);
    expect(error(changed).message).toContain('differ');
    const same = await put(session.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES));
    expect(same.status).toBe(200);
  }, 60_000);

  it('checks the SHA-256, the media type and the size limit', async () => {
    const file = fakeMp4(300_000);
    const wrongHash = await newUpload(file, { sha256: sha256(Buffer.from('other')) });
    const reply = await put(wrongHash.uploadId, 0, file);
    expect(reply.status).toBe(400);
    expect(error(reply).message).toContain('SHA-256');
    // The session is discarded with its bytes.
    expect(
      (await t.api({ path: `/api/v1/projects/${projectId}/uploads/${wrongHash.uploadId}`, cookie: producer }))
        .status,
    ).toBe(404);

    const text = await newUpload(Buffer.alloc(5000, 0x41), { name: 'notes.txt' });
    const notMp4 = await put(text.uploadId, 0, Buffer.alloc(5000, 0x41));
    expect(notMp4.status).toBe(415);
    expect((await status(text.uploadId)).offset).toBe(0);

    const typed = await bytesCall({
      port: t.apiPort,
      method: 'PUT',
      path: `/api/v1/projects/${projectId}/uploads/${text.uploadId}?offset=0`,
      tls: { ca: t.caPem },
      headers: {
        cookie: `__Host-enclave_session=${producer}`,
        origin: `https://127.0.0.1:${t.apiPort}`,
        'content-type': 'video/mp4',
      },
      body: Buffer.alloc(5000, 0x41),
    });
    expect(typed.status).toBe(415);
    expect(error(typed).message).toContain('application/octet-stream');

    const huge = await createUpload({ name: 'big.mp4', size: LIMIT + 1, contentType: 'video/mp4' });
    expect(huge.status).toBe(413);
    const bad = await createUpload({ name: 'a/b.mp4', size: 0, contentType: 'video/x-unknown' });
    expect(bad.status).toBe(400);
    const notProducer = await createUpload({ name: 'a.mp4', size: 10, contentType: 'video/mp4' }, dpo);
    expect(notProducer.status).toBe(403);
  }, 60_000);

  it('aborts on request, removes expired sessions with their partial files, refuses a completed project', async () => {
    const file = fakeMp4(UPLOAD_PIECE_BYTES + 1);
    const aborted = await newUpload(file);
    const gone = await t.api({
      method: 'DELETE',
      path: `/api/v1/projects/${projectId}/uploads/${aborted.uploadId}`,
      cookie: producer,
    });
    expect(gone.status).toBe(204);
    expect(
      (await t.api({ path: `/api/v1/projects/${projectId}/uploads/${aborted.uploadId}`, cookie: producer }))
        .status,
    ).toBe(404);

    const stale = await newUpload(file);
    expect((await put(stale.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES))).status).toBe(200);
    const partialsBefore = (await filesUnder(t.config.ENCLAVE_DATA_DIR)).filter((f) =>
      f.includes(stale.uploadId),
    );
    expect(partialsBefore).toHaveLength(1);
    clock.advance(UPLOAD_TTL_MS + 1000);
    expect(await t.running.app.get(UploadSessionsService).sweep()).toBeGreaterThanOrEqual(1);
    const partialsAfter = (await filesUnder(t.config.ENCLAVE_DATA_DIR)).filter((f) =>
      f.includes(stale.uploadId),
    );
    expect(partialsAfter).toEqual([]);
    // The sign-in session expired with the clock too.
    producer = await t.login(await t.createUser(tenant, 'producer'));
    expect(
      (await t.api({ path: `/api/v1/projects/${projectId}/uploads/${stale.uploadId}`, cookie: producer }))
        .status,
    ).toBe(404);

    // A project completed meanwhile takes no more pieces (nor new uploads).
    const open = await newUpload(file);
    expect(
      (await t.api({ method: 'POST', path: `/api/v1/projects/${projectId}/complete`, cookie: producer }))
        .status,
    ).toBe(200);
    const late = await put(open.uploadId, 0, file.subarray(0, UPLOAD_PIECE_BYTES));
    expect(late.status).toBe(409);
    expect(error(late).message).toContain('completed');
    expect((await createUpload({ name: 'x.mp4', size: 10, contentType: 'video/mp4' })).status).toBe(409);
  }, 60_000);
});
