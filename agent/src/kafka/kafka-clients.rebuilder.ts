// Issue #5: librdkafka reads the certificate files only when a client is created, so after a
// certificate renewal the agent rebuilds its Kafka producer and jobs consumer from the new files
// (each swaps in a connected new client before it closes the old one). A client that cannot be
// rebuilt now (broker away, new files refused) keeps its old certificate, which is still valid
// for about a third of its life, and is tried again after `retryMs`.
import type { Logger } from '../support/logger.ts';
import type { TimerHandle, Timers } from '../support/timers.ts';

export interface RebuildableClient {
  /** Names the client in log lines: `producer`, `jobs consumer`. */
  readonly name: string;
  rebuild(): Promise<void>;
}

export interface KafkaClientsRebuilderDeps {
  clients: readonly RebuildableClient[];
  timers: Timers;
  logger: Logger;
  retryMs: number;
}

export class KafkaClientsRebuilder {
  readonly #deps: KafkaClientsRebuilderDeps;
  /** Clients still to be rebuilt from the files as they are now. */
  readonly #due = new Set<RebuildableClient>();
  #running: Promise<void> | null = null;
  #retry: TimerHandle | null = null;
  #stopped = false;

  constructor(deps: KafkaClientsRebuilderDeps) {
    this.#deps = deps;
  }

  /**
   * The certificate files changed: rebuild every client. Settles when no client is left to
   * rebuild now (failures wait for the retry timer); it never rejects. A renewal during a
   * rebuild rebuilds the clients again afterwards, so each ends on the newest files.
   */
  certificateChanged(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    for (const client of this.#deps.clients) this.#due.add(client);
    this.#retry?.cancel();
    this.#retry = null;
    return this.#kick();
  }

  /** Stops retrying; resolves when a rebuild under way has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.cancel();
    this.#retry = null;
    await this.#running;
  }

  #kick(): Promise<void> {
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
      if (this.#due.size > 0 && !this.#stopped) {
        this.#retry = this.#deps.timers.after(this.#deps.retryMs, () => {
          this.#retry = null;
          void this.#kick();
        });
      }
    });
    return this.#running;
  }

  async #drain(): Promise<void> {
    const failed = new Set<RebuildableClient>();
    while (!this.#stopped) {
      const client = [...this.#due].find((c) => !failed.has(c));
      if (client === undefined) return;
      this.#due.delete(client);
      try {
        await client.rebuild();
        this.#deps.logger.info('kafka client rebuilt with the renewed certificate', { client: client.name });
      } catch (error) {
        failed.add(client);
        this.#due.add(client);
        this.#deps.logger.warn('kafka client not rebuilt; it keeps the previous certificate for now', {
          client: client.name,
          error: String(error),
          retryInMs: this.#deps.retryMs,
        });
      }
    }
  }
}
