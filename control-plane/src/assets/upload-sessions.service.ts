// Resumable uploads (docs/control-plane.md, "Resumable uploads"): a session declares the file,
// pieces arrive one request each and are encrypted into a partial file as they come, the
// session's offset moves only once a piece is whole and synced, and the piece that reaches the
// declared size turns the partial file into an asset after one verifying pass.
import {
  ContractError,
  ErrorCode,
  type CreateUploadRequest,
  type UploadMediaType,
  type UploadSession,
} from '@enclave/contracts';
import { DEFAULT_CHUNK_SIZE, resumeChunkWriter, startChunkWriter, type DataKey } from '@enclave/crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserCaller } from '../auth/caller.ts';
import { Clock } from '../common/clock.ts';
import { conflict, notFound } from '../common/errors.ts';
import { Randomness } from '../common/randomness.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { ProjectKeys } from '../keys/project-keys.service.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { ProjectsRepository } from '../projects/projects.repository.ts';
import { toAsset } from './asset-views.ts';
import { AssetStore } from './asset-store.ts';
import { AssetsRepository } from './assets.repository.ts';
import { tooLarge } from './byte-streams.ts';
import { exists, moveFile, PartialFile, removeFile, UPLOAD_PARTIAL_SUFFIX } from './partial-file.ts';
import { declaredType, requestBody } from './request-body.ts';
import { receivePiece } from './upload-piece.ts';
import type { UploadSessionRow } from './upload-session.entity.ts';
import { UploadSessionsRepository } from './upload-sessions.repository.ts';
import { verifyEncryptedFile } from './upload-verify.ts';

/** Every piece but the last: 8 encryption chunks, so a piece never splits a chunk. */
export const UPLOAD_PIECE_BYTES = 8 * DEFAULT_CHUNK_SIZE;
/** The offset of a session on GET/HEAD replies (the tus protocol's name for it). */
export const UPLOAD_OFFSET_HEADER = 'Upload-Offset';
/** An unfinished session lives this long after its last piece (a completed one, for retries). */
export const UPLOAD_TTL_MS = 24 * 3_600_000;

@Injectable()
export class UploadSessionsService {
  /** Sessions with a piece or the completion in flight: one at a time per session. */
  readonly #busy = new Set<string>();

  constructor(
    private readonly projects: ProjectsRepository,
    private readonly sessions: UploadSessionsRepository,
    private readonly assets: AssetsRepository,
    private readonly keys: ProjectKeys,
    private readonly store: AssetStore,
    private readonly clock: Clock,
    private readonly random: Randomness,
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async create(caller: UserCaller, projectId: string, request: CreateUploadRequest): Promise<UploadSession> {
    const project = await this.projects.find(caller.scope, projectId);
    if (project === null) throw notFound('project');
    const limit = this.config.ENCLAVE_ASSET_LIMIT_BYTES;
    if (request.size > limit) throw tooLarge(limit);
    if (project.state !== 'active') throw conflict('This project is completed; it takes no new files.');
    const key = await this.keys.dataKey({ tenantId: caller.tenantId, projectId });
    const uploadId = this.random.id();
    const writer = startChunkWriter({ key });
    try {
      await PartialFile.create(this.#partialPath(caller.tenantId, projectId, uploadId), writer.header);
    } finally {
      writer.close();
      key.destroy();
    }
    const now = this.clock.now();
    const row = await this.sessions.insert({
      id: uploadId,
      tenantId: caller.tenantId,
      projectId,
      createdBy: caller.userId,
      name: request.name,
      mediaType: request.contentType,
      size: request.size,
      sha256: request.sha256 ?? null,
      chunkSize: UPLOAD_PIECE_BYTES,
      keyId: key.keyId,
      createdAt: now,
      expiresAt: this.#expiry(),
    });
    this.log.write('info', 'Upload session started', { uploadId, projectId, size: request.size });
    return this.#view(row);
  }

  /** The session; `res` gets the offset as `Upload-Offset`, the answer a HEAD request reads. */
  async get(
    caller: UserCaller,
    projectId: string,
    uploadId: string,
    res: ServerResponse,
  ): Promise<UploadSession> {
    const row = await this.#session(caller, projectId, uploadId);
    res.setHeader(UPLOAD_OFFSET_HEADER, String(row.offset));
    return this.#view(row);
  }

  async append(
    caller: UserCaller,
    projectId: string,
    uploadId: string,
    offset: number,
    req: IncomingMessage,
  ): Promise<UploadSession> {
    if (declaredType(req) !== 'application/octet-stream') {
      throw new ContractError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send each piece as Content-Type: application/octet-stream (the file type was declared with the upload).',
      );
    }
    if (this.#busy.has(uploadId)) {
      throw conflict('Another piece of this upload is being received; wait for it, then read the offset.');
    }
    this.#busy.add(uploadId);
    try {
      let row = await this.#session(caller, projectId, uploadId);
      if (row.state === 'completed' && offset === row.size) return this.#view(row);
      if (row.state === 'completed' || offset !== row.offset) throw wrongOffset(row);
      const length = Math.min(row.chunkSize, row.size - row.offset);
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared !== length) {
        throw new ContractError(
          ErrorCode.VALIDATION_FAILED,
          `This piece must be exactly ${length} bytes (Content-Length says ${declared}).`,
          [{ path: 'body', message: `must be exactly ${length} bytes` }],
        );
      }
      if (length > 0) {
        const project = await this.projects.find(caller.scope, projectId);
        if (project?.state !== 'active') {
          throw conflict('This project was completed; it takes no new files. Abort this upload.');
        }
        await this.#receive(row, length, req);
        row = await this.#session(caller, projectId, uploadId);
      }
      if (row.offset === row.size) row = await this.#complete(row);
      return this.#view(row);
    } finally {
      this.#busy.delete(uploadId);
    }
  }

