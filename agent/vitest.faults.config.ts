// The agent's part of the fault suite (`npm run test:faults`): test/faults/*.fault.ts, kept out
// of the package's `test` target (`*.fault.ts` does not match `*.test.ts`). The package's
// settings otherwise (the shared broker's global setup for the dev CA, one file at a time).
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    name: 'agent-faults',
    include: ['test/faults/**/*.fault.ts'],
    testTimeout: 5 * 60_000,
    hookTimeout: 5 * 60_000,
    reporters: [
      'default',
      ['json', { outputFile: join(import.meta.dirname, '..', '.enclave/test-results/agent-faults.json') }],
    ],
  },
});
