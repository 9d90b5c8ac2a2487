// npm run bench — runs every `bench:*` script of the root package.json one after another
// (never in parallel: they measure throughput on a 2-core machine) and keeps their output in
// bench/results/. `npm run bench -- crypto` runs only the matching ones.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const only = process.argv.slice(2);
const benches = Object.keys(scripts)
  .filter((name) => name.startsWith('bench:'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();

const results = join(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== npm run ${bench} ===`);
  const run = spawnSync('npm', ['run', '--silent', bench], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(run.stdout);
  writeFileSync(join(results, `${bench.slice('bench:'.length)}.txt`), run.stdout);
  if (run.status !== 0) failed += 1;
}
console.log(`\nbenchmarks: ${benches.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
