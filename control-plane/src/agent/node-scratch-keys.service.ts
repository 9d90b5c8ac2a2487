// Per-node scratch volume keys (issue #6 item 5). Each node gets one random 32-byte key, made
// on its first request and kept wrapped in the key ring like any data key: under a KEK of the
// pseudo-tenant NODE_KEYS_OWNER, which is no tenant's, so no tenant erasure or key rotation of
// a tenant touches it. Only the node whose certificate the agent listener verified gets its own
// key. Losing the key (key store lost) makes the scratch volume unreadable, which is fine: scratch
// holds nothing that must survive; the agent formats a new volume.
import { DataKey, KeyRing, exportDataKey, isCryptoError } from '@enclave/crypto';
import type { AgentScratchKey } from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { Injectable } from '@nestjs/common';
import { AsyncMutex } from '../common/async-mutex.ts';
import { Clock } from '../common/clock.ts';
import { NodeScratchKey } from './node-scratch-key.entity.ts';

/** The key-ring "tenant" whose KEK wraps node keys; not a valid tenant id of any real tenant. */
export const NODE_KEYS_OWNER = 'appliance-nodes';

@Injectable()
export class NodeScratchKeys {
  readonly #creating = new AsyncMutex();

  constructor(
    private readonly ring: KeyRing,
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  async keyFor(nodeId: string): Promise<AgentScratchKey> {
    const keyId = (await this.#keyIdOf(nodeId)) ?? (await this.#create(nodeId));
    const key = await this.ring.getDataKey(keyId);
    const bytes = exportDataKey(key);
    try {
      return { keyId, key: bytes.toString('base64') };
    } finally {
      bytes.fill(0);
      key.destroy();
    }
  }

  async #keyIdOf(nodeId: string): Promise<string | null> {
    const row = await this.orm.em.fork().findOne(NodeScratchKey, { nodeId });
    return row?.keyId ?? null;
  }

  async #create(nodeId: string): Promise<string> {
    const release = await this.#creating.acquire();
    try {
      const existing = await this.#keyIdOf(nodeId);
      if (existing !== null) return existing;
      const key = await this.#newKey();
      try {
        const em = this.orm.em.fork();
        em.create(NodeScratchKey, { nodeId, keyId: key.keyId, createdAt: this.clock.now() });
        await em.flush();
        return key.keyId;
      } finally {
        key.destroy();
      }
    } finally {
      release();
    }
  }

  async #newKey(): Promise<DataKey> {
    try {
      return await this.ring.createProjectDek(NODE_KEYS_OWNER);
    } catch (error) {
      if (!isCryptoError(error, 'KEY_UNKNOWN')) throw error;
      await this.ring.createTenantKek(NODE_KEYS_OWNER);
      return this.ring.createProjectDek(NODE_KEYS_OWNER);
    }
  }
}
