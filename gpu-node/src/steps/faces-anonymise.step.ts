// faces.anonymise: every face in the named stills and videos detected (face-api, SSD
// MobileNet v1 by default) and pixelated, frame by frame, in place: the anonymised file replaces
// the original under the same name, so no later step can pick up the unblurred one. The work
// happens in the face worker process, inside the sandbox; see faces/faces-worker.ts.
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { FacesParamsSchema, TaskFailureCode } from '@enclave/contracts';
import type { FacesJob, FacesWorkerConfig } from '../faces/faces-worker-protocol.ts';
import { parseWorkerEvent } from '../faces/faces-worker-protocol.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { exitError, startingTool } from '../media/tool-exit.ts';
import { chooseH264Encoder, h264Args } from '../media/video-encoder.ts';
import { mediaKind, type MediaType } from '../pipeline/media-types.ts';
import { hardError, softError } from '../pipeline/step-error.ts';
import { defineStep, type StepContext } from '../pipeline/step-types.ts';

const WORKER = fileURLToPath(new URL('../faces/faces-worker.ts', import.meta.url));
/** The worker exits with this when a model file fails the manifest check. */
const MODEL_INTEGRITY_EXIT = 3;

export type FacesParams = z.infer<typeof FacesParamsSchema>;

interface Planned {
  readonly name: string;
  readonly mediaType: MediaType;
  readonly job: FacesJob;
  readonly frames: number;
}

async function plan(ctx: StepContext, name: string, signal: AbortSignal): Promise<Planned> {
  const file = await ctx.files.require(name);
  const kind = mediaKind(file.mediaType);
  if (kind !== 'image' && kind !== 'video') {
    throw hardError(TaskFailureCode.INVALID_PARAMS, 'faces.anonymise takes images and videos');
  }
  const info = await probeMedia(ctx, file.path, signal);
  if (info.video === null)
    throw hardError(TaskFailureCode.INVALID_PARAMS, 'a faces.anonymise file has no picture');
  const fps = kind === 'video' ? (info.video.fps ?? 25) : null;
  const even = (n: number) => (kind === 'video' ? n - (n % 2) : n); // 4:2:0 needs even sizes
  const mediaType: MediaType = kind === 'video' ? 'video/mp4' : file.mediaType;
  const job: FacesJob = {
    kind,
    input: file.path,
    output: ctx.files.tempPathFor(name, mediaType),
    width: even(info.video.width),
    height: even(info.video.height),
    fps,
    hasAudio: info.audio !== null,
  };
  const frames = fps === null ? 1 : Math.max(1, Math.round((info.durationSeconds ?? 1) * fps));
  return { name, mediaType, job, frames };
}

export const facesAnonymiseStep = defineStep<FacesParams>({
  name: 'faces.anonymise',
  needs: 'cpu',
  summary: 'Detects faces in stills and videos (face-api on tfjs WASM) and pixelates them in place',
  params: FacesParamsSchema,
  files: (p) => ({ inputs: p.files, outputs: p.files }),
  async run(ctx, p, signal) {
    const planned: Planned[] = [];
    for (const name of p.files) planned.push(await plan(ctx, name, signal));
    const config: FacesWorkerConfig = {
      modelRoot: ctx.models.root,
      manifest: ctx.models.manifest,
      detector: p.detector,
      minConfidence: p.minConfidence,
      margin: p.margin,
      method: p.method,
      blocks: p.blocks,
      holdFrames: p.holdFrames,
      ffmpeg: ctx.tools.ffmpeg,
      videoEncoderArgs: h264Args(chooseH264Encoder(ctx.hardware)),
      jobs: planned.map((item) => item.job),
    };
    const totalFrames = planned.reduce((sum, item) => sum + item.frames, 0);
    const before = planned.map((_, i) => planned.slice(0, i).reduce((sum, item) => sum + item.frames, 0));
    let facesFound = 0;
    try {
      const result = await startingTool('node', () =>
        ctx.sandbox.run({
          command: ctx.tools.node,
          args: [WORKER, JSON.stringify(config)],
          workdir: ctx.workdir,
          // V8 reserves ~10 GiB of address space per WASM memory: no RLIMIT_AS for this process.
          limits: { addressSpaceBytes: null },
          signal,
          stdoutLimitBytes: 0,
          onStdoutLine: (line) => {
            const event = parseWorkerEvent(line);
            if (event?.event === 'frame') {
              ctx.progress(Math.min(1, ((before[event.job] ?? 0) + event.frame) / totalFrames));
            } else if (event?.event === 'done') facesFound += event.faces;
          },
        }),
      );
      if (result.code === MODEL_INTEGRITY_EXIT) {
        // This node's model files are wrong, not the task: another node may run it.
        throw softError(
          TaskFailureCode.INTERNAL,
          'a face model file failed its manifest check',
          result.stderrTail,
        );
      }
      const error = exitError('the face worker', 'face anonymisation', result);
      if (error !== null) throw error;
      for (const item of planned) await ctx.files.commit(item.job.output, item.name, item.mediaType);
    } finally {
      await ctx.files.discard(...planned.map((item) => item.job.output));
    }
    ctx.log.info('faces.anonymise.done', { files: planned.length, frames: totalFrames, faces: facesFound });
  },
});
