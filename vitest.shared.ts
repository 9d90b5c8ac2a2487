// Shared vitest settings: every package's vitest.config.ts is `defineProject(packageTestConfig(import.meta.dirname))`.
import { basename, join } from 'node:path';
import { configDefaults, type ViteUserConfig } from 'vitest/config';

const root = import.meta.dirname;

export interface PackageTestOptions {
  /** Starts the shared real Kafka broker (reused when already running) before integration suites. */
  kafka?: boolean;
  testTimeoutMs?: number;
}

export function packageTestConfig(packageDir: string, options: PackageTestOptions = {}): ViteUserConfig {
  const name = basename(packageDir);
  return {
    test: {
      name,
      root: packageDir,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      // Suites with a command of their own, which `make test` runs once: npm run test:fuzz
      // (scripts/vitest.fuzz.config.ts) and npm run test:security (control-plane).
      exclude: [...configDefaults.exclude, '**/*.fuzz.test.ts', 'test/security/**'],
      environment: 'node',
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: 120_000,
      globalSetup: options.kafka ? [join(root, 'devkit/src/testing/kafka-global-setup.ts')] : [],
      reporters: ['default', ['json', { outputFile: join(root, '.enclave/test-results', `${name}.json`) }]],
      // Suites share one broker and 2 cores: files in a package run one at a time.
      fileParallelism: false,
    },
  };
}
