// The fuzz suite (`npm run test:fuzz`): every *.fuzz.test.ts of the workspace (kept out of the
// packages' `test` targets, see vitest.shared.ts), Schemathesis against the API among them,
// plus the parser fuzzers that were written before the suite existed, named here by path.
// fast-check runs are counted by fuzz/fast-check-counter.setup.ts.
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = join(import.meta.dirname, '..');

/** Older parser fuzzers (they also run in their packages' `test` targets). */
export const existingFuzzers = [
  'contracts/test/codec.property.test.ts', // Kafka envelope decoding
  'certs/test/csr-intake.property.test.ts', // CSR intake
  'provisioning/test/inventory.test.ts', // the inventory file
];

export default defineConfig({
  test: {
    name: 'fuzz',
    root,
    include: ['*/test/**/*.fuzz.test.ts', ...existingFuzzers],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    setupFiles: [join(import.meta.dirname, 'fuzz', 'fast-check-counter.setup.ts')],
    // Schemathesis runs the control plane on the shared broker (started when not running).
    globalSetup: [join(root, 'devkit/src/testing/kafka-global-setup.ts')],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', ['json', { outputFile: join(root, '.enclave/test-results/fuzz.json') }]],
  },
});
