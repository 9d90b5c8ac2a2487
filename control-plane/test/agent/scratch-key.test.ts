// GET /agent/v1/scratch-key over the real agent listener (mutual TLS): each node gets its own
// 32-byte LUKS2 scratch volume key, the same one on every call (it survives a restart because it
// lives wrapped in the key ring), a different one per node, never on the API listener, and the
// key is nowhere in the database in the clear.
import { type IssuedCertificate } from '@enclave/certs';
import { AgentScratchKeySchema } from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeScratchKey } from '../../src/agent/node-scratch-key.entity.ts';
import { bodyOf, httpsCall } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let nodeA: IssuedCertificate;
let nodeB: IssuedCertificate;

beforeAll(async () => {
  t = await startTestAppliance();
  nodeA = await t.issue('node', 'scratch-a');
  nodeB = await t.issue('node', 'scratch-b');
});
afterAll(() => t.stop());

const scratchKey = (cert: IssuedCertificate) =>
  httpsCall({
    port: t.agentPort,
    path: '/agent/v1/scratch-key',
    tls: { ca: t.caPem, cert: cert.chainPem, key: cert.keyPem! },
  });

describe('GET /agent/v1/scratch-key', () => {
  it('gives each node its own stable 32-byte key, kept only wrapped', async () => {
    const first = await scratchKey(nodeA);
    expect(first.status, first.text).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const a1 = bodyOf(first, AgentScratchKeySchema);
    expect(Buffer.from(a1.key, 'base64')).toHaveLength(32);
    const a2 = bodyOf(await scratchKey(nodeA), AgentScratchKeySchema);
    expect(a2).toEqual(a1);
    const b = bodyOf(await scratchKey(nodeB), AgentScratchKeySchema);
    expect(b.key).not.toBe(a1.key);
    expect(b.keyId).not.toBe(a1.keyId);

    const rows = await t.running.app
      .get(MikroORM)
      .em.fork()
      .find(NodeScratchKey, {}, { orderBy: { nodeId: 'asc' } });
    expect(rows.map((r) => [r.nodeId, r.keyId])).toEqual([
      ['scratch-a', a1.keyId],
      ['scratch-b', b.keyId],
    ]);
    // The key bytes are in no file under the appliance's directory (database and WAL included):
    // the key store holds them wrapped.
    const raw = Buffer.from(a1.key, 'base64');
    const files = (await readdir(t.dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = await readFile(join(file.parentPath, file.name));
      expect(bytes.includes(raw), file.name).toBe(false);
    }
  });

  it('is not served on the API listener', async () => {
    const reply = await t.api({ path: '/agent/v1/scratch-key' });
    expect(reply.status).toBe(404);
  });
});
