// anonymise-footage: an uploaded video → every detected face blurred, same size and audio.
import { AnonymiseFootageParamsSchema } from '@enclave/contracts';
import type { CompiledJob, JobTemplate } from './job-template.ts';
import { MINUTE_MS, gpuPreferredTask } from './requirements.ts';

export const anonymiseFootageTemplate: JobTemplate<'anonymise-footage'> = {
  id: 'anonymise-footage',
  version: 1,
  title: 'Anonymise footage',
  description: 'Blurs every detected face in an uploaded video.',
  params: AnonymiseFootageParamsSchema,
  example: { footage: 'example-1' },
  compile(raw, context): CompiledJob {
    const params = AnonymiseFootageParamsSchema.parse(raw);
    const footage = context.asset(params.footage);
    return {
      title: 'Anonymised footage',
      tasks: [
        {
          key: 'anonymise',
          title: 'Blur faces',
          deps: [],
          requirements: gpuPreferredTask,
          steps: [
            {
              step: 'faces.anonymise',
              params: { video: 'footage.mp4', detector: params.detector, output: 'anonymised.mp4' },
            },
            { step: 'video.thumbnail', params: { video: 'anonymised.mp4', output: 'thumbnail.jpg' } },
          ],
          inputs: [{ name: 'footage.mp4', from: { kind: 'asset', asset: footage } }],
          outputs: [
            { name: 'anonymised.mp4', mediaType: 'video/mp4', final: true },
            { name: 'thumbnail.jpg', mediaType: 'image/jpeg', final: true },
          ],
          sealed: {},
          timeoutMs: 120 * MINUTE_MS,
        },
      ],
    };
  },
};
