// The real agent ↔ control plane end to end on the single box (issue #5's acceptance): REST →
// control plane (child process) → Kafka → the real agent process (`enclave agent start`, CPU)
// → the real step library → outputs back over REST, every asset encrypted in transit and at rest.
// - transcode: an uploaded clip comes back as H.264/AAC 360p;
// - promo-video (the demo job of scripts/demo-job.sh): the three bundled stills and a script
//   become an MP4 that ffprobe reports as H.264 + AAC at 1280×720 lasting as long as the
//   voice-over (±0.5 s), with no face the detector can find although the astronaut has one;
// - the agent SIGKILLed mid-task: after the lease expires a second agent completes the task at
//   a higher epoch; the first, restarted, wipes the scratch the killed run left and holds nothing.
import {
  AssetListSchema,
  AssetSchema,
  JobDetailSchema,
  ProjectSchema,
  type JobDetail,
} from '@enclave/contracts';
import {
  ApiSession,
  bundledStills,
  DEMO_SCRIPT,
  runDemoJob,
  startSingleBox,
  type SingleBox,
} from '@enclave/devkit/appliance';
import { FaceDetector, memoryLogger, runPipeline, startNodeRuntime } from '@enclave/gpu-node';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..', '..');
// Ports of this suite (20600-20699, apart from the launcher test's): API, agent, private broker.
const ports = { apiPort: 20620, agentPort: 20621, kafkaPort: 20630 };
const FINISHED = ['succeeded', 'failed', 'cancelled'];

interface Probe {
  format: { duration?: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
}

function ffprobe(file: string): Probe {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      encoding: 'utf8',
    }),
  ) as Probe;
}

/** A 1280×720 H.264/AAC test clip. */
function makeClip(file: string, seconds: number): string {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440', '-t', String(seconds), '-c:v', 'libx264'],
    ...['-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file],
  ]);
  return file;
}

/** Packed RGB24 frames scaled to width×height (`vf` may pick frames, e.g. `fps=1,`). */
function rgbFrames(file: string, width: number, height: number, vf = ''): Buffer[] {
  const raw = execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-nostdin', '-i', file, '-vf', `${vf}scale=${width}:${height}`],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { maxBuffer: 512 << 20 },
  );
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let offset = 0; offset + size <= raw.length; offset += size)
    frames.push(raw.subarray(offset, offset + size));
  return frames;
}

/** The voice-over the template's voice task makes from this script, made here the same way. */
async function voiceOverSeconds(scratch: string, script: string): Promise<number> {
  const runtime = await startNodeRuntime({ scratchRoot: scratch, logger: memoryLogger() });
  const task = await runtime.openTask('voice-reference');
  try {
    await task.files.write('script', 'text/plain', script);
    await runPipeline(
      [{ step: 'tts.espeak', params: { textField: 'script', voice: 'en-gb', output: 'voiceover' } }],
      task.context(() => undefined),
      new AbortController().signal,
    );
    return Number(ffprobe(task.files.pathFor('voiceover', 'audio/wav')).format.duration);
  } finally {
    await task.wipe();
  }
}

const PLAINTEXT_MARKER = 'zebra-quokka-plaintext-marker-5c1f';

/** Every regular file under `root` whose raw bytes contain `needle`. */
async function filesContaining(root: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    // A live broker or database may delete a file between the listing and the read.
    const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    });
    if (content.includes(bytes)) found.push(file);
  }
  return found;
}

let dir: string;
let box: SingleBox | undefined;

function account(role: 'producer' | 'it-admin') {
  return box!.demo.accounts.find((a) => a.role === role)!;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/** As the producer: a project, the clip uploaded into it, a transcode job to 360p. */
async function submitTranscode(producer: ApiSession, clip: string, key: string) {
  const project = await producer.call('POST', '/api/v1/projects', { name: key });
  const projectId = ProjectSchema.parse(project.json).projectId;
  const uploaded = await producer.call(
    'POST',
    `/api/v1/projects/${projectId}/assets?name=clip.mp4`,
    await readFile(clip),
    { 'content-type': 'video/mp4' },
  );
  expect(uploaded.status).toBe(201);
  const submitted = await producer.call('POST', `/api/v1/projects/${projectId}/jobs`, {
    template: 'transcode',
    params: { source: AssetSchema.parse(uploaded.json).assetId, height: 360 },
    idempotencyKey: key,
  });
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(201);
  const jobId = JobDetailSchema.parse(submitted.json).jobId;
  const job = async (): Promise<JobDetail> =>
    JobDetailSchema.parse((await producer.call('GET', `/api/v1/jobs/${jobId}`)).json);
  return { projectId, job };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-box-e2e-'));
  box = await startSingleBox({
    devDir: join(dir, 'dev'),
    ...ports,
    // Short leases so that a killed node's task moves on within seconds.
    controlPlaneEnv: {
      ENCLAVE_SCHEDULER_TICK_MS: '500',
      ENCLAVE_SCHEDULER_LEASE_MS: '6000',
      ENCLAVE_SCHEDULER_NODE_LOST_MS: '10000',
    },
    agentDrainSeconds: 5,
    log: () => undefined,
  });
}, 300_000);

