// Benchmark of job dispatch (not a timed test): `scripts/node24 bench/dispatch.ts`.
// Jobs per second from REST to jobs.<node>, and p50/p99 submit → agent-ack (task.accepted
// applied) latency with 1, 10 and 100 scripted nodes, each against a raw node-rdkafka
// produce → consume loop over the same mTLS broker measured in the same run; RSS of the process
// that hosts the control plane. The measuring runs under vitest
// (control-plane/test/bench/dispatch.bench-run.ts, typechecked with the control plane), which compiles the control plane's decorators and provides the broker; this script starts
// it, prints its figures, and ends with a machine-readable `RESULT dispatch {json}` line.
import { loadavg } from 'node:os';
import { machineFigures, measureInVitest } from './run-in-vitest.ts';

// What control-plane/test/bench/dispatch.bench-run.ts writes (see its dispatch-*.ts helpers).
interface LoopFigures {
  count: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface EnclaveFigures {
  nodes: number;
  accepted: LoopFigures;
  submitReply: LoopFigures;
  assignPerSecond: number;
  enrollSeconds: number;
  rssBeforeMib: number;
  rssApplianceMib: number;
  rssAgentsMib: number;
  rssAfterMib: number;
}

interface Measured {
  jobs: number;
  concurrency: number;
  baselines: LoopFigures[];
  enclave: EnclaveFigures[];
  failures: { nodes: number; error: string }[];
  peakRssMib: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const loadBefore = loadavg()[0]!;
// node-rdkafka runs every blocking call (a consumer's consume with its 200 ms wait, connect,
// the relay's begin/commitTransaction) on libuv's thread pool, 4 threads by default. The worker
// hosts the control plane and every scripted agent's consumer (up to 100), which would hold
// all 4 threads and queue the control plane's own Kafka calls behind them: an artifact of
// putting the agents in the control plane's process, so the pool is sized for them.
const m = await measureInVitest<Measured>('vitest.dispatch.config.ts', 'BENCH_DISPATCH_OUT', '256');

const result: Record<string, unknown> = {
  ...machineFigures(loadBefore),
  jobs: m.jobs,
  concurrency: m.concurrency,
};
console.log(`dispatch: ${m.jobs} single-task transcode jobs per node count, ${m.concurrency} in flight`);
m.enclave.forEach((e, i) => {
  const b = m.baselines[i]!;
  const n = e.nodes;
  const ratios = {
    throughput: round(e.assignPerSecond / b.perSecond, 4),
    p50: round(e.accepted.p50Ms / b.p50Ms, 1),
    p99: round(e.accepted.p99Ms / b.p99Ms, 1),
  };
  console.log(
    `${n} node(s): ${e.assignPerSecond} jobs/s to jobs.<node> (baseline ${b.perSecond} msgs/s, ratio ${ratios.throughput}); ` +
      `submit→accepted p50 ${e.accepted.p50Ms} ms p99 ${e.accepted.p99Ms} ms (baseline p50 ${b.p50Ms} p99 ${b.p99Ms}; ` +
      `ratios ${ratios.p50} / ${ratios.p99}); submit reply p50 ${e.submitReply.p50Ms} ms p99 ${e.submitReply.p99Ms} ms; ` +
      `RSS ${e.rssBeforeMib} → ${e.rssApplianceMib} (appliance) → ${e.rssAgentsMib} (agents) → ${e.rssAfterMib} MiB`,
  );
  Object.assign(result, {
    [`n${n}_baseline_msgs_per_s`]: b.perSecond,
    [`n${n}_baseline_p50_ms`]: b.p50Ms,
    [`n${n}_baseline_p99_ms`]: b.p99Ms,
    [`n${n}_jobs_per_s`]: e.assignPerSecond,
    [`n${n}_accepted_per_s`]: e.accepted.perSecond,
    [`n${n}_accepted_p50_ms`]: e.accepted.p50Ms,
    [`n${n}_accepted_p99_ms`]: e.accepted.p99Ms,
    [`n${n}_submit_reply_p50_ms`]: e.submitReply.p50Ms,
    [`n${n}_submit_reply_p99_ms`]: e.submitReply.p99Ms,
    [`n${n}_ratio_throughput`]: ratios.throughput,
    [`n${n}_ratio_p50`]: ratios.p50,
    [`n${n}_ratio_p99`]: ratios.p99,
    [`n${n}_enroll_s`]: e.enrollSeconds,
    [`n${n}_rss_before_mib`]: e.rssBeforeMib,
    [`n${n}_rss_appliance_mib`]: e.rssApplianceMib,
    [`n${n}_rss_agents_mib`]: e.rssAgentsMib,
    [`n${n}_rss_after_mib`]: e.rssAfterMib,
  });
});
for (const f of m.failures) {
  console.log(`${f.nodes} node(s): FAILED — ${f.error}`);
  result[`n${f.nodes}_failed`] = f.error;
}
result['peak_rss_mib'] = m.peakRssMib;
result['rss_note'] = 'vitest worker RSS: control plane, scripted agents and baseline clients in one process';
console.log(`RESULT dispatch ${JSON.stringify(result)}`);
