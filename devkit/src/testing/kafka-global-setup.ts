// vitest global setup for integration suites: one real broker shared by all of them. It starts
// the broker only when none is running, and stops it afterwards only if it started it
// (`make test` starts it once for every package).
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
    if (startedHere) await stopDevBroker();
  };
}
