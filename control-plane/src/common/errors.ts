// The control plane's failures are ContractErrors carrying a contracts ErrorCode; the one
// exception filter turns them into replies (status from httpStatusFor). These helpers keep the
// wording consistent and say what the caller can do.
import { ContractError, ErrorCode } from '@enclave/contracts';

/** 404 for what does not exist *for this caller*: another tenant's id looks exactly the same. */
export function notFound(what: string): ContractError {
  return new ContractError(ErrorCode.NOT_FOUND, `No ${what} with this id exists in your tenant.`);
}

export function unauthenticated(message = 'Sign in first (session cookie or API token).'): ContractError {
  return new ContractError(ErrorCode.UNAUTHENTICATED, message);
}

export function forbidden(message = 'Your role may not do this.'): ContractError {
  return new ContractError(ErrorCode.FORBIDDEN, message);
}

export function conflict(message: string): ContractError {
  return new ContractError(ErrorCode.CONFLICT, message);
}

/** A 429 that also tells the client when to come back (the filter sets Retry-After). */
export class RateLimitedError extends ContractError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, message);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
