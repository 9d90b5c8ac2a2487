// EnrollmentToken provider against the LocalExecutor: the `ca-dir` source runs the real
// `enclave token create` on a real CA made by `enclave ca init` in the host root; the `api`
// source runs the real curl against a local HTTPS server standing in for the control plane.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEnrollmentToken, parseEnrollmentToken } from '@enclave/certs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enrollmentTokenProvider,
  type EnrollmentTokenInputs,
} from '../src/providers/enrollment-token.provider.ts';
import {
  hostCertificateProvider,
  type HostCertificateInputs,
} from '../src/providers/host-certificate.provider.ts';

const repo = new URL('../../', import.meta.url).pathname;
const enclaveBin = join(repo, 'bin/enclave');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'enclave-cp-'));
  await writeFile(join(root, 'pass'), 'a long enough CA passphrase 42\n', { mode: 0o600 });
  execFileSync(
    enclaveBin,
    ['ca', 'init', '--dir', join(root, 'var/lib/enclave/ca'), '--passphrase-file', join(root, 'pass')],
    {
      stdio: 'pipe',
    },
  );
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const base = (over: Partial<EnrollmentTokenInputs> = {}): EnrollmentTokenInputs => ({
  connection: { kind: 'local', root },
  source: { kind: 'ca-dir', enclaveBin, caDir: '/var/lib/enclave/ca' },
  node: 'gpu-1',
  profile: 'node',
  ttlHours: 24,
  serverAuth: false,
  dnsNames: [],
  ipAddresses: [],
  generation: 1,
  ...over,
});

describe('EnrollmentToken provider, ca-dir source (real CLI, real CA)', () => {
  it('creates a token for the node, reissues on update, replaces on a new node, delete is a no-op', async () => {
    const created = await enrollmentTokenProvider.create(base());
    const token = created.outs!.token;
    expect(parseEnrollmentToken(token).name).toBe('gpu-1');
    // The CA keeps a hash of the token, never the token itself (grep exits 1: no match).
    expect(spawnSync('grep', ['-rl', token.split('.')[2]!, join(root, 'var/lib/enclave/ca')]).status).toBe(1);

    expect(await enrollmentTokenProvider.diff(created.id, created.outs!, base())).toMatchObject({
      changes: false,
    });
    // Switching how tokens are made does not reissue them.
    const viaApi = base({ source: { kind: 'api', baseUrl: 'https://127.0.0.1:1', caFile: '/x' } });
    expect(await enrollmentTokenProvider.diff(created.id, created.outs!, viaApi)).toMatchObject({
      changes: false,
    });
    const bumped = base({ generation: 2 });
    expect(await enrollmentTokenProvider.diff(created.id, created.outs!, bumped)).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(
      await enrollmentTokenProvider.diff(created.id, created.outs!, base({ node: 'gpu-2' })),
    ).toMatchObject({ replaces: ['node'] });

    const updated = await enrollmentTokenProvider.update(created.id, created.outs!, bumped);
    expect(updated.outs!.token).not.toBe(token);
    expect(parseEnrollmentToken(updated.outs!.token).name).toBe('gpu-1');
    await expect(enrollmentTokenProvider.delete(created.id, updated.outs!)).resolves.toBeUndefined();
  }, 60_000);

  it('a broker token carries server auth and its address', async () => {
    const created = await enrollmentTokenProvider.create(
      base({ node: 'kafka-1', profile: 'broker', serverAuth: true, ipAddresses: ['10.20.0.21'] }),
    );
    expect(parseEnrollmentToken(created.outs!.token).name).toBe('kafka-1');
  }, 60_000);

  it('fails with the CLI message when the CA directory is missing', async () => {
    await expect(
      enrollmentTokenProvider.create(base({ source: { kind: 'ca-dir', enclaveBin, caDir: '/nowhere' } })),
    ).rejects.toThrow(/command failed \(exit [12]\)/);
  }, 60_000);
});

