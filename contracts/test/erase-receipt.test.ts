import { constants, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERASE_RECEIPT_SIGNING_CONTEXT, canonicalJson, eraseReceiptSigningBytes } from '../src/index.ts';
import { NODE, TENANT, examples } from './fixtures.ts';

const { signature: _signature, ...unsigned } = examples['erase.receipt'].body;

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined, like RFC 8785', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    );
  });

  it('matches RFC 8785 number and string serialisation', () => {
    expect(canonicalJson([1e21, 1.5, -0, 0.000001, 'é\n"'])).toBe('[1e+21,1.5,0,0.000001,"é\\n\\""]');
  });

  it('sorts by UTF-16 code units', () => {
    expect(canonicalJson({ '\u{1F600}': 1, '\uFB33': 2, a: 3 })).toBe('{"a":3,"\u{1F600}":1,"\uFB33":2}');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
  });
});

describe('eraseReceiptSigningBytes', () => {
  it('is independent of key order and names its purpose, node and tenant', () => {
    const reordered = { completedAt: unsigned.completedAt, items: unsigned.items, orderId: unsigned.orderId };
    const a = eraseReceiptSigningBytes({ nodeId: NODE, tenantId: TENANT, body: unsigned });
    const b = eraseReceiptSigningBytes({ nodeId: NODE, tenantId: TENANT, body: reordered });
    expect(a.equals(b)).toBe(true);
    const parsed = JSON.parse(a.toString('utf8')) as Record<string, unknown>;
    expect(parsed).toMatchObject({ context: ERASE_RECEIPT_SIGNING_CONTEXT, nodeId: NODE, tenantId: TENANT });
  });

  it('lets the control plane verify what the node signed, and fails for another node or a changed item', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }; // PS256
    const bytes = eraseReceiptSigningBytes({ nodeId: NODE, tenantId: TENANT, body: unsigned });
    const signature = sign('sha256', bytes, { key: privateKey, ...pss });

    expect(verify('sha256', bytes, { key: publicKey, ...pss }, signature)).toBe(true);

    const otherNode = eraseReceiptSigningBytes({ nodeId: 'gpu-08', tenantId: TENANT, body: unsigned });
    expect(verify('sha256', otherNode, { key: publicKey, ...pss }, signature)).toBe(false);

    const tampered = {
      ...unsigned,
      items: unsigned.items.map((item) => ({ ...item, outcome: 'erased' as const })),
    };
    const tamperedBytes = eraseReceiptSigningBytes({ nodeId: NODE, tenantId: TENANT, body: tampered });
    expect(verify('sha256', tamperedBytes, { key: publicKey, ...pss }, signature)).toBe(false);
  });
});