  async abort(caller: UserCaller, projectId: string, uploadId: string): Promise<void> {
    const row = await this.sessions.find(caller.scope, projectId, uploadId);
    if (row === null) throw notFound('upload');
    if (this.#busy.has(uploadId))
      throw conflict('A piece of this upload is being received; abort it after that.');
    await this.#discard(row);
    this.log.write('info', 'Upload session aborted', { uploadId, projectId });
  }

  /** Deletes expired sessions and their partial files; returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.sessions.expired(this.clock.now());
    let removed = 0;
    for (const row of rows) {
      if (this.#busy.has(row.id)) continue;
      await this.#discard(row);
      removed += 1;
    }
    if (removed > 0) this.log.write('info', 'Expired upload sessions removed', { removed });
    return removed;
  }

  async #receive(row: UploadSessionRow, length: number, req: IncomingMessage): Promise<void> {
    const key = await this.#keyOf(row);
    const path = this.#partialPath(row.tenant.id, row.project.id, row.id);
    if (!(await exists(path))) throw lost(row);
    const file = await PartialFile.open(path);
    try {
      const writer = resumeChunkWriter(key, await file.read(0, headerLengthOf(row.keyId)));
      try {
        await receivePiece(requestBody(req), {
          writer,
          file,
          offset: row.offset,
          length,
          size: row.size,
          mediaType: row.mediaType as UploadMediaType,
        });
      } finally {
        writer.close();
      }
      await file.sync();
    } finally {
      await file.close();
      key.destroy();
    }
    const to = row.offset + length;
    if (!(await this.sessions.advance(row.id, row.offset, to, this.#expiry()))) throw wrongOffset(row);
  }

  /**
   * Verifies the whole file, moves it to its asset path and records the asset (id = upload id).
   * Safe to run again after a crash at any step: a file already moved is verified where it is.
   */
  async #complete(row: UploadSessionRow): Promise<UploadSessionRow> {
    const tenantId = row.tenant.id;
    const projectId = row.project.id;
    const storageKey = this.store.storageKey(tenantId, projectId, row.id);
    const partial = this.#partialPath(tenantId, projectId, row.id);
    const final = this.store.pathOf(storageKey);
    const path = (await exists(partial)) ? partial : final;
    const key = await this.#keyOf(row);
    let verified;
    try {
      verified = await verifyEncryptedFile(path, key).catch(() => {
        throw new ContractError(
          ErrorCode.CONFLICT,
          'The stored bytes of this upload do not decrypt to a whole file; abort it and upload the file again.',
        );
      });
    } finally {
      key.destroy();
    }
    if (verified.plainBytes !== row.size || (row.sha256 !== null && verified.plainSha256 !== row.sha256)) {
      await this.#discard(row);
      throw new ContractError(
        ErrorCode.VALIDATION_FAILED,
        verified.plainBytes !== row.size
          ? `The file has ${verified.plainBytes} bytes, not the declared ${row.size}; the upload was discarded.`
          : `The file's SHA-256 is ${verified.plainSha256}, not the declared ${row.sha256}; the upload was discarded — upload the file again.`,
        [
          {
            path: verified.plainBytes !== row.size ? 'size' : 'sha256',
            message: 'does not match the bytes received',
          },
        ],
      );
    }
    if (path === partial) await moveFile(partial, final);
    if ((await this.assets.findById(row.id)) === null) {
      await this.assets.insert({
        id: row.id,
        tenantId,
        projectId,
        name: row.name,
        mediaType: row.mediaType,
        sizeBytes: verified.cipherBytes,
        sha256: verified.cipherSha256,
        storageKey,
        keyId: row.keyId,
        origin: 'upload',
        taskId: null,
        createdAt: this.clock.now(),
      });
    }
    await this.sessions.complete(row.id, row.id, this.#expiry());
    this.log.write('info', 'Asset stored', {
      assetId: row.id,
      projectId,
      sizeBytes: verified.cipherBytes,
      origin: 'upload',
      uploadId: row.id,
    });
    return { ...row, state: 'completed', assetId: row.id };
  }

  async #session(caller: UserCaller, projectId: string, uploadId: string): Promise<UploadSessionRow> {
    const row = await this.sessions.find(caller.scope, projectId, uploadId);
    if (row === null) throw notFound('upload');
    if (row.state === 'receiving' && row.expiresAt.getTime() <= this.clock.now().getTime()) {
      await this.#discard(row);
      throw new ContractError(
        ErrorCode.GONE,
        `This upload expired at ${row.expiresAt.toISOString()} and was discarded; start a new upload.`,
      );
    }
    return row;
  }

