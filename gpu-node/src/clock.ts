// Time behind one seam: step durations and telemetry timestamps come from here, so tests can
// pin them instead of sleeping.

export interface Clock {
  /** Wall-clock time, for timestamps on the wire. */
  now(): Date;
  /** A monotonic reading in milliseconds, for durations (immune to NTP steps). */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
};
