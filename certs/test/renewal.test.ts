// Renewal: same identity, same key, new certificate; refused when revoked or with another key;
// past expiry only inside the grace window and only with a fresh, single-use challenge signed by
// the same key. Time is moved by hand, never slept.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCsr,
  generateLeafKeyPair,
  renewalDue,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../src/index.ts';
import { DAY_MS, HOUR_MS } from '../src/clock.ts';
import { privateKeyPem, publicKeyPem } from '../src/key-pairs.ts';
import { createTestCa, manualClock, type TestCa } from './support/test-ca.ts';

let t: TestCa;
let other: TestCa;
let ca: CertificateAuthority;
const clock = manualClock();
let keyPem: string;
let otherKeyPem: string;

/** A fresh node certificate for `name`, issued now on the node's own key. */
async function enrolled(name: string): Promise<IssuedCertificate> {
  const { token } = await ca.createEnrollmentToken({ name });
  return ca.issueFromCsr({ csrPem: createCsr({ privateKeyPem: keyPem, profile: 'node', name }), token });
}
const csr = (name: string, challengePassword?: string, key = keyPem) =>
  createCsr({
    privateKeyPem: key,
    profile: 'node',
    name,
    ...(challengePassword ? { challengePassword } : {}),
  });

beforeAll(async () => {
  [t, other] = await Promise.all([createTestCa(), createTestCa()]);
  ca = await t.reopen({ now: clock.now, graceHours: 72 });
  const [a, b] = await Promise.all([generateLeafKeyPair(), generateLeafKeyPair()]);
  keyPem = privateKeyPem(a.privateKey);
  otherKeyPem = privateKeyPem(b.privateKey);
});
afterAll(() => Promise.all([t.cleanup(), other.cleanup()]));

describe('in life (the caller authenticated the node over mTLS)', () => {
  it('issues a new certificate with the same identity and key, logged as a renewal', async () => {
    const current = await enrolled('r1');
    clock.advance(16 * HOUR_MS);
    const renewed = await ca.renew({ currentCertPem: current.certPem, csrPem: csr('r1') });
    expect(renewed.serial).not.toBe(current.serial);
    expect(renewed.principal).toBe('node-r1');
    expect(renewed.notAfter.getTime()).toBeGreaterThan(current.notAfter.getTime());
    const [before, after] = [current.certPem, renewed.certPem].map((p) => new X509Certificate(p));
    expect(after!.subject).toBe(before!.subject);
    expect(after!.keyUsage).toEqual(before!.keyUsage);
    expect(after!.publicKey.equals(before!.publicKey)).toBe(true);
    const log = (await ca.listCertificates()).find((c) => c.serial === renewed.serial);
    expect(log).toMatchObject({ event: 'renewed', status: 'valid' });
  });

  it('refuses a CSR made with another key', async () => {
    const current = await enrolled('r2');
    await expect(
      ca.renew({ currentCertPem: current.certPem, csrPem: csr('r2', undefined, otherKeyPem) }),
    ).rejects.toMatchObject({
      code: 'CSR_KEY_MISMATCH',
    });
  });

  it('refuses a CSR that asks for another identity', async () => {
    const current = await enrolled('r3');
    await expect(
      ca.renew({ currentCertPem: current.certPem, csrPem: csr('someone-else') }),
    ).rejects.toMatchObject({
      code: 'CSR_IDENTITY_MISMATCH',
    });
  });

  it('refuses a revoked certificate, by serial or by node', async () => {
    const a = await enrolled('r4');
    await ca.revoke({ serial: a.serial, reason: 'keyCompromise' });
    await expect(ca.renew({ currentCertPem: a.certPem, csrPem: csr('r4') })).rejects.toMatchObject({
      code: 'CERT_REVOKED',
      message: expect.stringContaining('enroll again with a new token') as string,
    });
    const b = await enrolled('r5');
    await ca.revoke({ nodeId: 'r5' });
    await expect(ca.renew({ currentCertPem: b.certPem, csrPem: csr('r5') })).rejects.toMatchObject({
      code: 'CERT_REVOKED',
    });
  });

  it("refuses another CA's certificate", async () => {
    const foreign = await other.ca.issue({
      profile: 'node',
      name: 'r6',
      publicKeyPem: publicKeyPem(new X509Certificate((await enrolled('r6')).certPem).publicKey),
    });
    await expect(ca.renew({ currentCertPem: foreign.certPem, csrPem: csr('r6') })).rejects.toMatchObject({
      code: 'CERT_UNKNOWN_ISSUER',
    });
  });
});

