// The in-process bus the event streams listen to. The scheduler service publishes on it only
// after a transaction committed, so a stream never shows a change the database does not hold;
// a job stream first replays the history rows, then follows the bus.
import type { JobHistoryEntry, NodeStatusEvent } from '@enclave/contracts';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

export interface JobLiveEvent {
  readonly tenantId: string;
  readonly entry: JobHistoryEntry;
}

export type JobListener = (event: JobLiveEvent) => void;
export type NodeListener = (event: NodeStatusEvent) => void;

@Injectable()
export class LiveEventBus implements BeforeApplicationShutdown {
  readonly #jobListeners = new Map<string, Set<JobListener>>();
  readonly #nodeListeners = new Set<NodeListener>();
  readonly #closers = new Set<() => void>();

  /** Follows one job; returns the unsubscribe function. */
  onJob(jobId: string, listener: JobListener): () => void {
    let set = this.#jobListeners.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.#jobListeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#jobListeners.delete(jobId);
    };
  }

  onNode(listener: NodeListener): () => void {
    this.#nodeListeners.add(listener);
    return () => this.#nodeListeners.delete(listener);
  }

  publishJob(events: readonly JobLiveEvent[]): void {
    for (const event of events) {
      for (const listener of this.#jobListeners.get(event.entry.jobId) ?? []) listener(event);
    }
  }

  publishNode(events: readonly NodeStatusEvent[]): void {
    for (const event of events) for (const listener of this.#nodeListeners) listener(event);
  }

  /** Streams register how to end themselves, so shutdown does not wait for their clients. */
  onShutdown(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.#closers]) close();
    this.#closers.clear();
  }
}
