// The agent's HTTPS link to the control plane's /agent/v1 routes after enrollment: mutual TLS
// 1.3 with the node's certificate, trusting only the appliance root it was pinned to at
// enrollment (state dir ca.pem; no system CA store). The PEM files are read on every request,
// so a renewed certificate is used from the next request on without rebuilding anything.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { Readable } from 'node:stream';

export interface AgentLinkFiles {
  /** The appliance root CA (pinned at enrollment). */
  caFile: string;
  /** Leaf + intermediate, presented as the client certificate. */
  chainFile: string;
  keyFile: string;
}

export interface LinkRequest {
  method: 'GET' | 'PUT' | 'POST';
  /** Path and query, e.g. `/agent/v1/tasks/t1/data-key?epoch=2`. */
  path: string;
  headers?: Record<string, string | number>;
  /** A stream is piped (chunked); a buffer is sent with its length. */
  body?: Readable | Buffer;
  signal?: AbortSignal;
}

export interface AgentLink {
  /** Resolves with the response once its head arrived; the caller consumes or drains the body. */
  send(req: LinkRequest): Promise<IncomingMessage>;
}

export class HttpsAgentLink implements AgentLink {
  readonly #base: URL;
  readonly #files: AgentLinkFiles;

  constructor(baseUrl: string, files: AgentLinkFiles) {
    this.#base = new URL(baseUrl);
    if (this.#base.protocol !== 'https:') throw new Error(`the control plane URL must be https: ${baseUrl}`);
    this.#files = files;
  }

  send(req: LinkRequest): Promise<IncomingMessage> {
    const target = new URL(req.path, this.#base);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          method: req.method,
          host: target.hostname,
          port: target.port || 443,
          path: `${target.pathname}${target.search}`,
          headers: req.headers,
          ca: readFileSync(this.#files.caFile, 'utf8'),
          cert: readFileSync(this.#files.chainFile, 'utf8'),
          key: readFileSync(this.#files.keyFile, 'utf8'),
          rejectUnauthorized: true,
          minVersion: 'TLSv1.3',
          agent: false,
          signal: req.signal,
        },
        resolve,
      );
      outgoing.on('error', reject);
      if (req.body === undefined) outgoing.end();
      else if (Buffer.isBuffer(req.body)) outgoing.end(req.body);
      else {
        req.body.on('error', (error) => outgoing.destroy(error));
        req.body.pipe(outgoing);
      }
    });
  }
}

/** Reads a (small) response body as text, at most `limit` bytes. */
export async function readText(res: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      res.destroy();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
