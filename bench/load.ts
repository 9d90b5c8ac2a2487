// Load benchmark (not a timed test): `npm run bench:load` (= scripts/node24 bench/load.ts).
// 1. The control plane's REST API under autocannon — a job-submission write mix and a read mix
//    (health, projects, jobs) with a producer's API token over TLS 1.3 — against a bare
//    node:https server with the same TLS settings measured in the same run.
// 2. Simulated nodes heartbeating over the real broker with their own certificates, in steps
//    up to 1,000: nodes online, heartbeats applied per second, heartbeat → applied lag.
// The control plane is the built one (control-plane/dist) as a child process on a real SQLite
// file; its RSS is read from /proc. The measuring runs under vitest
// (control-plane/test/bench/load.bench-run.ts), which provides the broker; this script builds
// the control plane, starts it, prints the figures and ends with `RESULT load {json}` and a
// summary line. Settings: BENCH_LOAD_CONNECTIONS=16 BENCH_LOAD_DURATION_S=10
// BENCH_LOAD_WRITES=3000 BENCH_LOAD_NODES=1000 (steps: 100,250,500,1000) BENCH_LOAD_HEARTBEAT_S=10
// BENCH_LOAD_WINDOW_S=20 BENCH_LOAD_BUDGET_S=300 (no fleet step starts after that)
// BENCH_LOAD_ENROLL_CONCURRENCY=32.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machineFigures, measureInVitest } from './run-in-vitest.ts';

// What control-plane/test/bench/load.bench-run.ts writes.
interface LoadFigures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  status4xx: number;
  status5xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}
