import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ContractError,
  ERROR_CODES,
  ErrorCode,
  ErrorReplySchema,
  httpStatusFor,
  isErrorCode,
  toErrorResponse,
} from '../src/index.ts';

describe('httpStatusFor', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusFor(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it.each([
    [ErrorCode.VALIDATION_FAILED, 400],
    [ErrorCode.UNAUTHENTICATED, 401],
    [ErrorCode.FORBIDDEN, 403],
    [ErrorCode.NODE_MISMATCH, 403],
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.CONFLICT, 409],
    [ErrorCode.STALE_EPOCH, 409],
    [ErrorCode.PROCESSING_RESTRICTED, 409],
    [ErrorCode.GONE, 410],
    [ErrorCode.PAYLOAD_TOO_LARGE, 413],
    [ErrorCode.RATE_LIMITED, 429],
    [ErrorCode.INTERNAL, 500],
    [ErrorCode.UNAVAILABLE, 503],
  ] as const)('%s → %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('throws for a value outside the enum instead of guessing', () => {
    expect(() => httpStatusFor('TEAPOT' as ErrorCode)).toThrow('No HTTP status for error code TEAPOT');
  });

  it('has code names equal to their values', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(key).toBe(value);
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('not_found')).toBe(false);
  });
});

describe('toErrorResponse', () => {
  it('turns a ContractError into its status and a schema-valid reply with fields', () => {
    const error = new ContractError(
      ErrorCode.VALIDATION_FAILED,
      'Invalid job submission: templateId: required',
      [{ path: 'templateId', message: 'required (expected string)' }],
    );
    const response = toErrorResponse(error, 'req-42');
    expect(response).toEqual({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid job submission: templateId: required',
        correlationId: 'req-42',
        fields: [{ path: 'templateId', message: 'required (expected string)' }],
      },
    });
    expect(ErrorReplySchema.safeParse(response.body).success).toBe(true);
  });

  it('leaves out fields when there are none', () => {
    const response = toErrorResponse(new ContractError(ErrorCode.NOT_FOUND, 'No job job-9.'), 'req-1');
    expect(response.status).toBe(404);
    expect(response.body).not.toHaveProperty('fields');
  });

  it('hides the details of anything that is not a client-facing ContractError', () => {
    for (const error of [
      new Error('SQLITE_BUSY at /var/lib/enclave/db.sqlite'),
      new ContractError(ErrorCode.INTERNAL, 'key unwrap failed for kek-7'),
      new ConfigError('ENCLAVE_DB_PATH missing', []),
      'a string',
    ]) {
      const response = toErrorResponse(error, 'req-7');
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('INTERNAL');
      expect(response.body.message).toContain('req-7');
      expect(response.body.message).not.toMatch(/SQLITE|kek-7|ENCLAVE_DB_PATH/);
      expect(ErrorReplySchema.safeParse(response.body).success).toBe(true);
    }
  });

  it('the reply schema rejects replies without a correlation id or with an unknown code', () => {
    expect(ErrorReplySchema.safeParse({ code: 'NOT_FOUND', message: 'x' }).success).toBe(false);
    expect(ErrorReplySchema.safeParse({ code: 'OOPS', message: 'x', correlationId: 'c' }).success).toBe(
      false,
    );
  });
});
