// The real broker the package's vitest global setup started (devkit), as settings for the
// messaging module, plus unique names so runs on the shared broker never collide.
import { randomBytes } from 'node:crypto';
import { kafkaTestContext, type KafkaTestContext } from '@enclave/devkit/testing';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';

export type { KafkaTestContext };

/** The shared real broker started by the package's vitest global setup (devkit). */
export const kafkaContext = kafkaTestContext;

/**
 * The control plane's own connection: its certificate maps to a super user of the broker.
 * `kafka`: another broker than the shared one (a fault's private broker).
 */
export function controlPlaneKafka(
  clientId = 'cp-test',
  kafka: KafkaTestContext = kafkaContext(),
): KafkaConnectionSettings {
  return {
    bootstrap: kafka.bootstrap,
    tls: { ca: kafka.caFile, chain: kafka.controlPlane.chain, key: kafka.controlPlane.key },
    clientId,
  };
}

/** A node id no other run has used: the broker and its ACLs outlive test runs. */
export function uniqueNodeId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
