// A real agent process (`bin/enclave agent start`, as the single box starts one) whose clock is
// off: libfaketime's multi-threaded library (Node has threads) preloaded with FAKETIME=+5m, as
// `faketime -m -f +5m` would set up. Not the `faketime` wrapper itself: it forks and does not
// pass SIGTERM on, so the agent could not be drained. Monotonic clocks stay real
// (FAKETIME_DONT_FAKE_MONOTONIC), as on a node whose wall clock alone is wrong.
import { agentPaths, writeAgentConfig, type AgentPaths, type ApiSession } from '@enclave/devkit/appliance';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SkewedAgentOptions {
  readonly repoRoot: string;
  readonly devDir: string;
  readonly nodeId: string;
  /** libfaketime's relative offset, e.g. `+5m` or `-5m`. */
  readonly offset: string;
  readonly library: string;
  readonly controlPlaneUrl: string;
  readonly agentUrl: string;
  readonly heartbeatSeconds: number;
}

/** Debian's libfaketimeMT.so.1 (package libfaketime, pulled in by `faketime`), if installed. */
export function findLibfaketime(): string | null {
  for (const dir of ['/usr/lib', ...readdirSync('/usr/lib').map((d) => join('/usr/lib', d))]) {
    const file = join(dir, 'faketime', 'libfaketimeMT.so.1');
    if (existsSync(file)) return file;
  }
  return null;
}

/** The variables that put a process's wall clock `offset` (e.g. `-5m`) away from the real one. */
export function faketimeEnv(library: string, offset: string): Record<string, string> {
  return { LD_PRELOAD: library, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}

/** How far `offset` moves Node's Date.now() in a child process, in ms (what the test asserts). */
export function measuredShiftMs(library: string, offset: string): number {
  const before = Date.now();
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], {
    encoding: 'utf8',
    env: { ...process.env, ...faketimeEnv(library, offset) },
  });
  if (probe.status !== 0) throw new Error(`node under libfaketime failed: ${probe.stderr}`);
  return Number(probe.stdout) - (before + Date.now()) / 2;
}

export class SkewedAgent {
  readonly paths: AgentPaths;
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;
  #running = true;

  private constructor(paths: AgentPaths, child: ChildProcess) {
    this.paths = paths;
    this.#child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.#running = false;
        resolve(code);
      }),
    );
  }

  /** Writes the agent's config with a fresh enrollment token and starts it under libfaketime. */
  static async start(admin: ApiSession, options: SkewedAgentOptions): Promise<SkewedAgent> {
    const paths = agentPaths(join(options.devDir, `agent-${options.nodeId}`));
    await writeAgentConfig(
      {
        repoRoot: options.repoRoot,
        paths,
        controlPlaneUrl: options.controlPlaneUrl,
        agentUrl: options.agentUrl,
        allowUnsandboxed: false,
        drainDeadlineSeconds: 5,
        heartbeatSeconds: options.heartbeatSeconds,
      },
      await admin.enrollmentToken(options.nodeId),
    );
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !name.startsWith('ENCLAVE_') && name !== 'NOTIFY_SOCKET',
      ),
    );
    const log = openSync(paths.agentLog, 'a');
    try {
      const child = spawn(
        join(options.repoRoot, 'bin', 'enclave'),
        ['agent', 'start', '--config', paths.agentConfigFile],
        {
          cwd: options.repoRoot,
          env: { ...env, ...faketimeEnv(options.library, options.offset) },
          stdio: ['ignore', log, log],
          detached: true, // its own group: a stop reaches the ffmpeg it started too
        },
      );
      return new SkewedAgent(paths, child);
    } finally {
      closeSync(log);
    }
  }

  get running(): boolean {
    return this.#running;
  }

  /** The agent's own clock as it last wrote it (status.json's updatedAt). */
  statusUpdatedAt(): number | null {
    const file = join(this.paths.agentStateDir, 'status.json');
    if (!existsSync(file)) return null;
    return Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { updatedAt: string }).updatedAt);
  }

  tail(lines = 30): string {
    return readFileSync(this.paths.agentLog, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (the agent drains and exits), then SIGKILL to its group after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.#running) return;
    const pid = this.#child.pid!;
    process.kill(pid, 'SIGTERM');
    const killed = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (killed) {
      process.kill(-pid, 'SIGKILL');
      await this.exited;
    }
  }
}
