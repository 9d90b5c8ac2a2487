// Where the fuzz suite's counts go: one JSON file per source under .enclave/test-results/fuzz,
// summed by scripts/test-fuzz.ts (`npm run test:fuzz`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FUZZ_RESULTS_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '.enclave',
  'test-results',
  'fuzz',
);

export interface FuzzFigures {
  readonly source: string;
  /** Generated inputs tried. */
  readonly cases: number;
  /** HTTP 5xx answers (API fuzzing only; 0 for parser fuzzing). */
  readonly serverErrors: number;
  readonly failures: number;
}

export function writeFuzzFigures(name: string, figures: FuzzFigures): void {
  mkdirSync(FUZZ_RESULTS_DIR, { recursive: true });
  writeFileSync(join(FUZZ_RESULTS_DIR, `${name}.json`), JSON.stringify(figures));
}
