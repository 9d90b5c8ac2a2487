// The egress counters a heartbeat carries: refused connection attempts (the agent's own, seen
// by the in-process guard, plus step processes whose connects the sandbox's network namespace
// failed) and bytes sent to allowed destinations by the agent's Node sockets.
import type { NodeTelemetry } from '@enclave/contracts';
import type { Clock } from '../support/clock.ts';

/** Refusals counted elsewhere (gpu-node's SandboxRunner), read at each heartbeat. */
export interface RefusalSource {
  readonly networkRefusals: number;
  readonly lastNetworkRefusalAt: Date | null;
}

export class EgressCounter {
  readonly #since: string;
  readonly #clock: Clock;
  readonly #others: RefusalSource[];
  #refused = 0;
  #lastRefusedAt: Date | null = null;
  #allowedBytes = 0;

  constructor(clock: Clock, others: readonly RefusalSource[] = []) {
    this.#clock = clock;
    this.#since = clock.now().toISOString();
    this.#others = [...others];
  }

  refused(): void {
    this.#refused += 1;
    this.#lastRefusedAt = this.#clock.now();
  }

  sent(bytes: number): void {
    this.#allowedBytes += bytes;
  }

  get refusedCount(): number {
    return this.#refused + this.#others.reduce((sum, other) => sum + other.networkRefusals, 0);
  }

  snapshot(): NodeTelemetry['egress'] {
    const times = [this.#lastRefusedAt, ...this.#others.map((other) => other.lastNetworkRefusalAt)]
      .filter((at): at is Date => at !== null)
      .map((at) => at.getTime());
    const last = times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
    return {
      since: this.#since,
      allowedBytes: this.#allowedBytes,
      blockedConnections: this.refusedCount,
      ...(last === undefined ? {} : { lastBlockedAt: last }),
    };
  }
}
