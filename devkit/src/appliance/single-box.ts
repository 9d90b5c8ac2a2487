// The whole appliance on one machine, as `make up` and the tests run it: the dev broker, the
// control plane (child process, compiled), on the first run a demo tenant and its accounts, and
// one local agent enrolled with a token. Everything is kept under the dev directory, so the next
// start reuses the same database, node identity and accounts. stop() takes it down in reverse
// order and leaves no process behind (the broker only if this start launched it).
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { devBrokerRunning, startDevBroker, stopDevBroker, type DevBroker } from '../kafka/dev-broker.ts';
import { devPaths, repoRoot as defaultRepoRoot } from '../kafka/dev-paths.ts';
import { agentEnrolled, removeUsedToken, startAgent, writeAgentConfig } from './agent-process.ts';
import { agentPaths, appliancePaths, type AppliancePaths } from './appliance-paths.ts';
import type { ManagedChild } from './child-process.ts';
import { ensureControlPlaneBuilt } from './control-plane-build.ts';
import { ensureControlPlaneTls, startControlPlane, waitForHealth } from './control-plane-process.ts';
import {
  ApiSession,
  createDemoTenant,
  DEMO_TENANT,
  newDemoAccounts,
  readDemoAccounts,
  renderDemoEnv,
  type DemoEnv,
} from './demo-accounts.ts';

export interface SingleBoxOptions {
  /** The dev directory (ENCLAVE_DEV_DIR, default `.enclave/dev`): broker, CA, control plane, agent. */
  readonly devDir?: string;
  readonly bind?: string;
  readonly apiPort?: number;
  readonly agentPort?: number;
  /** The broker's client port (ENCLAVE_KAFKA_PORT, default 19093). */
  readonly kafkaPort?: number;
  /** Extra ENCLAVE_* settings for the control plane. */
  readonly controlPlaneEnv?: Readonly<Record<string, string>>;
  readonly nodeId?: string;
  readonly allowUnsandboxed?: boolean;
  readonly agentDrainSeconds?: number;
  readonly agentHeartbeatSeconds?: number;
  readonly log?: (line: string) => void;
  readonly repoRoot?: string;
  readonly readyTimeoutMs?: number;
}

export interface SingleBox {
  readonly url: string;
  readonly caFile: string;
  readonly caPem: string;
  readonly demo: DemoEnv;
  readonly demoEnvFile: string;
  readonly paths: AppliancePaths;
  readonly broker: DevBroker;
  /** True when this start created the tenant and accounts (the first run on this directory). */
  readonly firstRun: boolean;
  readonly brokerStartedHere: boolean;
  readonly controlPlane: ManagedChild;
  readonly agent: ManagedChild;
  /** Starts another agent process on the same node identity (after the first one has died). */
  restartAgent(): ManagedChild;
  /**
   * Enrolls and starts one more agent as node `nodeId` (files in `agent-<nodeId>/`), resolving
   * once it is online; stop() stops it with the rest.
   */
  addAgent(nodeId: string): Promise<ManagedChild>;
  stop(): Promise<void>;
}

export const DEFAULT_NODE_ID = 'local-node-1';

