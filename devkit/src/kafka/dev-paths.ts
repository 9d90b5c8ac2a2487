// Where the development appliance keeps its state. Everything lives under `.enclave/dev/`
// in the repository (git-ignored) except downloads, which go to a per-user cache so a fresh
// clone reuses them.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

export interface DevPaths {
  devDir: string;
  caDir: string;
  kafkaDir: string;
  kafkaDataDir: string;
  kafkaLogDir: string;
  kafkaTlsDir: string;
  kafkaConfigFile: string;
  kafkaLog4jFile: string;
  kafkaPidFile: string;
  kafkaEnvFile: string;
  cacheDir: string;
}

export function devPaths(env: NodeJS.ProcessEnv = process.env): DevPaths {
  const devDir = resolve(env['ENCLAVE_DEV_DIR'] ?? join(repoRoot, '.enclave', 'dev'));
  const kafkaDir = join(devDir, 'kafka');
  const cacheDir = resolve(
    env['ENCLAVE_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'enclave'),
  );
  return {
    devDir,
    caDir: join(devDir, 'ca'),
    kafkaDir,
    kafkaDataDir: join(kafkaDir, 'data'),
    kafkaLogDir: join(kafkaDir, 'logs'),
    kafkaTlsDir: join(kafkaDir, 'tls'),
    kafkaConfigFile: join(kafkaDir, 'server.properties'),
    kafkaLog4jFile: join(kafkaDir, 'log4j2.properties'),
    kafkaPidFile: join(kafkaDir, 'broker.pid'),
    kafkaEnvFile: join(devDir, 'kafka.env'),
    cacheDir,
  };
}
