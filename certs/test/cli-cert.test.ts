// `enclave cert ...` and `enclave crl` as real processes: files written, openssl agrees, one
// clear line on stderr for every failure and never a stack trace.
import { cp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enclave, expectOneLineError, initCaWithCli } from './support/cli-process.ts';
import { openssl } from './support/openssl.ts';

let base: string;
let dir: string;

beforeAll(async () => {
  ({ base, dir } = await initCaWithCli());
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('enclave cert issue', () => {
  it.each([
    [
      'control-plane',
      'cp',
      ['--dns', 'localhost', '--ip', '127.0.0.1'],
      'CN=control-plane,OU=control-plane,O=Enclave',
    ],
    [
      'broker',
      '0',
      ['--dns', 'localhost,broker-0.local', '--ip', '127.0.0.1'],
      'CN=broker-0,OU=broker,O=Enclave',
    ],
    ['node', 'abc', [], 'CN=node-abc,OU=node,O=Enclave'],
    ['operator', 'admin', [], 'CN=operator-admin,OU=operator,O=Enclave'],
  ])(
    '%s: writes key (0600), cert, chain and ca that openssl verifies',
    async (profile, name, extra, subject) => {
      const out = join(base, `out-${profile}`);
      const run = await enclave([
        'cert',
        'issue',
        '--dir',
        dir,
        '--profile',
        profile,
        '--name',
        name,
        '--out',
        out,
        ...extra,
      ]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`Issued ${subject}`);
      expect((await stat(join(out, 'key.pem'))).mode & 0o777).toBe(0o600);
      const verify = await openssl([
        'verify',
        '-CAfile',
        join(out, 'ca.pem'),
        '-untrusted',
        join(out, 'chain.pem'),
        join(out, 'cert.pem'),
      ]);
      expect(verify.stdout).toContain(': OK');
      const key = await openssl(['pkey', '-in', join(out, 'key.pem'), '-pubout']);
      const certKey = await openssl(['x509', '-in', join(out, 'cert.pem'), '-noout', '-pubkey']);
      expect(key.stdout).toBe(certKey.stdout);
    },
  );

  it('an unknown profile is one line, exit 1', async () => {
    const run = await enclave([
      'cert',
      'issue',
      '--dir',
      dir,
      '--profile',
      'admin',
      '--name',
      'x',
      '--out',
      join(base, 'x'),
    ]);
    expectOneLineError(run, 1, 'Unknown profile "admin": use one of control-plane, broker, node, operator.');
  });

  it('a broker without SAN, a missing option and an unknown option are each one line', async () => {
    const out = join(base, 'y');
    expectOneLineError(
      await enclave(['cert', 'issue', '--dir', dir, '--profile', 'broker', '--name', '1', '--out', out]),
      1,
      /needs at least one DNS name or IP/,
    );
    expectOneLineError(
      await enclave(['cert', 'issue', '--dir', dir, '--profile', 'node', '--out', out]),
      2,
      'Missing --name.',
    );
    expectOneLineError(
      await enclave(['cert', 'issue', '--dir', dir, '--colour', 'red']),
      2,
      /Unknown option '--colour'/,
    );
  });

  it('no CA, or a damaged one, is one line', async () => {
    const args = ['--profile', 'node', '--name', 'z', '--out', join(base, 'z')];
    expectOneLineError(
      await enclave(['cert', 'issue', '--dir', join(base, 'nowhere'), ...args]),
      1,
      /No CA in .*: run `enclave ca init/,
    );
    const damaged = join(base, 'damaged');
    await cp(dir, damaged, { recursive: true });
    await rm(join(damaged, 'intermediate.key.pem'));
    expectOneLineError(
      await enclave(['cert', 'issue', '--dir', damaged, ...args]),
      1,
      'intermediate.key.pem is missing',
    );
  });
});

describe('enclave cert revoke / cert list / crl', () => {
  it('revokes by serial; list shows it revoked; the CRL lists it and openssl verifies the CRL', async () => {
    const out = join(base, 'victim');
    await enclave(['cert', 'issue', '--dir', dir, '--profile', 'node', '--name', 'victim', '--out', out]);
    const serial = (await openssl(['x509', '-in', join(out, 'cert.pem'), '-noout', '-serial'])).stdout
      .trim()
      .split('=')[1]!;
    const revoke = await enclave([
      'cert',
      'revoke',
      '--dir',
      dir,
      '--serial',
      serial,
      '--reason',
      'keyCompromise',
    ]);
    expect(revoke.stdout).toBe(`revoked ${serial.toLowerCase()} (node-victim, keyCompromise)\n`);
    const list = await enclave(['cert', 'list', '--dir', dir]);
    expect(list.stdout).toMatch(new RegExp(`${serial.toLowerCase()}\\s+node-victim\\s+node\\s+revoked`));
    const rows = JSON.parse((await enclave(['cert', 'list', '--dir', dir, '--json'])).stdout) as {
      principal: string;
      status: string;
    }[];
    expect(rows.find((r) => r.principal === 'node-abc')?.status).toBe('valid');
    const crl = await enclave(['crl', '--dir', dir]);
    expect(crl.stdout).toMatch(/^-----BEGIN X509 CRL-----/);
    const check = await openssl(
      ['crl', '-verify', '-noout', '-text', '-CAfile', join(dir, 'intermediate.cert.pem')],
      crl.stdout,
    );
    expect(check.stderr).toContain('verify OK');
    expect(check.stdout).toContain(`Serial Number: ${serial}`);
  });

  it('revoke refuses a malformed or unknown serial and a missing target', async () => {
    expectOneLineError(
      await enclave(['cert', 'revoke', '--dir', dir, '--serial', 'xyz']),
      1,
      'is not a hexadecimal number',
    );
    expectOneLineError(
      await enclave(['cert', 'revoke', '--dir', dir, '--serial', 'abcd']),
      1,
      'No certificate with serial abcd',
    );
    expectOneLineError(
      await enclave(['cert', 'revoke', '--dir', dir]),
      2,
      'Give exactly one of --serial, --node or --principal.',
    );
  });

  it('the root CRL is printed and verifies against the root', async () => {
    const crl = await enclave(['crl', '--dir', dir, '--issuer', 'root']);
    const check = await openssl(
      ['crl', '-verify', '-noout', '-CAfile', join(dir, 'root.cert.pem')],
      crl.stdout,
    );
    expect(check.stderr).toContain('verify OK');
  });
});
