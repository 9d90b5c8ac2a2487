// transcode: an uploaded video re-encoded to a standard height (H.264/AAC).
import { TranscodeParamsSchema } from '@enclave/contracts';
import type { CompiledJob, JobTemplate } from './job-template.ts';
import { MINUTE_MS, gpuPreferredTask } from './requirements.ts';

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
                input: 'source.mp4',
                height: params.height,
                codec: params.codec,
                output: 'transcoded.mp4',
              },
            },
          ],
          inputs: [{ name: 'source.mp4', from: { kind: 'asset', asset: source } }],
          outputs: [{ name: 'transcoded.mp4', mediaType: 'video/mp4', final: true }],
          sealed: {},
          timeoutMs: 120 * MINUTE_MS,
        },
      ],
    };
  },
};
