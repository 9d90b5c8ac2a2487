// A whole control plane for medium-tier tests: a fresh appliance CA in a temp directory, the
// control plane's certificate from it, a real SQLite file with the real migrations, and the
// real application listening on 127.0.0.1:0 with both HTTPS listeners. Only the log sink and
// (optionally) the clock are swapped.
import { CertificateAuthority, writeIssued, type IssuedCertificate, type Profile } from '@enclave/certs';
import { LoginReplySchema, type Role } from '@enclave/contracts';
import { MikroORM, RequestContext } from '@mikro-orm/sqlite';
import { MasterKey } from '@enclave/crypto';
import { appendFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AdminService } from '../../src/admin/admin.service.ts';
import { startControlPlane, type RunningControlPlane } from '../../src/app/control-plane.app.ts';
import type { Clock } from '../../src/common/clock.ts';
import { loadControlPlaneConfig, type ControlPlaneConfig } from '../../src/config/control-plane.config.ts';
import { Asset } from '../../src/database/entities/asset.entity.ts';
import type { MessagingOverrides } from '../../src/kafka-link/kafka-link.module.ts';
import { NodesService } from '../../src/nodes/nodes.service.ts';
import type { NodeCapabilities } from '../../src/scheduler/index.ts';
import { bodyOf, httpsCall, sessionCookieValue, type HttpReply, type HttpRequest } from './https-client.ts';
import { MemoryLogSink } from './memory-log-sink.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  readonly userId: string;
  readonly tenantId: string;
  readonly email: string;
  readonly role: Role;
  readonly password: string;
}

export interface TestAppliance {
  readonly dir: string;
  readonly config: ControlPlaneConfig;
  readonly running: RunningControlPlane;
  readonly logs: MemoryLogSink;
  readonly apiPort: number;
  readonly agentPort: number;
  /** The root certificate: what clients trust. */
  readonly caPem: string;
  /** The control plane's own CA instance (records in its SQLite database). */
  readonly ca: CertificateAuthority;
  createTenant(name: string): Promise<string>;
  createUser(tenantId: string, role: Role, email?: string): Promise<TestUser>;
  /** Signs in and returns the session cookie value. */
  login(user: { email: string; password: string }): Promise<string>;
  issue(profile: Profile, name: string): Promise<IssuedCertificate>;
  /** An asset row (metadata only; the asset store is issue #6) in a tenant's project. */
  createAsset(tenantId: string, projectId: string, name?: string): Promise<string>;
  /** A node as if enrolled (certificate issued, row, scheduler), without Kafka. */
  registerNode(nodeId: string, capabilities?: NodeCapabilities): Promise<IssuedCertificate>;
  api(request: Omit<HttpRequest, 'port' | 'tls'> & { cookie?: string; token?: string }): Promise<HttpReply>;
  stop(): Promise<void>;
}

export interface TestApplianceOptions {
  readonly clock?: Clock;
  readonly env?: Record<string, string>;
  /** Copy this CA directory instead of making a fresh CA (the dev CA the broker trusts). */
  readonly caFrom?: string;
  readonly messaging?: MessagingOverrides;
  /** Reuse this directory (a restart on the same database); it is not removed by stop(). */
  readonly dir?: string;
  /**
   * Present the root too (leaf, intermediate, root), as the appliance does: a real agent
   * enrolling checks the root at the top of the presented chain against its token's pin.
   */
  readonly presentRoot?: boolean;
}

let counter = 0;

/**
 * Dev/test master key: unless the test configures one itself, a key file in the data directory,
 * created (0600) on first start and reused on a restart over the same directory. A configured
 * key file that does not exist yet is created the same way (a child process shares it).
 */
