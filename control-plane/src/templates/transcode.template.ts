// transcode: an uploaded video re-encoded to a standard height (H.264/AAC).
import { TranscodeParamsSchema } from '@enclave/contracts';
import type { CompiledJob, JobTemplate } from './job-template.ts';
import { MINUTE_MS, gpuPreferredTask } from './requirements.ts';

/** 16:9 widths (even, as H.264 4:2:0 needs) for the offered heights. */
const WIDTH_FOR_HEIGHT = { 360: 640, 480: 854, 720: 1280, 1080: 1920 } as const;

export const transcodeTemplate: JobTemplate<'transcode'> = {
  id: 'transcode',
  version: 1,
  title: 'Transcode',
  description: 'Re-encodes an uploaded video to H.264/AAC at a standard height.',
  params: TranscodeParamsSchema,
  example: { source: 'example-1', height: 360 },
  compile(raw, context): CompiledJob {
    const params = TranscodeParamsSchema.parse(raw);
    const source = context.asset(params.source);
    return {
      title: `Transcode to ${params.height}p`,
      tasks: [
        {
          key: 'transcode',
          title: `Encode ${params.height}p`,
          deps: [],
          requirements: gpuPreferredTask,
          steps: [
            {
              step: 'video.transcode',
              params: {
                input: 'source',
                width: WIDTH_FOR_HEIGHT[params.height],
                height: params.height,
                output: 'transcoded',
              },
            },
          ],
          inputs: [{ name: 'source', from: { kind: 'asset', asset: source } }],
          outputs: [{ name: 'transcoded', mediaType: 'video/mp4', final: true }],
          sealed: {},
          timeoutMs: 120 * MINUTE_MS,
        },
      ],
    };
  },
};
