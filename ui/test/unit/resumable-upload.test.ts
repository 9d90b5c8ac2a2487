// The resume logic of chunked uploads, against an in-memory stand-in for the session API (the
// server side is tested for real in control-plane/test/assets/upload-sessions.test.ts): pieces
// follow the server's offset, a failed piece is retried with back-off after re-reading the
// offset, a lost reply is not sent twice, and a reload resumes the remembered session.
import type { UploadSession } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.ts';
import {
  afterFailure,
  backoffMs,
  nextPiece,
  resumeKey,
  uploadResumable,
  type FileLike,
  type ResumableDeps,
} from '../../src/api/resumable-upload.ts';

const PROJECT = 'p1';

function fileOf(text: string, name = 'clip.mp4'): FileLike & { bytes: Buffer } {
  const bytes = Buffer.from(text);
  return {
    name,
    size: bytes.length,
    lastModified: 42,
    bytes,
    slice: (s, e) => new Blob([bytes.subarray(s, e)]),
  };
}

/** A session server in memory, with hooks to make a put fail before or after it counts. */
class FakeServer {
  readonly sessions = new Map<string, { session: UploadSession; data: Buffer[] }>();
  readonly puts: number[] = [];
  creates = 0;
  failBefore: ((offset: number) => Error | null) | null = null;
  failAfter: ((offset: number) => Error | null) | null = null;

  deps(storage: Map<string, string>, sleeps: number[]): ResumableDeps {
    return {
      create: (projectId, file, mediaType) => {
        this.creates += 1;
        const session: UploadSession = {
          uploadId: `u${this.creates}`,
          projectId,
          name: file.name,
          mediaType: mediaType as UploadSession['mediaType'],
          size: file.size,
          offset: 0,
          chunkSize: 8,
          sha256: null,
          state: 'receiving',
          createdAt: '2026-01-01T00:00:00.000Z',
          expiresAt: '2026-01-02T00:00:00.000Z',
          asset: null,
        };
        this.sessions.set(session.uploadId, { session, data: [] });
        return Promise.resolve({ ...session });
      },
      get: (_projectId, uploadId) => {
        const entry = this.sessions.get(uploadId);
        return Promise.resolve(entry ? { ...entry.session } : null);
      },
      put: async (_projectId, uploadId, offset, piece, onProgress) => {
        this.puts.push(offset);
        const before = this.failBefore?.(offset);
        if (before) throw before;
        const entry = this.sessions.get(uploadId);
        if (!entry) throw new ApiError(404, 'NOT_FOUND', 'no upload');
        if (offset !== entry.session.offset) {
          throw new ApiError(409, 'CONFLICT', `at ${entry.session.offset}`, [
            { path: 'query.offset', message: 'x' },
          ]);
        }
        const bytes = Buffer.from(await piece.arrayBuffer());
        onProgress(bytes.length);
        entry.data.push(bytes);
        entry.session.offset += bytes.length;
        if (entry.session.offset === entry.session.size) entry.session.state = 'completed';
        const after = this.failAfter?.(offset);
        if (after) throw after;
        return { ...entry.session };
      },
      abort: (_projectId, uploadId) => {
        this.sessions.delete(uploadId);
        return Promise.resolve();
      },
      storage: {
        getItem: (k) => storage.get(k) ?? null,
        setItem: (k, v) => void storage.set(k, v),
        removeItem: (k) => void storage.delete(k),
      },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    };
  }

  received(uploadId: string): string {
    return Buffer.concat(this.sessions.get(uploadId)!.data).toString();
  }
}

