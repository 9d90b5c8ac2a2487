// Starts, finds and stops the broker's Java process. The pid file is trusted only when
// /proc says that pid is still our broker (same config file), so a reused pid is never killed.
import { spawn, execFile } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const run = promisify(execFile);

export interface BrokerProcessPaths {
  libDir: string;
  configFile: string;
  log4jFile: string;
  logDir: string;
  pidFile: string;
}

const heap = ['-Xms256m', '-Xmx512m'];

function classpath(libDir: string): string {
  return join(libDir, '*');
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** The pid of the running broker started with `configFile`, if any. */
export function runningBrokerPid(
  paths: Pick<BrokerProcessPaths, 'pidFile' | 'configFile'>,
): number | undefined {
  if (!existsSync(paths.pidFile)) return undefined;
  const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = cmdlineOf(pid);
  return cmdline?.includes('kafka.Kafka') && cmdline.includes(paths.configFile) ? pid : undefined;
}

export async function formatStorageIfNeeded(
  paths: BrokerProcessPaths,
  dataDir: string,
  clusterId: string,
): Promise<boolean> {
  if (existsSync(join(dataDir, 'meta.properties'))) return false;
  await run(
    'java',
    [
      ...heap,
      `-Dlog4j2.configurationFile=${paths.log4jFile}`,
      '-cp',
      classpath(paths.libDir),
      'kafka.tools.StorageTool',
      'format',
      // One argument: a base64url id may start with "-", which argparse would take for an option.
      `--cluster-id=${clusterId}`,
      '--config',
      paths.configFile,
      '--ignore-formatted',
    ],
    { maxBuffer: 4 * 1024 * 1024 },
  );
  return true;
}

/** Spawns the broker detached from this process; output goes to logs/broker.out. */
export async function spawnBroker(paths: BrokerProcessPaths): Promise<number> {
  const out = openSync(join(paths.logDir, 'broker.out'), 'a');
  const child = spawn(
    'java',
    [
      ...heap,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${paths.log4jFile}`,
      `-Dkafka.logs.dir=${paths.logDir}`,
      '-cp',
      classpath(paths.libDir),
      'kafka.Kafka',
      paths.configFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (child.pid === undefined) throw new Error('could not start java (is a Java 17+ runtime installed?)');
  child.unref();
  await writeFile(paths.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopBroker(
  paths: Pick<BrokerProcessPaths, 'pidFile' | 'configFile'>,
  graceMs = 30_000,
): Promise<'stopped' | 'killed' | 'not-running'> {
  const pid = runningBrokerPid(paths);
  if (pid === undefined) {
    await rm(paths.pidFile, { force: true });
    return 'not-running';
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      await rm(paths.pidFile, { force: true });
      return 'stopped';
    }
    await sleep(200);
  }
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(100);
  await rm(paths.pidFile, { force: true });
  return 'killed';
}

export function tailOfFile(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
