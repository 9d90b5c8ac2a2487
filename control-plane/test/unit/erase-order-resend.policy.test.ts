// When an unanswered erase order goes out again (pure): the timer backs off by doubling, a
// heartbeat re-sends once the base retry has passed, and both stop at the attempt limit.
import { describe, expect, it } from 'vitest';
import { backoffMs, resendDue } from '../../src/privacy/erase-order-resend.policy.ts';

const settings = { retryMs: 1_000, maxAttempts: 4 };
const orderedAt = new Date('2026-11-29T08:00:00.000Z');
const at = (ms: number) => new Date(orderedAt.getTime() + ms);

describe('erase order re-send policy', () => {
  it('doubles the timer’s wait after each send, capped at a day', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1_000))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(60, 1_000)).toBe(86_400_000);
  });

  it('re-sends on the timer only once the backoff has passed since the last send', () => {
    expect(resendDue({ attempts: 1, orderedAt }, at(999), settings, 'timer')).toBe(false);
    expect(resendDue({ attempts: 1, orderedAt }, at(1_000), settings, 'timer')).toBe(true);
    const second = { attempts: 2, orderedAt, lastSentAt: at(1_000) };
    expect(resendDue(second, at(2_999), settings, 'timer')).toBe(false);
    expect(resendDue(second, at(3_000), settings, 'timer')).toBe(true);
  });

  it('re-sends on a heartbeat after the base retry, whatever the backoff', () => {
    const third = { attempts: 3, orderedAt, lastSentAt: at(10_000) };
    expect(resendDue(third, at(10_999), settings, 'heartbeat')).toBe(false);
    expect(resendDue(third, at(11_000), settings, 'heartbeat')).toBe(true);
    expect(resendDue(third, at(11_000), settings, 'timer')).toBe(false);
  });

  it('stops at the attempt limit, first send included', () => {
    const last = { attempts: 4, orderedAt, lastSentAt: at(1_000) };
    expect(resendDue(last, at(86_400_000), settings, 'timer')).toBe(false);
    expect(resendDue(last, at(86_400_000), settings, 'heartbeat')).toBe(false);
  });
});
