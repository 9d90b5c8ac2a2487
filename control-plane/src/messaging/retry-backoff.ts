// Exponential back-off with a cap: initial, 2×, 4×, ... up to max; reset after a success.

export class RetryBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  #failures = 0;

  constructor(initialMs: number, maxMs: number) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
  }

  get failures(): number {
    return this.#failures;
  }

  /** Counts a failure and returns how long to wait before the next try. */
  next(): number {
    const delay = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    return delay;
  }

  reset(): void {
    this.#failures = 0;
  }
}
