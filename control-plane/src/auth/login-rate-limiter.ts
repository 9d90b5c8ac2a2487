// Sign-in attempts per client address per minute, whatever the account: slows down password
// spraying across many accounts, which the per-account lockout alone would not notice. Held in
// memory — a restart forgets it, which is acceptable for a brake (the lockout is persistent).
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.ts';
import { RateLimitedError } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';

const WINDOW_MS = 60_000;
/** Beyond this many tracked addresses, finished windows are dropped first. */
const MAX_TRACKED = 10_000;

interface Window {
  start: number;
  count: number;
}

@Injectable()
export class LoginRateLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly clock: Clock,
  ) {
    this.#limit = config.ENCLAVE_LOGIN_RATE_PER_MINUTE;
  }

  /** Counts one attempt from `address`; throws RATE_LIMITED when the window is full. */
  take(address: string): void {
    const now = this.clock.now().getTime();
    let window = this.#windows.get(address);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      this.#prune(now);
      window = { start: now, count: 0 };
      this.#windows.set(address, window);
    }
    window.count += 1;
    if (window.count > this.#limit) {
      const retry = (window.start + WINDOW_MS - now) / 1000;
      throw new RateLimitedError(
        `Too many sign-in attempts from your address; try again in ${Math.ceil(retry)} seconds.`,
        retry,
      );
    }
  }

  #prune(now: number): void {
    if (this.#windows.size < MAX_TRACKED) return;
    for (const [address, window] of this.#windows) {
      if (now - window.start >= WINDOW_MS) this.#windows.delete(address);
    }
  }
}