  async #keyOf(row: UploadSessionRow): Promise<DataKey> {
    const key = await this.keys.dataKey({ tenantId: row.tenant.id, projectId: row.project.id });
    if (key.keyId !== row.keyId) {
      key.destroy();
      throw new ContractError(
        ErrorCode.GONE,
        'This upload was begun under a project key that no longer exists.',
      );
    }
    return key;
  }

  async #discard(row: UploadSessionRow): Promise<void> {
    if (row.state === 'receiving') {
      await removeFile(this.#partialPath(row.tenant.id, row.project.id, row.id));
    }
    await this.sessions.remove(row.id);
  }

  async #view(row: UploadSessionRow): Promise<UploadSession> {
    const asset = row.assetId == null ? null : await this.assets.findById(row.assetId);
    return {
      uploadId: row.id,
      projectId: row.project.id,
      name: row.name,
      mediaType: row.mediaType as UploadMediaType,
      size: row.size,
      offset: row.offset,
      chunkSize: row.chunkSize,
      sha256: row.sha256 ?? null,
      state: row.state,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      asset: asset === null ? null : toAsset(asset),
    };
  }

  #partialPath(tenantId: string, projectId: string, uploadId: string): string {
    return this.store.pathOf(this.store.storageKey(tenantId, projectId, uploadId)) + UPLOAD_PARTIAL_SUFFIX;
  }

  #expiry(): Date {
    return new Date(this.clock.now().getTime() + UPLOAD_TTL_MS);
  }
}

/** Header length of a file under `keyId` (docs/encryption-format.md: 72 + key id length). */
function headerLengthOf(keyId: string): number {
  return 72 + Buffer.byteLength(keyId, 'ascii');
}

function wrongOffset(row: Pick<UploadSessionRow, 'offset' | 'state' | 'size'>): ContractError {
  const expected = row.state === 'completed' ? row.size : row.offset;
  return new ContractError(
    ErrorCode.CONFLICT,
    `This upload is at offset ${expected}; send the piece that starts there (GET the upload to resume).`,
    [{ path: 'query.offset', message: `expected ${expected}` }],
  );
}

function lost(row: Pick<UploadSessionRow, 'id'>): ContractError {
  return new ContractError(
    ErrorCode.GONE,
    `The stored bytes of upload ${row.id} are gone (the project was erased or the files were removed); start a new upload.`,
  );
}
