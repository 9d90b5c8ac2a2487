// `enclave install` as a real process through bin/enclave.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url).pathname;
const enclave = join(repo, 'bin/enclave');
const example = join(repo, 'provisioning/examples/inventory.example.yaml');
let dir: string;

// No pulumi on this PATH (bin/enclave puts Node 24 first itself).
const env = { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
const install = (...args: string[]) =>
  spawnSync(enclave, ['install', ...args], { encoding: 'utf8', env, timeout: 60_000 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-install-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('enclave install', () => {
  it('refuses a bad inventory with the field path, exit 2', async () => {
    const bad = (await readFile(example, 'utf8')).replace('address: 10.20.0.22', 'address: 10.20.0.999');
    await writeFile(join(dir, 'bad.yaml'), bad);
    const result = install('--inventory', join(dir, 'bad.yaml'));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `enclave install: invalid inventory: ${join(dir, 'bad.yaml')}: hosts[2].address: must be an IPv4 or IPv6 address\n`,
    );
    expect(result.stdout).toBe('');
  });

  it('without the Pulumi CLI: validates, then exits 2 naming the missing CLI and how to get it', () => {
    const result = install('--inventory', example);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('The inventory is valid (6 hosts, production mode).');
    expect(result.stderr).toContain("the Pulumi CLI ('pulumi', version 3.x) is not on PATH");
    expect(result.stderr).toContain('https://www.pulumi.com/docs/iac/download-install/');
  });

  it('usage errors exit 2 with the usage line', () => {
    const missing = install();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--inventory FILE is required');
    expect(missing.stderr).toContain('usage: enclave install --inventory FILE');
    const unknown = install('--inventroy', example);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--inventroy'/);
    const absent = install('--inventory', join(dir, 'nope.yaml'));
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain('ENOENT');
  });

  it('with a pulumi on PATH: needs the state passphrase, then drives the CLI through the Automation API', async () => {
    // A stand-in `pulumi` that logs its arguments: the real CLI is not available here.
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const log = join(dir, 'pulumi.log');
    await writeFile(
      join(bin, 'pulumi'),
      `#!/bin/sh\necho "$*" >> ${log}\n[ "$1" = version ] && echo v3.276.0\nexit 0\n`,
      {
        mode: 0o755,
      },
    );
    const withPulumi = { ...env, PATH: `${bin}:/usr/bin:/bin` };
    const noPassphrase = spawnSync(enclave, ['install', '--inventory', example], {
      encoding: 'utf8',
      env: withPulumi,
    });
    expect(noPassphrase.status).toBe(2);
    expect(noPassphrase.stderr).toContain('set PULUMI_CONFIG_PASSPHRASE_FILE');

    await writeFile(join(dir, 'pass'), 'state passphrase\n', { mode: 0o600 });
    const run = spawnSync(enclave, ['install', '--inventory', example, '--state-dir', join(dir, 'state')], {
      encoding: 'utf8',
      env: { ...withPulumi, PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, 'pass') },
      timeout: 60_000,
    });
    const calls = (await readFile(log, 'utf8')).split('\n');
    expect(calls[0]).toBe('version');
    expect(calls).toContain('stack select --stack acme-enclave --non-interactive');
    expect(
      calls.some((c) =>
        /^up --yes --skip-preview --client=127\.0\.0\.1:\d+ --exec-kind auto\.inline --stack acme-enclave/.test(
          c,
        ),
      ),
    ).toBe(true);
    // The stand-in prints no JSON outputs, so the run ends as a failure (exit 1), not a usage error.
    expect(run.status).toBe(1);
  });

  it('is listed by `enclave help`', () => {
    const help = spawnSync(enclave, ['help'], { encoding: 'utf8', env });
    expect(help.stdout).toContain('install --inventory FILE');
  });
});