export async function devMasterKey(
  dir: string,
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  if (env['ENCLAVE_MASTER_PASSPHRASE_FILE'] !== undefined) return {};
  const file = env['ENCLAVE_MASTER_KEY_FILE'] ?? join(dir, 'data', DEV_MASTER_KEY_FILE);
  if (file === '') return {};
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await MasterKey.createKeyFile(file).then(
    (key) => key.destroy(),
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return { ENCLAVE_MASTER_KEY_FILE: file };
}

export const DEV_MASTER_KEY_FILE = 'master.key';

export async function startTestAppliance(options: TestApplianceOptions = {}): Promise<TestAppliance> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'enclave-cp-test-')));
  const caDir = join(dir, 'ca');
  let bootstrapCa: CertificateAuthority;
  if (options.dir !== undefined) bootstrapCa = await CertificateAuthority.open({ dir: caDir });
  else if (options.caFrom !== undefined) {
    await cp(options.caFrom, caDir, { recursive: true });
    bootstrapCa = await CertificateAuthority.open({ dir: caDir });
  } else {
    bootstrapCa = await CertificateAuthority.init({ dir: caDir, passphrase: 'test passphrase, not secret' });
  }
  const serverCert = await bootstrapCa.issue({
    profile: 'control-plane',
    name: 'cp',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    keyType: 'ec-p256',
  });
  const files = await writeIssued(join(dir, 'tls'), serverCert);
  if (options.presentRoot === true) await appendFile(files.chain, `\n${bootstrapCa.rootCertPem.trim()}\n`);
  const masterKey = await devMasterKey(dir, options.env);
  const config = loadControlPlaneConfig({
    ...masterKey,
    ENCLAVE_DATA_DIR: join(dir, 'data'),
    ENCLAVE_CA_DIR: caDir,
    ENCLAVE_TLS_KEY_FILE: files.key ?? '',
    ENCLAVE_TLS_CERT_FILE: files.cert,
    ENCLAVE_TLS_CHAIN_FILE: files.chain,
    ENCLAVE_API_PORT: '0',
    ENCLAVE_AGENT_PORT: '0',
    ENCLAVE_PASSWORD_SCRYPT_LOG2N: '14',
    ENCLAVE_LOGIN_RATE_PER_MINUTE: '10000',
    ENCLAVE_LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs = new MemoryLogSink();
  const running = await startControlPlane(config, {
    logSink: logs,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.messaging !== undefined ? { messaging: options.messaging } : {}),
  });
  const ca = running.app.get(CertificateAuthority);
  const orm = running.app.get(MikroORM);
  const admin = running.app.get(AdminService);
  const inContext = <T>(fn: () => Promise<T>): Promise<T> => RequestContext.create(orm.em, fn);
  const apiPort = running.addresses.api.port;

  const appliance: TestAppliance = {
    dir,
    config,
    running,
    logs,
    apiPort,
    agentPort: running.addresses.agent.port,
    caPem: ca.rootCertPem,
    ca,
    createTenant: async (name) => (await inContext(() => admin.createTenant(name))).tenantId,
    createUser: async (tenantId, role, email) => {
      const address = email ?? `${role}-${++counter}@example.test`;
      const created = await inContext(() =>
        admin.createUser({
          tenant: tenantId,
          email: address,
          displayName: address,
          role,
          password: TEST_PASSWORD,
          adultAttested: true,
        }),
      );
      return { ...created, password: TEST_PASSWORD };
    },
    login: async (user) => {
      const reply = await appliance.api({
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: user.email, password: user.password },
      });
      bodyOf(reply, LoginReplySchema);
      const cookie = sessionCookieValue(reply);
      if (cookie === undefined) throw new Error('login set no cookie');
      return cookie;
    },
    issue: (profile, name) => ca.issue({ profile, name, keyType: 'ec-p256' }),
    createAsset: async (tenantId, projectId, name = 'still.jpg') => {
      const id = `asset-${++counter}-${Date.now().toString(36)}`;
      const em = orm.em.fork();
      em.create(Asset, {
        id,
        tenant: tenantId,
        project: projectId,
        name,
        mediaType: 'image/jpeg',
        sizeBytes: 1234,
        sha256: createHash('sha256').update(id).digest('hex'),
        storageKey: `test/${id}`,
        createdAt: new Date(),
      });
      await em.flush();
      return id;
    },
    registerNode: async (nodeId, capabilities = { gpus: [], cpuSlots: 2, tags: [] }) => {
      const issued = await ca.issue({ profile: 'node', name: nodeId, keyType: 'ec-p256' });
      await running.app.get(NodesService).register({ nodeId, capabilities, certificate: issued });
      return issued;
    },
    api: (request) => {
      const { cookie, token, headers, ...rest } = request;
      const unsafe = (request.method ?? 'GET') !== 'GET';
      const all: Record<string, string> = {
        ...(cookie !== undefined ? { cookie: `__Host-enclave_session=${cookie}` } : {}),
        ...(cookie !== undefined && unsafe ? { origin: `https://127.0.0.1:${apiPort}` } : {}),
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      };
      // An empty value means "do not send this header at all".
      const sent = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== ''));
      return httpsCall({ ...rest, port: apiPort, tls: { ca: ca.rootCertPem }, headers: sent });
    },
    stop: async () => {
      await running.close();
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
  return appliance;
}
