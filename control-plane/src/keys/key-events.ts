// The `key-destroyed` hook: told of every key destruction once it is committed (crypto-shredding
// a project, off-boarding a tenant). The audit log subscribes here rather than the key ring
// depending on it; a listener that fails is logged and never undoes the destruction.
import type { DestroyedKeyEntry } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { AppLogger } from '../logging/app-logger.ts';

export type KeyDestroyedListener = (entry: DestroyedKeyEntry) => void | Promise<void>;

@Injectable()
export class KeyEvents {
  readonly #listeners = new Set<KeyDestroyedListener>();

  constructor(private readonly log: AppLogger) {}

  /** Subscribes to `key-destroyed`; returns the unsubscribe function. */
  onKeyDestroyed(listener: KeyDestroyedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async keyDestroyed(entry: DestroyedKeyEntry): Promise<void> {
    this.log.write('info', 'key-destroyed', {
      keyId: entry.keyId,
      kind: entry.kind,
      tenantId: entry.tenantId,
      destroyedAt: entry.destroyedAt,
      reason: entry.reason,
    });
    for (const listener of this.#listeners) {
      try {
        await listener(entry);
      } catch (error) {
        this.log.write('error', 'A key-destroyed listener failed', {
          keyId: entry.keyId,
          error: String(error),
        });
      }
    }
  }
}
