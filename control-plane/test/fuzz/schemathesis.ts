// Runs the pinned Schemathesis (a Python venv made by scripts/setup.sh) against a running API
// listener and reads its summary and JUnit report back into counts: cases generated and sent, and how many
// answers were a server error (5xx) or broke the response schema.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SCHEMATHESIS_VERSION = '4.32.5';
export const SCHEMATHESIS_BIN =
  process.env['ENCLAVE_SCHEMATHESIS'] ?? join(homedir(), '.cache/enclave/venv-schemathesis/bin/schemathesis');

export interface SchemathesisRun {
  readonly exitCode: number | null;
  readonly output: string;
  /** Operations tested (JUnit test cases). */
  readonly operations: number;
  /** Generated requests sent. */
  readonly cases: number;
  /** Failures of the not_a_server_error check (5xx answers). */
  readonly serverErrors: number;
  /** Failures reported by any check (schema conformance included), and their text. */
  readonly failures: readonly string[];
}

export interface SchemathesisOptions {
  readonly schemaFile: string;
  readonly baseUrl: string;
  readonly caFile: string;
  readonly headers: Record<string, string>;
  readonly excludePathRegex: string;
  readonly maxExamples: number;
  readonly reportDir: string;
  readonly seed: number;
  readonly timeoutMs: number;
}

export async function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  if (!existsSync(SCHEMATHESIS_BIN)) {
    throw new Error(
      `${SCHEMATHESIS_BIN} is missing: run scripts/setup.sh (it creates the Schemathesis venv)`,
    );
  }
  await mkdir(options.reportDir, { recursive: true });
  const junit = join(options.reportDir, 'junit.xml');
  const args = [
    'run',
    options.schemaFile,
    '--url',
    options.baseUrl,
    '--tls-verify',
    options.caFile,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--exclude-path-regex',
    options.excludePathRegex,
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--phases',
    'examples,coverage,fuzzing',
    '--workers',
    '1',
    '--request-timeout',
    '10',
    '--no-shrink',
    '--suppress-health-check',
    'all',
    '--report',
    'junit',
    '--report-junit-path',
    junit,
    ...Object.entries(options.headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
  ];
  const { exitCode, output } = await spawnCollect(SCHEMATHESIS_BIN, args, options.timeoutMs);
  const xml = existsSync(junit) ? await readFile(junit, 'utf8') : '';
  const failures = [...xml.matchAll(/<(?:failure|error)\b[^>]*message="([^"]*)"/g)].map((m) =>
    unescapeXml(m[1] ?? ''),
  );
  return {
    exitCode,
    output,
    operations: [...xml.matchAll(/<testcase\b/g)].length,
    // The summary's own figures: "Test cases: N generated", "ST101 Server error: N".
    cases: Number(/(\d+) generated/.exec(output)?.[1] ?? 0),
    serverErrors: Number(/Server error: (\d+)/.exec(output)?.[1] ?? 0),
    failures,
  };
}

function unescapeXml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#10;', '\n')
    .replaceAll('&amp;', '&');
}

function spawnCollect(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}
