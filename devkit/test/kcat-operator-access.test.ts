// The operator's view: with the settings in .enclave/dev/kafka.env, kcat (Debian's build of
// librdkafka) lists the broker; without a client certificate it gets nothing.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);

async function envFileSettings(file: string): Promise<Record<string, string>> {
  const settings: Record<string, string> = {};
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) settings[match[1]] = match[2];
  }
  return settings;
}

async function kcatList(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('kcat', ['-L', '-m', '5', ...args], { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('kcat with .enclave/dev/kafka.env', () => {
  it('lists the broker with the admin certificate and fails without one', async () => {
    const env = await envFileSettings(inject('kafka').envFile);
    const base = [
      '-b',
      env['KAFKA_BOOTSTRAP'] ?? '',
      '-X',
      'security.protocol=ssl',
      '-X',
      `ssl.ca.location=${env['KAFKA_CA']}`,
    ];

    const withCert = await kcatList([
      ...base,
      '-X',
      `ssl.certificate.location=${env['KAFKA_ADMIN_CERT']}`,
      '-X',
      `ssl.key.location=${env['KAFKA_ADMIN_KEY']}`,
    ]);
    expect(withCert.code).toBe(0);
    expect(withCert.output).toMatch(/1 brokers:\s+broker 1 at 127\.0\.0\.1:\d+/);

    const withoutCert = await kcatList(base);
    expect(withoutCert.code).not.toBe(0);
    expect(withoutCert.output).toMatch(/Failed to acquire metadata/);
    expect(withoutCert.output).toMatch(/bad certificate|certificate required|SSL/i);
  });
});
