// npm run bench:agent — the real agent on the single box (issue #5): its memory idle and busy,
// and promo-video throughput through the whole appliance (REST → control plane → Kafka → agent
// → steps → encrypted outputs), each against a baseline measured in the same run:
//
// - RSS idle: the agent process 10 s after its node came online, against a bare Node.js 24
//   process (`setInterval` only) — what Node itself costs.
// - RSS busy: the peak of the agent process alone, and of its whole process tree (step
//   processes: ffmpeg, espeak-ng, the face worker), sampled from /proc every 100 ms during the
//   demo job (scripts/demo-job.sh: three stills + a two-sentence script → 720p MP4).
// - promo-video through the appliance: seconds of output video per wall-clock second, from the
//   first upload to the downloaded MP4. Its baseline is the node runtime alone, measured by
//   `npm run bench:gpu-node` (not in this run): compare the two lines in docs/benchmarks.md.
//
// The appliance runs in a temp directory with a private broker (ports 20940/20941, Kafka 20950),
// so it disturbs neither `make up` nor the shared test broker; the broker start (~30 s) is not
// measured. Last lines: `RESULT agent-rss {json}` and a one-line summary.
import { bundledStills, DEMO_SCRIPT, runDemoJob, startSingleBox } from '@enclave/devkit/appliance';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withPeakTreeRss } from './gpu-node-rss.ts';

const repo = join(import.meta.dirname, '..');
const dir = await mkdtemp(join(tmpdir(), 'enclave-bench-agent-'));
const round1 = (x: number) => Math.round(x * 10) / 10;

async function processRssMib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function bareNodeRssMib(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(2_000);
    return await processRssMib(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

function durationSeconds(file: string): number {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
    {
      encoding: 'utf8',
    },
  );
  return Number(out.trim());
}

console.error('bench:agent: starting the single box (private broker) …');
const box = await startSingleBox({
  devDir: join(dir, 'dev'),
  apiPort: 20940,
  agentPort: 20941,
  kafkaPort: 20950,
  log: () => undefined,
});
try {
  const agentPid = box.agent.pid;
  await sleep(10_000);
  const idleAgentMib = await processRssMib(agentPid);
  const bareNodeMib = await bareNodeRssMib();

  let agentPeakMib = idleAgentMib;
  const sampler = setInterval(() => {
    processRssMib(agentPid).then(
      (mib) => (agentPeakMib = Math.max(agentPeakMib, mib)),
      () => undefined,
    );
  }, 100);
  const outFile = join(dir, 'promo.mp4');
  const stills = await bundledStills(repo);
  const started = performance.now();
  const { result, peakMib: treePeakMib } = await withPeakTreeRss(
    () =>
      runDemoJob({
        url: box.url,
        caPem: box.caPem,
        producer: box.demo.accounts.find((a) => a.role === 'producer')!,
        stills,
        script: DEMO_SCRIPT,
        outFile,
        log: () => undefined,
      }),
    100,
    agentPid,
  );
  const wallS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (result.job.state !== 'succeeded') throw new Error(`the demo job ended ${result.job.state}`);
  const outputS = durationSeconds(outFile);

  const figures = {
    cpu: cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
    cores: cpus().length,
    load_avg_1m: round1(loadavg()[0]!),
    node: process.version,
    bare_node_rss_mib: round1(bareNodeMib),
    agent_idle_rss_mib: round1(idleAgentMib),
    ratio_agent_idle_vs_bare_node: round1(idleAgentMib / bareNodeMib),
    agent_busy_peak_rss_mib: round1(agentPeakMib),
    agent_busy_peak_tree_rss_mib: round1(treePeakMib),
    promo_output_s: round1(outputS),
    promo_wall_s: round1(wallS),
    promo_output_s_per_wall_s: Math.round((outputS / wallS) * 100) / 100,
  };
  console.log(`RESULT agent-rss ${JSON.stringify(figures)}`);
  console.log(
    `agent_idle_rss_mib=${figures.agent_idle_rss_mib} bare_node_rss_mib=${figures.bare_node_rss_mib} ` +
      `agent_busy_peak_rss_mib=${figures.agent_busy_peak_rss_mib} agent_busy_peak_tree_rss_mib=${figures.agent_busy_peak_tree_rss_mib} ` +
      `promo_output_s_per_wall_s=${figures.promo_output_s_per_wall_s}`,
  );
} finally {
  await box.stop();
  await rm(dir, { recursive: true, force: true });
}
