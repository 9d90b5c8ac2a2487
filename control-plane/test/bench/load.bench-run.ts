// The measuring half of `bench/load.ts`, run by vitest (bench/vitest.load.config.ts; vitest
// compiles the decorators of the in-process setup appliance and its global setup provides the
// broker). Not a test. The control plane under load is the BUILT one as a child process
// (control-plane/test/faults/support), so its RSS is its own, read from /proc.
//
// 1. API: autocannon (a process of its own) with a producer's API token — a write mix (job
//    submissions, one idempotency key each, bounded count) and a read mix (health, projects,
//    jobs) — each right after the same run against a bare node:https baseline server.
// 2. Fleet: simulated nodes (load-heartbeats.ts) enrolled over REST and heartbeating over the
//    real broker with their own certificates: 1,000 by default, or steps (BENCH_LOAD_NODES) until
//    the machine gives out or the time budget is spent.
// Writes its figures as JSON to $BENCH_LOAD_OUT for bench/load.ts to print.
import { CreatedApiTokenSchema, NodeListSchema } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { RdkafkaTopicAdmin } from '../../src/messaging/topic-admin.ts';
import type { EnrolledNode } from '../e2e-support/scripted-agent.ts';
import {
  ControlPlaneProcess,
  faultMessaging,
  faultNodePrefix,
} from '../faults/support/control-plane-process.ts';
import { seedAppliance } from '../faults/support/fault-setup.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { bodyOf } from '../support/https-client.ts';
import { autocannonRun, startBaselineServer, type LoadFigures, type LoadRun } from './load-api.ts';
import {
  appliedHeartbeats,
  enrollSimNode,
  heartbeatWindow,
  HeartbeatSim,
  type HeartbeatWindow,
} from './load-heartbeats.ts';
import { RssSampler } from './load-rss.ts';
import { closedLoop, rssMib, timeout } from './dispatch-stats.ts';

const env = process.env;
const CONNECTIONS = Number(env['BENCH_LOAD_CONNECTIONS'] ?? 16);
const DURATION_S = Number(env['BENCH_LOAD_DURATION_S'] ?? 10);
const WRITES = Number(env['BENCH_LOAD_WRITES'] ?? 3000);
const STEPS = (env['BENCH_LOAD_NODES'] ?? '1000').split(',').map(Number);
const HEARTBEAT_MS = Number(env['BENCH_LOAD_HEARTBEAT_S'] ?? 10) * 1000;
const WINDOW_MS = Number(env['BENCH_LOAD_WINDOW_S'] ?? 20) * 1000;
/** No new fleet step starts after this many seconds of the run (the whole bench stays < 8 min). */
const BUDGET_MS = Number(env['BENCH_LOAD_BUDGET_S'] ?? 300) * 1000;
/** Enrollments in flight: each waits on the broker (topics, ACLs) more than it uses CPU. */
const ENROLL_CONCURRENCY = Number(env['BENCH_LOAD_ENROLL_CONCURRENCY'] ?? 32);
const ONLINE_WAIT_MS = 90_000;
/** The load benchmark's ports (the control plane's API and agent listeners, the baseline). */
const PORTS = { api: 21500, agent: 21501 };
const BASELINE_PORT = 21502;

export interface ApiPhase {
  readonly name: 'write' | 'read';
  readonly baseline: LoadFigures;
  readonly enclave: LoadFigures;
  readonly rssBeforeMib: number;
  readonly rssPeakMib: number;
}

