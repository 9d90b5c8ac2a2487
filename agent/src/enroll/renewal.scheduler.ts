// Schedules certificate renewal at certs' `renewalDue` (about two thirds of the life, with
// jitter) and retries a failed attempt. The HTTP call to /agent/v1/renew is behind `Renewer`;
// only a test double exists until the control plane's route does (see docs/agent.md).
import { renewalDue } from '@enclave/certs';
import type { Clock } from '../support/clock.ts';
import type { TimerHandle, Timers } from '../support/timers.ts';

export interface RenewedCertificate {
  certificatePem: string;
  chainPem: string;
}

export interface Renewer {
  renew(currentCertPem: string): Promise<RenewedCertificate>;
}

export interface RenewalDeps {
  clock: Clock;
  timers: Timers;
  renewer: Renewer;
  random: () => number;
  readCertificate(): string;
  /** Stores the new files; the Kafka clients must then be rebuilt (librdkafka cannot reload). */
  onRenewed(renewed: RenewedCertificate): void;
  onFailed(error: unknown, retryAt: Date): void;
  retryMs: number;
}

export class RenewalScheduler {
  readonly #deps: RenewalDeps;
  #timer: TimerHandle | null = null;
  #stopped = false;

  constructor(deps: RenewalDeps) {
    this.#deps = deps;
  }

  /** Arms the timer for the current certificate and returns when it will fire. */
  schedule(): Date {
    const now = this.#deps.clock.now();
    const due = renewalDue(this.#deps.readCertificate(), now, this.#deps.random);
    this.#arm(due.getTime() - now.getTime());
    return due;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  #arm(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer?.cancel();
    this.#timer = this.#deps.timers.after(Math.max(0, delayMs), () => void this.#attempt());
  }

  async #attempt(): Promise<void> {
    try {
      const renewed = await this.#deps.renewer.renew(this.#deps.readCertificate());
      this.#deps.onRenewed(renewed);
      this.schedule();
    } catch (error) {
      const retryAt = new Date(this.#deps.clock.now().getTime() + this.#deps.retryMs);
      this.#deps.onFailed(error, retryAt);
      this.#arm(this.#deps.retryMs);
    }
  }
}
