// The development and test broker: one Apache Kafka 4.x node in KRaft mode whose every
// listener is mutual TLS 1.3 under the appliance CA, with the standard authorizer denying
// whatever no ACL allows. `npm run kafka:start` / `kafka:stop` and the test global setup use it.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBrokerJars } from './broker-jars.ts';
import {
  newClusterId,
  renderLog4j2Properties,
  renderServerProperties,
  type BrokerPorts,
} from './broker-config.ts';
import {
  formatStorageIfNeeded,
  isAlive,
  runningBrokerPid,
  spawnBroker,
  stopBroker,
  tailOfFile,
  type BrokerProcessPaths,
} from './broker-process.ts';
import { devPaths, type DevPaths } from './dev-paths.ts';
import { ensureIdentity, openDevCa, writeKeystorePem, type IdentityFiles } from './dev-tls.ts';
import { probeMetadata } from './metadata-probe.ts';

export const brokerHost = '127.0.0.1';
export const adminPrincipal = 'operator-admin';

export interface DevBroker {
  bootstrap: string;
  ports: BrokerPorts;
  caFile: string;
  admin: IdentityFiles;
  /** The control plane's identity: a super user of the broker. */
  controlPlane: IdentityFiles;
  pid: number;
  paths: DevPaths;
}

export function brokerPorts(env: NodeJS.ProcessEnv = process.env): BrokerPorts {
  const client = Number(env['ENCLAVE_KAFKA_PORT'] ?? 19093);
  if (!Number.isInteger(client) || client < 1024 || client > 65530) {
    throw new Error(
      `ENCLAVE_KAFKA_PORT must be a port number between 1024 and 65530, got "${env['ENCLAVE_KAFKA_PORT']}"`,
    );
  }
  return { client, controller: client + 1, broker: client + 2 };
}

function processPaths(paths: DevPaths, libDir: string): BrokerProcessPaths {
  return {
    libDir,
    configFile: paths.kafkaConfigFile,
    log4jFile: paths.kafkaLog4jFile,
    logDir: paths.kafkaLogDir,
    pidFile: paths.kafkaPidFile,
  };
}

async function ensureTls(paths: DevPaths) {
  const ca = await openDevCa(paths.caDir);
  const broker = await ensureIdentity(ca, join(paths.kafkaTlsDir, 'broker-0'), {
    profile: 'broker',
    name: '0',
    dnsNames: ['localhost'],
    ipAddresses: [brokerHost],
  });
  const admin = await ensureIdentity(ca, join(paths.kafkaTlsDir, 'admin'), {
    profile: 'operator',
    name: 'admin',
  });
  const controlPlane = await ensureIdentity(ca, join(paths.kafkaTlsDir, 'control-plane'), {
    profile: 'control-plane',
    name: 'control-plane',
    dnsNames: ['localhost'],
    ipAddresses: [brokerHost],
  });
  const keystore = join(paths.kafkaTlsDir, 'broker-0', 'keystore.pem');
  await writeKeystorePem(broker, keystore);
  return { broker, admin, controlPlane, keystore };
}

