// Assets through whatever the contract's route table offers: upload (raw body, one file per
// request, progress from XHR, which fetch cannot report; large files as resumable pieces through
// upload sessions, logic in resumable-upload.ts), the project's list, and the content
// URL for preview and download. The asset routes arrive with issue #6; until the table has them
// the screens say so instead of guessing paths.
import {
  AssetListSchema,
  type Asset,
  UPLOAD_MEDIA_TYPES,
  UploadSessionSchema,
  type UploadSession,
} from '@enclave/contracts';
import { ApiError } from './api-error.ts';
import { buildUrl, callSpec, errorFromResponse, findRoute } from './client.ts';
import { RESUMABLE_THRESHOLD_BYTES, uploadResumable, type ResumableDeps } from './resumable-upload.ts';

const UPLOAD_PATH = '/api/v1/projects/:projectId/assets';
const CONTENT_PATH = '/api/v1/assets/:assetId/content';
const UPLOADS_PATH = '/api/v1/projects/:projectId/uploads';
const UPLOAD_PATH_ONE = '/api/v1/projects/:projectId/uploads/:uploadId';

export const assetRoutes = {
  upload: () => findRoute('POST', UPLOAD_PATH),
  list: () => findRoute('GET', UPLOAD_PATH),
  content: () => findRoute('GET', CONTENT_PATH),
  createUpload: () => findRoute('POST', UPLOADS_PATH),
  getUpload: () => findRoute('GET', UPLOAD_PATH_ONE),
  appendUpload: () => findRoute('PUT', UPLOAD_PATH_ONE),
  abortUpload: () => findRoute('DELETE', UPLOAD_PATH_ONE),
};

const BY_EXTENSION: Readonly<Record<string, string>> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  srt: 'application/x-subrip',
  txt: 'text/plain',
};

/** The declared media type: the browser's guess when the contract accepts it, else by extension. */
export function mediaTypeOf(file: { name: string; type: string }): string | null {
  const accepted = UPLOAD_MEDIA_TYPES as readonly string[];
  if (accepted.includes(file.type)) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? null;
}

export async function listAssets(projectId: string): Promise<Asset[]> {
  const route = assetRoutes.list();
  if (route === undefined) return [];
  const reply = AssetListSchema.parse(await callSpec(route, { params: { projectId } }));
  return reply.items;
}

export function contentUrl(assetId: string): string | null {
  const route = assetRoutes.content();
  return route === undefined ? null : buildUrl(route, { params: { assetId } });
}

/** Uploads one file; `onProgress` gets 0..1. Resolves with the server's reply body. */
export function uploadAsset(
  projectId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<unknown>; abort: () => void } {
  const route = assetRoutes.upload();
  const xhr = new XMLHttpRequest();
  const done = new Promise<unknown>((resolve, reject) => {
    const type = mediaTypeOf(file);
    if (route === undefined) {
      reject(new ApiError(404, 'NOT_FOUND', 'Uploading is not available on this appliance yet.'));
      return;
    }
    if (type === null) {
      reject(
        new ApiError(
          415,
          'VALIDATION_FAILED',
          `${file.name}: this kind of file is not accepted (${UPLOAD_MEDIA_TYPES.join(', ')}).`,
        ),
      );
      return;
    }
    let url: string;
    try {
      url = buildUrl(route, { params: { projectId }, query: { name: file.name } });
      route.query?.parse({ name: file.name });
    } catch {
      reject(new ApiError(400, 'VALIDATION_FAILED', `${file.name}: the file name is not accepted.`));
      return;
    }
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', `${file.name}: the upload was interrupted.`));
    xhr.onabort = () => reject(new ApiError(0, 'NETWORK', `${file.name}: upload cancelled.`));
    xhr.onload = () => {
      const res = new Response(xhr.responseText === '' ? null : xhr.responseText, { status: xhr.status });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(xhr.responseText === '' ? undefined : JSON.parse(xhr.responseText));
      } else {
        errorFromResponse(res).then(reject, reject);
      }
    };
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/**
 * Any file: large ones (over RESUMABLE_THRESHOLD_BYTES) in resumable pieces when the appliance
 * offers upload sessions, the rest in one request. Same shape as uploadAsset.
 */
export function uploadFile(
  projectId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<unknown>; abort: () => void } {
  const type = mediaTypeOf(file);
  if (file.size <= RESUMABLE_THRESHOLD_BYTES || type === null || assetRoutes.createUpload() === undefined) {
    return uploadAsset(projectId, file, onProgress);
  }
  let current: XMLHttpRequest | null = null;
  let aborted = false;
  const deps: ResumableDeps = {
    ...sessionCalls,
    put: (project, uploadId, offset, piece, onSent) => {
      if (aborted) return Promise.reject(new ApiError(0, 'NETWORK', `${file.name}: upload cancelled.`));
      const sent = sendPiece(project, uploadId, offset, piece, onSent);
      current = sent.xhr;
      return sent.done;
    },
    storage: browserStorage(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const done = uploadResumable(deps, projectId, file, type, onProgress).then((s) => s.asset);
  return {
    done,
    abort: () => {
      aborted = true;
      current?.abort();
    },
  };
}

const sessionCalls: Pick<ResumableDeps, 'create' | 'get' | 'abort'> = {
  create: async (projectId, file, mediaType) =>
    UploadSessionSchema.parse(
      await callSpec(required(assetRoutes.createUpload()), {
        params: { projectId },
        body: { name: file.name, size: file.size, contentType: mediaType },
      }),
    ),
  get: async (projectId, uploadId) => {
    try {
      return UploadSessionSchema.parse(
        await callSpec(required(assetRoutes.getUpload()), { params: { projectId, uploadId } }),
      );
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return null;
      throw error;
    }
  },
  abort: async (projectId, uploadId) => {
    await callSpec(required(assetRoutes.abortUpload()), { params: { projectId, uploadId } });
  },
};

/** localStorage, or a map for this page only where the browser refuses storage (privacy modes). */
function browserStorage(): ResumableDeps['storage'] {
  try {
    const storage = window.localStorage;
    storage.getItem('enclave.probe');
    return storage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

function required<T>(route: T | undefined): T {
  if (route === undefined) throw new ApiError(404, 'NOT_FOUND', 'Resumable uploads are not available here.');
  return route;
}

/** One piece by XHR (fetch cannot report upload progress). */
function sendPiece(
  projectId: string,
  uploadId: string,
  offset: number,
  piece: Blob,
  onSent: (sent: number) => void,
): { xhr: XMLHttpRequest; done: Promise<UploadSession> } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadSession>((resolve, reject) => {
    const url = buildUrl(required(assetRoutes.appendUpload()), {
      params: { projectId, uploadId },
      query: { offset: String(offset) },
    });
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'A piece of the upload was interrupted.'));
    xhr.onabort = () => reject(new ApiError(0, 'NETWORK', 'Upload cancelled.'));
    xhr.onload = () => {
      const res = new Response(xhr.responseText === '' ? null : xhr.responseText, { status: xhr.status });
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(UploadSessionSchema.parse(JSON.parse(xhr.responseText)));
        } catch {
          reject(new ApiError(xhr.status, 'INTERNAL', 'The reply to a piece does not match the contract.'));
        }
      } else {
        errorFromResponse(res).then(reject, reject);
      }
    };
    xhr.send(piece);
  });
  return { xhr, done };
}
