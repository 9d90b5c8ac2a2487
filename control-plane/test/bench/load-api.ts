// The API half of the load benchmark (bench/load.ts): autocannon, each run in a process of its
// own (bench/load-autocannon.ts), against the control plane child and, with the same settings,
// against a bare node:https server with the same TLS key, chain and TLS 1.3 setting
// (bench/load-baseline-server.ts) — the baseline of the same run.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runChild, type ChildRun } from '../messaging-support/child-process.ts';

const BENCH = join(import.meta.dirname, '..', '..', '..', 'bench');

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** `[<id>]` is replaced by a unique id per request (idempotency keys). */
  readonly body?: string;
}

/** What bench/load-autocannon.ts prints (keep in step with it). */
export interface LoadFigures {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly status4xx: number;
  readonly status5xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
}

export interface LoadRun {
  readonly port: number;
  readonly connections: number;
  readonly durationS: number;
  readonly maxRequests?: number;
  readonly headers: Record<string, string>;
  readonly requests: readonly LoadRequest[];
}

/**
 * One autocannon run against https://127.0.0.1:<port>. The client does not verify the server's
 * certificate: autocannon cannot (see bench/load-autocannon.ts); both servers are this harness's.
 */
export function autocannonRun(run: LoadRun): Promise<LoadFigures> {
  const spec = {
    url: `https://127.0.0.1:${run.port}`,
    connections: run.connections,
    durationS: run.durationS,
    ...(run.maxRequests !== undefined ? { maxRequests: run.maxRequests } : {}),
    headers: run.headers,
    requests: run.requests,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH, 'load-autocannon.ts'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('LOAD-RESULT '));
      if (code !== 0 || line === undefined) {
        reject(new Error(`autocannon exited with ${code}: ${err.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice('LOAD-RESULT '.length)) as LoadFigures);
    });
  });
}

/** The bare HTTPS baseline server on `port`, with the control plane's key and certificate chain. */
export async function startBaselineServer(
  port: number,
  tls: { readonly key: string; readonly chain: string },
): Promise<ChildRun> {
  const child = runChild(join(BENCH, 'load-baseline-server.ts'), {
    LOAD_BASELINE_PORT: String(port),
    LOAD_BASELINE_KEY: tls.key,
    LOAD_BASELINE_CERT: tls.chain,
  });
  await child.waitForLine(/^load-baseline ready /, 20_000);
  return child;
}
