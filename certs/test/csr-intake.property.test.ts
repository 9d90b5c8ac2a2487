// Robustness of CSR intake against hostile input: random bytes, random text, truncations and
// single-byte corruptions of a valid CSR. The only acceptable outcomes are a CertsError, or (when
// the corruption hit a byte nobody signs or reads) acceptance of the very same key and identity.
import { createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertsError, createCsr, generateLeafKeyPair, intakeCsr, resolveIdentity } from '../src/index.ts';
import { privateKeyPem, spkiDer } from '../src/key-pairs.ts';
import { derToPem, pemToDer } from '../src/pem.ts';

const identity = resolveIdentity({ profile: 'node', name: 'prop' });
const valid: { der: Buffer; spki: Buffer }[] = [];

beforeAll(async () => {
  for (const type of ['rsa-3072', 'ec-p256'] as const) {
    const keyPem = privateKeyPem((await generateLeafKeyPair(type)).privateKey);
    const pem = createCsr({ privateKeyPem: keyPem, profile: 'node', name: 'prop', challengePassword: 'n' });
    valid.push({
      der: pemToDer(pem, 'CERTIFICATE REQUEST', 'CSR_MALFORMED'),
      spki: spkiDer(createPublicKey(keyPem)),
    });
  }
});

const csrArmour = (der: Uint8Array) => derToPem(Buffer.from(der), 'CERTIFICATE REQUEST');

function judge(input: unknown, expectedSpki?: Buffer): void {
  try {
    const accepted = intakeCsr(input, identity);
    expect(expectedSpki).toBeDefined();
    expect(spkiDer(accepted.publicKey).equals(expectedSpki!)).toBe(true);
  } catch (error) {
    if (!(error instanceof CertsError)) throw error;
    expect(error.code).toMatch(/^CSR_/);
    expect(error.message).not.toMatch(/\n/);
  }
}

describe('intakeCsr on hostile input', () => {
  it('the valid CSRs are accepted (so the properties below can fail)', () => {
    for (const v of valid)
      expect(spkiDer(intakeCsr(csrArmour(v.der), identity).publicKey).equals(v.spki)).toBe(true);
  });

  it('random bytes in PEM armour', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => judge(csrArmour(bytes))),
      { numRuns: 300 },
    );
  });

  it('random text and values', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => judge(x)),
      { numRuns: 300 },
    );
  });

  it('truncations of a valid CSR', () => {
    for (const v of valid) {
      fc.assert(
        fc.property(fc.nat(v.der.length - 1), (n) => judge(csrArmour(v.der.subarray(0, n)))),
        { numRuns: 200 },
      );
    }
  });

  it('one corrupted byte anywhere in a valid CSR', () => {
    for (const v of valid) {
      fc.assert(
        fc.property(fc.nat(v.der.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
          const bytes = Buffer.from(v.der);
          bytes[at] = bytes[at]! ^ xor;
          judge(csrArmour(bytes), v.spki);
        }),
        { numRuns: 400 },
      );
    }
  });
});
