// The control plane the web UI's end-to-end tests (ui/test/e2e) drive a real browser against:
// the e2e appliance (real SQLite, real TLS, the shared real broker) serving the built UI from
// ENCLAVE_UI_DIR on a fixed port of the UI tests' range, one tenant with an IT admin, a
// producer, a DPO, a client user and a second producer (the erasure subject); real agent
// processes (`enclave agent start`, CPU, sandboxed steps: what `make up` runs) that enrol with a
// token and run the jobs; and scripted GPU nodes (real enrollment, real Kafka) for what a CPU
// box cannot show (GPU telemetry). The UI tests load this by path at run time (it is
// control-plane test code, not something the ui package may import).
import type { Role } from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import {
  agentPaths,
  removeUsedToken,
  startAgent,
  writeAgentConfig,
  type ManagedChild,
} from '@enclave/devkit/appliance';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnrollmentTokenSchema, NodeListSchema } from '@enclave/contracts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import { startE2eAppliance } from './e2e-appliance.ts';
import { enrollNode, ScriptedAgent } from './scripted-agent.ts';

export interface UiUser {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly role: Role;
}

export interface UiAppliance {
  readonly baseUrl: string;
  readonly run: string;
  readonly users: {
    readonly itAdmin: UiUser;
    readonly producer: UiUser;
    readonly dpo: UiUser;
    /** A client user (files privacy requests for themselves). */
    readonly client: UiUser;
    /** A second producer whose data the DPO erases in the privacy E2E. */
    readonly subject: UiUser;
  };
  nodeName(suffix: string): string;
  /** Enrolls a scripted node with one GPU and waits until the fleet reports it online. */
  startNode(suffix: string): Promise<string>;
  /**
   * Starts a real agent process as node `nodeName(suffix)` (enrols with a fresh token; one slot,
   * CPU) and waits until the fleet reports it online.
   */
  startAgent(suffix: string): Promise<string>;
  stop(): Promise<void>;
}

const GPU = { model: 'NVIDIA L4', vramMb: 23_034 };
const repoRoot = join(import.meta.dirname, '..', '..', '..');

export async function startUiAppliance(options: {
  uiDir: string;
  apiPort: number;
  agentPort: number;
}): Promise<UiAppliance> {
  const run = randomBytes(3).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'enclave-ui-e2e-'));
  const t = await startE2eAppliance(
    run,
    {
      ENCLAVE_UI_DIR: options.uiDir,
      ENCLAVE_API_PORT: String(options.apiPort),
      ENCLAVE_AGENT_PORT: String(options.agentPort),
      ENCLAVE_LOG_LEVEL: 'warn',
      // A browser, Chromium and the broker share two cores with other suites: a 3 s lease (the
      // e2e default) can expire before a busy scripted node has accepted.
      ENCLAVE_SCHEDULER_LEASE_MS: '15000',
    },
    { presentRoot: true },
  );
  const tenant = await t.createTenant(`ui-${run}`);
  const itAdmin = await t.createUser(tenant, 'it-admin', `it-${run}@agency.test`);
  const producer = await t.createUser(tenant, 'producer', `producer-${run}@agency.test`);
  const dpo = await t.createUser(tenant, 'dpo', `dpo-${run}@agency.test`);
  const client = await t.createUser(tenant, 'client-user', `client-${run}@brand.test`);
  const subject = await t.createUser(tenant, 'producer', `subject-${run}@agency.test`);
  const adminCookie = await t.login(itAdmin);
  const agents: ScriptedAgent[] = [];
  const processes: ManagedChild[] = [];
  const nodeName = (suffix: string) => `e2e-${run}-${suffix}`;
  const nodeStatus = async (nodeId: string) => {
    const nodes = bodyOf(await t.api({ path: '/api/v1/nodes', cookie: adminCookie }), NodeListSchema);
    return nodes.items.find((n) => n.nodeId === nodeId)?.status;
  };

  return {
    baseUrl: `https://127.0.0.1:${t.apiPort}`,
    run,
    users: { itAdmin, producer, dpo, client, subject },
    nodeName,
    startNode: async (suffix) => {
      const nodeId = nodeName(suffix);
      const node = await enrollNode(t, adminCookie, nodeId, dir, 2, [{ index: 0, ...GPU }]);
      const agent = new ScriptedAgent(node, 'complete', [
        {
          index: 0,
          model: GPU.model,
          vramTotalMb: GPU.vramMb,
          vramUsedMb: 6_144,
          utilisationPct: 37,
          temperatureC: 58,
        },
      ]);
      agents.push(agent);
      await agent.start();
      await waitFor(`${nodeId} online`, async () => (await nodeStatus(nodeId)) === 'online', 30_000, 200);
      return nodeId;
    },
    startAgent: async (suffix) => {
      const nodeId = nodeName(suffix);
      const minted = await t.api({
        method: 'POST',
        path: '/api/v1/nodes/enrollment-tokens',
        cookie: adminCookie,
        body: { nodeId },
      });
      const settings = {
        repoRoot,
        paths: agentPaths(join(dir, `agent-${suffix}`)),
        controlPlaneUrl: `https://127.0.0.1:${t.apiPort}`,
        agentUrl: `https://127.0.0.1:${t.agentPort}`,
        allowUnsandboxed: false,
        drainDeadlineSeconds: 5,
        heartbeatSeconds: 2,
      };
      await writeAgentConfig(settings, bodyOf(minted, EnrollmentTokenSchema).token);
      const child = startAgent(settings);
      processes.push(child);
      // Its own process group: a test run that dies without stop() must not leave it behind.
      process.once('exit', () => child.killNow());
      try {
        await waitFor(
          `${nodeId} online`,
          async () => {
            if (!child.running) throw new Error('the agent exited');
            return (await nodeStatus(nodeId)) === 'online';
          },
          60_000,
          250,
        );
      } catch (error) {
        const log = await readFile(settings.paths.agentLog, 'utf8').catch(() => '(no log)');
        throw new Error(`agent ${nodeId} did not come online; its log:\n${log.slice(-4000)}`, {
          cause: error,
        });
      }
      await removeUsedToken(settings.paths);
      return nodeId;
    },
    stop: async () => {
      for (const child of processes) await child.stop(15_000);
      for (const agent of agents) await agent.stop();
      await t.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
