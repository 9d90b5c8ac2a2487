// Inside the face worker: ffmpeg decodes the input to raw RGB24 on a pipe, every frame goes
// through the detector and is anonymised in JS, and a second ffmpeg encodes the frames (plus the
// input's audio, for video). Both ffmpeg processes inherit the worker's sandbox (network
// namespace, rlimits) and process group.
import { once } from 'node:events';
import type { ProcessRunner, RunningProcess } from '../process/process-runner.ts';
import { anonymiseFrame, type Rect } from './anonymise-frame.ts';
import type { FaceDetector } from './face-detector.ts';
import type { FacesJob, FacesWorkerConfig, FacesWorkerEvent } from './faces-worker-protocol.ts';
import { readFrames } from './frame-reader.ts';

function decoderArgs(job: FacesJob): string[] {
  const args = ['-v', 'error', '-nostdin', '-i', job.input, '-map', '0:v:0'];
  // Constant frame rate in and out, so the encoder's -framerate matches what it is fed.
  if (job.kind === 'video' && job.fps !== null) args.push('-fps_mode', 'cfr', '-r', String(job.fps));
  else args.push('-frames:v', '1');
  args.push('-vf', `scale=${job.width}:${job.height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  return args;
}

function encoderArgs(job: FacesJob, config: FacesWorkerConfig): string[] {
  const raw = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${job.width}x${job.height}`];
  if (job.kind === 'image') {
    // Re-encoding from pixels also drops EXIF (GPS, camera serials) from stills.
    return [
      '-v',
      'error',
      '-nostdin',
      ...raw,
      '-i',
      'pipe:0',
      '-frames:v',
      '1',
      '-q:v',
      '2',
      '-y',
      job.output,
    ];
  }
  return [
    ...['-v', 'error', '-nostdin', ...raw, '-framerate', String(job.fps ?? 25), '-i', 'pipe:0'],
    ...(job.hasAudio
      ? ['-i', job.input, '-map', '0:v:0', '-map', '1:a:0', '-c:a', 'aac', '-b:a', '160k']
      : []),
    ...config.videoEncoderArgs,
    ...['-map_metadata', '-1', '-movflags', '+faststart', '-shortest', '-y', job.output],
  ];
}

async function finished(child: RunningProcess, what: string): Promise<void> {
  const exit = await child.exited;
  if (exit.code !== 0) throw new Error(`${what} failed (exit ${exit.code ?? exit.signal ?? 'unknown'})`);
}

export interface JobResult {
  readonly frames: number;
  readonly faces: number;
  readonly framesWithFaces: number;
}

export async function anonymiseMedia(
  runner: ProcessRunner,
  env: Readonly<Record<string, string>>,
  detector: FaceDetector,
  config: FacesWorkerConfig,
  index: number,
  emit: (event: FacesWorkerEvent) => void,
): Promise<JobResult> {
  const job = config.jobs[index] as FacesJob;
  const decoder = runner.start({ command: config.ffmpeg, args: decoderArgs(job), env });
  const encoder = runner.start({
    command: config.ffmpeg,
    args: encoderArgs(job, config),
    env,
    stdin: 'pipe',
  });
  const stdin = encoder.stdin;
  if (stdin === null) throw new Error('encoder has no stdin');
  decoder.stderr.resume();
  encoder.stdout.resume();
  encoder.stderr.pipe(process.stderr);
  let frames = 0;
  let faces = 0;
  let framesWithFaces = 0;
  let held: Rect[] = [];
  const history: Rect[][] = [];
  for await (const frame of readFrames(decoder.stdout, job.width * job.height * 3)) {
    const boxes = await detector.detect(frame, job.width, job.height, {
      kind: config.detector,
      minConfidence: config.minConfidence,
    });
    anonymiseFrame(frame, job.width, job.height, [...boxes, ...held], config);
    history.push(boxes);
    if (history.length > config.holdFrames) history.shift();
    held = config.holdFrames === 0 ? [] : history.flat();
    frames += 1;
    faces += boxes.length;
    if (boxes.length > 0) framesWithFaces += 1;
    if (!stdin.write(frame)) await once(stdin, 'drain');
    emit({ event: 'frame', job: index, frame: frames, faces: boxes.length });
  }
  stdin.end();
  await finished(decoder, 'decoding');
  await finished(encoder, 'encoding');
  if (frames === 0) throw new Error('the input decoded to no frames');
  return { frames, faces, framesWithFaces };
}
