// Assets through whatever the contract's route table offers: upload (raw body, one file per
// request, progress from XHR, which fetch cannot report), the project's list, and the content
// URL for preview and download. The asset routes arrive with issue #6; until the table has them
// the screens say so instead of guessing paths.
import { AssetListSchema, type Asset, UPLOAD_MEDIA_TYPES } from '@enclave/contracts';
import { ApiError } from './api-error.ts';
import { buildUrl, callSpec, errorFromResponse, findRoute } from './client.ts';

const UPLOAD_PATH = '/api/v1/projects/:projectId/assets';
const CONTENT_PATH = '/api/v1/assets/:assetId/content';

export const assetRoutes = {
  upload: () => findRoute('POST', UPLOAD_PATH),
  list: () => findRoute('GET', UPLOAD_PATH),
  content: () => findRoute('GET', CONTENT_PATH),
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
