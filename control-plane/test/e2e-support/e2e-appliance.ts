// The control plane of the end-to-end tests: Kafka on (the shared real broker, as the
// control-plane super user), its CA a copy of the dev CA the broker trusts (so certificates it
// issues to nodes work on the broker), short leases and ticks, and a consumer that reads only
// this run's nodes (`e2e-<run>-*`): the broker keeps every earlier run's topics.
import { kafkaContext } from '../messaging-support/kafka-context.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

/**
 * `env` adds or overrides settings (the dispatch benchmark lifts the enrollment rate limit);
 * `presentRoot` serves the root in the TLS chain, which a real agent's enrollment needs.
 */
export function startE2eAppliance(
  run: string,
  env: Record<string, string> = {},
  options: { presentRoot?: boolean } = {},
): Promise<TestAppliance> {
  const kafka = kafkaContext();
  return startTestAppliance({
    ...options,
    caFrom: kafka.caDir,
    env: {
      ENCLAVE_KAFKA_BOOTSTRAP: kafka.bootstrap,
      ENCLAVE_KAFKA_CA: kafka.caFile,
      ENCLAVE_KAFKA_CERT: kafka.controlPlane.chain,
      ENCLAVE_KAFKA_KEY: kafka.controlPlane.key,
      ENCLAVE_KAFKA_INSTANCE_ID: `e2e-${run}`,
      ENCLAVE_KAFKA_CONSUMER_GROUP: `cp-e2e-${run}`,
      ENCLAVE_SCHEDULER_LEASE_MS: '3000',
      ENCLAVE_SCHEDULER_TICK_MS: '500',
      ENCLAVE_SSE_KEEPALIVE_SECONDS: '1',
      ...env,
    },
    messaging: {
      subscription: [`^results\\.e2e-${run}-.+`, `^heartbeats\\.e2e-${run}-.+`],
      metadataRefreshMs: 500,
      relayPollIntervalMs: 100,
    },
  });
}
