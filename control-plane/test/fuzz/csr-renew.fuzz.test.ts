// CSR intake over the network: POST /agent/v1/renew (agent listener, a real node certificate)
// with random and mutated CSRs. The CA parses each one (certs intakeCsr behind ca.renew); the
// answer must be 201 (a corruption nobody signs or reads) or a 4xx with the contract's error
// shape — never a 5xx. The parser alone: certs/test/csr-intake.property.test.ts.
import { createCsr, type IssuedCertificate } from '@enclave/certs';
import { ErrorReplySchema } from '@enclave/contracts';
import fc from 'fast-check';
import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsCall } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let node: IssuedCertificate;
let agent: Agent;
let validDer: Buffer;

beforeAll(async () => {
  t = await startTestAppliance({ env: { ENCLAVE_LOG_LEVEL: 'warn' } });
  node = await t.registerNode('fuzz-renew');
  const pem = createCsr({ privateKeyPem: node.keyPem ?? '', profile: 'node', name: 'fuzz-renew' });
  validDer = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});

afterAll(async () => {
  agent?.destroy();
  await t?.stop();
});

const armour = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;

/** Sends one CSR; fails on anything but 201 or a well-formed 4xx. */
async function renewAnswersCleanly(csrPem: string): Promise<number> {
  const reply = await httpsCall({
    port: t.agentPort,
    method: 'POST',
    path: '/agent/v1/renew',
    tls: { ca: t.caPem, cert: node.chainPem, key: node.keyPem ?? '' },
    agent,
    body: { csrPem },
  });
  if (reply.status !== 201) {
    expect(reply.status, reply.text).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.text).toBeLessThan(500);
    ErrorReplySchema.parse(reply.json);
  }
  return reply.status;
}

describe('CSR intake through /agent/v1/renew', () => {
  it('the valid CSR renews (so the properties below can fail)', async () => {
    expect(await renewAnswersCleanly(armour(validDer))).toBe(201);
  });

  it('random bytes in PEM armour', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 600 }), async (der) => {
        await renewAnswersCleanly(armour(der));
      }),
      { numRuns: 100 },
    );
  });

  it('random text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }), async (text) => {
        await renewAnswersCleanly(text);
      }),
      { numRuns: 100 },
    );
  });

  it('one corrupted byte, or a truncation, of the valid CSR', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: validDer.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, xor, truncate) => {
          const der = Buffer.from(validDer);
          der[at] = (der[at] ?? 0) ^ xor;
          await renewAnswersCleanly(armour(truncate ? validDer.subarray(0, at) : der));
        },
      ),
      { numRuns: 150 },
    );
  });
});