async function writeEnvFile(paths: DevPaths, bootstrap: string, admin: IdentityFiles): Promise<void> {
  const lines = [
    '# Written by `npm run kafka:start`. Connect with, for example:',
    '#   kcat -L -b "$KAFKA_BOOTSTRAP" -X security.protocol=ssl -X ssl.ca.location="$KAFKA_CA" \\',
    '#        -X ssl.certificate.location="$KAFKA_ADMIN_CERT" -X ssl.key.location="$KAFKA_ADMIN_KEY"',
    `KAFKA_BOOTSTRAP=${bootstrap}`,
    `KAFKA_CA=${admin.ca}`,
    `KAFKA_ADMIN_CERT=${admin.chain}`,
    `KAFKA_ADMIN_KEY=${admin.key}`,
    '',
  ];
  await writeFile(paths.kafkaEnvFile, lines.join('\n'));
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** Starts the broker, or returns the one already running; resolves once metadata answers over mTLS. */
export async function startDevBroker(options: StartOptions = {}): Promise<DevBroker> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(`kafka: ${line}`));
  const paths = devPaths(env);
  const ports = brokerPorts(env);
  const bootstrap = `${brokerHost}:${ports.client}`;
  for (const dir of [paths.kafkaDir, paths.kafkaDataDir, paths.kafkaLogDir, paths.kafkaTlsDir]) {
    await mkdir(dir, { recursive: true });
  }
  const libDir = await ensureBrokerJars(paths.cacheDir, log);
  const tls = await ensureTls(paths);
  await writeEnvFile(paths, bootstrap, tls.admin);
  const procPaths = processPaths(paths, libDir);

  const running = runningBrokerPid(procPaths);
  if (running !== undefined) {
    log(`already running (pid ${running}) on ${bootstrap}`);
    await waitUntilReady(bootstrap, tls.admin, running, paths, options.readyTimeoutMs ?? 90_000);
    return {
      bootstrap,
      ports,
      caFile: tls.admin.ca,
      admin: tls.admin,
      controlPlane: tls.controlPlane,
      pid: running,
      paths,
    };
  }

  await writeFile(
    paths.kafkaConfigFile,
    renderServerProperties({
      host: brokerHost,
      ports,
      dataDir: paths.kafkaDataDir,
      keystorePemFile: tls.keystore,
      truststorePemFile: tls.broker.ca,
      superUsers: ['broker-0', 'control-plane', adminPrincipal],
    }),
  );
  await writeFile(paths.kafkaLog4jFile, renderLog4j2Properties(paths.kafkaLogDir));
  if (await formatStorageIfNeeded(procPaths, paths.kafkaDataDir, newClusterId(randomBytes))) {
    log(`formatted new storage in ${paths.kafkaDataDir}`);
  } else {
    log(`reusing storage in ${paths.kafkaDataDir}`);
  }
  const pid = await spawnBroker(procPaths);
  log(`started pid ${pid}; waiting for metadata over mTLS on ${bootstrap}`);
  await waitUntilReady(bootstrap, tls.admin, pid, paths, options.readyTimeoutMs ?? 90_000);
  log(`ready on ${bootstrap} (settings for kcat and tools in ${paths.kafkaEnvFile})`);
  return {
    bootstrap,
    ports,
    caFile: tls.admin.ca,
    admin: tls.admin,
    controlPlane: tls.controlPlane,
    pid,
    paths,
  };
}

async function waitUntilReady(
  bootstrap: string,
  admin: IdentityFiles,
  pid: number,
  paths: DevPaths,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new Error(
        `the broker exited during start-up; last lines of ${join(paths.kafkaLogDir, 'server.log')}:\n` +
          `${tailOfFile(join(paths.kafkaLogDir, 'server.log'))}\n${tailOfFile(join(paths.kafkaLogDir, 'broker.out'))}`,
      );
    }
    const probe = await probeMetadata(bootstrap, { ca: admin.ca, chain: admin.chain, key: admin.key }, 3_000);
    if (probe.ok) return;
    last = probe.errors.at(-1) ?? 'no brokers in metadata';
    await sleep(500);
  }
  throw new Error(
    `the broker did not answer metadata over mTLS within ${timeoutMs} ms (last error: ${last})`,
  );
}

export async function stopDevBroker(
  options: StartOptions = {},
): Promise<'stopped' | 'killed' | 'not-running'> {
  const paths = devPaths(options.env ?? process.env);
  return stopBroker({ pidFile: paths.kafkaPidFile, configFile: paths.kafkaConfigFile });
}

export function devBrokerRunning(env: NodeJS.ProcessEnv = process.env): boolean {
  const paths = devPaths(env);
  return (
    existsSync(paths.kafkaPidFile) &&
    runningBrokerPid({ pidFile: paths.kafkaPidFile, configFile: paths.kafkaConfigFile }) !== undefined
  );
}
