import { describe, expect, it } from 'vitest';
import { lockoutSeconds } from '../../src/auth/lockout-policy.ts';

const policy = { threshold: 5, baseSeconds: 60, maxSeconds: 3600 };

describe('lockoutSeconds', () => {
  it('does not lock below the threshold', () => {
    for (let failures = 0; failures < 5; failures++) expect(lockoutSeconds(failures, policy)).toBe(0);
  });

  it('locks for the base time at the threshold, doubling with every further failure, up to the cap', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 12].map((f) => lockoutSeconds(f, policy))).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });

  it('stays at the cap for absurd counts', () => {
    expect(lockoutSeconds(10_000, policy)).toBe(3600);
  });
});
