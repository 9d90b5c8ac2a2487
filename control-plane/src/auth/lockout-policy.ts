// How long an account stays locked after repeated failed sign-ins: nothing below the threshold,
// then the base time, doubling with every further failure, up to a cap. Pure, so it is unit
// tested on its own.
export interface LockoutPolicy {
  readonly threshold: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** Seconds to lock for after the `failures`-th consecutive failure (0: not locked). */
export function lockoutSeconds(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30); // 2^30 s is far past any cap
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** doublings);
}
