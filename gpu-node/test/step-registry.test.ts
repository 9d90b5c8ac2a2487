// The registry's start-up checks, the plan check over a whole task, and parameter validation.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StepSpec } from '@enclave/contracts';
import {
  StepError,
  StepRegistryError,
  createStepRegistry,
  defineStep,
  planPipeline,
  stepRegistry,
  supportedSteps,
  type AnyStepDefinition,
} from '../src/index.ts';
import { cpuOnly, withH200 } from './support/hardware.ts';

const step = (name: string, needs: 'cpu' | 'gpu' | 'gpu-preferred' = 'cpu'): AnyStepDefinition =>
  defineStep<{ input: string }>({
    name,
    needs,
    summary: 'test step',
    params: z.strictObject({ input: z.string().default('a') }),
    files: (p) => ({ inputs: [p.input], outputs: ['b'] }),
    run: () => Promise.resolve(),
  });

function planError(run: () => unknown): StepError {
  try {
    run();
  } catch (error) {
    if (error instanceof StepError) return error;
    throw error;
  }
  throw new Error('expected a StepError');
}

describe('createStepRegistry', () => {
  it('registers the shipped library: eight steps, each with a schema and an executor', () => {
    expect(stepRegistry.names).toEqual([
      'tts.espeak',
      'captions.srt',
      'captions.burn-in',
      'faces.anonymise',
      'video.compose',
      'video.transcode',
      'video.thumbnail',
      'video.scene-cuts',
    ]);
  });

  it('refuses a duplicate name, a bad name, a step without schema or executor', () => {
    expect(() => createStepRegistry([step('x.y'), step('x.y')])).toThrow(/registered twice/);
    expect(() => createStepRegistry([step('Video Compose')])).toThrow(/invalid step name/);
    expect(() => createStepRegistry([{ ...step('x.y'), params: {} as z.ZodType }])).toThrow(
      /no parameter schema/,
    );
    expect(() => createStepRegistry([{ ...step('x.y'), run: undefined as never }])).toThrow(
      StepRegistryError,
    );
  });

  it('offers GPU-only steps only on a node with a GPU', () => {
    const registry = createStepRegistry([
      step('a.cpu'),
      step('a.gpu', 'gpu'),
      step('a.pref', 'gpu-preferred'),
    ]);
    expect(supportedSteps(registry, cpuOnly)).toEqual(['a.cpu', 'a.pref']);
    expect(supportedSteps(registry, withH200)).toEqual(['a.cpu', 'a.gpu', 'a.pref']);
    // And refuses to run one there even if asked: soft, so the scheduler places it elsewhere.
    const error = planError(() => planPipeline([{ step: 'a.gpu', params: {} }], registry, cpuOnly, ['a']));
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_STEP',
      failure: 'soft',
      step: { index: 0, name: 'a.gpu' },
    });
  });
});

describe('planPipeline', () => {
  const promo: StepSpec[] = [
    { step: 'tts.espeak', params: { voice: 'en-gb', textField: 'script', sampleRate: 48_000 } },
    { step: 'captions.srt', params: {} },
    {
      step: 'video.compose',
      params: {
        layers: ['background', 'voiceover'],
        width: 1280,
        height: 720,
        fps: 25,
        crop: { x: 0, y: 0 },
      },
    },
    { step: 'captions.burn-in', params: { font: 'DejaVu Sans', size: 32, outline: true } },
  ];

  it('accepts a sequence whose inputs exist or are made earlier (contracts fixture parameters)', () => {
    const plan = planPipeline(promo, stepRegistry, cpuOnly, ['script', 'background']);
    expect(plan.map((p) => p.definition.name)).toEqual(promo.map((s) => s.step));
    expect(plan[0]?.params).toEqual({
      voice: 'en-gb',
      textField: 'script',
      rate: 160,
      sampleRate: 48_000,
      output: 'voiceover',
    });
  });

  it("refuses contracts' burn-in example, which names the script instead of the SRT", () => {
    const fixture = { textField: 'script', font: 'DejaVu Sans', size: 32, outline: true };
    expect(stepRegistry.get('captions.burn-in')?.params.safeParse(fixture).success).toBe(false);
  });

  it('refuses an input that nothing provides, naming the step', () => {
    const error = planError(() => planPipeline(promo, stepRegistry, cpuOnly, ['script']));
    expect(error).toMatchObject({
      code: 'INPUT_UNAVAILABLE',
      failure: 'hard',
      step: { index: 2, name: 'video.compose' },
    });
  });

  it('refuses an unknown step softly (a newer control plane) and bad parameters hard', () => {
    expect(
      planError(() => planPipeline([{ step: 'video.upscale', params: {} }], stepRegistry, cpuOnly, [])),
    ).toMatchObject({
      code: 'UNSUPPORTED_STEP',
      failure: 'soft',
    });
    const bad = planError(() =>
      planPipeline(
        [{ step: 'tts.espeak', params: { voice: 'en-gb; rm -rf /', colour: 'red' } }],
        stepRegistry,
        cpuOnly,
        ['script'],
      ),
    );
    expect(bad).toMatchObject({ code: 'INVALID_PARAMS', failure: 'hard' });
    expect(bad.message).toContain('params.voice');
    // Parameter values are never echoed: they could be client content.
    expect(bad.message).not.toContain('rm -rf');
    expect(bad.message).not.toContain('red');
  });

  it('keeps free text out of parameters: no step accepts a script in params', () => {
    const script = 'Our new product launches on Monday.';
    for (const definition of stepRegistry.steps) {
      const parsed = definition.params.safeParse({ text: script, script });
      expect(parsed.success, definition.name).toBe(false);
    }
  });
});
