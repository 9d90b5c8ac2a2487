import { ContractError, ErrorCode } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULER_CONFIG, createSchedulerState, resolveConfig } from '../../src/scheduler/index.ts';

describe('scheduler configuration', () => {
  it('fills in defaults and freezes the result', () => {
    const config = resolveConfig({ leaseMs: 10_000 });
    expect(config).toEqual({ ...DEFAULT_SCHEDULER_CONFIG, leaseMs: 10_000 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(createSchedulerState().config).toEqual(DEFAULT_SCHEDULER_CONFIG);
  });

  it('refuses bad values, naming each field', () => {
    try {
      resolveConfig({
        leaseMs: 0,
        maxAttempts: 1.5,
        backoffBaseMs: 10,
        backoffCapMs: 5,
        nodeLostAfterMs: -1,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect((error as ContractError).issues.map((i) => i.path).sort()).toEqual([
        'backoffCapMs',
        'leaseMs',
        'maxAttempts',
        'nodeLostAfterMs',
      ]);
    }
  });
});
