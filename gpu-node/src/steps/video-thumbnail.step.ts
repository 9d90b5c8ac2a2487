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
    // Keep clear of the very end, where a seek can land past the last frame. A still (one
    // frame, 0.04 s in image2) comes out at 0: no -ss then, because ffmpeg drops the only frame
    // of an image after any input seek, even to 0, and exits 0 having written nothing.
    const at = Math.max(0, Math.min(p.at * (info.durationSeconds ?? 0), (info.durationSeconds ?? 0) - 0.2));
    const seek = at > 0 ? ['-ss', at.toFixed(3)] : [];
    const temp = ctx.files.tempPathFor(p.output, 'image/jpeg');
    try {
      await runFfmpeg(ctx, {
        args: [
          ...[...seek, '-i', input.path, '-map', '0:v:0', '-frames:v', '1'],
          // -update 1: one image to a plain file name (the image2 muxer wants a pattern otherwise).
          ...['-vf', `scale=${p.width}:-2`, '-q:v', '3', '-map_metadata', '-1', '-update', '1', temp],
        ],
        stage: 'thumbnail',
        expectedDurationSeconds: null,
        signal,
      });
      // ffmpeg exits 0 with "Output file is empty" when no frame reached the encoder.
      if (!(await ctx.files.exists(temp)))
        throw hardError(
          TaskFailureCode.INPUT_INTEGRITY,
          'video.thumbnail found no frame to take in the input',
        );
      await ctx.files.commit(temp, p.output, 'image/jpeg');
    } finally {
      await ctx.files.discard(temp);
    }
    ctx.progress(1);
  },
});
