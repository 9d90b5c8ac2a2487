// video.scene-cuts: where the picture changes abruptly (ffmpeg scdet), as a JSON task file:
// { "version": 1, "durationSeconds": 4, "threshold": 10, "cuts": [{ "timeSeconds": 2, "score": 15.6 }] }
import type { z } from 'zod';
import { SceneCutsParamsSchema, TaskFailureCode } from '@enclave/contracts';
import { parseSceneCuts } from '../media/ffmpeg-log.parser.ts';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { probeMedia } from '../media/ffprobe.ts';
import { hardError } from '../pipeline/step-error.ts';
import { defineStep } from '../pipeline/step-types.ts';

export type SceneCutsParams = z.infer<typeof SceneCutsParamsSchema>;

export const videoSceneCutsStep = defineStep<SceneCutsParams>({
  name: 'video.scene-cuts',
  needs: 'cpu',
  summary: 'Scene-change times and scores of a video (ffmpeg scdet) as JSON',
  params: SceneCutsParamsSchema,
  files: (p) => ({ inputs: [p.input], outputs: [p.output] }),
  async run(ctx, p, signal) {
    const input = await ctx.files.require(p.input);
    const info = await probeMedia(ctx, input.path, signal);
    if (info.video === null)
      throw hardError(TaskFailureCode.INVALID_PARAMS, 'video.scene-cuts needs a video');
    const lines: string[] = [];
    await runFfmpeg(ctx, {
      args: ['-i', input.path, '-map', '0:v:0', '-vf', `scdet=threshold=${p.threshold}`, '-f', 'null', '-'],
      stage: 'scene detection',
      expectedDurationSeconds: info.durationSeconds,
      progress: (f) => ctx.progress(f * 0.95),
      onStderrLine: (line) => {
        if (line.includes('lavfi.scd.')) lines.push(line);
      },
      signal,
    });
    const cuts = parseSceneCuts(lines);
    const report = { version: 1, durationSeconds: info.durationSeconds, threshold: p.threshold, cuts };
    await ctx.files.write(p.output, 'application/json', `${JSON.stringify(report, null, 2)}\n`);
    ctx.log.info('video.scene-cuts.done', { cuts: cuts.length });
    ctx.progress(1);
  },
});
