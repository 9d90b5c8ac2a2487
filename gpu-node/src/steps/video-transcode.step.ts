// video.transcode: any video task file → H.264/AAC MP4, optionally resized (letterboxed or
// cropped) and re-timed. NVENC when a GPU is present.
import type { z } from 'zod';
import { TaskFailureCode, TranscodeStepParamsSchema } from '@enclave/contracts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { AAC_ARGS, MP4_TAIL_ARGS, chooseH264Encoder, h264Args } from '../media/video-encoder.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';
import { fitFilter } from './video-compose.step.ts';

export type TranscodeParams = z.infer<typeof TranscodeStepParamsSchema>;

export const videoTranscodeStep = defineStep<TranscodeParams>({
  name: 'video.transcode',
  needs: 'gpu-preferred',
  summary: 'Any video → H.264/AAC MP4, optionally resized and re-timed (NVENC with a GPU, else libx264)',
  params: TranscodeStepParamsSchema,
  files: (p) => ({ inputs: [p.input], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const input = await ctx.files.require(p.input);
    const info = await probeMedia(ctx, input.path, signal);
    if (info.video === null) throw hardError(TaskFailureCode.INVALID_PARAMS, 'video.transcode needs a video');
    const filters: string[] = [];
    if (p.width !== undefined && p.height !== undefined) {
      filters.push(fitFilter({ width: p.width, height: p.height, crop: p.crop }), 'setsar=1');
    }
    if (p.fps !== undefined) filters.push(`fps=${p.fps}`);
    const temp = ctx.files.tempPathFor(p.output, 'video/mp4');
    try {
      await runFfmpeg(ctx, {
        args: [
          ...['-i', input.path, '-map', '0:v:0', '-map', '0:a:0?'],
          ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
          ...h264Args(chooseH264Encoder(ctx.hardware), p.fps ?? info.video.fps ?? undefined),
          ...AAC_ARGS,
          ...MP4_TAIL_ARGS,
          temp,
        ],
        stage: 'transcode',
        expectedDurationSeconds: info.durationSeconds,
        progress: (f) => ctx.progress(f),
        signal,
      });
      await ctx.files.commit(temp, p.output, 'video/mp4');
    } finally {
      await ctx.files.discard(temp);
    }
  },
});
