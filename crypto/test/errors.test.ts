import { ErrorCode, httpStatusFor } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import { CryptoError, CryptoErrorCode, contractCodeFor, isCryptoError } from '../src/index.ts';

describe('crypto errors', () => {
  it('every code maps to a contract code with an HTTP status', () => {
    for (const code of Object.values(CryptoErrorCode)) {
      expect(Object.values(ErrorCode)).toContain(contractCodeFor(code));
      expect(httpStatusFor(contractCodeFor(code))).toBeGreaterThanOrEqual(400);
    }
    expect(contractCodeFor('KEY_DESTROYED')).toBe('GONE');
    expect(contractCodeFor('MASTER_KEY_WRONG')).toBe('CONFIG_INVALID');
  });

  it('isCryptoError narrows by code', () => {
    const error = new CryptoError('TRUNCATED', 'cut');
    expect(isCryptoError(error)).toBe(true);
    expect(isCryptoError(error, 'TRUNCATED')).toBe(true);
    expect(isCryptoError(error, 'KEY_UNKNOWN')).toBe(false);
    expect(isCryptoError(new Error('x'))).toBe(false);
  });
});