describe('HostCertificate provider (real `enclave cert issue` on the CA host)', () => {
  const inputs = (over: Partial<HostCertificateInputs> = {}): HostCertificateInputs => ({
    connection: { kind: 'local', root },
    enclaveBin,
    caDir: '/var/lib/enclave/ca',
    profile: 'control-plane',
    name: 'cp-1',
    outDir: '/var/lib/enclave/tls',
    owner: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    serverAuth: true,
    dnsNames: [],
    ipAddresses: ['10.20.0.10'],
    ...over,
  });
  const at = (p: string) => join(root, p);

  it('issues key (0600) and certificate on the host, keeps them on a re-run, replaces on a new name, delete removes them', async () => {
    const created = await hostCertificateProvider.create(inputs());
    expect(statSync(at('/var/lib/enclave/tls/key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(at('/var/lib/enclave/tls')).mode & 0o777).toBe(0o700);
    const cert = await readFile(at('/var/lib/enclave/tls/cert.pem'), 'utf8');
    const text = execFileSync('openssl', ['x509', '-noout', '-subject', '-ext', 'subjectAltName'], {
      input: cert,
      encoding: 'utf8',
    });
    // The control-plane profile's subject is fixed (one principal for HTTPS and Kafka).
    expect(text).toMatch(/CN ?= ?control-plane/);
    expect(text).toContain('IP Address:10.20.0.10');
    // No key material in the state.
    expect(JSON.stringify(created.outs)).not.toMatch(/BEGIN/);

    await hostCertificateProvider.create(inputs()); // a retried up
    expect(await readFile(at('/var/lib/enclave/tls/cert.pem'), 'utf8')).toBe(cert);

    expect(await hostCertificateProvider.diff(created.id, created.outs!, inputs())).toMatchObject({
      changes: false,
    });
    expect(
      await hostCertificateProvider.diff(created.id, created.outs!, inputs({ ipAddresses: ['10.20.0.11'] })),
    ).toMatchObject({
      replaces: ['ipAddresses'],
      deleteBeforeReplace: true,
    });
    const updated = await hostCertificateProvider.update(created.id, created.outs!, inputs({ owner: '0:0' }));
    await hostCertificateProvider.delete(created.id, updated.outs!);
    for (const f of ['key.pem', 'cert.pem', 'chain.pem', 'ca.pem'])
      expect(existsSync(at(`/var/lib/enclave/tls/${f}`))).toBe(false);
  }, 60_000);

  it('refuses a hostile owner', async () => {
    await expect(hostCertificateProvider.create(inputs({ owner: 'root; reboot' }))).rejects.toThrow(
      /bad owner/,
    );
  });
});

describe('EnrollmentToken provider, api source (real curl over TLS 1.3)', () => {
  const port = 20811;
  let server: Server;
  let seen: { authorization?: string; body: string }[] = [];
  const apiToken = 'ent_' + randomBytes(16).toString('hex');

  beforeAll(async () => {
    const dir = join(root, 'tls');
    await mkdir(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    server = createServer(
      {
        key: await readFile(join(dir, 'key.pem')),
        cert: await readFile(join(dir, 'cert.pem')),
        minVersion: 'TLSv1.3',
      },
      (req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          seen.push({
            body,
            ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          });
          if (
            req.url !== '/api/v1/nodes/enrollment-tokens' ||
            req.headers.authorization !== `Bearer ${apiToken}`
          ) {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"UNAUTHENTICATED"}');
            return;
          }
          const { nodeId } = JSON.parse(body) as { nodeId: string };
          const token = formatEnrollmentToken({
            name: nodeId,
            secret: randomBytes(32),
            caPin: randomBytes(32),
          });
          res
            .writeHead(201, { 'content-type': 'application/json' })
            .end(JSON.stringify({ token, nodeId, expiresAt: new Date().toISOString() }));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const api = (over: Partial<EnrollmentTokenInputs> = {}) =>
    base({
      source: { kind: 'api', baseUrl: `https://127.0.0.1:${port}/`, caFile: '/tls/cert.pem' },
      apiToken,
      node: 'gpu-9',
      ...over,
    });

  it('posts the node id with the bearer token (sent on stdin) and returns the token', async () => {
    seen = [];
    const created = await enrollmentTokenProvider.create(api());
    expect(parseEnrollmentToken(created.outs!.token).name).toBe('gpu-9');
    expect(seen).toEqual([{ authorization: `Bearer ${apiToken}`, body: '{"nodeId":"gpu-9","ttlHours":24}' }]);
  });

  it('fails on a wrong API token, and refuses broker tokens', async () => {
    await expect(enrollmentTokenProvider.create(api({ apiToken: 'wrong' }))).rejects.toThrow(
      /exit 22[\s\S]*401|UNAUTHENTICATED/,
    );
    await expect(enrollmentTokenProvider.create(api({ profile: 'broker' }))).rejects.toThrow(
      /node tokens only/,
    );
  });
});
