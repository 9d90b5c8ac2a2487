// video.compose: stills and/or footage laid end to end, each for an equal share of the
// voice-over, fitted to the frame (letterboxed, or cropped at an anchor), with the voice-over as
// AAC → H.264/AAC MP4 (faststart). The output lasts exactly as long as the voice-over, or
// `durationSeconds` when the task has no audio layer (then the audio track is silence).
import type { z } from 'zod';
import { ComposeParamsSchema, TaskFailureCode } from '@enclave/contracts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { AAC_ARGS, MP4_TAIL_ARGS, chooseH264Encoder, h264Args } from '../media/video-encoder.ts';
import { mediaKind } from '../pipeline/media-types.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';
import type { TaskFile } from '../pipeline/task-files.ts';

export type ComposeParams = z.infer<typeof ComposeParamsSchema>;

/** Scales a layer into W×H: letterboxed, or filled and cropped at the anchor. */
export function fitFilter(p: Pick<ComposeParams, 'width' | 'height' | 'crop'>): string {
  const { width: w, height: h, crop } = p;
  if (crop === undefined) {
    return `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`;
  }
  return `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h}:(iw-${w})*${crop.x}:(ih-${h})*${crop.y}`;
}

/** Frames per visual layer: equal shares of the total, summing exactly to it. */
export function frameShares(totalFrames: number, layers: number): number[] {
  return Array.from(
    { length: layers },
    (_, i) => Math.floor((totalFrames * (i + 1)) / layers) - Math.floor((totalFrames * i) / layers),
  );
}

export function composeArgs(
  visuals: readonly TaskFile[],
  audio: TaskFile | null,
  durationSeconds: number,
  p: ComposeParams,
  encoderArgs: readonly string[],
  output: string,
): string[] {
  const totalFrames = Math.max(1, Math.round(durationSeconds * p.fps));
  const shares = frameShares(totalFrames, visuals.length);
  const inputs: string[] = [];
  const chains: string[] = [];
  visuals.forEach((file, i) => {
    const seconds = ((shares[i] as number) / p.fps + 1).toFixed(3); // a second spare; trimmed by frame count
    if (mediaKind(file.mediaType) === 'image') inputs.push('-loop', '1', '-framerate', String(p.fps));
    else inputs.push('-stream_loop', '-1');
    inputs.push('-t', seconds, '-i', file.path);
    chains.push(
      `[${i}:v]${fitFilter(p)},setsar=1,fps=${p.fps},format=yuv420p,trim=end_frame=${shares[i]},setpts=PTS-STARTPTS[v${i}]`,
    );
  });
  if (audio === null)
    inputs.push('-f', 'lavfi', '-t', durationSeconds.toFixed(3), '-i', 'anullsrc=r=48000:cl=mono');
  else inputs.push('-i', audio.path);
  const concat = `${visuals.map((_, i) => `[v${i}]`).join('')}concat=n=${visuals.length}:v=1:a=0[v]`;
  return [
    ...inputs,
    ...['-filter_complex', [...chains, concat].join(';'), '-map', '[v]', '-map', `${visuals.length}:a:0`],
    ...encoderArgs,
    ...AAC_ARGS,
    ...['-t', durationSeconds.toFixed(3), ...MP4_TAIL_ARGS, output],
  ];
}

export const videoComposeStep = defineStep<ComposeParams>({
  name: 'video.compose',
  needs: 'gpu-preferred',
  summary:
    'Stills/footage + voice-over → H.264/AAC MP4 at the voice-over length (NVENC with a GPU, else libx264)',
  params: ComposeParamsSchema,
  files: (p) => ({ inputs: p.layers, outputs: [p.output] }),
  async run(ctx, p, signal) {
    const files = await Promise.all(p.layers.map((name) => ctx.files.require(name)));
    const visuals = files.filter((f) => ['image', 'video'].includes(mediaKind(f.mediaType)));
    const audios = files.filter((f) => mediaKind(f.mediaType) === 'audio');
    if (visuals.length === 0 || audios.length > 1 || visuals.length + audios.length !== files.length) {
      throw hardError(
        TaskFailureCode.INVALID_PARAMS,
        'video.compose takes images/videos and at most one audio layer',
      );
    }
    const audio = audios[0] ?? null;
    const duration =
      audio === null ? p.durationSeconds : (await probeMedia(ctx, audio.path, signal)).durationSeconds;
    if (duration === undefined || duration === null || duration <= 0) {
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'video.compose needs a voice-over or durationSeconds');
    }
    const temp = ctx.files.tempPathFor(p.output, 'video/mp4');
    const encoder = chooseH264Encoder(ctx.hardware);
    try {
      await runFfmpeg(ctx, {
        args: composeArgs(visuals, audio, duration, p, h264Args(encoder, p.fps), temp),
        stage: 'compose',
        expectedDurationSeconds: duration,
        progress: (f) => ctx.progress(f),
        signal,
      });
      await ctx.files.commit(temp, p.output, 'video/mp4');
    } finally {
      await ctx.files.discard(temp);
    }
    ctx.log.info('video.compose.done', {
      layers: visuals.length,
      durationMs: Math.round(duration * 1000),
      nvenc: encoder === 'h264_nvenc',
    });
  },
});
