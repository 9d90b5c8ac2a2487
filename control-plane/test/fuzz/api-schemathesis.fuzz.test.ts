// Schemathesis against contracts/openapi.json on a real control plane (real SQLite, real TLS
// with the appliance CA), signed in with API tokens of an it-admin and a producer so generated
// requests get past the access guard into the handlers (Kafka on: the shared broker). Checks: no 5xx, and every answer
// matches the document's response schema. Excluded: the agent listener's routes (mTLS, another
// port), logout/logout-all (they would end the run's own credential) and the event streams
// (they never end). `npm run test:fuzz` prints the counts.
import { CreatedApiTokenSchema, Role } from '@enclave/contracts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/https-client.ts';
import { startE2eAppliance } from '../e2e-support/e2e-appliance.ts';
import type { TestAppliance } from '../support/test-appliance.ts';
import { FUZZ_RESULTS_DIR, writeFuzzFigures } from './fuzz-results.ts';
import { runSchemathesis, type SchemathesisRun } from './schemathesis.ts';

const PORT = Number(process.env['ENCLAVE_FUZZ_API_PORT'] ?? 21100);
const MAX_EXAMPLES = Number(process.env['ENCLAVE_FUZZ_MAX_EXAMPLES'] ?? 6);
const SEED = Number(process.env['ENCLAVE_FUZZ_SEED'] ?? 20261129);
const SCHEMA = join(import.meta.dirname, '..', '..', '..', 'contracts', 'openapi.json');
const EXCLUDED = '^/agent/|^/api/v1/auth/logout|/events$';

let appliance: TestAppliance;
const tokens = new Map<Role, string>();
/** Each staff role reaches the handlers of its own routes (client-user is a subset of producer). */
const ROLES = [Role.ItAdmin, Role.Producer, Role.Dpo];

beforeAll(async () => {
  // With the shared broker, as in production: enrollment and job submission run their real
  // paths (offline, enrollment would answer its documented 503).
  appliance = await startE2eAppliance(`fuzz-${Date.now().toString(36)}`, {
    ENCLAVE_API_PORT: String(PORT),
    ENCLAVE_AGENT_PORT: String(PORT + 1),
    ENCLAVE_ENROLL_RATE_PER_MINUTE: '10000',
    ENCLAVE_LOG_LEVEL: 'warn',
  });
  const tenantId = await appliance.createTenant('fuzz');
  for (const role of ROLES) {
    const user = await appliance.createUser(tenantId, role);
    const cookie = await appliance.login(user);
    const reply = await appliance.api({
      method: 'POST',
      path: '/api/v1/auth/tokens',
      cookie,
      body: { name: 'schemathesis' },
    });
    tokens.set(role, bodyOf(reply, CreatedApiTokenSchema).token);
  }
  // A real project, so the generated project ids are not the only ones the handlers ever see.
  await appliance.api({
    method: 'POST',
    path: '/api/v1/projects',
    token: tokens.get(Role.Producer) ?? '',
    body: { name: 'fuzz target' },
  });
}, 120_000);

afterAll(async () => {
  await appliance?.stop();
});

describe('Schemathesis against the OpenAPI document', () => {
  const runs: SchemathesisRun[] = [];

  for (const role of ROLES) {
    it(`as ${role}: no 5xx and every answer conforms`, { timeout: 300_000 }, async () => {
      const caFile = join(appliance.dir, 'fuzz-ca.pem');
      await writeFile(caFile, appliance.caPem);
      const run = await runSchemathesis({
        schemaFile: SCHEMA,
        baseUrl: `https://127.0.0.1:${appliance.apiPort}`,
        caFile,
        headers: { Authorization: `Bearer ${tokens.get(role) ?? ''}` },
        excludePathRegex: EXCLUDED,
        maxExamples: MAX_EXAMPLES,
        reportDir: join(FUZZ_RESULTS_DIR, 'schemathesis', role),
        seed: SEED + ROLES.indexOf(role),
        timeoutMs: 280_000,
      });
      runs.push(run);
      writeFuzzFigures(`schemathesis-${role}`, {
        source: `schemathesis as ${role} (${run.operations} operations)`,
        cases: run.cases,
        serverErrors: run.serverErrors,
        failures: run.failures.length,
      });
      // A run that tried nothing proves nothing.
      expect(run.operations, run.output.slice(-3000)).toBeGreaterThan(30);
      expect(run.cases, run.output.slice(-3000)).toBeGreaterThan(run.operations);
      expect(run.serverErrors, run.output.slice(-6000)).toBe(0);
      expect(run.failures, run.output.slice(-6000)).toEqual([]);
      expect(run.exitCode, run.output.slice(-3000)).toBe(0);
    });
  }
});
