// The hash chain and checkpoint verification, pure: any edit of any field of any entry, any
// deletion and any swap of two entries is detected, and the first bad seq is the one named.
import { AUDIT_ACTIONS, type EncryptedField } from '@enclave/contracts';
import fc from 'fast-check';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkpointSigningBytes,
  EMPTY_HEAD,
  linkEntry,
  type AuditCheckpoint,
  type AuditEntry,
  type AuditEntryFields,
} from '../../src/audit/audit-chain.ts';
import { exportLines, parseAuditExport, verifyAuditLog } from '../../src/audit/audit-verifier.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('ed25519');

const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);
const b64 = (n: number) =>
  fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('base64url'));
const sealed: fc.Arbitrary<EncryptedField> = fc.record({
  keyId: id,
  alg: fc.constant('A256GCM' as const),
  iv: b64(12),
  ct: b64(24),
  tag: b64(16),
});
const fields: fc.Arbitrary<AuditEntryFields> = fc.record({
  time: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.oneof(
    fc.constant('system'),
    id.map((x) => `user:${x}`),
    id.map((x) => `node:${x}`),
  ),
  tenantId: fc.option(id, { nil: null }),
  action: fc.constantFrom(...AUDIT_ACTIONS),
  targets: fc.array(id, { maxLength: 3 }),
  details: fc.option(sealed, { nil: null }),
});

function chain(all: readonly AuditEntryFields[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = EMPTY_HEAD;
  for (const f of all) {
    const entry = linkEntry(head, f);
    out.push(entry);
    head = entry;
  }
  return out;
}

function checkpointAt(entries: readonly AuditEntry[], seq: number, key = privateKey): AuditCheckpoint {
  const unsigned = {
    seq,
    hash: seq === 0 ? '0'.repeat(64) : entries[seq - 1]!.hash,
    time: '2026-01-01T00:00:00.000Z',
  };
  return { ...unsigned, signature: sign(null, checkpointSigningBytes(unsigned), key).toString('base64url') };
}

const log = (entries: AuditEntry[], checkpoints: AuditCheckpoint[] = []) => ({
  publicKeyPem,
  entries,
  checkpoints,
});
const entries = fc.array(fields, { minLength: 2, maxLength: 12 }).map(chain);

/** A different value for one field of an entry (never equal to the old one). */
function edited(entry: AuditEntry, field: number, salt: string): AuditEntry {
  switch (field % 8) {
    case 0:
      return { ...entry, time: new Date(Date.parse(entry.time) + 1000).toISOString() };
    case 1:
      return { ...entry, actor: entry.actor === 'system' ? 'user:x' : 'system' };
    case 2:
      return { ...entry, tenantId: entry.tenantId === null ? 't' : `${entry.tenantId}${salt}x` };
    case 3:
      return { ...entry, action: entry.action === 'auth.sign-in' ? 'auth.sign-in-failed' : 'auth.sign-in' };
    case 4:
      return { ...entry, targets: [...entry.targets, salt] };
    case 5:
      return {
        ...entry,
        details:
          entry.details === null
            ? { keyId: 'k', alg: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', ct: 'AA', tag: 'AAAAAAAAAAAAAAAAAAAAAA' }
            : { ...entry.details, ct: entry.details.ct + 'A' },
      };
    case 6:
      return { ...entry, prevHash: entry.prevHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    default:
      return { ...entry, hash: entry.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
  }
}

describe('audit chain', () => {
  it('verifies an untouched chain with checkpoints', () => {
    fc.assert(
      fc.property(entries, (es) => {
        const result = verifyAuditLog(log(es, [checkpointAt(es, 1), checkpointAt(es, es.length)]));
        expect(result).toMatchObject({ ok: true, entries: es.length, lastCheckpoint: { seq: es.length } });
      }),
    );
  });

  it('detects any edit of any field of any entry, naming its seq', () => {
    fc.assert(
      fc.property(entries, fc.nat(), fc.nat(7), id, (es, at, field, salt) => {
        const i = at % es.length;
        const tampered = es.map((e, j) => (j === i ? edited(e, field, salt) : e));
        const result = verifyAuditLog(log(tampered));
        expect(result.ok).toBe(false);
        expect(result.problem?.seq).toBe(i + 1);
      }),
    );
  });

  it('detects an edit even when the editor recomputes that entry’s hash (the next link breaks)', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (es, at) => {
        const i = at % (es.length - 1);
        const rehashed = linkEntry({ seq: i, hash: es[i]!.prevHash }, { ...es[i]!, actor: 'user:forger' });
        const tampered = es.map((e, j) => (j === i ? rehashed : e));
        const result = verifyAuditLog(log(tampered));
        expect(result.ok).toBe(false);
        expect(result.problem?.seq).toBe(i + 2);
      }),
    );
  });

  it('detects the deletion of any entry but the last; the last one through the checkpoint', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (es, at) => {
        const i = at % es.length;
        const cut = es.filter((_, j) => j !== i);
        const result = verifyAuditLog(log(cut, [checkpointAt(es, es.length)]));
        expect(result.ok).toBe(false);
        expect(result.problem?.seq).toBe(i + 1);
      }),
    );
  });

  it('detects a swap of any two entries, naming the first moved seq', () => {
    fc.assert(
      fc.property(entries, fc.nat(), fc.nat(), (es, a, b) => {
        const i = a % es.length;
        let j = b % es.length;
        if (i === j) j = (i + 1) % es.length;
        const swapped = [...es];
        [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
        const result = verifyAuditLog(log(swapped));
        expect(result.ok).toBe(false);
        expect(result.problem?.seq).toBe(Math.min(i, j) + 1);
      }),
    );
  });

  it('refuses a checkpoint signed by another key, or one that names a different hash', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (es, at) => {
        const seq = (at % es.length) + 1;
        const forged = verifyAuditLog(log(es, [checkpointAt(es, seq, other.privateKey)]));
        expect(forged.problem?.reason).toContain('bad signature');
        expect(forged.problem?.seq).toBe(seq);
        const good = checkpointAt(es, seq);
        const moved = verifyAuditLog(log(es, [{ ...good, seq: seq === 1 ? 2 : seq - 1 }]));
        expect(moved.ok).toBe(false);
      }),
    );
  });

  it('round-trips through the export format', () => {
    fc.assert(
      fc.property(entries, (es) => {
        const original = log(es, [checkpointAt(es, es.length)]);
        const parsed = parseAuditExport(exportLines(original).join('\n'));
        expect('log' in parsed && parsed.log).toEqual(original);
      }),
    );
  });

  it('reports a malformed export as a problem, not an exception', () => {
    expect(parseAuditExport('{not json')).toEqual({ problem: { seq: 0, reason: 'line 1 is not JSON' } });
    expect(parseAuditExport('')).toMatchObject({ problem: { seq: 0 } });
  });
});
