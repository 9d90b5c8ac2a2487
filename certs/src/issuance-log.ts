// The append-only record of every certificate the CA issued, renewed or revoked. The interface
// is what the control plane implements over SQLite later; the hash chain (each entry carries the
// hash of the one before) makes a silently edited or deleted line detectable in any backend.
import { createHash } from 'node:crypto';
import type { Profile } from './profiles.ts';
import type { RevocationReason } from './revocation-reasons.ts';

export type IssuanceEvent = 'issued' | 'renewed' | 'revoked';

export interface IssuanceLogInput {
  readonly event: IssuanceEvent;
  readonly serial: string;
  /** RFC 2253, as Kafka and `openssl x509 -nameopt RFC2253` print it. */
  readonly subject: string;
  readonly principal: string;
  /** Absent for the CA's own certificates. */
  readonly profile?: Profile | 'root-ca' | 'intermediate-ca';
  readonly fingerprint256: string;
  readonly notAfter: string;
  readonly actor: string;
  readonly at: string;
  /** For renewals: the certificate this one replaces. */
  readonly previousSerial?: string;
  readonly reason?: RevocationReason;
}

export interface IssuanceLogEntry extends IssuanceLogInput {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

export interface IssuanceLog {
  append(entry: IssuanceLogInput): Promise<IssuanceLogEntry>;
  entries(): Promise<IssuanceLogEntry[]>;
  /** The issued/renewed entry of a serial, if this CA made it. */
  findIssued(serial: string): Promise<IssuanceLogEntry | undefined>;
  /** Issued/renewed entries of a principal, oldest first. */
  issuedTo(principal: string): Promise<IssuanceLogEntry[]>;
}

export const GENESIS_HASH = '0'.repeat(64);

export function chainEntry(input: IssuanceLogInput, seq: number, prevHash: string): IssuanceLogEntry {
  const body = { seq, prevHash, ...input };
  return { ...body, hash: entryHash(body) };
}

/** Checks every link; returns the sequence number of the first broken entry, or undefined. */
export function findBrokenLink(entries: readonly IssuanceLogEntry[]): number | undefined {
  let prev = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const { hash, ...body } = entry;
    if (entry.seq !== index + 1 || entry.prevHash !== prev || entryHash(body) !== hash) return index + 1;
    prev = hash;
  }
  return undefined;
}

function entryHash(body: object): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** Sorted keys, so the hash does not depend on the order a backend returns columns in. */
function canonicalJson(value: object): string {
  const sorted = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}
