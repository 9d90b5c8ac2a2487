// The one local agent of the single box: `enclave agent start --config FILE` (CPU), its state
// directory kept between runs so it enrolls only the first time.
import { existsSync } from 'node:fs';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentPaths } from './appliance-paths.ts';
import { ManagedChild } from './child-process.ts';
import { inheritedEnv } from './control-plane-process.ts';

export interface AgentSettings {
  readonly repoRoot: string;
  readonly paths: AgentPaths;
  readonly controlPlaneUrl: string;
  /** The control plane's agent listener (mTLS, /agent/v1): its own port. */
  readonly agentUrl: string;
  /** Steps run without a network namespace (only where the host cannot make one). */
  readonly allowUnsandboxed: boolean;
  /** How long running tasks may finish after Ctrl-C before they are handed back. */
  readonly drainDeadlineSeconds: number;
  readonly heartbeatSeconds: number;
}

export function agentEnrolled(paths: AgentPaths): boolean {
  return existsSync(join(paths.agentStateDir, 'identity.json'));
}

export async function writeAgentConfig(settings: AgentSettings, token: string | undefined): Promise<void> {
  const { paths } = settings;
  await mkdir(paths.agentDir, { recursive: true, mode: 0o700 });
  await mkdir(paths.agentScratchDir, { recursive: true, mode: 0o700 });
  if (token !== undefined) await writeFile(paths.agentTokenFile, `${token}\n`, { mode: 0o600 });
  const config = {
    stateDir: paths.agentStateDir,
    scratchDir: paths.agentScratchDir,
    controlPlaneUrl: settings.controlPlaneUrl,
    agentUrl: settings.agentUrl,
    ...(token !== undefined ? { tokenFile: paths.agentTokenFile } : {}),
    slots: 1,
    heartbeatSeconds: settings.heartbeatSeconds,
    drainDeadlineSeconds: settings.drainDeadlineSeconds,
    allowUnsandboxed: settings.allowUnsandboxed,
  };
  await writeFile(paths.agentConfigFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** The token is single-use: once the agent has enrolled, the file is only a liability. */
export async function removeUsedToken(paths: AgentPaths): Promise<void> {
  await rm(paths.agentTokenFile, { force: true });
}

export function startAgent(settings: AgentSettings): ManagedChild {
  const env = inheritedEnv();
  delete env['NOTIFY_SOCKET'];
  return new ManagedChild({
    name: 'agent',
    command: join(settings.repoRoot, 'bin', 'enclave'),
    args: ['agent', 'start', '--config', settings.paths.agentConfigFile],
    cwd: settings.repoRoot,
    env,
    logFile: settings.paths.agentLog,
  });
}
