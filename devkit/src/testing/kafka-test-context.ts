// What the Kafka global setup hands to test files: the shared real broker and the identities
// that reach it. Test files call kafkaTestContext() instead of inject('kafka') so the typed
// context is declared once, here.
import { inject } from 'vitest';

export interface TestIdentity {
  chain: string;
  key: string;
  ca: string;
}

export interface KafkaTestContext {
  bootstrap: string;
  caFile: string;
  admin: TestIdentity;
  controlPlane: TestIdentity;
  caDir: string;
  /** `.enclave/dev/kafka.env`: what an operator sources to point kcat at the broker. */
  envFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: KafkaTestContext;
  }
}

export function kafkaTestContext(): KafkaTestContext {
  return inject('kafka');
}
