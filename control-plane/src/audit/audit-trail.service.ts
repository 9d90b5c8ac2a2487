// The audit log's one writer. `record` appends an entry (sealing its details first) and, every
// AUDIT_CHECKPOINT_EVERY entries, a signed checkpoint — in the caller's transaction when it
// passes one (`{ em }`), so the entry commits or rolls back with what it records.
//
// Serialisation: the head (last seq and hash) is read and the entry inserted inside one
// transaction, and SQLite has one connection which kysely hands out one transaction at a time,
// so no two appends can interleave; seq is the primary key, so a second process (the admin
// CLI) racing us fails loudly instead of forking the chain. Standalone calls also queue on a
// mutex so they append in arrival order. Never call `record` WITHOUT `em` while holding a
// transaction: it would wait for the connection that transaction holds.
import { AUDIT_ACTIONS, ContractError, ErrorCode, type AuditAction } from '@enclave/contracts';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import type { EntityManager } from '@mikro-orm/core';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { AuditCheckpointRecord, type AuditCheckpointRow } from './audit-checkpoint.entity.ts';
import {
  checkpointSigningBytes,
  EMPTY_HEAD,
  linkEntry,
  type AuditCheckpoint,
  type AuditEntry,
  type ChainHead,
} from './audit-chain.ts';
import { AuditEntryRecord, type AuditEntryRow } from './audit-entry.entity.ts';
import { AuditSigningKey } from './audit-signing-key.ts';
import { verifyAuditLog, type AuditLog, type AuditVerification } from './audit-verifier.ts';
import { DetailsSealer, type AuditDetails } from './details-sealer.ts';

/** A signed checkpoint every this many entries (and on demand, and before every export). */
export const AUDIT_CHECKPOINT_EVERY = 100;

export interface AuditRecord {
  /** `user:<id>`, `node:<id>` or `system` (see actorOf*). Never an email. */
  readonly actor: string;
  readonly tenantId: string | null;
  readonly action: AuditAction;
  /** Ids of what the action was done to (project, job, node, user, key ids). */
  readonly targets?: readonly string[];
  /** Anything else worth keeping; stored only sealed. */
  readonly details?: AuditDetails;
  /** The person the details are about, so their key can seal them (and erase them). */
  readonly subjectId?: string;
}

export interface RecordOptions {
  /** The caller's transaction: the entry commits or rolls back with it. */
  readonly em?: EntityManager;
}

export const userActor = (userId: string): string => `user:${userId}`;
export const nodeActor = (nodeId: string): string => `node:${nodeId}`;
export const SYSTEM_ACTOR = 'system';

@Injectable()
export class AuditTrail {
  readonly #mutex = new AsyncMutex();
  readonly checkpointEvery: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly sealer: DetailsSealer,
    private readonly key: AuditSigningKey,
  ) {
    this.checkpointEvery = AUDIT_CHECKPOINT_EVERY;
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  async record(record: AuditRecord, options: RecordOptions = {}): Promise<AuditEntry> {
    if (!AUDIT_ACTIONS.includes(record.action)) {
      throw new ContractError(ErrorCode.VALIDATION_FAILED, `Unknown audit action ${String(record.action)}.`);
    }
    const details =
      record.details === undefined
        ? null
        : await this.sealer.seal(
            {
              tenantId: record.tenantId,
              action: record.action,
              ...(record.subjectId !== undefined ? { subjectId: record.subjectId } : {}),
            },
            record.details,
          );
    const append = async (em: EntityManager): Promise<AuditEntry> => {
      const entry = linkEntry(await readHead(em), {
        time: this.clock.now().toISOString(),
        actor: record.actor,
        tenantId: record.tenantId,
        action: record.action,
        targets: [...(record.targets ?? [])],
        details,
      });
      await em.insert(AuditEntryRecord, { ...entry });
      if (entry.seq % this.checkpointEvery === 0) await this.#sign(em, entry);
      return entry;
    };
    if (options.em?.isInTransaction() === true) return append(options.em);
    return this.#alone((tx) => append(tx));
  }

  /** A signed checkpoint at the current head (the existing one when the head has not moved). */
  checkpoint(): Promise<AuditCheckpoint> {
    return this.#alone(async (tx) => {
      const head = await readHead(tx);
      const existing = await tx.findOne(AuditCheckpointRecord, { seq: head.seq });
      if (existing !== null) return toCheckpoint(existing);
      return this.#sign(tx, head);
    });
  }

  /** The whole log as stored, with the public key. */
  async load(): Promise<AuditLog> {
    const em = this.orm.em.fork();
    const entries = await em.find(AuditEntryRecord, {}, { orderBy: { seq: 'asc' } });
    const checkpoints = await em.find(AuditCheckpointRecord, {}, { orderBy: { seq: 'asc' } });
    return {
      publicKeyPem: this.key.publicKeyPem,
      entries: entries.map(toEntry),
      checkpoints: checkpoints.map(toCheckpoint),
    };
  }

  async verify(): Promise<AuditVerification> {
    return verifyAuditLog(await this.load());
  }

  async #sign(em: EntityManager, head: ChainHead): Promise<AuditCheckpoint> {
    const unsigned = { seq: head.seq, hash: head.hash, time: this.clock.now().toISOString() };
    const checkpoint = { ...unsigned, signature: this.key.sign(checkpointSigningBytes(unsigned)) };
    await em.insert(AuditCheckpointRecord, { ...checkpoint });
    return checkpoint;
  }

  async #alone<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const release = await this.#mutex.acquire();
    try {
      return await this.orm.em.fork().transactional(work);
    } finally {
      release();
    }
  }
}

async function readHead(em: EntityManager): Promise<ChainHead> {
  const [last] = await em.find(
    AuditEntryRecord,
    {},
    { orderBy: { seq: 'desc' }, limit: 1, disableIdentityMap: true },
  );
  return last === undefined ? EMPTY_HEAD : { seq: last.seq, hash: last.hash };
}

function toEntry(row: AuditEntryRow): AuditEntry {
  return {
    seq: row.seq,
    time: row.time,
    actor: row.actor,
    tenantId: row.tenantId ?? null,
    action: row.action as AuditAction,
    targets: [...row.targets],
    details: row.details ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function toCheckpoint(row: AuditCheckpointRow): AuditCheckpoint {
  return { seq: row.seq, hash: row.hash, time: row.time, signature: row.signature };
}
