// Time is injected everywhere a decision depends on it (expiry, grace, CRL windows) so tests
// freeze the clock instead of sleeping, and so an expired certificate can be minted on purpose.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
