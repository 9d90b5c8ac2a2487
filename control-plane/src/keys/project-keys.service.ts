// One data key (DEK) per project, under its tenant's KEK. Both are made lazily: the tenant KEK
// on the tenant's first project key, the project DEK on first use (an upload, a job with sealed
// text). Destroying the DEK crypto-shreds the project: its files, the agents' caches and the
// sealed Kafka fields all name that key, and none of them opens again.
import { ContractError, ErrorCode } from '@enclave/contracts';
import { isCryptoError, KeyRing, type DataKey, type DestroyedKeyEntry } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/sqlite';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { ProjectKey, type ProjectKeyRow } from './key-store.entities.ts';

export interface ProjectRef {
  readonly tenantId: string;
  readonly projectId: string;
}

@Injectable()
export class ProjectKeys {
  /** Creation runs alone, so two first uploads of one project cannot make two DEKs. */
  readonly #creating = new AsyncMutex();

  constructor(
    private readonly ring: KeyRing,
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** The project's DEK, created on first use. 410 GONE once the project was erased. */
  async dataKey(project: ProjectRef): Promise<DataKey> {
    const row = (await this.keyOf(project.projectId)) ?? (await this.#create(project));
    return this.open(row);
  }

  /** The key row of a project, or null when none was made yet. */
  keyOf(projectId: string): Promise<ProjectKeyRow | null> {
    return this.orm.em.fork().findOne(ProjectKey, { projectId });
  }

  /** Throws 410 GONE when the project's key was destroyed. */
  async assertLive(projectId: string): Promise<void> {
    const row = await this.keyOf(projectId);
    if (row?.destroyedAt != null) throw erased(row);
  }

  /** The DEK of an existing key row; 410 GONE when it was destroyed. */
  async open(row: ProjectKeyRow): Promise<DataKey> {
    if (row.destroyedAt !== null && row.destroyedAt !== undefined) throw erased(row);
    try {
      return await this.ring.getDataKey(row.keyId);
    } catch (error) {
      if (isCryptoError(error, 'KEY_DESTROYED')) throw erased(row);
      throw error;
    }
  }

  /**
   * Destroys the project's DEK (journaled, `key-destroyed` emitted). A project with no key yet
   * gets one destroyed at once, so the erasure is recorded the same way. Idempotent.
   */
  async destroy(project: ProjectRef, reason: string): Promise<DestroyedKeyEntry[]> {
    const row = (await this.keyOf(project.projectId)) ?? (await this.#create(project));
    const entries = await this.ring.destroyKey(row.keyId, reason);
    await this.orm.em
      .fork()
      .nativeUpdate(
        ProjectKey,
        { projectId: project.projectId, destroyedAt: null },
        { destroyedAt: this.clock.now() },
      );
    return entries;
  }

  async #create(project: ProjectRef): Promise<ProjectKeyRow> {
    const release = await this.#creating.acquire();
    try {
      const existing = await this.keyOf(project.projectId);
      if (existing !== null) return existing;
      const dek = await this.#newDek(project.tenantId);
      try {
        const em = this.orm.em.fork();
        const row = em.create(ProjectKey, {
          projectId: project.projectId,
          tenantId: project.tenantId,
          keyId: dek.keyId,
          createdAt: this.clock.now(),
          destroyedAt: null,
        });
        await em.flush();
        return row;
      } finally {
        dek.destroy();
      }
    } finally {
      release();
    }
  }

  async #newDek(tenantId: string): Promise<DataKey> {
    try {
      return await this.ring.createProjectDek(tenantId);
    } catch (error) {
      if (!isCryptoError(error, 'KEY_UNKNOWN')) throw error;
      // The tenant's first key: its KEK is made now (lazily, rather than at tenant creation).
      // A subject key made at the same moment (SubjectKeys) may have made it first: use that one.
      await this.ring.createTenantKek(tenantId).catch((kekError: unknown) => {
        if (!isCryptoError(kekError, 'KEY_EXISTS')) throw kekError;
      });
      return this.ring.createProjectDek(tenantId);
    }
  }
}

export function erased(row: Pick<ProjectKeyRow, 'destroyedAt'>): ContractError {
  const when = row.destroyedAt ? ` on ${row.destroyedAt.toISOString()}` : '';
  return new ContractError(
    ErrorCode.GONE,
    `This project was erased${when}: its encryption key was destroyed and its files cannot be recovered.`,
  );
}
