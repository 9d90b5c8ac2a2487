// Errors that do not come from our code — Nest's own HttpExceptions (no handler, unreadable
// JSON, body too large) — get a contracts ErrorCode and a message written here, never the
// framework's text, so every reply speaks the same language.
import { ContractError, ErrorCode } from '@enclave/contracts';
import type { HttpException } from '@nestjs/common';
import { routeNotFound } from './route-not-found.ts';

export interface HttpErrorContext {
  readonly method: string;
  readonly path: string;
  readonly bodyLimitBytes: number;
}

export function fromHttpException(error: HttpException, context: HttpErrorContext): ContractError {
  const status = error.getStatus();
  switch (status) {
    case 400:
      return new ContractError(
        ErrorCode.MALFORMED_PAYLOAD,
        'The request could not be read: send a JSON body (Content-Type: application/json) and a well-formed URL.',
      );
    case 404:
    case 405:
      return routeNotFound(context.method, context.path);
    case 413:
      return new ContractError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The request body is larger than ${context.bodyLimitBytes} bytes. Files are uploaded through the asset routes, not as JSON.`,
      );
    case 415:
      return new ContractError(ErrorCode.MALFORMED_PAYLOAD, 'Send the body as application/json.');
    case 401:
      return new ContractError(ErrorCode.UNAUTHENTICATED, 'Sign in first (session cookie or API token).');
    case 403:
      return new ContractError(ErrorCode.FORBIDDEN, 'This request is not allowed.');
    case 429:
      return new ContractError(ErrorCode.RATE_LIMITED, 'Too many requests; wait a moment and retry.');
    case 503:
      return new ContractError(ErrorCode.UNAVAILABLE, 'A dependency is unavailable; retry later.');
    default:
      return status >= 400 && status < 500
        ? new ContractError(ErrorCode.MALFORMED_PAYLOAD, 'The request could not be processed as sent.')
        : new ContractError(ErrorCode.INTERNAL, 'Internal error.', [], { cause: error });
  }
}
