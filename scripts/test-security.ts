// npm run test:security — the security suite with one command (control-plane/vitest.security.config.ts:
// test/security/*.test.ts and the existing files it names), then its counts from vitest's JSON
// report. The threats each file covers: docs/threat-model.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const report = join(root, '.enclave', 'test-results', 'control-plane-security.json');

interface VitestJsonReport {
  numTotalTestSuites: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string }[];
}

rmSync(report, { force: true });
const started = performance.now();
const status =
  spawnSync(
    'npx',
    ['vitest', 'run', '-c', 'control-plane/vitest.security.config.ts', ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  ).status ?? 1;
const seconds = Math.round((performance.now() - started) / 1000);
if (!existsSync(report)) {
  console.error('test:security: vitest wrote no report');
  process.exit(1);
}
const r = JSON.parse(readFileSync(report, 'utf8')) as VitestJsonReport;
console.log(
  `\nsecurity suite (${seconds} s): ${r.testResults.length} files, ${r.numPassedTests} passed, ` +
    `${r.numFailedTests} failed, ${r.numPendingTests} skipped`,
);
process.exit(status !== 0 || r.numFailedTests > 0 || r.numPassedTests === 0 ? 1 : 0);
