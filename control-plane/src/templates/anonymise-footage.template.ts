// anonymise-footage: an uploaded video → every detected face blurred, same size and audio.
import { AnonymiseFootageParamsSchema } from '@enclave/contracts';
import type { CompiledJob, JobTemplate } from './job-template.ts';
import { MINUTE_MS, cpuTask } from './requirements.ts';

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
          requirements: cpuTask,
          steps: [
            {
              step: 'faces.anonymise',
              // Rewrites the file in place; `fast` is the tiny detector, which misses some faces.
              params: { files: ['footage'], detector: params.detector === 'fast' ? 'tiny' : 'ssd' },
            },
            { step: 'video.thumbnail', params: { input: 'footage', output: 'thumbnail' } },
          ],
          inputs: [{ name: 'footage', from: { kind: 'asset', asset: footage } }],
          outputs: [
            { name: 'footage', mediaType: 'video/mp4', final: true },
            { name: 'thumbnail', mediaType: 'image/jpeg', final: true },
          ],
          sealed: {},
          timeoutMs: 120 * MINUTE_MS,
        },
      ],
    };
  },
};
