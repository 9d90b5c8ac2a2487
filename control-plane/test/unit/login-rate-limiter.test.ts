import { ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../src/auth/login-rate-limiter.ts';
import { RateLimitedError } from '../../src/common/errors.ts';
import type { ControlPlaneConfig } from '../../src/config/control-plane.config.ts';
import { ManualClock } from '../support/manual-clock.ts';

const config = { ENCLAVE_LOGIN_RATE_PER_MINUTE: 3 } as ControlPlaneConfig;

describe('LoginRateLimiter', () => {
  it('allows the limit per address per minute, then refuses with the time left', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const limiter = new LoginRateLimiter(config, clock);
    for (let i = 0; i < 3; i++) limiter.take('10.0.0.1');
    clock.advance(20_000);
    let refused: unknown;
    try {
      limiter.take('10.0.0.1');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(40);
    limiter.take('10.0.0.2'); // another address is not affected
    clock.advance(40_000);
    limiter.take('10.0.0.1'); // a new window
  });
});
