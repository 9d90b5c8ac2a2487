// When a completed project's files expire (pure): `defaultDays` after completion, or the
// extension when that is later. A legal hold does not move the expiry; it stops the sweep.
const DAY_MS = 86_400_000;

export interface RetentionFacts {
  readonly completedAt: Date | null;
  readonly retentionExtendedUntil: Date | null;
  readonly defaultDays: number;
}

/** Null while the project is not completed: nothing expires before completion. */
export function expiresAt(facts: RetentionFacts): Date | null {
  if (facts.completedAt === null) return null;
  const byDefault = facts.completedAt.getTime() + facts.defaultDays * DAY_MS;
  const extended = facts.retentionExtendedUntil?.getTime() ?? 0;
  return new Date(Math.max(byDefault, extended));
}

/** Due for deletion at `now` (and not held). */
export function isDue(facts: RetentionFacts, now: Date, held: boolean): boolean {
  const expiry = expiresAt(facts);
  return !held && expiry !== null && now.getTime() >= expiry.getTime();
}

/**
 * When a closed account's personal data is due for shredding: `retentionDays` after closure.
 * Null while the account is open (account data is kept while the account is active).
 */
export function accountExpiresAt(closedAt: Date | null, retentionDays: number): Date | null {
  return closedAt === null ? null : new Date(closedAt.getTime() + retentionDays * DAY_MS);
}
