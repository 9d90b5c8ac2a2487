// video.thumbnail: one JPEG frame from a video (or image), scaled to a width.
import type { z } from 'zod';
import { TaskFailureCode, ThumbnailParamsSchema } from '@enclave/contracts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';

export type ThumbnailParams = z.infer<typeof ThumbnailParamsSchema>;

export const videoThumbnailStep = defineStep<ThumbnailParams>({
  name: 'video.thumbnail',
  needs: 'cpu',
  summary: 'One JPEG frame of a video at a fraction of its duration, scaled to a width',
  params: ThumbnailParamsSchema,
  files: (p) => ({ inputs: [p.input], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const input = await ctx.files.require(p.input);
    const info = await probeMedia(ctx, input.path, signal);
    if (info.video === null)
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'video.thumbnail needs a video or image');
    // Keep clear of the very end, where a seek can land past the last frame.
    const at = Math.max(0, Math.min(p.at * (info.durationSeconds ?? 0), (info.durationSeconds ?? 0) - 0.2));
    const temp = ctx.files.tempPathFor(p.output, 'image/jpeg');
    try {
      await runFfmpeg(ctx, {
        args: [
          ...['-ss', at.toFixed(3), '-i', input.path, '-map', '0:v:0', '-frames:v', '1'],
          ...['-vf', `scale=${p.width}:-2`, '-q:v', '3', '-map_metadata', '-1', temp],
        ],
        stage: 'thumbnail',
        expectedDurationSeconds: null,
        signal,
      });
      await ctx.files.commit(temp, p.output, 'image/jpeg');
    } finally {
      await ctx.files.discard(temp);
    }
    ctx.progress(1);
  },
});
