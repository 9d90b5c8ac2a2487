// Rotation without restart: a live server gets a new certificate and a new CRL through
// applyRotation (setSecureContext). The same listening socket then presents the new certificate
// and refuses a client revoked after it started; nothing is closed or re-bound.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyRotation,
  clientTlsOptions,
  serverTlsOptions,
  tlsMaterialFrom,
  type IssuedCertificate,
} from '../src/index.ts';
import { normalizeSerial } from '../src/serial-numbers.ts';
import { createTestCa, type TestCa } from './support/test-ca.ts';
import { probe, startNodeServer } from './support/tls-probe.ts';

let t: TestCa;
let clientA: IssuedCertificate;
let clientB: IssuedCertificate;

beforeAll(async () => {
  t = await createTestCa();
  [clientA, clientB] = await Promise.all([
    t.ca.issue({ profile: 'node', name: 'a' }),
    t.ca.issue({ profile: 'operator', name: 'b' }),
  ]);
});
afterAll(() => t.cleanup());

it('swaps certificate and CRL on a running server; the revoked client is refused from then on', async () => {
  const before = await t.ca.issue({ profile: 'control-plane', name: 'cp', dnsNames: ['localhost'] });
  const live = await startNodeServer(serverTlsOptions(tlsMaterialFrom(before, await t.ca.crlPems())));
  let listeningEvents = 0;
  live.server.on('listening', () => listeningEvents++);
  try {
    const first = await probe(live.port, clientTlsOptions(tlsMaterialFrom(clientA)));
    expect(first.data).toContain('hello node-a');
    expect(normalizeSerial(first.serverSerial!)).toBe(before.serial);

    const after = await t.ca.issue({ profile: 'control-plane', name: 'cp', dnsNames: ['localhost'] });
    await t.ca.revoke({ nodeId: 'a', reason: 'keyCompromise' });
    applyRotation(live.server, tlsMaterialFrom(after, await t.ca.crlPems()));

    const refused = await probe(live.port, clientTlsOptions(tlsMaterialFrom(clientA)));
    expect(refused.accepted).toBe(false);
    const other = await probe(live.port, clientTlsOptions(tlsMaterialFrom(clientB)));
    expect(other.data).toContain('hello operator-b');
    expect(normalizeSerial(other.serverSerial!)).toBe(after.serial);
    expect(live.server.listening).toBe(true);
    expect(listeningEvents).toBe(0);
  } finally {
    await live.close();
  }
});
