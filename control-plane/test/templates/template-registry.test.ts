import { PromoVideoParamsSchema, STEP_NAMES, type AssetRef, type EncryptedField } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  TemplateDefinitionError,
  TemplateRegistry,
  builtInTemplates,
  checkCompiledJob,
  type CompiledJob,
  type JobTemplate,
  type TemplateContext,
} from '../../src/templates/index.ts';

const sealed: EncryptedField = {
  keyId: 'dek_t',
  alg: 'A256GCM',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'AA',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const seals: string[] = [];
const context: TemplateContext = {
  asset: (assetId): AssetRef => ({
    name: 'a',
    assetId,
    mediaType: 'image/jpeg',
    sizeBytes: 10,
    sha256: 'a'.repeat(64),
  }),
  seal: (field, plaintext) => {
    seals.push(`${field}:${plaintext}`);
    return sealed;
  },
};

describe('built-in templates', () => {
  it('pass the start-up check and list a JSON Schema form for each', () => {
    const registry = new TemplateRegistry();
    const list = registry.list();
    expect(list.map((t) => t.id).sort()).toEqual(['anonymise-footage', 'promo-video', 'transcode']);
    for (const summary of list) expect(summary.paramsSchema).toMatchObject({ type: 'object' });
  });

  it('promo-video compiles to voice + stills → render, with the script only sealed', () => {
    const job = new TemplateRegistry()
      .get('promo-video')
      ?.compile(
        { title: 'Launch', script: 'Hello Dubai. Goodbye Dubai.', stills: ['s1', 's2', 's3'] },
        context,
      ) as CompiledJob;
    expect(job.tasks.map((t) => [t.key, t.deps])).toEqual([
      ['voice', []],
      ['stills', []],
      ['render', ['voice', 'stills']],
    ]);
    expect(seals).toContain('script:Hello Dubai. Goodbye Dubai.');
    expect(JSON.stringify(job.tasks.map((t) => t.steps))).not.toContain('Hello Dubai');
    const render = job.tasks.find((t) => t.key === 'render');
    expect(render?.outputs.filter((o) => o.final).map((o) => o.name)).toEqual(['promo', 'thumbnail']);
    expect(checkCompiledJob(job)).toEqual([]);
  });

  it('promo-video without face blurring skips the stills task', () => {
    const job = new TemplateRegistry()
      .get('promo-video')
      ?.compile(
        { title: 'T', script: 'One. Two.', stills: ['s1'], anonymiseFaces: false },
        context,
      ) as CompiledJob;
    expect(job.tasks.map((t) => t.key)).toEqual(['voice', 'render']);
    expect(checkCompiledJob(job)).toEqual([]);
  });

  it('refuses bad parameters with field paths a form can show', () => {
    const result = PromoVideoParamsSchema.safeParse({ title: '', script: 'x'.repeat(2_001), stills: [] });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['script', 'stills', 'title']);
  });

  it('use only catalogued steps', () => {
    for (const template of builtInTemplates) {
      const job = template.compile(template.example, context);
      for (const task of job.tasks) for (const step of task.steps) expect(STEP_NAMES).toContain(step.step);
    }
  });
});

describe('the start-up check', () => {
  const promo = builtInTemplates.find((t) => t.id === 'promo-video') as JobTemplate;
  const others = builtInTemplates.filter((t) => t !== promo);

  it('refuses an unknown step, a cycle and a missing dependency', () => {
    const broken: JobTemplate = {
      ...promo,
      compile: (params, ctx) => {
        const job = promo.compile(params, ctx);
        const [voice, stills, render] = job.tasks;
        if (!voice || !stills || !render) throw new Error('unexpected shape');
        return {
          ...job,
          tasks: [
            { ...voice, deps: ['render'], steps: [{ step: 'llm.generate', params: {} }] },
            { ...stills, deps: ['ghost'] },
            render,
          ],
        };
      },
    };
    expect(() => new TemplateRegistry([broken, ...others])).toThrow(TemplateDefinitionError);
    expect(() => new TemplateRegistry([broken, ...others])).toThrow(
      /unknown step "llm\.generate"[\s\S]*unknown task "ghost"/,
    );
  });

  it('refuses a template set missing a contracts template or registering one twice', () => {
    expect(() => new TemplateRegistry(others)).toThrow(/"promo-video" has no implementation/);
    expect(() => new TemplateRegistry([promo, promo, ...others])).toThrow(/registered twice/);
  });

  it('detects a cycle', () => {
    const job: CompiledJob = {
      title: 'c',
      tasks: [
        {
          key: 'a',
          title: 'a',
          deps: ['b'],
          requirements: {},
          steps: [],
          inputs: [],
          outputs: [],
          sealed: {},
          timeoutMs: 1_000,
        },
        {
          key: 'b',
          title: 'b',
          deps: ['a'],
          requirements: {},
          steps: [],
          inputs: [],
          outputs: [],
          sealed: {},
          timeoutMs: 1_000,
        },
      ],
    };
    expect(checkCompiledJob(job)).toContain('the task dependencies form a cycle');
  });
});

describe('step parameters', () => {
  it('are checked against the step schema the node validates with', () => {
    const promo = builtInTemplates.find((t) => t.id === 'promo-video') as JobTemplate;
    const typo: JobTemplate = {
      ...promo,
      compile: (params, ctx) => {
        const job = promo.compile(params, ctx);
        const [voice, ...rest] = job.tasks;
        if (!voice) throw new Error('unexpected shape');
        const steps = voice.steps.map((s) =>
          s.step === 'tts.espeak' ? { ...s, params: { ...s.params, scriptField: 'script' } } : s,
        );
        return { ...job, tasks: [{ ...voice, steps }, ...rest] };
      },
    };
    const others = builtInTemplates.filter((t) => t !== promo);
    expect(() => new TemplateRegistry([typo, ...others])).toThrow(/"tts\.espeak" invalid params/);
  });
});