describe('past expiry (a node switched off for a while)', () => {
  it('renews within the grace window with a fresh challenge signed by the same key', async () => {
    const current = await enrolled('g1');
    const challenge = await ca.renewalChallenge(current.certPem);
    clock.set(new Date(current.notAfter.getTime() + 48 * HOUR_MS)); // 2 days off, grace is 3
    try {
      await expect(ca.renew({ currentCertPem: current.certPem, csrPem: csr('g1') })).rejects.toMatchObject({
        code: 'RENEWAL_CHALLENGE_REQUIRED',
      });
      const fresh = await ca.renewalChallenge(current.certPem);
      const renewed = await ca.renew({ currentCertPem: current.certPem, csrPem: csr('g1', fresh.nonce) });
      expect(renewed.notAfter.getTime()).toBeGreaterThan(clock.now().getTime());
      // The nonce from before the shutdown has expired; the one just used is spent.
      for (const nonce of [challenge.nonce, fresh.nonce]) {
        await expect(
          ca.renew({ currentCertPem: current.certPem, csrPem: csr('g1', nonce) }),
        ).rejects.toMatchObject({
          code: 'RENEWAL_CHALLENGE_INVALID',
        });
      }
    } finally {
      clock.set(new Date());
    }
  });

  it("refuses a challenge issued for another node's certificate", async () => {
    const [mine, theirs] = [await enrolled('g2'), await enrolled('g3')];
    clock.set(new Date(mine.notAfter.getTime() + HOUR_MS));
    try {
      const forThem = await ca.renewalChallenge(theirs.certPem);
      await expect(
        ca.renew({ currentCertPem: mine.certPem, csrPem: csr('g2', forThem.nonce) }),
      ).rejects.toMatchObject({
        code: 'RENEWAL_CHALLENGE_INVALID',
      });
    } finally {
      clock.set(new Date());
    }
  });

  it('refuses past the grace window: the node needs a new token', async () => {
    const current = await enrolled('g4');
    clock.set(new Date(current.notAfter.getTime() + 4 * DAY_MS));
    try {
      const challenge = await ca.renewalChallenge(current.certPem);
      await expect(
        ca.renew({ currentCertPem: current.certPem, csrPem: csr('g4', challenge.nonce) }),
      ).rejects.toMatchObject({
        code: 'RENEWAL_GRACE_EXCEEDED',
        message: expect.stringContaining('enroll again with a new token') as string,
      });
    } finally {
      clock.set(new Date());
    }
  });

  it('refuses a revoked certificate even inside the grace window, and gives it no challenge', async () => {
    const current = await enrolled('g5');
    await ca.revoke({ nodeId: 'g5' });
    clock.set(new Date(current.notAfter.getTime() + HOUR_MS));
    try {
      await expect(ca.renewalChallenge(current.certPem)).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    } finally {
      clock.set(new Date());
    }
  });
});

describe('renewalDue (agent schedule)', () => {
  const validity = {
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-02T00:00:00Z'),
  };
  const now = new Date('2026-01-01T01:00:00Z');

  it('is two thirds into the life without jitter (rng 0.5)', () => {
    expect(renewalDue(validity, now, () => 0.5).toISOString()).toBe('2026-01-01T16:00:00.000Z');
  });

  it('spreads by ±5% of the life with jitter', () => {
    expect(renewalDue(validity, now, () => 0).getTime()).toBe(
      Date.parse('2026-01-01T16:00:00Z') - 0.05 * DAY_MS,
    );
    expect(renewalDue(validity, now, () => 1).getTime()).toBe(
      Date.parse('2026-01-01T16:00:00Z') + 0.05 * DAY_MS,
    );
  });

  it('is now when the moment has passed (a node that was off)', () => {
    const late = new Date('2026-01-01T23:00:00Z');
    expect(renewalDue(validity, late, () => 0.5)).toEqual(late);
  });

  it('reads the validity from a PEM certificate', async () => {
    const issued = await enrolled('due');
    const due = renewalDue(issued.certPem, clock.now(), () => 0.5);
    const life = issued.notAfter.getTime() - issued.notBefore.getTime();
    expect(due.getTime()).toBeCloseTo(issued.notBefore.getTime() + (2 / 3) * life, -3);
  });
});
