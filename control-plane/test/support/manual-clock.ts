// A clock tests move by hand: lockouts, session expiry and back-off are tested without sleeping.
import { Clock } from '../../src/common/clock.ts';

export class ManualClock extends Clock {
  #now: number;

  constructor(start: Date | string = new Date()) {
    super();
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
