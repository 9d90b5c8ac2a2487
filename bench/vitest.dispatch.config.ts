// vitest settings for the dispatch benchmark's measuring file only (see bench/dispatch.ts), which
// lives in control-plane/test/bench/ so that it is typechecked with the control plane's decorators:
// the workspace's Kafka global setup, one file, no JSON report.
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../vitest.shared.ts';

const root = join(import.meta.dirname, '..');
const shared = packageTestConfig(root, { kafka: true, testTimeoutMs: 600_000 });

export default defineConfig({
  test: {
    ...shared.test,
    name: 'bench-dispatch',
    root,
    include: ['control-plane/test/bench/dispatch.bench-run.ts'],
    reporters: ['default'],
  },
});
