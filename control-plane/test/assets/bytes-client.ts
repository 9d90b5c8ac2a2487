// HTTPS with raw bytes both ways (the shared https-client reads replies as UTF-8 text): uploads
// from a Buffer (with Content-Length) or a stream (chunked, no length), replies as a Buffer.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { Readable } from 'node:stream';
import type { ClientTls } from '../support/https-client.ts';

export interface BytesRequest {
  readonly port: number;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | Readable;
  readonly tls: ClientTls;
}

export interface BytesReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body parsed as JSON (error replies, metadata). */
  json(): unknown;
}

export function bytesCall(req: BytesRequest): Promise<BytesReply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: req.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers: {
          ...(Buffer.isBuffer(req.body) ? { 'content-length': String(req.body.length) } : {}),
          ...req.headers,
        },
        ca: req.tls.ca,
        ...(req.tls.cert !== undefined ? { cert: req.tls.cert } : {}),
        ...(req.tls.key !== undefined ? { key: req.tls.key } : {}),
        servername: 'localhost',
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')) as unknown,
          });
        });
      },
    );
    // The server may answer (413, 415) and close before the whole body went out.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (req.body === undefined) outgoing.end();
    else if (Buffer.isBuffer(req.body)) outgoing.end(req.body);
    else {
      req.body.on('error', (error) => outgoing.destroy(error));
      req.body.pipe(outgoing);
    }
  });
}

/**
 * A browser's call to the REST API with its session cookie, bytes both ways: writes carry the
 * Origin header a browser sends (the CSRF check wants it).
 */
export function sessionBytesCall(
  api: { readonly apiPort: number; readonly caPem: string },
  cookie: string,
  method: string,
  path: string,
  body?: Buffer | Readable,
  headers: Record<string, string> = {},
): Promise<BytesReply> {
  return bytesCall({
    port: api.apiPort,
    method,
    path,
    tls: { ca: api.caPem },
    headers: {
      cookie: `__Host-enclave_session=${cookie}`,
      ...(method !== 'GET' ? { origin: `https://127.0.0.1:${api.apiPort}` } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
}