afterAll(async () => {
  await box?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the single box: REST → real agent → outputs (issue #5)', () => {
  it('transcode: an uploaded clip comes back, encrypted both ways, as H.264 + AAC 640×360', async () => {
    const current = box!;
    const producer = await ApiSession.signIn(current.url, current.caPem, account('producer'));
    const { projectId, job } = await submitTranscode(
      producer,
      makeClip(join(dir, 'clip.mp4'), 3),
      'transcode-1',
    );
    await until(async () => FINISHED.includes((await job()).state), 300_000);
    const done = await job();
    expect(done.state, JSON.stringify(done.tasks)).toBe('succeeded');
    expect(done.tasks.map((t) => t.nodeId)).toEqual([current.demo.nodeId]);

    const listed = await producer.call('GET', `/api/v1/projects/${projectId}/assets`);
    const output = AssetListSchema.parse(listed.json).items.find(
      (a) => a.origin === 'task' && a.mediaType === 'video/mp4',
    );
    expect(output?.taskId).toBe(done.tasks[0]!.taskId);
    const content = await producer.call('GET', `/api/v1/assets/${output!.assetId}/content`);
    expect(content.status).toBe(200);
    const outFile = join(dir, 'transcoded.mp4');
    await writeFile(outFile, content.body);
    const probe = ffprobe(outFile);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 640,
      height: 360,
    });
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    expect(Math.abs(Number(probe.format.duration) - 3)).toBeLessThan(0.5);
  }, 600_000);

  it('promo-video (the demo job): H.264 + AAC, 1280×720, as long as the voice-over, no face left, no plaintext at rest', async () => {
    const current = box!;
    const outFile = join(dir, 'promo.mp4');
    // Issue #6: a marker in the script and inside an uploaded still (bytes after the JPEG's end,
    // which decoders ignore) must appear nowhere in plaintext under the appliance's data
    // directories or the broker's log directory once the job is done.
    const script = `${DEMO_SCRIPT} ${PLAINTEXT_MARKER}.`;
    const stills = await bundledStills(REPO);
    const marked = join(dir, 'inputs', 'marked-still.jpg');
    await mkdir(dirname(marked), { recursive: true });
    await writeFile(marked, Buffer.concat([await readFile(stills[0]!), Buffer.from(PLAINTEXT_MARKER)]));
    const result = await runDemoJob({
      url: current.url,
      caPem: current.caPem,
      producer: account('producer'),
      stills: [marked, ...stills.slice(1)],
      script,
      outFile,
      timeoutMs: 8 * 60_000,
      log: () => undefined,
    });
    expect(result.job.state).toBe('succeeded');
    expect(result.job.tasks.every((t) => t.nodeId === current.demo.nodeId)).toBe(true);

    const probe = ffprobe(outFile);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 1280,
      height: 720,
    });
    expect(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name).toBe('aac');
    const voice = await voiceOverSeconds(join(dir, 'voice-scratch'), script);
    expect(Math.abs(Number(probe.format.duration) - voice)).toBeLessThan(0.5);

    const runtime = await startNodeRuntime({
      scratchRoot: join(dir, 'faces-scratch'),
      logger: memoryLogger(),
    });
    const detector = await FaceDetector.load(runtime.models, ['ssd']);
    const astronaut = rgbFrames(join(REPO, 'fixtures', 'stills', 'astronaut.jpg'), 512, 512);
    expect(
      await detector.detect(astronaut[0]!, 512, 512, { kind: 'ssd', minConfidence: 0.4 }),
    ).not.toHaveLength(0);
    const frames = rgbFrames(outFile, 1280, 720, 'fps=1,');
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const frame of frames) {
      expect(await detector.detect(frame, 1280, 720, { kind: 'ssd', minConfidence: 0.4 })).toEqual([]);
    }

    // The scan itself can fail: it finds the marker in the plaintext input we kept outside the
    // appliance, and it reads the broker's log segments raw (envelope types are clear text there).
    expect(await filesContaining(dirname(marked), PLAINTEXT_MARKER)).toEqual([marked]);
    expect(await filesContaining(join(dir, 'dev', 'kafka'), 'task.assign')).not.toEqual([]);
    expect(await filesContaining(join(dir, 'dev'), PLAINTEXT_MARKER)).toEqual([]);
  }, 600_000);

  it('SIGKILL of the agent mid-task: a second agent completes it at a higher epoch; the first, restarted, wipes its scratch and holds nothing', async () => {
    const current = box!;
    const first = current.demo.nodeId;
    const producer = await ApiSession.signIn(current.url, current.caPem, account('producer'));
    const admin = await ApiSession.signIn(current.url, current.caPem, account('it-admin'));
    const { job } = await submitTranscode(producer, makeClip(join(dir, 'long.mp4'), 40), 'failover-1');

    // The task is running on the only node and has written its scratch: the node dies with
    // everything it runs, leaving that scratch behind for the restarted agent to find.
    await until(async () => {
      const task = (await job()).tasks[0]!;
      if (task.state !== 'running' || task.nodeId !== first) return false;
      const left = await readdir(current.paths.agentScratchDir).catch(() => []);
      return left.length > 0;
    }, 120_000);
    const killed = current.agent;
    killed.killNow();
    await killed.exited;
    expect((await job()).state).toBe('running');

    // A second node takes the task over once the lease has expired, at a higher epoch.
    const second = 'local-node-2';
    await current.addAgent(second);
    await until(async () => FINISHED.includes((await job()).state), 480_000);
    const done = await job();
    expect(done.state, JSON.stringify(done.tasks)).toBe('succeeded');
    expect(done.tasks[0]!.nodeId).toBe(second);
    expect(done.tasks[0]!.epoch).toBeGreaterThan(1);

    // The first agent comes back: it wipes the scratch the killed run left and holds no task.
    current.restartAgent();
    await until(async () => (await admin.node(first))?.status === 'online', 120_000);
    expect((await admin.node(first))?.running).toEqual([]);
    expect(await readFile(current.paths.agentLog, 'utf8')).toContain('scratch.leftovers-wiped');
    expect(await readdir(current.paths.agentScratchDir)).toEqual([]);
  }, 900_000);
});
