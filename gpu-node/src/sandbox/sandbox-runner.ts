// Every step process runs through here: in a fresh network namespace (no route anywhere, not
// even to the node's own loopback services), with a scrubbed environment, cwd/HOME/TMPDIR in
// the task's scratch directory, and rlimits. The command line becomes
//   prlimit <limits> -- unshare --net -- <tool> <args>
// Both wrappers exec the next program, so the tool keeps the pid (and process group) we spawned.
import type { Logger } from '../logger.ts';
import type { ProcessResult, ProcessRunner } from '../process/process-runner.ts';
import { DEFAULT_LIMITS, prlimitArgs, type ResourceLimits } from './resource-limits.ts';
import { probeSandbox, unshareArgs, type ProbeOptions, type SandboxCapabilities } from './sandbox-probe.ts';

/** The only variables a step process sees; nothing of the agent's environment leaks through. */
export const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Extra variables a step may pass (GPU pinning, thread counts); any other name is refused. */
export const PASSABLE_ENV = ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'OMP_NUM_THREADS'] as const;
export type PassableEnv = (typeof PASSABLE_ENV)[number];

export interface SandboxWorkdir {
  /** The task's scratch directory: cwd and HOME. */
  readonly dir: string;
  readonly tmpDir: string;
}

export interface SandboxRunOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly workdir: SandboxWorkdir;
  readonly limits?: Partial<ResourceLimits>;
  readonly env?: Partial<Record<PassableEnv, string>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when aborting (default 2 s). */
  readonly killGraceMs?: number;
  readonly onStdoutLine?: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  readonly stdoutLimitBytes?: number;
}

export class SandboxUnavailableError extends Error {
  constructor() {
    super(
      'REFUSING TO RUN STEPS: this host cannot give step processes a network namespace ' +
        '(`unshare --net` failed as root and with a user namespace). Step processes would have ' +
        'the node’s full network access. Fix the host (CAP_SYS_ADMIN or unprivileged user ' +
        'namespaces), or set allowUnsandboxed in the agent configuration to run without it.',
    );
    this.name = 'SandboxUnavailableError';
  }
}

export interface SandboxOptions {
  readonly capabilities: SandboxCapabilities;
  readonly processRunner: ProcessRunner;
  readonly logger: Logger;
  /** The operator's explicit consent to run steps with network access. Off by default. */
  readonly allowUnsandboxed?: boolean;
  readonly defaultLimits?: ResourceLimits;
}

/**
 * What a tool prints when a connect or DNS lookup fails for want of a network. Inside the
 * namespace that is the only way an attempt shows: the kernel refuses it, nothing is logged.
 */
const NETWORK_REFUSED = /Network is unreachable|ENETUNREACH|EAI_AGAIN|Temporary failure in name resolution/;

export class SandboxRunner {
  readonly capabilities: SandboxCapabilities;
  readonly isolated: boolean;
  /**
   * Step processes whose stderr showed a refused network attempt (at most one per process).
   * The namespace blocks every attempt whether counted or not; a tool that swallows the error
   * is not counted. The agent adds this to its egress counters.
   */
  networkRefusals = 0;
  lastNetworkRefusalAt: Date | null = null;
  private readonly runner: ProcessRunner;
  private readonly defaultLimits: ResourceLimits;

  constructor(options: SandboxOptions) {
    this.capabilities = options.capabilities;
    this.isolated = options.capabilities.network !== 'none';
    this.runner = options.processRunner;
    this.defaultLimits = options.defaultLimits ?? DEFAULT_LIMITS;
    if (!this.isolated) {
      if (options.allowUnsandboxed !== true) throw new SandboxUnavailableError();
      // Loud, once, at error level: the operator chose this and must keep seeing it in the logs.
      options.logger.error('sandbox.network-isolation-disabled-by-operator', { allowUnsandboxed: true });
    }
    if (!options.capabilities.resourceLimits) {
      options.logger.warn('sandbox.resource-limits-unavailable', { prlimit: false });
    }
  }

  /** The environment a step process gets: an allowlist, with HOME and TMPDIR in scratch. */
  environment(workdir: SandboxWorkdir, extra: SandboxRunOptions['env'] = {}): Record<string, string> {
    const env: Record<string, string> = {
      PATH: SANDBOX_PATH,
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HOME: workdir.dir,
      TMPDIR: workdir.tmpDir,
    };
    for (const [name, value] of Object.entries(extra)) {
      if (!(PASSABLE_ENV as readonly string[]).includes(name))
        throw new Error(`env ${name} may not be passed`);
      if (value !== undefined) env[name] = value;
    }
    return env;
  }

  /** The full argv that runs `command` sandboxed (exposed for tests and docs). */
  commandLine(command: string, args: readonly string[], limits: Partial<ResourceLimits> = {}): string[] {
    const line: string[] = [];
    if (this.capabilities.resourceLimits) {
      line.push(this.capabilities.prlimitPath, ...prlimitArgs({ ...this.defaultLimits, ...limits }), '--');
    }
    if (this.isolated) line.push(this.capabilities.unsharePath, ...unshareArgs(this.capabilities.network));
    line.push(command, ...args);
    return line;
  }

  async run(options: SandboxRunOptions): Promise<ProcessResult> {
    const [command, ...args] = this.commandLine(options.command, options.args, options.limits);
    let refused = false;
    const onStderrLine = (line: string) => {
      if (!refused && this.isolated && NETWORK_REFUSED.test(line)) {
        refused = true;
        this.networkRefusals += 1;
        this.lastNetworkRefusalAt = new Date();
      }
      options.onStderrLine?.(line);
    };
    return this.runner.run({
      command: command as string,
      args,
      cwd: options.workdir.dir,
      env: this.environment(options.workdir, options.env),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs,
      onStdoutLine: options.onStdoutLine,
      onStderrLine,
      stdoutLimitBytes: options.stdoutLimitBytes,
    });
  }
}

/** Probes the host once and builds the runner; throws SandboxUnavailableError (see above). */
export async function createSandboxRunner(
  options: Omit<SandboxOptions, 'capabilities'> & ProbeOptions,
): Promise<SandboxRunner> {
  const capabilities = await probeSandbox(options.processRunner, options);
  return new SandboxRunner({ ...options, capabilities });
}
