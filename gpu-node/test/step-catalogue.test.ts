// The node implements exactly the contracts step catalogue, with the catalogue's own parameter
// schemas: the control plane checks its templates against those same schemas, so a template
// that compiles at the control plane is a task the node accepts.
import { STEP_CATALOGUE, STEP_NAMES } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { STEP_DEFINITIONS } from '../src/steps/index.ts';

describe('step catalogue', () => {
  it('has one step definition per catalogued name', () => {
    expect(STEP_DEFINITIONS.map((d) => d.name).sort()).toEqual([...STEP_NAMES].sort());
  });

  it.each(STEP_DEFINITIONS.map((d) => [d.name, d] as const))(
    '%s uses the catalogue schema and needs',
    (name, def) => {
      const entry = STEP_CATALOGUE[name as keyof typeof STEP_CATALOGUE];
      expect(def.params).toBe(entry.params);
      expect(def.needs).toBe(entry.needs);
    },
  );
});
