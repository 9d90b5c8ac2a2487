// The security suite (`npm run test:security`): test/security/*.test.ts plus the existing test
// files that already prove a security property, named here rather than duplicated (they also
// run in the package's `test` target). docs/threat-model.md maps each threat to these files. The
// role × route matrix (test/api/access-matrix.test.ts, about a minute) runs only in the package's target.
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** Existing files of the package that belong to the suite, by topic. */
export const securityFiles = [
  'test/agent/agent-listener.test.ts', // mTLS matrix of both listeners, TLS 1.2 refused, revocation
  'test/api/auth.test.ts', // sessions (fixation, expiry, logout-all), lockout, CSRF, API tokens
  'test/api/projects-tenancy.test.ts', // tenant isolation
  'test/api/error-replies.test.ts', // security headers on API replies, no stack traces, no secrets logged
  'test/http/ui-static.test.ts', // UI policy and headers, static path traversal → 404
  'test/assets/assets-api.test.ts', // upload 413/415, asset names with paths → 400, ciphertext at rest
  'test/assets/upload-sessions.test.ts', // resumable uploads: ciphertext at rest, no GCM nonce reuse on retries
  'test/unit/app-logger.test.ts', // redaction of secret-named fields
  'test/unit/login-rate-limiter.test.ts',
  'test/unit/lockout-policy.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    name: 'control-plane-security',
    include: ['test/security/**/*.test.ts', ...securityFiles],
    exclude: [...configDefaults.exclude],
    // Only the offline appliance is used: no broker needed.
    globalSetup: [],
    reporters: [
      'default',
      [
        'json',
        { outputFile: join(import.meta.dirname, '..', '.enclave/test-results/control-plane-security.json') },
      ],
    ],
  },
});
