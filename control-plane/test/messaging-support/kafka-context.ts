// The real broker the package's vitest global setup started (devkit), as settings for the
// messaging module, plus unique names so runs on the shared broker never collide.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';

interface TestIdentity {
  chain: string;
  key: string;
  ca: string;
}

/** What devkit's kafka-global-setup provides (declared again: that file is outside this program). */
export interface KafkaTestContext {
  bootstrap: string;
  caFile: string;
  admin: TestIdentity;
  controlPlane: TestIdentity;
  caDir: string;
  envFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: KafkaTestContext;
  }
}

export function kafkaContext(): KafkaTestContext {
  return inject('kafka');
}

/** The control plane's own connection: its certificate maps to a super user of the broker. */
export function controlPlaneKafka(clientId = 'cp-test'): KafkaConnectionSettings {
  const kafka = kafkaContext();
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
