// npm run bench:gpu-node — the node runtime on CPU (issue #5), each figure against a plain
// ffmpeg baseline measured in the same run:
//
// 1. promo-video at 720p: three stills + a two-sentence script through the full step library
//    (tts.espeak → captions.srt → faces.anonymise → video.compose → captions.burn-in →
//    video.thumbnail, every tool in the sandbox) — seconds of output per wall-clock second —
//    against one plain ffmpeg command composing the same stills and the same voice-over at
//    720p (no faces, no captions, no sandbox).
// 2. faces.anonymise on a 720p/25 fps clip with a face in every frame, SSD and tiny detector —
//    frames per second end to end (worker start and model load included) and in steady state
//    (first to last frame) — against ffmpeg decoding the same frames to RGB and re-encoding them.
//    Also the detector alone, in this process, per 720p frame.
// 3. peak RSS of the whole process tree (this process + step processes), from /proc, for the
//    runs and for their baselines (the baselines' trees are this process + ffmpeg).
//
// Knobs: BENCH_PROMO_ROUNDS (default 3), BENCH_FACES_SECONDS (default 3, at 25 fps).
// Last lines: `RESULT gpu-node-promo {json}` and a one-line summary.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FaceDetector,
  processRunner,
  runPipeline,
  runStep,
  silentLogger,
  startNodeRuntime,
  type NodeRuntime,
  type StepRun,
} from '@enclave/gpu-node';
import type { StepSpec } from '@enclave/contracts';
import { treeRssMib, withPeakTreeRss } from './gpu-node-rss.ts';

const rounds = Number(process.env['BENCH_PROMO_ROUNDS'] ?? 3);
const faceSeconds = Number(process.env['BENCH_FACES_SECONDS'] ?? 3);
const STILLS = ['astronaut', 'coffee', 'chelsea'].map((n) =>
  join(import.meta.dirname, '../fixtures/stills', `${n}.jpg`),
);
const SCRIPT =
  'Meet the crew that takes coffee seriously, even in orbit. Every frame is made on our own hardware.';
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };
const never = new AbortController().signal;

const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = async (work: () => Promise<unknown>) => {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
};

async function tool(command: string, args: string[]): Promise<string> {
  const result = await processRunner.run({ command, args, env: ENV, stdoutLimitBytes: 1 << 20 });
  if (result.code !== 0) throw new Error(`${command} failed: ${result.stderrTail}`);
  return result.stdout.toString('utf8');
}
/** Fixed argument runs written as one string (none of them contains a space). */
const words = (text: string) => text.split(' ');
const ffmpeg = (args: string[]) => tool('ffmpeg', [...words('-hide_banner -nostdin -y -v error'), ...args]);
const duration = async (path: string) =>
  Number(await tool('ffprobe', [...words('-v error -show_entries format=duration -of csv=p=0'), path]));

/** The baseline: one ffmpeg command, same stills, same voice-over, same 720p H.264/AAC target. */
async function plainCompose(voice: string, out: string, length: number): Promise<void> {
  const share = (length / STILLS.length).toFixed(3);
  const fit = [
    'scale=1280:720:force_original_aspect_ratio=decrease',
    'pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p',
  ].join(',');
  const chains = STILLS.map((_, i) => `[${i}:v]${fit}[v${i}]`);
  const graph = `${chains.join(';')};${STILLS.map((_, i) => `[v${i}]`).join('')}concat=n=3:v=1:a=0[v]`;
  await ffmpeg([
    ...STILLS.flatMap((still) => [...words('-loop 1 -framerate 25 -t'), share, '-i', still]),
    ...['-i', voice, '-filter_complex', graph, ...words('-map [v] -map 3:a')],
    ...words('-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 160k -ar 48000'),
    ...['-t', length.toFixed(3), '-movflags', '+faststart', out],
  ]);
}

/** ffmpeg alone on the face clip's frames: decode, to RGB and back, encode as the step does. */
async function plainDecodeEncode(clip: string, out: string): Promise<void> {
  await ffmpeg([
    ...['-i', clip, '-vf', 'format=rgb24,format=yuv420p'],
    ...words('-c:v libx264 -preset veryfast -crf 23 -c:a aac'),
    out,
  ]);
}

