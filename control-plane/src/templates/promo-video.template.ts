// promo-video: stills + a script → voice-over → timed captions → faces blurred → H.264/AAC MP4
// at 1280×720 with burned-in captions, and a thumbnail.
//
//   voice ──────────────┐
//                       ├──▶ render (compose, burn-in, thumbnail)
//   stills (faces) ─────┘      (stills is skipped when anonymiseFaces is false)
import { PromoVideoParamsSchema } from '@enclave/contracts';
import type { CompiledJob, CompiledTask, JobTemplate, TaskInput } from './job-template.ts';
import { MINUTE_MS, cpuTask, gpuPreferredTask } from './requirements.ts';

const stillName = (i: number) => `still_${String(i + 1).padStart(2, '0')}`;

export const promoVideoTemplate: JobTemplate<'promo-video'> = {
  id: 'promo-video',
  version: 1,
  title: 'Promo video',
  description: 'A 720p promo from stills and a script: voice-over, captions, faces blurred.',
  params: PromoVideoParamsSchema,
  example: {
    title: 'Spring launch',
    script: 'Meet the new collection. Made in Dubai.',
    stills: ['example-1', 'example-2', 'example-3'],
  },
  compile(raw, context): CompiledJob {
    const params = PromoVideoParamsSchema.parse(raw);
    const stills = params.stills.map((id, i) => ({ name: stillName(i), asset: context.asset(id) }));
    const stillNames = stills.map((s) => s.name);

    const voice: CompiledTask = {
      key: 'voice',
      title: 'Voice-over and captions',
      deps: [],
      requirements: cpuTask,
      steps: [
        {
          step: 'tts.espeak',
          params: { textField: 'script', voice: params.voice, output: 'voiceover' },
        },
        {
          step: 'captions.srt',
          params: { textField: 'script', audio: 'voiceover', output: 'captions' },
        },
      ],
      inputs: [],
      outputs: [
        { name: 'voiceover', mediaType: 'audio/wav', final: false },
        { name: 'captions', mediaType: 'application/x-subrip', final: true },
      ],
      sealed: { script: context.seal('script', params.script) },
      timeoutMs: 10 * MINUTE_MS,
    };

    const faces: CompiledTask | undefined = params.anonymiseFaces
      ? {
          key: 'stills',
          title: 'Blur faces in the stills',
          deps: [],
          requirements: cpuTask,
          steps: [{ step: 'faces.anonymise', params: { files: stillNames } }],
          inputs: stills.map((s) => ({ name: s.name, from: { kind: 'asset', asset: s.asset } })),
          outputs: stillNames.map((name) => ({ name, mediaType: 'image/jpeg', final: false })),
          sealed: {},
          timeoutMs: 20 * MINUTE_MS,
        }
      : undefined;

    const stillInputs: TaskInput[] = faces
      ? stillNames.map((name) => ({ name, from: { kind: 'task-output', task: 'stills', output: name } }))
      : stills.map((s) => ({ name: s.name, from: { kind: 'asset', asset: s.asset } }));

    const render: CompiledTask = {
      key: 'render',
      title: 'Compose, caption and encode',
      deps: faces ? ['voice', 'stills'] : ['voice'],
      requirements: gpuPreferredTask,
      steps: [
        {
          step: 'video.compose',
          // Stills in order, then the voice-over: its length sets each still's share.
          params: {
            layers: [...stillNames, 'voiceover'],
            width: 1280,
            height: 720,
            fps: 25,
            output: 'composed',
          },
        },
        {
          step: 'captions.burn-in',
          params: { video: 'composed', captions: 'captions', output: 'promo' },
        },
        { step: 'video.thumbnail', params: { input: 'promo', output: 'thumbnail' } },
      ],
      inputs: [
        { name: 'voiceover', from: { kind: 'task-output', task: 'voice', output: 'voiceover' } },
        { name: 'captions', from: { kind: 'task-output', task: 'voice', output: 'captions' } },
        ...stillInputs,
      ],
      outputs: [
        { name: 'promo', mediaType: 'video/mp4', final: true },
        { name: 'thumbnail', mediaType: 'image/jpeg', final: true },
      ],
      sealed: {},
      timeoutMs: 30 * MINUTE_MS,
    };

    return { title: params.title, tasks: faces ? [voice, faces, render] : [voice, render] };
  },
};
