// `enclave ca ...` as real processes: init, passphrase sources, overwrite refusal, root key
// custody; plus the interactive prompt path in-process.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnrollmentToken, runCertsCli, verifyCaPin } from '../src/index.ts';
import { enclave, expectOneLineError, initCaWithCli } from './support/cli-process.ts';
import { TEST_PASSPHRASE } from './support/test-ca.ts';

let base: string;
let dir: string;
let passFile: string;

beforeAll(async () => {
  ({ base, dir, passFile } = await initCaWithCli());
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('enclave ca init', () => {
  it('refuses to overwrite an existing CA', async () => {
    expectOneLineError(
      await enclave(['ca', 'init', '--dir', dir], { ENCLAVE_CA_PASSPHRASE: TEST_PASSPHRASE }),
      1,
      'already holds a CA',
    );
  });

  it('without a passphrase source and no terminal, says how to give one', async () => {
    expectOneLineError(
      await enclave(['ca', 'init', '--dir', join(base, 'ca2')]),
      1,
      'The CA passphrase is needed: use --passphrase-file FILE or set ENCLAVE_CA_PASSPHRASE.',
    );
  });

  it('reads the passphrase from the environment', async () => {
    const run = await enclave(['ca', 'init', '--dir', join(base, 'ca-env')], {
      ENCLAVE_CA_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(run.code).toBe(0);
    const wrong = await enclave(['crl', '--dir', join(base, 'ca-env'), '--issuer', 'root', '--resign'], {
      ENCLAVE_CA_PASSPHRASE: 'another passphrase',
    });
    expectOneLineError(wrong, 1, 'Wrong CA passphrase: the root key could not be decrypted.');
  });

  it('a missing passphrase file is one line, exit 2', async () => {
    expectOneLineError(
      await enclave(['ca', 'init', '--dir', join(base, 'ca3'), '--passphrase-file', join(base, 'nope')]),
      2,
      /Cannot read the passphrase file/,
    );
  });
});

describe('enclave token create and root key custody', () => {
  it('prints only the token on stdout; it pins this CA', async () => {
    const run = await enclave(['token', 'create', '--dir', dir, '--node', 'gpu-9']);
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(parseEnrollmentToken(token).name).toBe('gpu-9');
    expect(verifyCaPin(token, await readFile(join(dir, 'root.cert.pem'), 'utf8'))).toBe(true);
    expect(run.stderr).toMatch(/Token for node-gpu-9 \(node\), single use, expires /);
  });

  it('exports and removes the root key, then imports it back', async () => {
    const backup = join(base, 'offline-root.pem');
    expect((await enclave(['ca', 'export-root-key', '--dir', dir, '--out', backup, '--remove'])).code).toBe(
      0,
    );
    expectOneLineError(
      await enclave(['crl', '--dir', dir, '--issuer', 'root', '--resign', '--passphrase-file', passFile]),
      1,
      /root key is not in .* \(kept offline\?\)/,
    );
    const back = await enclave([
      'ca',
      'import-root-key',
      '--dir',
      dir,
      '--in',
      backup,
      '--passphrase-file',
      passFile,
    ]);
    expect(back.stdout).toBe('Root key restored.\n');
    expect(
      (await enclave(['crl', '--dir', dir, '--issuer', 'root', '--resign', '--passphrase-file', passFile]))
        .code,
    ).toBe(0);
  });

  it('an unknown verb prints the usage, exit 2', async () => {
    const run = await enclave(['cert', 'frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('enclave cert issue');
  });
});

describe('runCertsCli in-process (a person at a terminal)', () => {
  it('asks twice at init and refuses when the answers differ', async () => {
    const err: string[] = [];
    const answers = [TEST_PASSPHRASE, 'something else entirely'];
    const code = await runCertsCli(['ca', 'init', '--dir', join(base, 'ca-tty')], {
      stdout: () => undefined,
      stderr: (t) => err.push(t),
      env: {},
      promptSecret: () => Promise.resolve(answers.shift() ?? ''),
    });
    expect(code).toBe(2);
    expect(err.join('')).toBe('enclave: The two passphrases differ.\n');
  });
});

describe('at a real terminal (pty via util-linux script)', () => {
  it('prompts twice without echoing and creates the CA', async () => {
    const ttyDir = join(base, 'ca-pty');
    const main = join(import.meta.dirname, '../src/cli/main.ts');
    const typed = 'long enough passphrase';
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('script', [
        '-qec',
        `${process.execPath} ${main} ca init --dir ${ttyDir}`,
        '/dev/null',
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/CA passphrase: $/.test(out) || /Repeat the CA passphrase: $/.test(out))
          child.stdin.write(`${typed}\r`);
      });
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(run.code).toBe(0);
    expect(run.out).toContain(`CA created in ${ttyDir}`);
    expect(run.out).not.toContain(typed);
  });
});
