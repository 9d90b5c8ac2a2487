// The expiry rule alone: default days after completion, a later extension wins, a hold stops it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expiresAt, isDue } from '../../src/retention/retention-rules.ts';

const DAY = 86_400_000;
const completedAt = new Date('2026-01-01T00:00:00Z');

describe('retention rules', () => {
  it('nothing expires before completion', () => {
    expect(expiresAt({ completedAt: null, retentionExtendedUntil: null, defaultDays: 90 })).toBeNull();
    expect(
      isDue({ completedAt: null, retentionExtendedUntil: null, defaultDays: 90 }, new Date(8e15), false),
    ).toBe(false);
  });

  it('is due exactly from the later of default expiry and extension, never when held', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3650 }),
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        fc.integer({ min: 0, max: 5000 }),
        fc.boolean(),
        (days, extDays, nowDays, held) => {
          const facts = {
            completedAt,
            retentionExtendedUntil: extDays === null ? null : new Date(completedAt.getTime() + extDays * DAY),
            defaultDays: days,
          };
          const expiry = Math.max(days, extDays ?? 0);
          expect(expiresAt(facts)?.getTime()).toBe(completedAt.getTime() + expiry * DAY);
          const now = new Date(completedAt.getTime() + nowDays * DAY);
          expect(isDue(facts, now, held)).toBe(!held && nowDays >= expiry);
        },
      ),
    );
  });
});
