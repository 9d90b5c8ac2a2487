// Timers behind a wrapper so that tests fire them by advancing a manual clock.
import type { Clock } from './clock.ts';

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  after(ms: number, fn: () => void): TimerHandle;
}

export const systemTimers: Timers = {
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Timers driven by a ManualClock-like source: `advance` fires whatever came due. */
export class ManualTimers implements Timers {
  readonly #clock: Clock & { advance(ms: number): void };
  #pending: { at: number; fn: () => void; live: boolean }[] = [];

  constructor(clock: Clock & { advance(ms: number): void }) {
    this.#clock = clock;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const entry = { at: this.#clock.now().getTime() + ms, fn, live: true };
    this.#pending.push(entry);
    return { cancel: () => (entry.live = false) };
  }

  advance(ms: number): void {
    this.#clock.advance(ms);
    const now = this.#clock.now().getTime();
    const due = this.#pending.filter((entry) => entry.live && entry.at <= now).sort((a, b) => a.at - b.at);
    this.#pending = this.#pending.filter((entry) => entry.live && entry.at > now);
    for (const entry of due) entry.fn();
  }
}
