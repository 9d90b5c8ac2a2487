// npm run test:fuzz — the fuzz suite with one command: every *.fuzz.test.ts of the workspace
// (parser fuzzing with fast-check, and Schemathesis against contracts/openapi.json on a real
// control plane) plus the older parser fuzzers (scripts/vitest.fuzz.config.ts), then the counts:
// inputs tried per source, 5xx answers (must be 0) and failures (must be 0).
// `npm run test:fuzz -- template` runs only the matching files.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsDir = join(root, '.enclave', 'test-results', 'fuzz');

interface Figures {
  source: string;
  cases: number;
  serverErrors: number;
  failures: number;
}

rmSync(resultsDir, { recursive: true, force: true });
const started = performance.now();
const status =
  spawnSync('npx', ['vitest', 'run', '-c', 'scripts/vitest.fuzz.config.ts', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  }).status ?? 1;
const seconds = Math.round((performance.now() - started) / 1000);

const figures: Figures[] = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Figures)
  : [];
const sum = (pick: (f: Figures) => number): number => figures.reduce((total, f) => total + pick(f), 0);
console.log(`\nfuzz suite (${seconds} s):`);
for (const f of figures) {
  console.log(`  ${f.source.padEnd(52)} cases=${f.cases} 5xx=${f.serverErrors} failures=${f.failures}`);
}
console.log(
  `fuzz: ${sum((f) => f.cases)} cases tried, 5xx=${sum((f) => f.serverErrors)}, failures=${sum((f) => f.failures)}`,
);
const bad = figures.length === 0 || sum((f) => f.serverErrors + f.failures) > 0;
process.exit(status !== 0 || bad ? 1 : 0);
