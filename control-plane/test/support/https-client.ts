// Real HTTPS requests over real sockets (node:https; undici is not a dependency here). Each
// request opens a fresh TLS connection unless an agent is given, so a listener's current TLS
// policy (CRL, client certificate) is what gets tested.
import { request as httpsRequest, type Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';

export interface ClientTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface HttpRequest {
  readonly port: number;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
  readonly tls: ClientTls;
  readonly agent?: Agent;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON; read it with `bodyOf`. */
  readonly json: unknown;
}

export function httpsCall(req: HttpRequest): Promise<HttpReply> {
  const payload =
    req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = {
    ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    ...req.headers,
  };
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: '127.0.0.1',
        port: req.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers,
        ca: req.tls.ca,
        ...(req.tls.cert !== undefined ? { cert: req.tls.cert } : {}),
        ...(req.tls.key !== undefined ? { key: req.tls.key } : {}),
        servername: 'localhost',
        agent: req.agent ?? false,
      },
      (res) => {
        // An event stream stays open: its status and headers are the reply (see event-stream.ts).
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
          resolve({ status: 200, headers: res.headers, text: '', json: undefined });
          outgoing.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    outgoing.on('error', reject);
    if (payload !== undefined) outgoing.write(payload);
    outgoing.end();
  });
}

/** The Set-Cookie header as one string (there is at most one cookie here). */
export function setCookieOf(reply: HttpReply): string | undefined {
  const value = reply.headers['set-cookie'];
  return Array.isArray(value) ? value[0] : value;
}

export function sessionCookieValue(reply: HttpReply): string | undefined {
  return /__Host-enclave_session=([^;]*)/.exec(setCookieOf(reply) ?? '')?.[1];
}

/** The reply body checked against a contracts schema: tests read only what the wire promises. */
export function bodyOf<S extends z.ZodType>(reply: HttpReply, schema: S): z.output<S> {
  const result = schema.safeParse(reply.json);
  if (!result.success) {
    throw new Error(
      `Reply ${reply.status} does not match the schema: ${result.error.message}\n${reply.text.slice(0, 500)}`,
    );
  }
  return result.data;
}
