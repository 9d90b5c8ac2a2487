// npm run bench — runs every benchmark in bench/ one after another (never in parallel: they
// measure throughput on a 2-core machine) and keeps their output in bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const results = join(dir, 'results');
mkdirSync(results, { recursive: true });
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const run = spawnSync(process.execPath, [join(dir, bench)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(run.stdout);
  writeFileSync(join(results, bench.replace(/\.ts$/, '.txt')), run.stdout);
  if (run.status !== 0) failed += 1;
}
console.log(`\nbenchmarks: ${benches.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