export async function startSingleBox(options: SingleBoxOptions = {}): Promise<SingleBox> {
  const log = options.log ?? ((line: string) => console.error(`enclave: ${line}`));
  const repoRoot = options.repoRoot ?? defaultRepoRoot;
  const brokerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...(options.devDir !== undefined ? { ENCLAVE_DEV_DIR: options.devDir } : {}),
    ...(options.kafkaPort !== undefined ? { ENCLAVE_KAFKA_PORT: String(options.kafkaPort) } : {}),
  };
  const dev = devPaths(brokerEnv);
  const paths = appliancePaths(dev.devDir);
  const bind = options.bind ?? '127.0.0.1';
  const apiPort = options.apiPort ?? 8443;
  const agentPort = options.agentPort ?? 8444;
  const host = bind.includes(':') ? `[${bind}]` : bind;
  const url = `https://${host}:${apiPort}`;
  const nodeId = options.nodeId ?? DEFAULT_NODE_ID;
  const timeout = options.readyTimeoutMs ?? 120_000;

  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    while (stack.length > 0) await stack.pop()!().catch((error: unknown) => log(`stop: ${String(error)}`));
  };
  try {
    const brokerStartedHere = !devBrokerRunning(brokerEnv);
    const broker = await startDevBroker({ env: brokerEnv, log: (line) => log(`kafka: ${line}`) });
    if (brokerStartedHere) {
      stack.push(async () => {
        log('stopping the Kafka broker');
        await stopDevBroker({ env: brokerEnv });
      });
    }

    await mkdir(paths.controlPlaneDir, { recursive: true, mode: 0o700 });
    await ensureControlPlaneBuilt(repoRoot, log);
    const tls = await ensureControlPlaneTls(paths, dev.caDir, bind);
    const { child: controlPlane } = await startControlPlane(
      {
        repoRoot,
        paths,
        broker,
        bind,
        apiPort,
        agentPort,
        env: options.controlPlaneEnv ?? {},
      },
      tls,
      dev.caDir,
    );
    stack.push(async () => {
      log('stopping the control plane');
      await controlPlane.stop(35_000);
    });
    log(
      `control plane started (pid ${controlPlane.pid}, log ${paths.controlPlaneLog}); waiting for ${url}/api/v1/health`,
    );
    await waitForHealth(url, tls.caPem, controlPlane, timeout);

    // First run: the tenant and its accounts, recorded in demo.env at once (the passwords exist
    // nowhere else). A fresh database (deleted data directory) counts as a first run again.
    const firstRun = !(existsSync(paths.demoEnvFile) && existsSync(join(paths.dataDir, 'enclave.db')));
    let accounts;
    if (firstRun) {
      log(`first run: creating tenant "${DEMO_TENANT}" with an IT admin, a producer and a DPO`);
      accounts = newDemoAccounts();
      await createDemoTenant(repoRoot, paths.dataDir, paths.masterKeyFile, accounts);
    } else {
      accounts = await readDemoAccounts(paths.demoEnvFile);
    }
    const demo: DemoEnv = { url, caFile: tls.caFile, tenant: DEMO_TENANT, nodeId, accounts };
    // Rewritten on every start: the URL may have moved (another port); the accounts stay.
    await writeFile(paths.demoEnvFile, renderDemoEnv(demo), { mode: 0o600 });
    await chmod(paths.demoEnvFile, 0o600);
    const signInAdmin = () =>
      ApiSession.signIn(
        url,
        tls.caPem,
        accounts.find((a) => a.role === 'it-admin')!,
      );
    const admin = await signInAdmin();

    const agentSettings = {
      repoRoot,
      paths,
      controlPlaneUrl: url,
      agentUrl: `https://${host}:${agentPort}`,
      allowUnsandboxed: options.allowUnsandboxed ?? false,
      drainDeadlineSeconds: options.agentDrainSeconds ?? 20,
      heartbeatSeconds: options.agentHeartbeatSeconds ?? 5,
    };
    if (agentEnrolled(paths)) {
      await writeAgentConfig(agentSettings, undefined);
    } else {
      log(`creating an enrollment token for node ${nodeId}`);
      await writeAgentConfig(agentSettings, await admin.enrollmentToken(nodeId));
    }
    let agent = startAgent(agentSettings);
    stack.push(async () => {
      log('stopping the agent');
      await agent.stop((agentSettings.drainDeadlineSeconds + 10) * 1000);
    });
    log(`agent started (pid ${agent.pid}, log ${paths.agentLog}); waiting for node ${nodeId} to be online`);
    await waitForOnline(admin, nodeId, agent, timeout);
    await removeUsedToken(paths);
    await writeAgentConfig(agentSettings, undefined);

    return {
      url,
      caFile: tls.caFile,
      caPem: await readFile(tls.caFile, 'utf8'),
      demo,
      demoEnvFile: paths.demoEnvFile,
      paths,
      broker,
      firstRun,
      brokerStartedHere,
      controlPlane,
      get agent() {
        return agent;
      },
      addAgent: async (extraNodeId) => {
        const extra = { ...agentSettings, paths: agentPaths(join(paths.devDir, `agent-${extraNodeId}`)) };
        // A fresh session: the first one may have idled out by now.
        const admin = await signInAdmin();
        await writeAgentConfig(
          extra,
          agentEnrolled(extra.paths) ? undefined : await admin.enrollmentToken(extraNodeId),
        );
        const child = startAgent(extra);
        stack.push(async () => {
          log(`stopping agent ${extraNodeId}`);
          await child.stop((extra.drainDeadlineSeconds + 10) * 1000);
        });
        await waitForOnline(admin, extraNodeId, child, timeout);
        await removeUsedToken(extra.paths);
        await writeAgentConfig(extra, undefined);
        return child;
      },
      restartAgent: () => {
        if (agent.running) throw new Error('the agent is still running');
        agent = startAgent(agentSettings);
        return agent;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function waitForOnline(admin: ApiSession, nodeId: string, agent: ManagedChild, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = 'not enrolled';
  while (Date.now() < deadline) {
    if (!agent.running) {
      throw new Error(`the agent exited during start-up; last lines of ${agent.logFile}:\n${agent.tail()}`);
    }
    const node = await admin.node(nodeId);
    if (node?.status === 'online') return;
    last = node ? `status ${node.status}, agent ${node.agentState ?? 'silent'}` : 'not enrolled yet';
    await sleep(500);
  }
  throw new Error(`node ${nodeId} was not online within ${timeoutMs} ms (${last}); see ${agent.logFile}`);
}
