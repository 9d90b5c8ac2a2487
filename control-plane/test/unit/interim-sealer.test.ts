// The interim sealer: real AES-256-GCM fields under a per-project key that survives a restart,
// bound to tenant, job and field by their additional data.
import { decryptFieldText } from '@enclave/crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTERIM_ROOT_FILE, InterimProjectKeySealer, sealedFieldAad } from '../../src/jobs/sealer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-sealer-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const context = { tenantId: 't1', projectId: 'p1', jobId: 'j1', field: 'script' };

it('seals under a per-project key that opens again after a restart, only in its own context', async () => {
  const sealer = await InterimProjectKeySealer.open(join(dir, 'data'));
  const field = sealer.seal(context, 'Made in Dubai.');
  expect(field.keyId).toMatch(/^dek_interim_[0-9a-f]{32}$/);
  expect(JSON.stringify(field)).not.toContain('Dubai');
  expect((await stat(join(dir, 'data', INTERIM_ROOT_FILE))).mode & 0o777).toBe(0o600);

  const reopened = await InterimProjectKeySealer.open(join(dir, 'data'));
  const key = reopened.projectKey('t1', 'p1');
  expect(decryptFieldText(key, field, sealedFieldAad(context))).toBe('Made in Dubai.');
  expect(() => decryptFieldText(key, field, sealedFieldAad({ ...context, jobId: 'j2' }))).toThrow();
  expect(reopened.projectKey('t1', 'p2').keyId).not.toBe(field.keyId);
});
