// The resume logic of chunked uploads, free of the browser: the server's session says where
// the next piece starts; a failed piece is retried with back-off after re-reading that offset;
// the session id is remembered (keyed by project, name, size and lastModified) so choosing the
// same file again after a reload carries on where it stopped. The side effects (HTTP, storage,
// sleeping) come in as `ResumableDeps`, so tests drive it with plain objects.
import type { UploadSession } from '@enclave/contracts';
import { ApiError } from './api-error.ts';

/** Files above this go through upload sessions; smaller ones in one request. */
export const RESUMABLE_THRESHOLD_BYTES = 8 * 1024 * 1024;
/** Attempts per piece before the upload is reported as failed. */
export const MAX_PIECE_ATTEMPTS = 6;

export interface FileLike {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
  slice(start: number, end: number): Blob;
}

/** What the upload needs from the outside world. */
export interface ResumableDeps {
  create(projectId: string, file: FileLike, mediaType: string): Promise<UploadSession>;
  /** The session, or null when the server no longer has it (404, 410). */
  get(projectId: string, uploadId: string): Promise<UploadSession | null>;
  /** Sends one piece; `onProgress` gets the bytes of this piece sent so far. */
  put(
    projectId: string,
    uploadId: string,
    offset: number,
    piece: Blob,
    onProgress: (sent: number) => void,
  ): Promise<UploadSession>;
  abort(projectId: string, uploadId: string): Promise<void>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  sleep(ms: number): Promise<void>;
}

export function resumeKey(projectId: string, file: Pick<FileLike, 'name' | 'size' | 'lastModified'>): string {
  return `enclave.upload.${projectId}.${file.size}.${file.lastModified}.${file.name}`;
}

/** The byte range of the next piece, or null when every byte is stored. */
export function nextPiece(session: Pick<UploadSession, 'offset' | 'size' | 'chunkSize'>): {
  start: number;
  end: number;
} | null {
  if (session.offset >= session.size) return null;
  return { start: session.offset, end: Math.min(session.size, session.offset + session.chunkSize) };
}

/** 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * What to do after a piece failed: `resync` re-reads the offset (the usual case: a lost reply,
 * a 409 offset mismatch, a network error or a server hiccup) and tries again after a pause;
 * `restart` begins a new session (the old one expired or its bytes changed under it); `fail`
 * reports the error (refused content, no permission, limits).
 */
export function afterFailure(error: unknown): 'resync' | 'restart' | 'fail' {
  if (!(error instanceof ApiError)) return 'resync';
  if (error.status === 0 || error.status >= 500 || error.status === 429) return 'resync';
  if (error.status === 409) return 'resync';
  if (error.status === 400 && error.fields.some((f) => f.path === 'body')) return 'resync';
  if (error.status === 404 || error.status === 410) return 'restart';
  return 'fail';
}

/** Uploads `file` through sessions; `onProgress` gets 0..1. Resolves with the finished session. */
export async function uploadResumable(
  deps: ResumableDeps,
  projectId: string,
  file: FileLike,
  mediaType: string,
  onProgress: (fraction: number) => void,
): Promise<UploadSession> {
  const key = resumeKey(projectId, file);
  let session = await resumeOrCreate(deps, projectId, file, mediaType, key);
  let attempt = 0;
  let restarts = 0;
  for (;;) {
    onProgress(session.offset / session.size);
    const piece = nextPiece(session);
    if (piece === null && session.state === 'completed') {
      deps.storage.removeItem(key);
      onProgress(1);
      return session;
    }
    const { start, end } = piece ?? { start: session.offset, end: session.offset };
    try {
      session = await deps.put(projectId, session.uploadId, start, file.slice(start, end), (sent) =>
        onProgress((start + sent) / file.size),
      );
      attempt = 0;
    } catch (error) {
      const next = afterFailure(error);
      attempt += 1;
      if (next === 'fail' || attempt >= MAX_PIECE_ATTEMPTS) throw error;
      await deps.sleep(backoffMs(attempt));
      const current = await deps.get(projectId, session.uploadId).catch(() => session);
      if (next === 'restart' || current === null || isContentConflict(error, current, start)) {
        if ((restarts += 1) > 2) throw error;
        deps.storage.removeItem(key);
        if (current !== null) await deps.abort(projectId, session.uploadId).catch(() => undefined);
        session = await resumeOrCreate(deps, projectId, file, mediaType, key);
      } else {
        session = current;
      }
    }
  }
}

/** The 409 that says the bytes at this offset changed (the file was edited): start afresh. */
function isContentConflict(error: unknown, current: UploadSession, sentAt: number): boolean {
  return (
    error instanceof ApiError &&
    error.status === 409 &&
    error.fields.some((f) => f.path === 'body') &&
    current.offset === sentAt
  );
}

async function resumeOrCreate(
  deps: ResumableDeps,
  projectId: string,
  file: FileLike,
  mediaType: string,
  key: string,
): Promise<UploadSession> {
  const known = deps.storage.getItem(key);
  if (known !== null) {
    const session = await deps.get(projectId, known).catch(() => null);
    if (session !== null && session.size === file.size && session.mediaType === mediaType) return session;
    deps.storage.removeItem(key);
  }
  const session = await deps.create(projectId, file, mediaType);
  deps.storage.setItem(key, session.uploadId);
  return session;
}
