// Setup file of the fuzz suite (scripts/vitest.fuzz.config.ts): counts the inputs every
// fast-check property of a test file tried, through fast-check's global reporter, and writes
// them to .enclave/test-results/fuzz/fc-<file>.json for scripts/test-fuzz.ts. A failed run is
// reported exactly as fast-check's default reporter would (the same message, thrown).
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, expect } from 'vitest';

const resultsDir = join(import.meta.dirname, '..', '..', '.enclave', 'test-results', 'fuzz');
let file = '';
let properties = 0;
let cases = 0;
let failures = 0;

fc.configureGlobal({
  reporter: (details) => {
    file ||= expect.getState().testPath ?? '';
    properties++;
    cases += details.numRuns;
    if (details.failed) {
      failures++;
      throw new Error(fc.defaultReportMessage(details));
    }
  },
});

afterAll(() => {
  if (properties === 0) return;
  mkdirSync(resultsDir, { recursive: true });
  const name = basename(file).replace(/\.ts$/, '');
  const figures = { source: `${name} (${properties} properties)`, cases, serverErrors: 0, failures };
  writeFileSync(join(resultsDir, `fc-${name}.json`), JSON.stringify(figures));
});
