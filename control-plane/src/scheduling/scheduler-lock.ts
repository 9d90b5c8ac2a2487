// The one lock every scheduler command runs under, from before its SQLite transaction begins
// until after it has committed or rolled back. It is always taken before the database
// connection (SQLite has one, which kysely hands out one transaction at a time), so two
// commands can never wait for each other the other way round: HTTP commands and the ticker take
// it in SchedulerService.run, Kafka handlers through the inbound consumer's `applyLock`.
// Whoever runs inside may register what must happen once the transaction's fate is known:
// publish its live events after a commit, rebuild the scheduler's memory after a failure.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { AsyncMutex } from '../common/async-mutex.ts';

/** Runs a Kafka batch's handlers (`work`) inside its inbox transaction `em`. */
export type BatchScope = <T>(em: EntityManager, work: () => Promise<T>) => Promise<T>;

export interface HeldLock {
  afterCommit(fn: () => void): void;
  afterFailure(fn: () => Promise<void>): void;
}

interface Holder {
  readonly committed: (() => void)[];
  readonly failed: (() => Promise<void>)[];
}

@Injectable()
export class SchedulerLock {
  readonly #mutex = new AsyncMutex();
  #holder: Holder | null = null;
  #batchScope: BatchScope | null = null;

  /** Runs `work` (which commits or rolls back its own transaction) with the lock held. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.#mutex.acquire();
    const holder: Holder = { committed: [], failed: [] };
    this.#holder = holder;
    try {
      const value = await work();
      for (const fn of holder.committed) fn();
      return value;
    } catch (error) {
      for (const fn of holder.failed) await fn();
      throw error;
    } finally {
      this.#holder = null;
      release();
    }
  }

  /** The current holder's hooks; a command outside `exclusive` is a programming error. */
  held(): HeldLock {
    const holder = this.#holder;
    if (holder === null) throw new Error('A scheduler command ran outside the scheduler lock.');
    return {
      afterCommit: (fn) => holder.committed.push(fn),
      afterFailure: (fn) => holder.failed.push(fn),
    };
  }

  /** `exclusive`, in the shape the inbound consumer takes. */
  readonly asApplyLock = <T>(work: () => Promise<T>): Promise<T> => this.exclusive(work);

  /**
   * The SchedulerService registers its batch command here at start-up: the messaging wiring
   * that takes `asApplyScope` is built before it (the service depends on KafkaLink).
   */
  setBatchScope(scope: BatchScope): void {
    this.#batchScope = scope;
  }

  /** Runs inside each inbox transaction, around the handlers of one consumer batch. */
  readonly asApplyScope = <T>(em: EntityManager, work: () => Promise<T>): Promise<T> =>
    this.#batchScope ? this.#batchScope(em, work) : work();
}