/** A 720p/25 clip with the astronaut's face drifting across a grey frame, and a tone. */
async function faceClip(out: string, frames: number): Promise<void> {
  await ffmpeg([
    ...words('-f lavfi -i color=c=gray:s=1280x720:r=25 -loop 1 -i'),
    STILLS[0]!,
    ...words('-f lavfi -i sine=frequency=440:sample_rate=48000 -filter_complex'),
    "[1:v]scale=-2:600[fg];[0:v][fg]overlay=x='40+t*150':y=60,format=yuv420p[v]",
    ...words('-map [v] -map 2:a -frames:v'),
    String(frames),
    ...['-t', String(frames / 25), ...words('-c:v libx264 -preset veryfast -c:a aac'), out],
  ]);
}

/** The detector alone, in this process: mean ms per 720p frame over 10 frames, after a warm-up. */
async function detectorMs(runtime: NodeRuntime, clip: string): Promise<Record<'ssd' | 'tiny', number>> {
  const detector = await FaceDetector.load(runtime.models, ['ssd', 'tiny']);
  const rgb = await processRunner.run({
    command: 'ffmpeg',
    args: ['-v', 'error', '-i', clip, ...words('-frames:v 10 -f rawvideo -pix_fmt rgb24 pipe:1')],
    env: ENV,
    stdoutLimitBytes: 64 << 20,
  });
  const size = 1280 * 720 * 3;
  const frame = (f: number) => rgb.stdout.subarray(f * size, (f + 1) * size);
  const ms = { ssd: 0, tiny: 0 };
  for (const kind of ['ssd', 'tiny'] as const) {
    await detector.detect(frame(0), 1280, 720, { kind, minConfidence: 0.4 });
    const t0 = performance.now();
    for (let f = 0; f < 10; f++) await detector.detect(frame(f), 1280, 720, { kind, minConfidence: 0.4 });
    ms[kind] = (performance.now() - t0) / 10;
  }
  return ms;
}

async function promoRound(runtime: NodeRuntime, id: string, keepVoice: string) {
  const task = await runtime.openTask(id);
  try {
    await task.files.write('script', 'text/plain', SCRIPT);
    for (const [i, still] of STILLS.entries())
      await copyFile(still, task.files.pathFor(`still${i + 1}`, 'image/jpeg'));
    const steps: StepSpec[] = [
      { step: 'tts.espeak', params: {} },
      { step: 'captions.srt', params: {} },
      { step: 'faces.anonymise', params: { files: ['still1', 'still2', 'still3'] } },
      {
        step: 'video.compose',
        params: { layers: ['still1', 'still2', 'still3', 'voiceover'], width: 1280, height: 720 },
      },
      { step: 'captions.burn-in', params: {} },
      { step: 'video.thumbnail', params: {} },
    ];
    const t0 = performance.now();
    const run = await withPeakTreeRss(() => runPipeline(steps, task.context(), never));
    const wall = (performance.now() - t0) / 1000;
    const output = await duration(task.files.pathFor('video', 'video/mp4'));
    await copyFile(task.files.pathFor('voiceover', 'audio/wav'), keepVoice);
    return { wall, output, steps: run.result.steps, peakMib: run.peakMib };
  } finally {
    await task.wipe();
  }
}

async function facesRun(runtime: NodeRuntime, clip: string, detector: 'ssd' | 'tiny', frames: number) {
  const task = await runtime.openTask(`faces-${detector}`);
  try {
    await copyFile(clip, task.files.pathFor('clip', 'video/mp4'));
    const stamps: number[] = [];
    const t0 = performance.now();
    const run = await withPeakTreeRss(() =>
      runStep(
        { step: 'faces.anonymise', params: { files: ['clip'], detector } },
        { ...task.context(), progress: () => stamps.push(performance.now()) },
        never,
      ),
    );
    const wall = (performance.now() - t0) / 1000;
    const steady =
      stamps.length > 1
        ? (stamps.length - 1) / (((stamps.at(-1) as number) - (stamps[0] as number)) / 1000)
        : 0;
    return { fps: frames / wall, steadyFps: steady, peakMib: run.peakMib };
  } finally {
    await task.wipe();
  }
}

