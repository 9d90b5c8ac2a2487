// The fault suite's figures in the control plane's format (control-plane/test/faults/support/
// fault-report.ts; the agent may not import the control plane): one line per fault with
// attempted, acknowledged, lost and duplicated, then the details, also kept as JSON under
// .enclave/test-results/faults/ where `npm run test:faults` reads every fault's figures.
// A fault that could not run (no tmpfs, no libfaketime) records `skipped` with the reason.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FaultFigures {
  readonly seed: number;
  readonly attempted: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly details: Record<string, unknown>;
  readonly skipped?: string;
}

export const FAULT_RESULTS_DIR = join(
  import.meta.dirname,
  '..',
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
  const first =
    figures.skipped !== undefined ? `[fault ${name}] skipped: ${figures.skipped}` : faultLine(name, figures);
  console.log([first, `[fault ${name}] ${JSON.stringify(figures.details)}`].join('\n'));
  mkdirSync(FAULT_RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(FAULT_RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ name, ...figures, at: new Date().toISOString() }, null, 2)}\n`,
  );
}
