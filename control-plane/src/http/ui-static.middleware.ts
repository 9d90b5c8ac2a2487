// Serves the built web UI (ENCLAVE_UI_DIR, normally ui/dist) from the API listener, so the app
// and the API share one origin (the session cookie is SameSite=Strict and `__Host-`; the CSRF
// check wants same-origin requests). GET/HEAD of a file under the directory answers the file;
// any other non-API GET answers index.html, so the app's own paths (/jobs/…) survive a reload.
// /api and /agent never reach this: those stay the API's, including its 404.
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { requestState } from './request-state.ts';
import { pathnameOf } from './route-not-found.ts';
import { UI_CONTENT_SECURITY_POLICY } from './security-headers.ts';

type Next = (error?: unknown) => void;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Vite names files under assets/ by content hash: a changed file gets a new name. */
const HASHED_DIR = 'assets';

export function uiStatic(uiDir: string) {
  const root = resolve(uiDir);
  const index = join(root, 'index.html');
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const method = req.method ?? 'GET';
    const path = pathnameOf(req.url);
    const lower = path.toLowerCase();
    if (
      (method !== 'GET' && method !== 'HEAD') ||
      requestState.listener(req) !== 'api' ||
      lower === '/api' ||
      lower.startsWith('/api/')
    ) {
      next();
      return;
    }
    serve(root, index, path, method, res).catch(next);
  };
}

async function serve(
  root: string,
  index: string,
  path: string,
  method: string,
  res: ServerResponse,
): Promise<void> {
  const file = fileWithin(root, path);
  if (file === null) {
    notFound(res, 'Not found\n');
    return;
  }
  const found = await regularFile(file);
  if (found !== null) {
    send(res, file, found, method, relative(root, file).startsWith(`${HASHED_DIR}${sep}`));
    return;
  }
  // A missing file with an extension (a stale hashed bundle name) is a plain 404, not the app:
  // answering HTML where a script was asked for only hides the fault.
  if (extname(path) !== '') {
    notFound(res, 'Not found\n');
    return;
  }
  const page = await regularFile(index);
  if (page === null) {
    notFound(res, 'The web UI is not built (ENCLAVE_UI_DIR has no index.html).\n');
    return;
  }
  send(res, index, page, method, false);
}

function notFound(res: ServerResponse, text: string): void {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

/** The file a URL path names inside root, or null when it would leave root, is a dot file or cannot be decoded. */
function fileWithin(root: string, path: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, `.${decoded}`);
  const rel = relative(root, file);
  // `/` itself (rel '') is the app; anything that leaves root, or names a dot file, is refused.
  if (rel === '') return join(root, 'index.html');
  if (rel.startsWith('..') || rel.split(sep).some((part) => part.startsWith('.'))) return null;
  return file;
}

async function regularFile(file: string): Promise<Stats | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, file: string, info: Stats, method: string, immutable: boolean): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(info.size));
  res.setHeader('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY);
  // index.html keeps the API's no-store (it names the current bundle); hashed files never change.
  if (immutable) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
