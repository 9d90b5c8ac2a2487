// The fault suite's figures, one format for every package's faults (`npm run test:faults`): one
// line per fault with what issue #10 asks for (attempted, acknowledged, lost, duplicated), then
// the details, also kept as JSON under .enclave/test-results/faults/ where the runner reads every
// fault's figures for its summary. A fault that could not run here (no tmpfs, no libfaketime)
// records `skipped` with the reason instead of passing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FaultFigures {
  readonly seed: number;
  readonly attempted: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly details: Record<string, unknown>;
  readonly log?: readonly string[];
  readonly skipped?: string;
}

export const FAULT_RESULTS_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '.enclave',
  'test-results',
  'faults',
);

export function faultLine(
  name: string,
  f: Pick<FaultFigures, 'seed' | 'attempted' | 'acknowledged' | 'lost' | 'duplicated'>,
): string {
  return `[fault ${name}] attempted=${f.attempted} acknowledged=${f.acknowledged} lost=${f.lost} duplicated=${f.duplicated} seed=${f.seed}`;
}

export function printFaultFigures(name: string, figures: FaultFigures): void {
  const lines = [
    figures.skipped !== undefined ? `[fault ${name}] skipped: ${figures.skipped}` : faultLine(name, figures),
    `[fault ${name}] ${JSON.stringify(figures.details)}`,
    ...(figures.log ?? []).map((line) => `[fault ${name}] ${line}`),
  ];
  console.log(lines.join('\n'));
  mkdirSync(FAULT_RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(FAULT_RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ name, ...figures, at: new Date().toISOString() }, null, 2)}\n`,
  );
}