export interface FleetStep extends Partial<HeartbeatWindow> {
  /** Nodes enrolled and heartbeating; fewer than `requested` when the time budget ran out. */
  readonly nodes: number;
  readonly requested: number;
  readonly online: number;
  readonly expectedPerSecond: number;
  readonly enrollPerSecond: number;
  readonly connectSeconds: number;
  readonly onlineSeconds: number;
  readonly produceErrors: number;
  readonly rssMib: number;
  readonly rssPeakMib: number;
  readonly workerRssMib: number;
  readonly loadAvg1m: number;
  readonly stoppedBecause?: string;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('load benchmark', async () => {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'enclave-bench-load-'));
  const run = randomBytes(3).toString('hex');
  const sims: HeartbeatSim[] = [];
  const nodes: EnrolledNode[] = [];
  let cp: ControlPlaneProcess | null = null;
  let baselineServer: Awaited<ReturnType<typeof startBaselineServer>> | null = null;
  try {
    const seeded = await seedAppliance(dir, run, { count: 0, cpuSlots: 2 });
    // Production messaging defaults (10 s topic discovery) except the subscription, which keeps
    // this run's control plane to its own nodes' topics on the shared broker.
    const messaging = { subscription: faultMessaging(run).subscription };
    cp = new ControlPlaneProcess(seeded.env, messaging, PORTS, seeded.caPem, {
      // Lifted as in the dispatch bench: 1,000 nodes enroll within minutes, not 100 minutes.
      ENCLAVE_ENROLL_RATE_PER_MINUTE: '10000',
      ENCLAVE_SCHEDULER_TICK_MS: '5000',
      // libuv's default pool, as in production: bench/load.ts enlarges it for the simulators
      // in this worker only, and the child would inherit that.
      UV_THREADPOOL_SIZE: '4',
    });
    await cp.start();
    const controlPlane = cp;
    const rss = new RssSampler(controlPlane.pid!);
    await sleep(2_000);
    const rssIdleMib = rss.sample();
    rss.phasePeakMib();

    const created = await controlPlane.api({
      method: 'POST',
      path: '/api/v1/auth/tokens',
      cookie: seeded.producerCookie,
      body: { name: 'load-bench' },
    });
    const token = bodyOf(created, CreatedApiTokenSchema).token;
    const tls = {
      key: seeded.env['ENCLAVE_TLS_KEY_FILE']!,
      chain: seeded.env['ENCLAVE_TLS_CHAIN_FILE'] ?? seeded.env['ENCLAVE_TLS_CERT_FILE']!,
    };
    baselineServer = await startBaselineServer(BASELINE_PORT, tls);

    // --- 1. API under autocannon -------------------------------------------------------------
    const headers = { authorization: `Bearer ${token}` };
    const body = JSON.stringify({
      idempotencyKey: `load-${run}-[<id>]`,
      template: 'transcode',
      params: { source: seeded.sourceAssetId, height: 360 },
    });
    const mixes: Record<ApiPhase['name'], Omit<LoadRun, 'port'>> = {
      write: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        maxRequests: WRITES,
        headers,
        requests: [{ method: 'POST', path: `/api/v1/projects/${seeded.projectId}/jobs`, body }],
      },
      read: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        headers,
        requests: [
          { method: 'GET', path: '/api/v1/health' },
          { method: 'GET', path: '/api/v1/projects' },
          { method: 'GET', path: '/api/v1/jobs' },
        ],
      },
    };
    const api: ApiPhase[] = [];
    // Writes first, so the read mix lists a tenant that has jobs.
    for (const name of ['write', 'read'] as const) {
      // The cap on writes spares the control plane's database; the baseline stores nothing and
      // runs the full duration (capped, it would finish in a second or two, mostly connecting).
      const { maxRequests: _cap, ...uncapped } = mixes[name];
      const baseline = await autocannonRun({ ...uncapped, port: BASELINE_PORT });
      const rssBeforeMib = rss.sample();
      rss.phasePeakMib();
      const enclave = await autocannonRun({ ...mixes[name], port: PORTS.api });
      api.push({ name, baseline, enclave, rssBeforeMib, rssPeakMib: rss.phasePeakMib() });
      console.error(
        `[bench] ${name}: ${enclave.perSecond} req/s p99 ${enclave.p99Ms} ms 5xx ${enclave.status5xx} ` +
          `(baseline ${baseline.perSecond} req/s)`,
      );
    }
    await baselineServer.terminate();
    baselineServer = null;

    // --- 2. The fleet: simulated nodes heartbeating -------------------------------------------
    const seededAdmin = seeded.adminCookie;
    const dbFile = join(seeded.env['ENCLAVE_DATA_DIR']!, 'enclave.db');
    const fleet: FleetStep[] = [];
    const skipped: number[] = [];
    const prefix = faultNodePrefix(run);
    const onlineCount = async (): Promise<number> => {
      const list = bodyOf(
        await controlPlane.api({ path: '/api/v1/nodes', cookie: seededAdmin }),
        NodeListSchema,
      );
      return list.items.filter((n) => n.nodeId.startsWith(prefix) && n.status === 'online').length;
    };
    rss.phasePeakMib();
    for (const target of STEPS) {
      if (performance.now() - started > BUDGET_MS) {
        skipped.push(target);
        continue;
      }
      const from = nodes.length;
      const enrollStarted = performance.now();
      await closedLoop(target - from, ENROLL_CONCURRENCY, async (i) => {
        // Past the budget the step goes on with the nodes enrolled so far (reported as such).
        if (performance.now() - started > BUDGET_MS) return;
        nodes.push(
          await enrollSimNode((r) => controlPlane.api(r), seededAdmin, `${prefix}n${from + i}`, dir),
        );
      });
      const enrollSeconds = (performance.now() - enrollStarted) / 1000;
      const size = nodes.length;
      const connectStarted = performance.now();
      const fresh = nodes.slice(from).map((node) => new HeartbeatSim(node));
      sims.push(...fresh);
      await closedLoop(fresh.length, 16, async (i) => fresh[i]!.connect());
      const connectSeconds = (performance.now() - connectStarted) / 1000;
      for (const sim of fresh) sim.start(HEARTBEAT_MS, Math.random() * HEARTBEAT_MS);
      const onlineStarted = performance.now();
      let online = 0;
      while (performance.now() - onlineStarted < ONLINE_WAIT_MS) {
        online = await onlineCount();
        if (online === size) break;
        await sleep(2_000);
      }
      const onlineSeconds = (performance.now() - onlineStarted) / 1000;
      const common = {
        nodes: size,
        requested: target,
        expectedPerSecond: round(size / (HEARTBEAT_MS / 1000)),
        enrollPerSecond: round((size - from) / enrollSeconds),
        connectSeconds: round(connectSeconds),
        onlineSeconds: round(onlineSeconds),
        loadAvg1m: round(loadavg()[0]!, 2),
      };
      if (online < size) {
        fleet.push({
          ...common,
          online,
          produceErrors: sims.reduce((sum, s) => sum + s.produceErrors, 0),
          rssMib: rss.sample(),
          rssPeakMib: rss.phasePeakMib(),
          workerRssMib: rssMib(),
          stoppedBecause: `only ${online} of ${size} nodes online after ${Math.round(onlineSeconds)} s`,
        });
        break;
      }
      rss.phasePeakMib();
      const windowFrom = Date.now();
      await sleep(WINDOW_MS);
      const windowTo = Date.now();
      online = await onlineCount();
      // Heartbeats sent near the end of the window get this long to be applied before counting.
      await sleep(Math.min(HEARTBEAT_MS, 5_000));
      const window = heartbeatWindow(
        sims,
        appliedHeartbeats(dbFile, windowFrom - HEARTBEAT_MS),
        windowFrom,
        windowTo,
      );
      const step: FleetStep = {
        ...common,
        online,
        ...window,
        produceErrors: sims.reduce((sum, s) => sum + s.produceErrors, 0),
        rssMib: rss.sample(),
        rssPeakMib: rss.phasePeakMib(),
        workerRssMib: rssMib(),
        ...(window.applied < window.sent || window.lagP99Ms > HEARTBEAT_MS
          ? {
              stoppedBecause: `heartbeats fell behind (${window.applied}/${window.sent} applied, lag p99 ${window.lagP99Ms} ms)`,
            }
          : {}),
      };
      fleet.push(step);
      console.error(
        `[bench] ${size} nodes: ${online} online, ${window.appliedPerSecond} heartbeats/s applied ` +
          `(expected ${common.expectedPerSecond}), lag p50 ${window.lagP50Ms} p99 ${window.lagP99Ms} ms, RSS ${step.rssMib} MiB`,
      );
      if (step.stoppedBecause !== undefined || size < target) break;
    }
    const out = {
      connections: CONNECTIONS,
      durationS: DURATION_S,
      writes: WRITES,
      heartbeatS: HEARTBEAT_MS / 1000,
      windowS: WINDOW_MS / 1000,
      rssIdleMib,
      api,
      fleet,
      skipped,
      cpPeakRssMib: rss.lifetimePeakMib(),
      seconds: round((performance.now() - started) / 1000),
    };
    rss.stop();
    const file = env['BENCH_LOAD_OUT'];
    if (file) await writeFile(file, JSON.stringify(out));
    else console.log(JSON.stringify(out));
  } finally {
    await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
    await baselineServer?.terminate();
    await cp?.stop();
    // The simulated nodes' topics on the shared broker (their ACLs stay, as after the fault suite).
    const topics = nodes.flatMap((n) => [
      `jobs.${n.nodeId}`,
      `results.${n.nodeId}`,
      `heartbeats.${n.nodeId}`,
    ]);
    const admin = new RdkafkaTopicAdmin({
      kafka: controlPlaneKafka('bench-load-cleanup'),
      topics: { partitions: 1, replicationFactor: 1 },
      timeoutMs: 30_000,
    });
    await timeout(admin.deleteTopics(topics), 60_000, 'deleting the simulated nodes’ topics').catch(
      () => undefined,
    );
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}, 900_000);
