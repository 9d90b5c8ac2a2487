// Verifying an audit log, pure: the chain (every seq in order from 1, every prevHash the hash
// before it, every hash recomputed) and every checkpoint (its Ed25519 signature under the
// appliance's audit key, and the entry it names carries exactly its hash). The first failure
// is reported with the first seq that does not verify. Used by GET /api/v1/audit/verify and by
// the offline CLI; like audit-chain.ts it runs under Node's type stripping.
//
// What it cannot see: entries removed from the END of the log after the last checkpoint. The
// export therefore signs a checkpoint at the head first, and the server signs one every N
// entries (ENCLAVE_AUDIT_CHECKPOINT_EVERY); docs/privacy-controls.md says so.
import { AuditExportLineSchema } from '@enclave/contracts';
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import {
  checkpointSigningBytes,
  entryHash,
  GENESIS_HASH,
  type AuditCheckpoint,
  type AuditEntry,
} from './audit-chain.ts';

export interface AuditProblem {
  /** The first seq that does not verify; 0 when the fault is not one entry's (the file, the key). */
  readonly seq: number;
  readonly reason: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly lastCheckpoint: AuditCheckpoint | null;
  readonly problem?: AuditProblem;
}

export interface AuditLog {
  readonly publicKeyPem: string;
  readonly entries: readonly AuditEntry[];
  readonly checkpoints: readonly AuditCheckpoint[];
}

export function verifyAuditLog(log: AuditLog): AuditVerification {
  const fail = (seq: number, reason: string, lastCheckpoint: AuditCheckpoint | null = null) => ({
    ok: false,
    entries: log.entries.length,
    lastCheckpoint,
    problem: { seq, reason },
  });
  let key: KeyObject;
  try {
    key = createPublicKey(log.publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return fail(0, 'the public key is not an Ed25519 key');
  } catch {
    return fail(0, 'the public key is not a readable PEM public key');
  }

  let prevHash = GENESIS_HASH;
  for (let i = 0; i < log.entries.length; i++) {
    const entry = log.entries[i]!;
    const expected = i + 1;
    if (entry.seq !== expected) {
      const what =
        entry.seq > expected
          ? `entry ${expected} is missing (found ${entry.seq} in its place): an entry was deleted or reordered`
          : `entry ${entry.seq} appears where ${expected} should be: entries were reordered or duplicated`;
      return fail(expected, what);
    }
    if (entry.prevHash !== prevHash) {
      return fail(entry.seq, `entry ${entry.seq} does not link to the entry before it (prevHash differs)`);
    }
    const { hash, ...unhashed } = entry;
    if (entryHash(unhashed) !== hash) {
      return fail(entry.seq, `entry ${entry.seq} was altered: its content does not match its hash`);
    }
    prevHash = hash;
  }

  let last: AuditCheckpoint | null = null;
  for (const checkpoint of log.checkpoints) {
    const signed = verifySignature(
      null,
      checkpointSigningBytes(checkpoint),
      key,
      Buffer.from(checkpoint.signature, 'base64url'),
    );
    if (!signed) {
      return fail(checkpoint.seq, `the checkpoint at seq ${checkpoint.seq} has a bad signature`, last);
    }
    if (checkpoint.seq > log.entries.length) {
      return fail(
        log.entries.length + 1,
        `the signed checkpoint at seq ${checkpoint.seq} covers entries that are missing: the log was truncated after entry ${log.entries.length}`,
        last,
      );
    }
    const covered = checkpoint.seq === 0 ? GENESIS_HASH : log.entries[checkpoint.seq - 1]!.hash;
    if (covered !== checkpoint.hash) {
      return fail(
        checkpoint.seq,
        `entry ${checkpoint.seq} does not match the signed checkpoint at that seq`,
        last,
      );
    }
    if (last === null || checkpoint.seq >= last.seq) last = checkpoint;
  }
  return { ok: true, entries: log.entries.length, lastCheckpoint: last };
}

/** Reads an export (JSON lines); a malformed file is a problem at seq 0, not an exception. */
export function parseAuditExport(text: string): { log: AuditLog } | { problem: AuditProblem } {
  let publicKeyPem: string | null = null;
  const entries: AuditEntry[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { problem: { seq: 0, reason: `line ${i + 1} is not JSON` } };
    }
    const parsed = AuditExportLineSchema.safeParse(json);
    if (!parsed.success) {
      const seq = entrySeqOf(json);
      return {
        problem: {
          seq,
          reason: `line ${i + 1} is not a valid audit export line${seq > 0 ? ` (entry ${seq})` : ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
        },
      };
    }
    const value = parsed.data;
    if (value.type === 'header') publicKeyPem = value.publicKeyPem;
    else if (value.type === 'entry') entries.push(value.entry);
    else checkpoints.push(value.checkpoint);
  }
  if (publicKeyPem === null)
    return { problem: { seq: 0, reason: 'the file has no header line with the public key' } };
  return { log: { publicKeyPem, entries, checkpoints } };
}

function entrySeqOf(json: unknown): number {
  if (typeof json !== 'object' || json === null) return 0;
  const entry = (json as { entry?: { seq?: unknown } }).entry;
  return typeof entry?.seq === 'number' && Number.isInteger(entry.seq) && entry.seq > 0 ? entry.seq : 0;
}

/** One export line each: header, entries in seq order, then checkpoints. */
export function exportLines(log: AuditLog): string[] {
  return [
    JSON.stringify({ type: 'header', format: 'enclave-audit/v1', publicKeyPem: log.publicKeyPem }),
    ...log.entries.map((entry) => JSON.stringify({ type: 'entry', entry })),
    ...log.checkpoints.map((checkpoint) => JSON.stringify({ type: 'checkpoint', checkpoint })),
  ];
}