interface ApiPhase {
  name: 'write' | 'read';
  baseline: LoadFigures;
  enclave: LoadFigures;
  rssBeforeMib: number;
  rssPeakMib: number;
}
interface FleetStep {
  nodes: number;
  requested: number;
  online: number;
  expectedPerSecond: number;
  enrollPerSecond: number;
  connectSeconds: number;
  onlineSeconds: number;
  sent?: number;
  applied?: number;
  appliedPerSecond?: number;
  lagP50Ms?: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
  produceErrors: number;
  rssMib: number;
  rssPeakMib: number;
  workerRssMib: number;
  loadAvg1m: number;
  stoppedBecause?: string;
}
interface Measured {
  connections: number;
  durationS: number;
  writes: number;
  heartbeatS: number;
  windowS: number;
  rssIdleMib: number;
  api: ApiPhase[];
  fleet: FleetStep[];
  skipped: number[];
  cpPeakRssMib: number;
  seconds: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const root = join(import.meta.dirname, '..');
const loadBefore = loadavg()[0]!;

// The control plane under load is control-plane/dist, as in production and the fault suite.
const build = spawnSync('npm', ['run', '--silent', 'build', '-w', '@enclave/control-plane'], {
  cwd: root,
  stdio: ['ignore', process.stderr, process.stderr],
});
if (build.status !== 0) {
  console.error('bench:load: the control-plane build failed');
  process.exit(1);
}

// node-rdkafka runs each client's connect (TLS handshake, metadata) on libuv's pool, 4 threads
// by default; hundreds of simulated nodes connecting in the worker would queue behind 4.
const m = await measureInVitest<Measured>('vitest.load.config.ts', 'BENCH_LOAD_OUT', '64');

const result: Record<string, unknown> = {
  ...machineFigures(loadBefore),
  connections: m.connections,
  duration_s: m.durationS,
  cp_rss_idle_mib: m.rssIdleMib,
};
console.log(
  `load: autocannon, ${m.connections} connections, ${m.durationS} s per run (writes at most ${m.writes}), TLS 1.3, API token`,
);
let fivexx = 0;
for (const p of m.api) {
  const e = p.enclave;
  const b = p.baseline;
  fivexx += e.status5xx;
  const ratio = round(e.perSecond / b.perSecond, 3);
  console.log(
    `${p.name} mix: ${e.requests} requests, ${e.perSecond} req/s, p50 ${e.p50Ms} ms, p99 ${e.p99Ms} ms, ` +
      `non-2xx ${e.non2xx}, 5xx ${e.status5xx}, errors ${e.errors}, timeouts ${e.timeouts}; ` +
      `baseline ${b.perSecond} req/s p50 ${b.p50Ms} ms p99 ${b.p99Ms} ms; ratio ${ratio}; ` +
      `control-plane RSS ${p.rssBeforeMib} → peak ${p.rssPeakMib} MiB`,
  );
  Object.assign(result, {
    [`${p.name}_requests`]: e.requests,
    [`${p.name}_per_s`]: e.perSecond,
    [`${p.name}_p50_ms`]: e.p50Ms,
    [`${p.name}_p99_ms`]: e.p99Ms,
    [`${p.name}_non2xx`]: e.non2xx,
    [`${p.name}_5xx`]: e.status5xx,
    [`${p.name}_errors`]: e.errors + e.timeouts,
    [`${p.name}_status`]: e.statusCodes,
    [`${p.name}_baseline_per_s`]: b.perSecond,
    [`${p.name}_baseline_p50_ms`]: b.p50Ms,
    [`${p.name}_baseline_p99_ms`]: b.p99Ms,
    [`${p.name}_ratio`]: ratio,
    [`${p.name}_rss_before_mib`]: p.rssBeforeMib,
    [`${p.name}_rss_peak_mib`]: p.rssPeakMib,
  });
}
let maxNodes = 0;
for (const s of m.fleet) {
  const measured = s.sent !== undefined;
  if (measured && s.stoppedBecause === undefined) maxNodes = s.nodes;
  console.log(
    `${s.nodes} nodes${s.nodes < s.requested ? ` (of ${s.requested}: enrolment stopped at the time budget)` : ''}: ${s.online} online (after ${s.onlineSeconds} s; enrolled at ${s.enrollPerSecond}/s, ` +
      `clients connected in ${s.connectSeconds} s)` +
      (measured
        ? `; ${s.appliedPerSecond} heartbeats/s applied (expected ${s.expectedPerSecond}), ${s.applied}/${s.sent} ` +
          `applied, lag p50 ${s.lagP50Ms} ms p99 ${s.lagP99Ms} ms max ${s.lagMaxMs} ms`
        : '') +
      `; control-plane RSS ${s.rssMib} MiB (peak ${s.rssPeakMib}); simulator RSS ${s.workerRssMib} MiB; load ${s.loadAvg1m}` +
      (s.stoppedBecause !== undefined ? ` — stopped: ${s.stoppedBecause}` : ''),
  );
  Object.assign(result, {
    [`n${s.nodes}_online`]: s.online,
    [`n${s.nodes}_applied_per_s`]: s.appliedPerSecond ?? null,
    [`n${s.nodes}_expected_per_s`]: s.expectedPerSecond,
    [`n${s.nodes}_lag_p50_ms`]: s.lagP50Ms ?? null,
    [`n${s.nodes}_lag_p99_ms`]: s.lagP99Ms ?? null,
    [`n${s.nodes}_unapplied`]: s.sent !== undefined ? s.sent - (s.applied ?? 0) : null,
    [`n${s.nodes}_enroll_per_s`]: s.enrollPerSecond,
    [`n${s.nodes}_cp_rss_mib`]: s.rssMib,
    [`n${s.nodes}_cp_rss_peak_mib`]: s.rssPeakMib,
    [`n${s.nodes}_sim_rss_mib`]: s.workerRssMib,
    ...(s.stoppedBecause !== undefined ? { [`n${s.nodes}_stopped`]: s.stoppedBecause } : {}),
  });
}
if (m.skipped.length > 0) console.log(`not measured (time budget spent): ${m.skipped.join(', ')} nodes`);
Object.assign(result, {
  heartbeat_s: m.heartbeatS,
  window_s: m.windowS,
  max_nodes_keeping_up: maxNodes,
  skipped_steps: m.skipped,
  cp_peak_rss_mib: m.cpPeakRssMib,
  total_5xx: fivexx,
  seconds: m.seconds,
});
console.log(`RESULT load ${JSON.stringify(result)}`);
const write = m.api.find((p) => p.name === 'write')?.enclave;
const read = m.api.find((p) => p.name === 'read')?.enclave;
console.log(
  `read_per_s=${read?.perSecond} read_p99_ms=${read?.p99Ms} write_per_s=${write?.perSecond} write_p99_ms=${write?.p99Ms} ` +
    `5xx=${fivexx} max_nodes=${maxNodes} cp_peak_rss_mib=${m.cpPeakRssMib}`,
);
process.exit(fivexx === 0 ? 0 : 1);
