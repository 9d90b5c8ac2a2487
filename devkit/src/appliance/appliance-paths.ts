// Where the single-box appliance keeps its state: next to the dev broker and CA under the dev
// directory (`.enclave/dev/` unless ENCLAVE_DEV_DIR says otherwise), so the next `make up`
// finds the same database, the same enrolled agent and the same demo accounts.
import { join } from 'node:path';

/** One agent's files: the single box's own agent lives in `agent/`, extra ones in `agent-<node>/`. */
export interface AgentPaths {
  readonly agentDir: string;
  readonly agentStateDir: string;
  readonly agentScratchDir: string;
  readonly agentConfigFile: string;
  readonly agentTokenFile: string;
  readonly agentLog: string;
}

export interface AppliancePaths extends AgentPaths {
  readonly devDir: string;
  readonly controlPlaneDir: string;
  /** ENCLAVE_DATA_DIR: enclave.db and what else the control plane keeps. */
  readonly dataDir: string;
  /** The control plane's own HTTPS certificate (profile control-plane). */
  readonly tlsDir: string;
  /** Leaf + intermediate + root: the agent pins the root it is shown during enrollment. */
  readonly fullChainFile: string;
  /** The control plane's environment, written on every start (for `source` and for reading). */
  readonly controlPlaneEnvFile: string;
  readonly controlPlaneLog: string;
  /** The control plane's master key (created 0600 on first run when the control plane has one). */
  readonly masterKeyFile: string;
  /** ENCLAVE_URL, ENCLAVE_CA and the demo accounts; written last on the first run. */
  readonly demoEnvFile: string;
}

export function appliancePaths(devDir: string): AppliancePaths {
  const controlPlaneDir = join(devDir, 'control-plane');
  return {
    devDir,
    controlPlaneDir,
    dataDir: join(controlPlaneDir, 'data'),
    tlsDir: join(controlPlaneDir, 'tls'),
    fullChainFile: join(controlPlaneDir, 'tls', 'fullchain.pem'),
    controlPlaneEnvFile: join(controlPlaneDir, 'control-plane.env'),
    controlPlaneLog: join(controlPlaneDir, 'control-plane.log'),
    masterKeyFile: join(controlPlaneDir, 'master.key'),
    ...agentPaths(join(devDir, 'agent')),
    demoEnvFile: join(devDir, 'demo.env'),
  };
}

export function agentPaths(agentDir: string): AgentPaths {
  return {
    agentDir,
    agentStateDir: join(agentDir, 'state'),
    agentScratchDir: join(agentDir, 'scratch'),
    agentConfigFile: join(agentDir, 'agent.json'),
    agentTokenFile: join(agentDir, 'enrollment-token'),
    agentLog: join(agentDir, 'agent.log'),
  };
}
