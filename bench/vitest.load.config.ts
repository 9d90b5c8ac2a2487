// vitest settings for the load benchmark's measuring file only (see bench/load.ts), which lives
// in control-plane/test/bench/ so that it is typechecked with the control plane: the
// workspace's Kafka global setup, one file, no JSON report.
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../vitest.shared.ts';

const root = join(import.meta.dirname, '..');
const shared = packageTestConfig(root, { kafka: true, testTimeoutMs: 900_000 });

export default defineConfig({
  test: {
    ...shared.test,
    name: 'bench-load',
    root,
    include: ['control-plane/test/bench/load.bench-run.ts'],
    reporters: ['default'],
  },
});
