// Node certificates from the dev CA the broker trusts, issued per test run.
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { join } from 'node:path';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { kafkaContext } from './kafka-context.ts';

/** Issues a `node` certificate for `nodeId` (principal `node-<id>`) under `dir`. */
export async function nodeKafka(nodeId: string, dir: string): Promise<KafkaConnectionSettings> {
  const kafka = kafkaContext();
  const ca = await openDevCa(kafka.caDir);
  const identity = await ensureIdentity(ca, join(dir, nodeId), { profile: 'node', name: nodeId });
  return {
    bootstrap: kafka.bootstrap,
    tls: { ca: kafka.caFile, chain: identity.chain, key: identity.key },
    clientId: `node-${nodeId}`,
  };
}
