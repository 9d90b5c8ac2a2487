// vitest global setup for integration suites: one real broker shared by all of them. It starts
// the broker only when none is running, and stops it afterwards only if it started it
// (`make test` starts it once for every package). A developer running several suites at once
// can keep a test-started broker alive by creating `.enclave/dev/kafka-keep` (or
// ENCLAVE_KAFKA_KEEP=1): otherwise the first suite to finish stops the broker under the others.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { devBrokerRunning, startDevBroker, stopDevBroker, type DevBroker } from '../kafka/dev-broker.ts';
import type { KafkaTestContext } from './kafka-test-context.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedHere = !devBrokerRunning();
  const broker: DevBroker = await startDevBroker({ log: (line) => console.error(`[kafka] ${line}`) });
  const context: KafkaTestContext = {
    bootstrap: broker.bootstrap,
    caFile: broker.caFile,
    admin: broker.admin,
    controlPlane: broker.controlPlane,
    caDir: broker.paths.caDir,
    envFile: broker.paths.kafkaEnvFile,
  };
  project.provide('kafka', context);
  return async () => {
    const keep =
      process.env['ENCLAVE_KAFKA_KEEP'] === '1' || existsSync(join(broker.paths.devDir, 'kafka-keep'));
    if (startedHere && !keep) await stopDevBroker();
  };
}
