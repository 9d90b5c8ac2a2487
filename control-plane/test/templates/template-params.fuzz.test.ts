// Fuzz the template parameters a producer submits (POST /api/v1/projects/:id/jobs `params`):
// arbitrary JSON, and each template's example with one field replaced by arbitrary JSON. The
// contract's schema either refuses the value with field issues, or the value compiles to a DAG
// that passes the same check the registry runs at start-up. Nothing else may be thrown: an
// exception here would be a 500 on the submission route.
import { check, TEMPLATE_IDS, type AssetRef } from '@enclave/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtInTemplates,
  checkCompiledJob,
  type JobTemplate,
  type TemplateContext,
} from '../../src/templates/index.ts';

const context: TemplateContext = {
  asset: (assetId): AssetRef => ({
    name: 'fuzz',
    assetId,
    mediaType: 'application/octet-stream',
    sizeBytes: 1,
    sha256: '0'.repeat(64),
  }),
  seal: () => ({
    keyId: 'dek_fuzz',
    alg: 'A256GCM',
    iv: 'AAAAAAAAAAAAAAAA',
    ct: 'AA',
    tag: 'AAAAAAAAAAAAAAAAAAAAAA',
  }),
};

/** Validates like the submission service; a valid value must compile to a sound DAG. */
function submit(template: JobTemplate, raw: unknown): 'refused' | 'compiled' {
  const result = check(template.params, raw);
  if (!result.success) {
    expect(result.issues.length).toBeGreaterThan(0);
    return 'refused';
  }
  const compiled = template.compile(result.data, context);
  expect([...checkCompiledJob(compiled)]).toEqual([]);
  return 'compiled';
}

const anyTemplate = fc.constantFrom(...builtInTemplates);

describe('template parameters on hostile input', () => {
  it('covers every template id of the contract', () => {
    expect(builtInTemplates.map((t) => t.id).sort()).toEqual([...TEMPLATE_IDS].sort());
  });

  it('arbitrary JSON is refused with field issues or compiles', () => {
    fc.assert(
      fc.property(anyTemplate, fc.jsonValue({ maxDepth: 3 }), (template, raw) => {
        submit(template, raw);
      }),
      { numRuns: 1500 },
    );
  });

  it('the example with one field replaced by arbitrary JSON', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(anyTemplate, fc.nat(), fc.jsonValue({ maxDepth: 2 }), (template, pick, value) => {
        const example = { ...(template.example as Record<string, unknown>) };
        const keys = Object.keys(example);
        const key = keys[pick % keys.length] ?? 'extra';
        example[key] = value;
        outcomes.add(submit(template, example));
      }),
      { numRuns: 1500 },
    );
    // Both branches were reached, so the property tested the compiler too.
    expect([...outcomes].sort()).toEqual(['compiled', 'refused']);
  });
});