describe('resumable uploads in the browser', () => {
  it('sends the pieces the session asks for, with progress up to 1', async () => {
    const server = new FakeServer();
    const storage = new Map<string, string>();
    const file = fileOf('abcdefghijklmnopqrst'); // 20 bytes: pieces of 8, 8, 4
    const progress: number[] = [];
    const done = await uploadResumable(server.deps(storage, []), PROJECT, file, 'video/mp4', (f) =>
      progress.push(f),
    );
    expect(done.state).toBe('completed');
    expect(server.puts).toEqual([0, 8, 16]);
    expect(server.received('u1')).toBe('abcdefghijklmnopqrst');
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(storage.size).toBe(0); // forgotten once done
  });

  it('retries a failed piece with back-off, and re-reads the offset after a lost reply', async () => {
    const server = new FakeServer();
    let cut = 0;
    let lost = 0;
    // The first try at 8 never reaches the server; the first reply for 16 is lost after it counted.
    server.failBefore = (offset) => (offset === 8 && cut++ === 0 ? new ApiError(0, 'NETWORK', 'cut') : null);
    server.failAfter = (offset) => (offset === 8 && lost++ === 0 ? new ApiError(0, 'NETWORK', 'lost') : null);
    const sleeps: number[] = [];
    const file = fileOf('abcdefghijklmnopqrst');
    const done = await uploadResumable(server.deps(new Map(), sleeps), PROJECT, file, 'video/mp4', () => {});
    expect(done.state).toBe('completed');
    expect(server.puts).toEqual([0, 8, 8, 16]);
    expect(server.received('u1')).toBe('abcdefghijklmnopqrst'); // no piece counted twice
    expect(sleeps).toEqual([1000, 2000]); // two failures in a row: the pause doubles
  });

  it('resumes the remembered session when the same file is chosen again after a reload', async () => {
    const server = new FakeServer();
    const storage = new Map<string, string>();
    const file = fileOf('abcdefghijklmnopqrst');
    server.failBefore = (offset) => (offset === 8 ? new ApiError(403, 'FORBIDDEN', 'stop here') : null);
    await expect(
      uploadResumable(server.deps(storage, []), PROJECT, file, 'video/mp4', () => {}),
    ).rejects.toThrow('stop here');
    expect(storage.get(resumeKey(PROJECT, file))).toBe('u1');

    server.failBefore = null;
    server.puts.length = 0;
    const done = await uploadResumable(server.deps(storage, []), PROJECT, file, 'video/mp4', () => {});
    expect(done.uploadId).toBe('u1');
    expect(server.creates).toBe(1);
    expect(server.puts).toEqual([8, 16]);
    expect(server.received('u1')).toBe('abcdefghijklmnopqrst');
  });

  it('starts afresh when the remembered session is gone or its bytes changed, and gives up after repeated failures', async () => {
    const server = new FakeServer();
    const storage = new Map<string, string>();
    const file = fileOf('abcdefghijklmnopqrst');
    storage.set(resumeKey(PROJECT, file), 'expired-id');
    const done = await uploadResumable(server.deps(storage, []), PROJECT, file, 'video/mp4', () => {});
    expect(done.uploadId).toBe('u1');

    let changed = 0;
    server.failBefore = (offset) =>
      offset === 8 && changed++ === 0
        ? new ApiError(409, 'CONFLICT', 'bytes differ', [{ path: 'body', message: 'differs' }])
        : null;
    const again = await uploadResumable(
      server.deps(storage, []),
      PROJECT,
      fileOf('abcdefghijklmnopqrst', 'b.mp4'),
      'video/mp4',
      () => {},
    );
    expect(again.uploadId).toBe('u3');
    expect(server.sessions.has('u2')).toBe(false); // the changed one was aborted

    server.failBefore = () => new ApiError(503, 'UNAVAILABLE', 'down');
    const sleeps: number[] = [];
    await expect(
      uploadResumable(server.deps(new Map(), sleeps), PROJECT, fileOf('xyz', 'c.mp4'), 'video/mp4', () => {}),
    ).rejects.toThrow('down');
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('classifies failures, computes pieces, back-off and the storage key', () => {
    expect(afterFailure(new ApiError(0, 'NETWORK', 'x'))).toBe('resync');
    expect(afterFailure(new ApiError(409, 'CONFLICT', 'x'))).toBe('resync');
    expect(afterFailure(new ApiError(410, 'GONE', 'x'))).toBe('restart');
    expect(afterFailure(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'x'))).toBe('fail');
    expect(afterFailure(new ApiError(400, 'VALIDATION_FAILED', 'x', [{ path: 'body', message: 'y' }]))).toBe(
      'resync',
    );
    expect(
      afterFailure(new ApiError(400, 'VALIDATION_FAILED', 'x', [{ path: 'sha256', message: 'y' }])),
    ).toBe('fail');
    expect(nextPiece({ offset: 16, size: 20, chunkSize: 8 })).toEqual({ start: 16, end: 20 });
    expect(nextPiece({ offset: 20, size: 20, chunkSize: 8 })).toBeNull();
    expect(backoffMs(1)).toBe(1000);
    expect(backoffMs(10)).toBe(30_000);
    expect(resumeKey('p', { name: 'a b.mov', size: 5, lastModified: 7 })).toBe(
      'enclave.upload.p.5.7.a b.mov',
    );
  });
});
