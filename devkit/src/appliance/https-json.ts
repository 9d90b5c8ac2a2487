// A small HTTPS client for the launcher and its tests: TLS 1.3 only, trusting exactly the
// appliance root it is given (never the system store). node:https rather than fetch, because
// fetch cannot be told which CA to trust without a dependency.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface HttpsJsonRequest {
  readonly url: string;
  readonly caPem: string;
  readonly method?: string;
  /** An object is sent as JSON; a Buffer as application/octet-stream. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

export interface HttpsJsonReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly json: unknown;
  readonly body: Buffer;
  /** The TLS version the connection used, e.g. `TLSv1.3`. */
  readonly tlsVersion: string | null;
}

export function httpsJson(req: HttpsJsonRequest): Promise<HttpsJsonReply> {
  const target = new URL(req.url);
  const payload =
    req.body === undefined
      ? undefined
      : Buffer.isBuffer(req.body)
        ? req.body
        : Buffer.from(JSON.stringify(req.body));
  const headers: Record<string, string> = {
    ...(payload !== undefined
      ? {
          'content-type': Buffer.isBuffer(req.body) ? 'application/octet-stream' : 'application/json',
          'content-length': String(payload.length),
        }
      : {}),
    ...req.headers,
  };
  return new Promise((resolve, reject) => {
    let tlsVersion: string | null = null;
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method ?? 'GET',
        path: `${target.pathname}${target.search}`,
        headers,
        ca: req.caPem,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
        agent: false,
        timeout: req.timeoutMs ?? 15_000,
      },
      (res) => {
        tlsVersion = (res.socket as TLSSocket).getProtocol?.() ?? tlsVersion;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, body, tlsVersion });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${req.url}: no answer in time`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** The value of the session cookie a sign-in set, or undefined. */
export function sessionCookie(headers: IncomingHttpHeaders): string | undefined {
  for (const line of headers['set-cookie'] ?? []) {
    const match = /^__Host-enclave_session=([^;]+)/.exec(line);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
