// What the host lets us do, found once at agent start by trying it: `unshare -n` (as root) or
// `unshare -rn` (an unprivileged user namespace) for a network namespace with no interfaces
// but a downed loopback, and `prlimit` for resource limits.
import type { ProcessRunner } from '../process/process-runner.ts';

export type NetworkIsolation = 'netns' | 'netns-userns' | 'none';

export interface SandboxCapabilities {
  readonly network: NetworkIsolation;
  readonly resourceLimits: boolean;
  readonly unsharePath: string;
  readonly prlimitPath: string;
}

export interface ProbeOptions {
  readonly unsharePath?: string;
  readonly prlimitPath?: string;
}

const PROBE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

async function succeeds(runner: ProcessRunner, command: string, args: string[]): Promise<boolean> {
  try {
    const result = await runner.run({ command, args, env: PROBE_ENV, timeoutMs: 10_000 });
    return result.code === 0;
  } catch {
    return false; // not installed
  }
}

export async function probeSandbox(
  runner: ProcessRunner,
  options: ProbeOptions = {},
): Promise<SandboxCapabilities> {
  const unsharePath = options.unsharePath ?? 'unshare';
  const prlimitPath = options.prlimitPath ?? 'prlimit';
  let network: NetworkIsolation = 'none';
  if (await succeeds(runner, unsharePath, ['--net', '--', 'true'])) network = 'netns';
  else if (await succeeds(runner, unsharePath, ['--net', '--map-root-user', '--', 'true']))
    network = 'netns-userns';
  const resourceLimits = await succeeds(runner, prlimitPath, ['--nofile=256', '--', 'true']);
  return { network, resourceLimits, unsharePath, prlimitPath };
}

/** The command prefix that puts a process in a fresh network namespace. */
export function unshareArgs(network: NetworkIsolation): string[] {
  switch (network) {
    case 'netns':
      return ['--net', '--'];
    case 'netns-userns':
      return ['--net', '--map-root-user', '--'];
    case 'none':
      return [];
  }
}
