// @enclave/devkit/testing — for test files only (vitest must be loaded).
export { kafkaTestContext, type KafkaTestContext, type TestIdentity } from './kafka-test-context.ts';
