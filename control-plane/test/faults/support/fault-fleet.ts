// What the load-carrying faults share: a fleet of scripted agents that complete every
// assignment, online before the fault starts, and the clients' single-task transcode submission.
import { NodeListSchema } from '@enclave/contracts';
import { ScriptedAgent, type AgentKafkaOptions } from '../../e2e-support/scripted-agent.ts';
import { waitFor } from '../../messaging-support/wait-for.ts';
import { bodyOf } from '../../support/https-client.ts';
import type { ControlPlaneProcess } from './control-plane-process.ts';
import type { SeededAppliance } from './fault-setup.ts';
import type { Post } from './submission-clients.ts';

/** Starts a completing scripted agent on every seeded node and waits until all are online. */
export async function startCompletingFleet(
  cp: ControlPlaneProcess,
  seeded: SeededAppliance,
  options: AgentKafkaOptions = {},
): Promise<ScriptedAgent[]> {
  const agents: ScriptedAgent[] = [];
  for (const node of seeded.nodes) {
    const agent = new ScriptedAgent(node, 'complete', [], options);
    agents.push(agent);
    await agent.start();
  }
  const ids = new Set(seeded.nodes.map((n) => n.nodeId));
  await waitFor(
    `${ids.size} nodes online`,
    async () => {
      const reply = await cp.api({ path: '/api/v1/nodes', cookie: seeded.adminCookie });
      const list = bodyOf(reply, NodeListSchema).items;
      return list.filter((n) => ids.has(n.nodeId) && n.status === 'online').length === ids.size;
    },
    60_000,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; control plane log:\n${cp.logLines().slice(-30).join('\n')}`);
  });
  return agents;
}

/** A client's submission: one single-task transcode of the seeded source, under `key`. */
export function transcodeSubmission(
  cp: ControlPlaneProcess,
  seeded: SeededAppliance,
): { post: Post; bodyFor: (key: string) => object } {
  return {
    post: (_key, body) =>
      cp.api({
        method: 'POST',
        path: `/api/v1/projects/${seeded.projectId}/jobs`,
        cookie: seeded.producerCookie,
        body,
      }),
    bodyFor: (key) => ({
      idempotencyKey: key,
      template: 'transcode',
      params: { source: seeded.sourceAssetId, height: 360 },
    }),
  };
}
