// One autocannon run as its own process, for control-plane/test/bench/load-api.ts: the load
// client never shares an event loop with the server it measures or with the harness. Argument:
// the JSON of a LoadSpec. Prints one line `LOAD-RESULT {json}` with the figures.
//
// TLS: both servers run TLS 1.3 with the control plane's certificate (the appliance's own CA).
// autocannon 9 always connects with `rejectUnauthorized: false` (lib/httpClient.js) and has no
// option to verify: acceptable for a load client on 127.0.0.1 against servers this harness
// started itself — the handshake and record encryption cost the same, verified or not. Real
// clients (the CLI, the UI, the tests' https-client) verify against the appliance CA.
import autocannon from 'autocannon';

interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** `[<id>]` in the body is replaced by a unique id per request (idempotency keys). */
  readonly body?: string;
}

interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly maxRequests?: number;
  readonly headers: Record<string, string>;
  readonly requests: readonly LoadRequest[];
}

interface LoadFigures {
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

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const started = performance.now();
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationS,
  ...(spec.maxRequests !== undefined ? { maxOverallRequests: spec.maxRequests } : {}),
  headers: spec.headers,
  requests: spec.requests.map((r) => ({
    method: r.method,
    path: r.path,
    ...(r.body !== undefined ? { body: r.body, headers: { 'content-type': 'application/json' } } : {}),
  })),
  idReplacement: spec.requests.some((r) => r.body?.includes('[<id>]') === true),
  timeout: 30,
});
const seconds = (performance.now() - started) / 1000;
const statusCodes: Record<string, number> = {};
for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const figures: LoadFigures = {
  requests: result.requests.total,
  seconds: round(seconds, 2),
  perSecond: round(result.requests.total / seconds, 1),
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
  non2xx: result.non2xx,
  status4xx: result['4xx'],
  status5xx: result['5xx'],
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes,
};
console.log(`LOAD-RESULT ${JSON.stringify(figures)}`);
