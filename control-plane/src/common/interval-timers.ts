// Periodic work (integrity checks, CRL refresh) behind one seam: tests call the job directly
// instead of waiting for a timer, and shutdown stops every timer in one place.
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

export type Job = () => Promise<void>;

@Injectable()
export class IntervalTimers implements OnApplicationShutdown {
  readonly #timers = new Set<NodeJS.Timeout>();

  /** Runs `job` every `ms`; a run never overlaps the previous one. Errors go to `onError`. */
  every(ms: number, job: Job, onError: (error: unknown) => void): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch(onError)
        .finally(() => (running = false));
    }, ms);
    timer.unref(); // a timer alone must not keep the process alive
    this.#timers.add(timer);
  }

  onApplicationShutdown(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
  }
}
