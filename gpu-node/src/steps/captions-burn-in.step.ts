// captions.burn-in: an SRT task file rendered into the video with libass (ffmpeg `subtitles`),
// in a DejaVu font from the node's own font directory. Audio is copied untouched.
import { relative } from 'node:path';
import type { z } from 'zod';
import { BurnInParamsSchema, TaskFailureCode } from '@enclave/contracts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { MP4_TAIL_ARGS, chooseH264Encoder, h264Args } from '../media/video-encoder.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';

export type BurnInParams = z.infer<typeof BurnInParamsSchema>;

/** libass lays SRT out on ffmpeg's default 384×288 script canvas: sizes are in those units. */
const SCRIPT_HEIGHT = 288;

export function subtitlesFilter(
  srtPath: string,
  fontsDir: string,
  frameHeight: number,
  p: BurnInParams,
): string {
  const scale = SCRIPT_HEIGHT / frameHeight;
  const style = [
    `FontName=${p.font}`,
    `FontSize=${(p.size * scale).toFixed(2)}`,
    `Outline=${p.outline ? (3 * scale).toFixed(2) : 0}`,
    'Shadow=0',
    'BorderStyle=1',
    `Alignment=${p.position === 'top' ? 8 : 2}`,
    `MarginV=${Math.round(frameHeight * 0.05 * scale)}`,
  ].join(',');
  // Paths are ours (scratch-relative, [A-Za-z0-9_/.-]); quoting guards the style's commas.
  return `subtitles=filename=${srtPath}:fontsdir=${fontsDir}:force_style='${style}'`;
}

export const captionsBurnInStep = defineStep<BurnInParams>({
  name: 'captions.burn-in',
  needs: 'gpu-preferred',
  summary: 'Burns an SRT task file into a video with libass (NVENC when a GPU is present)',
  params: BurnInParamsSchema,
  files: (p) => ({ inputs: [p.video, p.captions], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const video = await ctx.files.require(p.video);
    const captions = await ctx.files.require(p.captions);
    if (captions.mediaType !== 'application/x-subrip') {
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'captions.burn-in needs an SRT task file');
    }
    const info = await probeMedia(ctx, video.path, signal);
    if (info.video === null)
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'captions.burn-in needs a video');
    const temp = ctx.files.tempPathFor(p.output, 'video/mp4');
    const filter = subtitlesFilter(
      relative(ctx.workdir.dir, captions.path),
      ctx.tools.fontsDir,
      info.video.height,
      p,
    );
    try {
      await runFfmpeg(ctx, {
        args: [
          ...['-i', video.path, '-map', '0:v:0', '-map', '0:a?', '-vf', filter],
          ...h264Args(chooseH264Encoder(ctx.hardware), info.video.fps ?? undefined),
          ...['-c:a', 'copy', ...MP4_TAIL_ARGS, temp],
        ],
        stage: 'caption burn-in',
        expectedDurationSeconds: info.durationSeconds,
        progress: (f) => ctx.progress(f),
        signal,
      });
      await ctx.files.commit(temp, p.output, 'video/mp4');
    } finally {
      await ctx.files.discard(temp);
    }
    ctx.log.info('captions.burn-in.done', { height: info.video.height });
  },
});
