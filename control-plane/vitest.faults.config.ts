// The fault suite (`npm run test:faults`): test/faults/*.fault.ts, kept out of the package's
// `test` target because one run takes minutes. The package's settings otherwise (the shared
// broker's global setup, one file at a time), with its own name and JSON report.
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    name: 'control-plane-faults',
    include: ['test/faults/**/*.fault.ts'],
    testTimeout: 40 * 60_000,
    reporters: [
      'default',
      [
        'json',
        { outputFile: join(import.meta.dirname, '..', '.enclave/test-results/control-plane-faults.json') },
      ],
    ],
  },
});
