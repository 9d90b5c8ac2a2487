// Seeds a fault run's appliance before the child process takes over: the dev CA the broker
// trusts copied into `<dir>/ca`, then the application started once in-process on the same
// data directory and settings to create the tenant, users, project and source asset through
// its own services, and to enroll the scripted nodes over REST (certificates, node topics and
// ACLs on the real broker). Sessions live in SQLite, so the cookies outlive the restarts.
import { ProjectSchema } from '@enclave/contracts';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { enrollNode, type EnrolledNode } from '../../e2e-support/scripted-agent.ts';
import { kafkaContext, type KafkaTestContext } from '../../messaging-support/kafka-context.ts';
import { bodyOf } from '../../support/https-client.ts';
import { startTestAppliance } from '../../support/test-appliance.ts';
import { faultEnv, faultMessaging, faultNodePrefix } from './control-plane-process.ts';

export interface SeededAppliance {
  readonly caPem: string;
  readonly tenantId: string;
  readonly adminCookie: string;
  readonly producerCookie: string;
  readonly projectId: string;
  readonly sourceAssetId: string;
  readonly nodes: readonly EnrolledNode[];
  /**
   * The setup appliance's whole validated configuration as ENCLAVE_* variables: the child
   * starts on exactly these settings (whatever the test appliance adds), with its own ports.
   */
  readonly env: Record<string, string>;
}

/** A loaded configuration back as environment variables (lists comma-joined). */
function configAsEnv(config: object): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    env[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return env;
}

/**
 * `kafka`: the broker the run uses, the shared one unless the fault brings its own
 * (private-broker.ts); its CA is the one copied, so the node certificates the appliance issues
 * are trusted by that broker.
 */
export async function seedAppliance(
  dir: string,
  run: string,
  nodes: { readonly count: number; readonly cpuSlots: number },
  kafka: KafkaTestContext = kafkaContext(),
): Promise<SeededAppliance> {
  await mkdir(dir, { recursive: true });
  await cp(kafka.caDir, join(dir, 'ca'), { recursive: true });
  // Ports 0 here: the setup listeners never clash with a child that is still shutting down.
  const env = faultEnv(dir, run, { api: 0, agent: 0 }, kafka);
  // The setup reads results and heartbeats in a consumer group of its own. Sharing the child's
  // group would hand the child (a static member replacing the setup's) the setup's cached
  // assignment, which misses the topics of nodes enrolled after its last rebalance: see
  // docs/reliability.md, "a static member's stale assignment".
  const setupEnv = {
    ...env,
    ENCLAVE_KAFKA_CONSUMER_GROUP: `${env['ENCLAVE_KAFKA_CONSUMER_GROUP']}-setup`,
    ENCLAVE_LOG_LEVEL: 'error',
  };
  const t = await startTestAppliance({ dir, env: setupEnv, messaging: faultMessaging(run) });
  try {
    const tenantId = await t.createTenant(`fault-${run}`);
    const adminCookie = await t.login(await t.createUser(tenantId, 'it-admin'));
    const producerCookie = await t.login(await t.createUser(tenantId, 'producer'));
    const project = await t.api({
      method: 'POST',
      path: '/api/v1/projects',
      cookie: producerCookie,
      body: { name: 'faults' },
    });
    const projectId = bodyOf(project, ProjectSchema).projectId;
    const sourceAssetId = await t.createAsset(tenantId, projectId, 'clip.mp4');
    const enrolled: EnrolledNode[] = [];
    for (let i = 0; i < nodes.count; i++) {
      enrolled.push(
        await enrollNode(t, adminCookie, `${faultNodePrefix(run)}n${i}`, join(dir, 'nodes'), nodes.cpuSlots),
      );
    }
    return {
      caPem: t.caPem,
      tenantId,
      adminCookie,
      producerCookie,
      projectId,
      sourceAssetId,
      nodes: enrolled,
      env: { ...configAsEnv(t.config), ENCLAVE_KAFKA_CONSUMER_GROUP: env['ENCLAVE_KAFKA_CONSUMER_GROUP']! },
    };
  } finally {
    await t.stop();
  }
}
