// npm run test:faults — the fault suite (control-plane/test/faults/*.fault.ts, then the agent's
// node-side faults, agent/test/faults/*.fault.ts) with one command:
// builds the control plane (the faults run the built dist as a child process), runs the suite
// on the shared broker, then prints each fault's figures: operations attempted, acknowledged,
// lost (must be 0) and duplicated (must be 0). `npm run test:faults -- kill` runs only the
// matching fault files. ENCLAVE_FAULT_SEED repeats a run; ENCLAVE_FAULT_JOBS resizes the kill run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsDir = join(root, '.enclave', 'test-results', 'faults');
const only = process.argv.slice(2);

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

if (run('npm', ['run', '--silent', 'build', '-w', '@enclave/control-plane']) !== 0) {
  console.error('test:faults: the control-plane build failed');
  process.exit(1);
}
rmSync(resultsDir, { recursive: true, force: true });
const started = performance.now();
// A name filter may match files of one package only: the other then has nothing to run.
const filter = only.length > 0 ? ['--passWithNoTests', ...only] : [];
const status = Math.max(
  run('npx', ['vitest', 'run', '-c', 'control-plane/vitest.faults.config.ts', ...filter]),
  run('npx', ['vitest', 'run', '-c', 'agent/vitest.faults.config.ts', ...filter]),
);
const seconds = Math.round((performance.now() - started) / 1000);

interface Figures {
  name: string;
  seed: number;
  attempted: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  /** Why the fault could not run here (no tmpfs, no libfaketime): never counted as passed. */
  skipped?: string;
}
const figures: Figures[] = existsSync(resultsDir)
  ? readdirSync(resultsDir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Figures)
  : [];
console.log(`\nfault suite (${seconds} s):`);
for (const f of figures) {
  if (f.skipped !== undefined) {
    console.log(`  ${f.name.padEnd(20)} SKIPPED: ${f.skipped}`);
    continue;
  }
  console.log(
    `  ${f.name.padEnd(20)} attempted=${f.attempted} acknowledged=${f.acknowledged} lost=${f.lost} duplicated=${f.duplicated} seed=${f.seed}`,
  );
}
const bad = figures.filter((f) => f.lost !== 0 || f.duplicated !== 0);
if (figures.length === 0) console.log('  no fault reported figures');
process.exit(status !== 0 || bad.length > 0 || figures.length === 0 ? 1 : 0);
