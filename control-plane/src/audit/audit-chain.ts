// The hash chain of the audit log, pure: how an entry is encoded, hashed and linked to the one
// before it, and the bytes a checkpoint signs. Shared by the writer (AuditTrail), the verify
// route and the offline CLI (`enclave audit verify`), which runs this file under Node's type
// stripping — so it imports only node:crypto and contracts, and uses erasable syntax only.
//
// hash(n) = SHA-256( "enclave/audit-entry/v1\n" || canonicalJson({seq, prevHash, time, actor,
// tenantId, action, targets, details}) ), prevHash(1) = 64 zeros. `details` is the sealed
// ciphertext (or null): the chain covers what is stored, so destroying the key that sealed a
// detail (crypto-shredding) leaves the chain verifiable.
import {
  canonicalJson,
  type AuditCheckpointDto,
  type AuditEntryDto,
  type JsonValue,
} from '@enclave/contracts';
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
const ENTRY_CONTEXT = 'enclave/audit-entry/v1\n';
const CHECKPOINT_CONTEXT = 'enclave/audit-checkpoint/v1\n';

export type AuditEntry = AuditEntryDto;
export type AuditCheckpoint = AuditCheckpointDto;

/** An entry before it is linked: everything but seq, prevHash and hash. */
export type AuditEntryFields = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The end of the chain: the last entry's seq and hash (0 and the genesis hash when empty). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: ChainHead = Object.freeze({ seq: 0, hash: GENESIS_HASH });

/** The canonical encoding the hash covers. Every stored field but `hash` itself is in it. */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const encoded: JsonValue = {
    seq: entry.seq,
    prevHash: entry.prevHash,
    time: entry.time,
    actor: entry.actor,
    tenantId: entry.tenantId,
    action: entry.action,
    targets: [...entry.targets],
    details: entry.details === null ? null : { ...entry.details },
  };
  return canonicalJson(encoded);
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(ENTRY_CONTEXT + canonicalEntry(entry), 'utf8')
    .digest('hex');
}

/** The next entry after `head`. */
export function linkEntry(head: ChainHead, fields: AuditEntryFields): AuditEntry {
  const unhashed = {
    seq: head.seq + 1,
    prevHash: head.hash,
    time: fields.time,
    actor: fields.actor,
    tenantId: fields.tenantId,
    action: fields.action,
    targets: [...fields.targets],
    details: fields.details,
  };
  return { ...unhashed, hash: entryHash(unhashed) };
}

/** What an Ed25519 checkpoint signature covers. */
export function checkpointSigningBytes(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  const body = canonicalJson({ seq: checkpoint.seq, hash: checkpoint.hash, time: checkpoint.time });
  return Buffer.from(CHECKPOINT_CONTEXT + body, 'utf8');
}
