// Attempts per client address per minute, in memory: a brake against guessing (a restart forgets
// it, which is acceptable for a brake). Used by enrollment; sign-in keeps its own limiter.
import { RateLimitedError } from './errors.ts';

const WINDOW_MS = 60_000;
/** Beyond this many tracked addresses, finished windows are dropped first. */
const MAX_TRACKED = 10_000;

export class AddressRateWindow {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limitPerMinute: number,
    private readonly what: string,
  ) {}

  /** Counts one attempt from `address` at `now` (ms); throws RATE_LIMITED when the window is full. */
  take(address: string, now: number): void {
    let window = this.#windows.get(address);
    if (window === undefined || now - window.start >= WINDOW_MS) {
      if (this.#windows.size >= MAX_TRACKED) {
        for (const [key, w] of this.#windows) if (now - w.start >= WINDOW_MS) this.#windows.delete(key);
      }
      window = { start: now, count: 0 };
      this.#windows.set(address, window);
    }
    window.count += 1;
    if (window.count > this.limitPerMinute) {
      const retry = (window.start + WINDOW_MS - now) / 1000;
      throw new RateLimitedError(
        `Too many ${this.what} from your address; try again in ${Math.ceil(retry)} seconds.`,
        retry,
      );
    }
  }
}
