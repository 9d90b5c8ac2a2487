// The control plane as a child process: its TLS certificate from the dev CA, its environment
// written to a file, `node control-plane/dist/main.js`, and a wait for /api/v1/health over
// TLS 1.3 with the appliance root as the only trust anchor.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DevBroker } from '../kafka/dev-broker.ts';
import { ensureIdentity, openDevCa } from '../kafka/dev-tls.ts';
import type { AppliancePaths } from './appliance-paths.ts';
import { ManagedChild } from './child-process.ts';
import { httpsJson } from './https-json.ts';
import { ensureMasterKey } from './master-key.ts';

export interface ControlPlaneSettings {
  readonly repoRoot: string;
  readonly paths: AppliancePaths;
  readonly broker: DevBroker;
  readonly bind: string;
  readonly apiPort: number;
  readonly agentPort: number;
  /** Extra or overriding ENCLAVE_* settings (tests shorten the scheduler's lease). */
  readonly env: Readonly<Record<string, string>>;
}

export interface ControlPlaneTls {
  readonly caFile: string;
  readonly caPem: string;
  readonly keyFile: string;
  readonly certFile: string;
}

/** Issues (or reuses while it has a day left) the control plane's HTTPS certificate. */
export async function ensureControlPlaneTls(
  paths: AppliancePaths,
  caDir: string,
  bind: string,
): Promise<ControlPlaneTls> {
  const ca = await openDevCa(caDir);
  const identity = await ensureIdentity(ca, paths.tlsDir, {
    profile: 'control-plane',
    name: 'control-plane-api',
    dnsNames: ['localhost'],
    ipAddresses: [...new Set(['127.0.0.1', bind])],
  });
  const [chain, root] = await Promise.all([readFile(identity.chain, 'utf8'), readFile(identity.ca, 'utf8')]);
  await writeFile(paths.fullChainFile, `${chain.trim()}\n${root.trim()}\n`);
  return { caFile: identity.ca, caPem: root, keyFile: identity.key, certFile: identity.cert };
}

export async function controlPlaneEnv(
  settings: ControlPlaneSettings,
  tls: ControlPlaneTls,
  caDir: string,
): Promise<Record<string, string>> {
  const { paths, broker } = settings;
  const env: Record<string, string> = {
    ENCLAVE_DATA_DIR: paths.dataDir,
    ENCLAVE_BIND: settings.bind,
    ENCLAVE_API_PORT: String(settings.apiPort),
    ENCLAVE_AGENT_PORT: String(settings.agentPort),
    ENCLAVE_CA_DIR: caDir,
    ENCLAVE_TLS_KEY_FILE: tls.keyFile,
    ENCLAVE_TLS_CERT_FILE: tls.certFile,
    ENCLAVE_TLS_CHAIN_FILE: paths.fullChainFile,
    ENCLAVE_KAFKA_BOOTSTRAP: broker.bootstrap,
    ENCLAVE_KAFKA_CA: broker.controlPlane.ca,
    ENCLAVE_KAFKA_CERT: broker.controlPlane.chain,
    ENCLAVE_KAFKA_KEY: broker.controlPlane.key,
  };
  // UI HOOK (issue #8): when the UI has been built (`ui/dist/index.html`), the control plane
  // serves it from the API listener at `/`.
  const uiDist = join(settings.repoRoot, 'ui', 'dist');
  if (existsSync(join(uiDist, 'index.html'))) env['ENCLAVE_UI_DIR'] = uiDist;
  env['ENCLAVE_MASTER_KEY_FILE'] = await ensureMasterKey(paths.masterKeyFile);
  return { ...env, ...settings.env };
}

export async function startControlPlane(settings: ControlPlaneSettings, tls: ControlPlaneTls, caDir: string) {
  const { paths } = settings;
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  const env = await controlPlaneEnv(settings, tls, caDir);
  await writeFile(
    paths.controlPlaneEnvFile,
    [
      '# Written by the single-box launcher on every start: what the control plane runs with.',
      ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const child = new ManagedChild({
    name: 'control plane',
    command: process.execPath,
    args: [join(settings.repoRoot, 'control-plane', 'dist', 'main.js')],
    cwd: settings.repoRoot,
    env: { ...inheritedEnv(), ...env },
    logFile: paths.controlPlaneLog,
  });
  return { child, env };
}

/** The caller's environment without its ENCLAVE_* settings: the launcher decides those. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ENCLAVE_') || name === 'ENCLAVE_CACHE'),
  );
}

export async function waitForHealth(
  url: string,
  caPem: string,
  child: ManagedChild,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!child.running) {
      throw new Error(
        `the control plane exited during start-up; last lines of ${child.logFile}:\n${child.tail()}`,
      );
    }
    try {
      const reply = await httpsJson({ url: `${url}/api/v1/health`, caPem, timeoutMs: 3_000 });
      if (reply.status === 200) return;
      last = `HTTP ${reply.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(300);
  }
  throw new Error(
    `the control plane did not answer ${url}/api/v1/health within ${timeoutMs} ms (last: ${last}); see ${child.logFile}`,
  );
}