const work = await mkdtemp(join(tmpdir(), 'enclave-bench-gpu-node-'));
try {
  const runtime = await startNodeRuntime({ scratchRoot: join(work, 'scratch'), logger: silentLogger });
  const voice = join(work, 'voiceover.wav');
  // This process alone, runtime started, before any step ran: part of every tree figure below.
  const idleMib = treeRssMib();

  // 1. promo-video vs plain ffmpeg compose
  const promo: { wall: number; output: number; steps: StepRun[]; peakMib: number }[] = [];
  const baseline: number[] = [];
  let baselinePeakMib = 0;
  for (let i = 0; i < rounds; i++) {
    promo.push(await promoRound(runtime, `promo-${i}`, voice));
    const length = await duration(voice);
    const plain = await withPeakTreeRss(() =>
      seconds(() => plainCompose(voice, join(work, 'plain.mp4'), length)),
    );
    baseline.push(length / plain.result);
    baselinePeakMib = Math.max(baselinePeakMib, plain.peakMib);
    const last = promo.at(-1)!;
    console.log(
      `round ${i + 1}: promo ${last.output.toFixed(2)} s of video in ${last.wall.toFixed(2)} s; plain compose ${baseline.at(-1)!.toFixed(2)} s/s`,
    );
  }
  const promoRate = median(promo.map((p) => p.output / p.wall));
  const baselineRate = median(baseline);
  const stepMs = Object.fromEntries(
    (promo[0]?.steps ?? []).map((s) => [
      s.step,
      median(promo.map((p) => p.steps.find((x) => x.step === s.step)!.durationMs)),
    ]),
  );

  // 2. faces at 720p vs plain decode+encode of the same frames
  const frames = Math.round(faceSeconds * 25);
  const clip = join(work, 'faces.mp4');
  await faceClip(clip, frames);
  const plainFaces = await withPeakTreeRss(() =>
    seconds(() => plainDecodeEncode(clip, join(work, 'plain.mp4'))),
  );
  const plainFps = frames / plainFaces.result;
  const ssd = await facesRun(runtime, clip, 'ssd', frames);
  const tiny = await facesRun(runtime, clip, 'tiny', frames);
  const detectMs = await detectorMs(runtime, clip);

  const result = {
    cpu: cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'unknown',
    cores: cpus().length,
    load_avg_1m: round2(loadavg()[0] ?? 0),
    node: process.version,
    rounds,
    promo_output_s: round2(median(promo.map((p) => p.output))),
    promo_wall_s: round2(median(promo.map((p) => p.wall))),
    promo_output_s_per_wall_s: round2(promoRate),
    baseline_plain_compose_output_s_per_wall_s: round2(baselineRate),
    ratio_promo_vs_plain_compose: round2(promoRate / baselineRate),
    promo_step_ms: stepMs,
    bench_process_idle_rss_mib: Math.round(idleMib),
    promo_peak_tree_rss_mib: Math.round(Math.max(...promo.map((p) => p.peakMib))),
    baseline_plain_compose_peak_tree_rss_mib: Math.round(baselinePeakMib),
    faces_frames: frames,
    faces_ssd_fps: round2(ssd.fps),
    faces_ssd_steady_fps: round2(ssd.steadyFps),
    faces_tiny_fps: round2(tiny.fps),
    faces_tiny_steady_fps: round2(tiny.steadyFps),
    baseline_plain_decode_encode_fps: round2(plainFps),
    ratio_faces_ssd_vs_plain: round2(ssd.fps / plainFps),
    ratio_faces_tiny_vs_plain: round2(tiny.fps / plainFps),
    detector_only_ms_per_720p_frame: { ssd: round2(detectMs.ssd), tiny: round2(detectMs.tiny) },
    faces_ssd_peak_tree_rss_mib: Math.round(ssd.peakMib),
    faces_tiny_peak_tree_rss_mib: Math.round(tiny.peakMib),
    baseline_plain_decode_encode_peak_tree_rss_mib: Math.round(plainFaces.peakMib),
  };
  console.log(`RESULT gpu-node-promo ${JSON.stringify(result)}`);
  console.log(
    [
      `promo_s_per_s=${result.promo_output_s_per_wall_s}`,
      `plain_s_per_s=${result.baseline_plain_compose_output_s_per_wall_s}`,
      `ratio=${result.ratio_promo_vs_plain_compose}`,
      `faces_ssd_fps=${result.faces_ssd_fps}`,
      `faces_tiny_fps=${result.faces_tiny_fps}`,
      `plain_fps=${result.baseline_plain_decode_encode_fps}`,
    ].join(' '),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
