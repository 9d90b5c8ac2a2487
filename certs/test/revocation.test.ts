// Revocation: recorded, logged, on the next CRL, and announced to listeners (the control plane's
// Kafka DENY ACL). A failing listener does not undo the revocation and is retried by revoking again.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCrlInfo, type CertificateAuthority, type RevocationEvent } from '../src/index.ts';
import { DAY_MS } from '../src/clock.ts';
import { createTestCa, manualClock, TEST_PASSPHRASE, type TestCa } from './support/test-ca.ts';

let t: TestCa;
let ca: CertificateAuthority;
const clock = manualClock();
let keyPem: string;

const issueNode = (name: string) => ca.issue({ profile: 'node', name, publicKeyPem: keyPem });

beforeAll(async () => {
  t = await createTestCa();
  ca = await t.reopen({ now: clock.now });
  const first = await ca.issue({ profile: 'node', name: 'seed' }); // one keygen, reused for every leaf below
  const { createPublicKey } = await import('node:crypto');
  keyPem = createPublicKey(first.keyPem!).export({ type: 'spki', format: 'pem' }).toString();
});
afterAll(() => t.cleanup());

describe('revoke', () => {
  it('by serial: recorded, logged, on the CRL with its reason, listener told the principal', async () => {
    const events: RevocationEvent[] = [];
    const off = ca.onRevoked((e) => {
      events.push(e);
    });
    const cert = await issueNode('s1');
    const [entry] = await ca.revoke({
      serial: cert.serial.toUpperCase(),
      reason: 'keyCompromise',
      actor: 'alice',
    });
    off();
    expect(entry).toMatchObject({
      serial: cert.serial,
      principal: 'node-s1',
      reason: 'keyCompromise',
      actor: 'alice',
    });
    expect(await ca.isRevoked(cert.certPem)).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({
        principal: 'node-s1',
        serials: [cert.serial],
        scope: 'serial',
        actor: 'alice',
      }),
    ]);
    expect(readCrlInfo(await ca.crlPem({ issuer: 'intermediate' })).serials).toContain(cert.serial);
    const logged = (await ca.listCertificates()).find((c) => c.serial === cert.serial);
    expect(logged?.status).toBe('revoked');
  });

  it('by node: every certificate the node holds, one event for the principal', async () => {
    const events: RevocationEvent[] = [];
    const off = ca.onRevoked((e) => {
      events.push(e);
    });
    const [a, b] = [await issueNode('n1'), await issueNode('n1')];
    const untouched = await issueNode('n2');
    const revoked = await ca.revoke({ nodeId: 'n1', reason: 'cessationOfOperation' });
    off();
    expect(revoked.map((r) => r.serial).sort()).toEqual([a.serial, b.serial].sort());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ principal: 'node-n1', scope: 'principal' });
    expect(await ca.isRevoked(untouched.serial)).toBe(false);
  });

  it('a failing listener does not undo the revocation; revoking again retries the listeners', async () => {
    const cert = await issueNode('l1');
    let calls = 0;
    const off = ca.onRevoked(() => {
      calls++;
      if (calls === 1) throw new Error('kafka admin unreachable');
    });
    await expect(ca.revoke({ serial: cert.serial })).rejects.toMatchObject({
      code: 'REVOCATION_LISTENER_FAILED',
      message: expect.stringContaining('kafka admin unreachable') as string,
    });
    expect(await ca.isRevoked(cert.serial)).toBe(true);
    expect(await ca.revoke({ serial: cert.serial })).toEqual([]); // nothing new recorded ...
    expect(calls).toBe(2); // ... but the listener ran again
    off();
  });

  it('refuses unknown serials, unknown nodes, CA certificates and ambiguous requests', async () => {
    await expect(ca.revoke({ serial: 'abcdef' })).rejects.toMatchObject({ code: 'CERT_NOT_FOUND' });
    await expect(ca.revoke({ nodeId: 'never-enrolled' })).rejects.toMatchObject({ code: 'CERT_NOT_FOUND' });
    await expect(ca.revoke({ serial: 'zz' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    const meta = JSON.parse(
      await (await import('node:fs/promises')).readFile(`${t.dir}/ca.json`, 'utf8'),
    ) as { intermediateSerial: string };
    await expect(ca.revoke({ serial: meta.intermediateSerial })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(ca.revoke({ serial: '01', nodeId: 'x' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('CRLs', () => {
  it('numbers increase, thisUpdate is slightly backdated and nextUpdate a week ahead', async () => {
    const first = await ca.crlPem();
    const second = await ca.crlPem();
    const info = readCrlInfo(first);
    expect(readCrlInfo(second).crlNumber).toBe(info.crlNumber! + 1);
    // openssl reads the same number, so the reader is not just agreeing with the writer.
    const text = execFileSync('openssl', ['crl', '-noout', '-text'], { input: first }).toString();
    expect(text).toMatch(new RegExp(`CRL Number: \\n\\s+${info.crlNumber}\\n`));
    expect(info.thisUpdate.getTime()).toBeLessThan(clock.now().getTime());
    expect(info.nextUpdate.getTime() - clock.now().getTime()).toBeCloseTo(7 * DAY_MS, -4);
  });

  it('drop entries a day after the certificate has expired anyway', async () => {
    const cert = await issueNode('old');
    await ca.revoke({ serial: cert.serial });
    expect(readCrlInfo(await ca.crlPem()).serials).toContain(cert.serial);
    clock.set(new Date(cert.notAfter.getTime() + 2 * DAY_MS));
    try {
      expect(readCrlInfo(await ca.crlPem()).serials).not.toContain(cert.serial);
      expect(await ca.isRevoked(cert.serial)).toBe(true); // still refused for renewal
    } finally {
      clock.set(new Date());
    }
  });

  it('the root CRL is re-signed only with the passphrase; without it the stored copy is served', async () => {
    const stored = await ca.crlPem({ issuer: 'root' });
    expect(await ca.crlPem({ issuer: 'root' })).toBe(stored);
    const withRoot = await t.reopen({ now: clock.now, passphrase: TEST_PASSPHRASE });
    const resigned = await withRoot.crlPem({ issuer: 'root' });
    expect(resigned).not.toBe(stored);
    expect(await ca.crlPem({ issuer: 'root' })).toBe(resigned); // the file was replaced
  });

  it('refuses to serve a stored root CRL that has expired, and says how to fix it', async () => {
    const { nextUpdate } = readCrlInfo(await ca.crlPem({ issuer: 'root' }));
    const later = await t.reopen({ now: () => new Date(nextUpdate.getTime() + 1000) });
    await expect(later.crlPem({ issuer: 'root' })).rejects.toThrow(/root CRL expired .*--resign/);
  });
});
