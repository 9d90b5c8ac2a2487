// Runs the certs CLI as a real process (node certs/src/cli/main.ts) and checks the error contract.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TEST_PASSPHRASE, tempDir } from './test-ca.ts';

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function enclave(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure is one line on stderr, no stack, the given exit code. */
export function expectOneLineError(run: Run, code: number, text: string | RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^enclave: /);
  expect(run.stderr).not.toMatch(/^\s+at /m); // no stack frames
  expect(run.stderr).toMatch(text);
}

export interface CliCa {
  base: string;
  dir: string;
  passFile: string;
}

/** A CA made by `enclave ca init` in a fresh temp dir, with its passphrase in a 0600 file. */
export async function initCaWithCli(): Promise<CliCa> {
  const base = await tempDir();
  const dir = join(base, 'ca');
  const passFile = join(base, 'passphrase');
  await writeFile(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  const init = await enclave(['ca', 'init', '--dir', dir, '--passphrase-file', passFile]);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain(`CA created in ${dir}`);
  return { base, dir, passFile };
}
