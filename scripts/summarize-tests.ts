// Prints one closing line for the whole run from vitest's JSON reports:
// "tests: N passed, N failed, N skipped". A run that executed no test fails.
// Failures are named just above that line (file, test, first line of the error) because CI
// shows only the tail of the output: the reason for a red run must be readable there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface VitestAssertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}
interface VitestFileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: VitestAssertion[];
}
interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: VitestFileResult[];
}

const root = join(import.meta.dirname, '..');
const dir = join(root, '.enclave', 'test-results');
const suitesExpected = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];

function firstLine(text: string): string {
  const line =
    text
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 160);
}

for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as VitestJsonReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const result of report.testResults) {
    const where = relative(root, result.name);
    const failedTests = result.assertionResults.filter((a) => a.status === 'failed');
    for (const test of failedTests) {
      failures.push(`${where} › ${test.fullName}: ${firstLine(test.failureMessages[0] ?? '')}`);
    }
    if (result.status === 'failed' && failedTests.length === 0) {
      // A file that failed outside any test (a hook, an import error) counts as one failure.
      failed += 1;
      failures.push(`${where}: ${firstLine(result.message)}`);
    }
  }
  console.log(
    `  ${file.replace(/\.json$/, '').padEnd(22)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
for (const suite of suitesExpected) {
  if (!files.includes(`${suite}.json`)) {
    failed += 1;
    failures.push(`${suite}: no report (the suite did not run to the end; see its output above)`);
  }
}
if (failures.length > 0) {
  console.log('failed:');
  for (const line of failures.slice(0, 15)) console.log(`  ${line}`);
  if (failures.length > 15) console.log(`  … and ${failures.length - 15} more`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
