// @enclave/devkit/testing — for test files only (vitest must be loaded).
export { kafkaTestContext, type KafkaTestContext, type TestIdentity } from './kafka-test-context.ts';
export { FAULT_RESULTS_DIR, faultLine, printFaultFigures, type FaultFigures } from './fault-report.ts';
