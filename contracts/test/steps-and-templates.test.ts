import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  PromoVideoParamsSchema,
  STEP_CATALOGUE,
  STEP_NAMES,
  StepNameSchema,
  TEMPLATE_PARAMS,
  TranscodeParamsSchema,
  isKnownStep,
} from '../src/index.ts';

describe('step catalogue', () => {
  it('names every step in the dotted form the wire accepts', () => {
    expect(STEP_NAMES.length).toBeGreaterThanOrEqual(8);
    for (const name of STEP_NAMES) expect(StepNameSchema.safeParse(name).success).toBe(true);
  });

  it('knows catalogued names only', () => {
    expect(isKnownStep('video.compose')).toBe(true);
    expect(isKnownStep('llm.generate')).toBe(false);
    expect(isKnownStep('toString')).toBe(false);
    expect(STEP_CATALOGUE['video.compose'].needs).toBe('gpu-preferred');
  });
});

describe('template parameters', () => {
  it('apply defaults and trim text', () => {
    const params = PromoVideoParamsSchema.parse({ title: '  Launch ', script: 'Hi.', stills: ['a'] });
    expect(params).toEqual({
      title: 'Launch',
      script: 'Hi.',
      stills: ['a'],
      voice: 'en-gb',
      anonymiseFaces: true,
    });
    expect(TranscodeParamsSchema.parse({ source: 's' })).toEqual({ source: 's', height: 720, codec: 'h264' });
  });

  it('refuse out-of-range values with the field named', () => {
    const result = TranscodeParamsSchema.safeParse({ source: 's', height: 999 });
    expect(result.error?.issues[0]?.path).toEqual(['height']);
  });

  it('convert to JSON Schema for the UI form', () => {
    for (const schema of Object.values(TEMPLATE_PARAMS)) {
      expect(z.toJSONSchema(schema, { io: 'input' })).toMatchObject({ type: 'object' });
    }
  });
});
